"""Presigned uploads: create a record, PUT the bytes to the URL it returns, confirm; or undo.

A spec declares the flow on the create operation (``x-presigned-upload``: which response
property is the URL and which the record id, the confirm and abort operations, the size field
whose ``minimum``/``maximum`` are the limits, and which fields are inferred from the file). The
generated ``upload`` method runs the steps; this module owns the parts that are not API calls:
reading the file (path, bytes or binary file object) and checking its size before any request,
inferring a content type, streaming the PUT from disk with an explicit ``Content-Length`` and no
API key, and undoing the record when a later step fails, so nothing is left half-made.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

import httpx

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._exceptions import APIConnectionError, APITimeoutError, UploadError, status_error

__all__ = [
    "FileInput",
    "UploadSource",
    "aput_presigned",
    "arollback",
    "derive",
    "find_item",
    "open_source",
    "put_presigned",
    "rollback",
]

FileInput = str | os.PathLike[str] | bytes | IO[bytes]
T = TypeVar("T")
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
        else:
            yield self.stream if self.stream is not None else io.BytesIO(self.data or b"")


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
        return UploadSource(name=name, size=size, stream=file)
    data = file.read()
    return UploadSource(name=name, size=len(data), data=data)


def derive(content_type: str, mapping: Mapping[str, str], field: str) -> str:
    """The value for ``field`` that ``mapping`` gives ``content_type`` (``image/*``, ``*``)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    for pattern in (mime, mime.split("/", 1)[0] + "/*", "*"):
        if pattern in mapping:
            return mapping[pattern]
    raise UploadError(f"no {field!r} is declared for content type {mime!r}: pass {field}=...")


def find_item(items: Sequence[T] | None, attribute: str, value: object) -> T:
    """The item whose ``attribute`` equals ``value``: the record just uploaded, read back."""
    for item in items or ():
        if getattr(item, attribute, None) == value:
            return item
    raise UploadError(f"the upload of {value!r} was confirmed but the API does not list it")


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


def _failed(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(f"PUT to the presigned URL failed: {type(exc).__name__}: {exc}", request=request)


def put_presigned(client: SyncAPIClient, url: str, source: UploadSource, content_type: str) -> None:
    """PUT the file to ``url`` through the client's transport, streaming it, without the key."""
    http = client._http
    with source.reader() as stream:
        request = http.build_request(
            "PUT",
            url,
            content=_chunks(stream, source.size),
            headers=_headers(source, content_type),
            timeout=client.timeout,
        )
        try:
            response = http.send(request)
        except httpx.TransportError as exc:
            raise _failed(exc, request) from exc
        response.read()
    if not response.is_success:
        raise status_error(response)


async def aput_presigned(
    client: AsyncAPIClient, url: str, source: UploadSource, content_type: str
) -> None:
    """The async twin of :func:`put_presigned`."""
    http = client._http
    with source.reader() as stream:
        request = http.build_request(
            "PUT",
            url,
            content=_achunks(stream, source.size),
            headers=_headers(source, content_type),
            timeout=client.timeout,
        )
        try:
            response = await http.send(request)
        except httpx.TransportError as exc:
            raise _failed(exc, request) from exc
        await response.aread()
    if not response.is_success:
        raise status_error(response)


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
