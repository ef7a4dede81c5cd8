"""Presigned uploads: create a record, PUT the bytes to the URL it returns, confirm; or undo.

A spec declares the flow on the create operation (``x-presigned-upload``: which response
property is the URL and which the record id, the confirm and abort operations, the size field
whose ``minimum``/``maximum`` are the limits, and which fields are inferred from the file). The
generated ``upload`` method runs the steps; this module owns the parts that are not API calls:
reading the file (path, bytes or binary file object) and checking its size before any request,
inferring a content type, streaming the PUT from disk with an explicit ``Content-Length`` and no
API key, retrying it as any idempotent call (a PUT of the same bytes is harmless to repeat), and
undoing the record when a later step fails, so nothing is left half-made. The presigned URL's
signature is redacted from every error and log line.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

import httpx

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._client_core import describe as _outcome_text
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientError,
    attempts_note,
    status_error,
)
from ._retry import is_retryable, retry_delay
from ._secrets import Redactor
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "FileInput",
    "UploadError",
    "UploadSource",
    "aput_presigned",
    "aread_back",
    "arollback",
    "derive",
    "open_source",
    "put_presigned",
    "read_back",
    "rollback",
]


class UploadError(ClientError):
    """An upload helper cannot start: the file is unusable as given (size, name, type)."""


FileInput = str | os.PathLike[str] | bytes | IO[bytes]
P = TypeVar("P")
# A string bound: reading pydantic.BaseModel here would import pydantic.main on first use.
M = TypeVar("M", bound="pydantic.BaseModel")
CHUNK = 64 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# Python's built-in table only (never the machine's mime.types), so a name maps to the same type
# everywhere; plus the file types test runs produce that the table lacks.
_MIME = mimetypes.MimeTypes()
for _ext, _type in {
    ".log": "text/plain",
    ".md": "text/markdown",
    ".jsonl": "application/jsonl",
    ".ndjson": "application/x-ndjson",
    ".har": "application/json",
    ".webp": "image/webp",
}.items():
    _MIME.add_type(_type, _ext)


@dataclass(frozen=True)
class UploadSource:
    """The file to upload: its name (if any), its size, and where its bytes come from."""

    name: str | None
    size: int
    data: bytes | None = None
    path: Path | None = None
    stream: IO[bytes] | None = None
    # Where the content starts in ``stream``: a retried PUT reads it again from there.
    offset: int = 0

    @property
    def content_type(self) -> str:
        """The MIME type guessed from the name; ``application/octet-stream`` if none fits."""
        guessed = _MIME.guess_type(self.name)[0] if self.name else None
        return guessed or DEFAULT_CONTENT_TYPE

    def require_name(self, field: str) -> str:
        """The file name, to fill ``field``; an :class:`UploadError` when the file has none."""
        if not self.name:
            raise UploadError(f"the file has no name to take {field!r} from: pass {field}=...")
        return self.name

    @contextmanager
    def reader(self) -> Iterator[IO[bytes]]:
        """A binary stream of the content, opened only for the PUT (files: from disk)."""
        if self.path is not None:
            with self.path.open("rb") as handle:
                yield handle
        elif self.stream is not None:
            self.stream.seek(self.offset)
            yield self.stream
        else:
            yield io.BytesIO(self.data or b"")


def open_source(file: FileInput, *, minimum: int | None, maximum: int | None) -> UploadSource:
    """Describe ``file`` and check its size against the spec's limits, before any request."""
    source = _describe(file)
    low, high = minimum or 0, maximum
    if source.size < low or (high is not None and source.size > high):
        limits = f"{low} to {high}" if high is not None else f"at least {low}"
        raise UploadError(f"the file is {source.size} bytes; the API takes {limits} bytes")
    return source


def _describe(file: FileInput) -> UploadSource:
    if isinstance(file, bytes | bytearray | memoryview):
        return UploadSource(name=None, size=len(file), data=bytes(file))
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UploadError(f"cannot read {str(path)!r}: {exc.strerror}") from None
        return UploadSource(name=path.name, size=size, path=path)
    if not hasattr(file, "read") or isinstance(file, io.TextIOBase):
        raise UploadError("file must be a path, bytes or a file object opened in binary mode")
    name = getattr(file, "name", None)
    name = Path(name).name if isinstance(name, str) else None
    if file.seekable():
        start = file.tell()
        size = file.seek(0, io.SEEK_END) - start
        file.seek(start)
        return UploadSource(name=name, size=size, stream=file, offset=start)
    data = file.read()
    return UploadSource(name=name, size=len(data), data=data)


def derive(content_type: str, mapping: Mapping[str, str], field: str) -> str:
    """The value for ``field`` that ``mapping`` gives ``content_type`` (``image/*``, ``*``)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    for pattern in (mime, mime.split("/", 1)[0] + "/*", "*"):
        if pattern in mapping:
            return mapping[pattern]
    raise UploadError(f"no {field!r} is declared for content type {mime!r}: pass {field}=...")


def read_back(
    fetch: Callable[[], P],
    items: Callable[[P], Sequence[M] | None],
    key: tuple[str, object],
    established: tuple[type[M], Mapping[str, object]],
    client: SyncAPIClient,
) -> M:
    """The record just uploaded, as the listing ``fetch`` shows it; else what the upload set up.

    The upload has succeeded by the time this runs, so nothing here may report it as failed: a
    listing that lags, pages, drifts or fails gives way to the record built from what create
    and confirm established (``established``: the model and the fields sent and answered),
    flagged by :func:`mismatches` for the fields only the server knows.
    """
    try:
        listed = items(fetch())
    except APIError as exc:
        client._log.warning("the uploaded record could not be read back: %s", exc)
        listed = None
    return _found(listed, key, established, client)


async def aread_back(
    fetch: Callable[[], Awaitable[P]],
    items: Callable[[P], Sequence[M] | None],
    key: tuple[str, object],
    established: tuple[type[M], Mapping[str, object]],
    client: AsyncAPIClient,
) -> M:
    """The async twin of :func:`read_back`."""
    try:
        listed = items(await fetch())
    except APIError as exc:
        client._log.warning("the uploaded record could not be read back: %s", exc)
        listed = None
    return _found(listed, key, established, client)


def _found(
    listed: Sequence[M] | None,
    key: tuple[str, object],
    established: tuple[type[M], Mapping[str, object]],
    client: SyncAPIClient | AsyncAPIClient,
) -> M:
    attribute, value = key
    candidates: Sequence[M] = ()
    if isinstance(listed, list | tuple):  # a drifted listing may hold anything there
        candidates = listed
    for item in candidates:
        if getattr(item, attribute, None) == value:
            return item
    client._log.warning(
        "the upload of %r is confirmed but the listing does not show it yet;"
        " returning the record as the upload established it",
        value,
    )
    from ._lenient import build

    model, fields = established
    instance, _ = build(model, {k: v for k, v in fields.items() if not isinstance(v, NotGiven)})
    return instance


def _headers(source: UploadSource, content_type: str) -> dict[str, str]:
    # Only these two: the URL is pre-authenticated, and the API key must not go to its host.
    return {"Content-Type": content_type, "Content-Length": str(source.size)}


def _chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = stream.read(min(CHUNK, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


async def _achunks(stream: IO[bytes], size: int) -> AsyncIterator[bytes]:
    left = size
    while left > 0:
        import asyncio  # loaded by the running event loop already; a top-level import costs 45 ms

        chunk = await asyncio.to_thread(stream.read, min(CHUNK, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def _failed(
    exc: httpx.TransportError, request: httpx.Request, attempts: int, redactor: Redactor
) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    detail = redactor.text(f"{type(exc).__name__}: {exc}") + attempts_note(attempts)
    return cls(f"PUT to the presigned URL failed: {detail}", request=request, attempts=attempts)


def _unsettled(
    client: SyncAPIClient | AsyncAPIClient,
    sent: tuple[httpx.Request, httpx.Response | httpx.TransportError],
    attempt: int,
) -> float:
    """After a failed PUT: the seconds to wait before the next attempt, or the error to raise.

    The error and the log show the URL without its signature.
    """
    request, outcome = sent
    redactor = client._redactor.including(request.url)
    safe = redactor.request(request)
    total = client.max_retries + 1
    if attempt < total and is_retryable(outcome, idempotent=True):
        delay = retry_delay(client._config.retry, outcome, attempt, client._clock)
        client._log.info(
            "retrying PUT %s in %.2fs after %s (attempt %d of %d)",
            *(safe.url, delay, _outcome_text(outcome), attempt + 1, total),
        )
        return delay
    if isinstance(outcome, httpx.Response):
        outcome.request = safe
        raise status_error(outcome, attempt, redactor.text)
    raise _failed(outcome, safe, attempt, redactor) from outcome


def put_presigned(
    client: SyncAPIClient,
    url: str,
    source: UploadSource,
    content_type: str,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
) -> None:
    """PUT the file to ``url`` through the client's transport, streaming it, without the key.

    ``timeout`` is the call's (the client's when not given), as for the API's own requests; a
    failure is retried as for any idempotent call (``max_retries``, with backoff).
    """
    http = client._http
    attempt = 1
    while True:
        outcome: httpx.Response | httpx.TransportError
        with source.reader() as stream:
            request = http.build_request(
                "PUT",
                url,
                content=_chunks(stream, source.size),
                headers=_headers(source, content_type),
                timeout=client.timeout if isinstance(timeout, NotGiven) else timeout,
            )
            try:
                outcome = http.send(request)
                outcome.read()
            except httpx.TransportError as exc:
                outcome = exc
        if isinstance(outcome, httpx.Response) and outcome.is_success:
            return
        client._clock.sleep(_unsettled(client, (request, outcome), attempt))
        attempt += 1


async def aput_presigned(
    client: AsyncAPIClient,
    url: str,
    source: UploadSource,
    content_type: str,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
) -> None:
    """The async twin of :func:`put_presigned`."""
    http = client._http
    attempt = 1
    while True:
        outcome: httpx.Response | httpx.TransportError
        with source.reader() as stream:
            request = http.build_request(
                "PUT",
                url,
                content=_achunks(stream, source.size),
                headers=_headers(source, content_type),
                timeout=client.timeout if isinstance(timeout, NotGiven) else timeout,
            )
            try:
                outcome = await http.send(request)
                await outcome.aread()
            except httpx.TransportError as exc:
                outcome = exc
        if isinstance(outcome, httpx.Response) and outcome.is_success:
            return
        await client._clock.asleep(_unsettled(client, (request, outcome), attempt))
        attempt += 1


@contextmanager
def rollback(undo: Callable[[], object]) -> Iterator[None]:
    """Run ``undo`` if the block fails, then re-raise the block's error (noting a failed undo)."""
    try:
        yield
    except Exception as exc:
        try:
            undo()
        except Exception as undo_exc:  # noqa: BLE001 - the block's error is the one to raise
            exc.add_note(f"undoing the unfinished upload also failed: {undo_exc}")
        raise


@asynccontextmanager
async def arollback(undo: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
    """The async twin of :func:`rollback`."""
    try:
        yield
    except Exception as exc:
        try:
            await undo()
        except Exception as undo_exc:  # noqa: BLE001 - the block's error is the one to raise
            exc.add_note(f"undoing the unfinished upload also failed: {undo_exc}")
        raise
