"""Answers that are not one JSON document: files, text, streamed bodies, events and JSON Lines.

An operation answering ``application/pdf``, ``image/png`` or ``text/csv`` returns a
:class:`BinaryResponse` (or :class:`TextResponse` for ``text/*``): the body with its media type,
headers and status, and ``write_to(path)``. ``with_streaming_response`` hands over a
:class:`StreamedResponse` whose body is read in chunks, never held whole. An operation answering
``text/event-stream`` returns a :class:`Stream` of :class:`ServerSentEvent` (parsed as the HTML
standard says), one answering JSON Lines (``application/jsonl``, ``application/x-ndjson``) or
JSON text sequences (``application/json-seq``) a :class:`Stream` of one item per line. A stream
closes its connection when iterated to the end, when its ``with`` block is left, or when
``close()`` is called; :class:`AsyncStream` and :class:`AsyncStreamedResponse` are the async twins.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

import httpx

from ._types import Shape

__all__ = [
    "Answer",
    "AsyncStream",
    "AsyncStreamedResponse",
    "BinaryResponse",
    "Decoder",
    "Events",
    "Lines",
    "ServerSentEvent",
    "Stream",
    "StreamOf",
    "StreamedResponse",
    "TextResponse",
]

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item of a stream
I_co = TypeVar("I_co", covariant=True)
# A chunk size for files written from a stream: large enough to keep system calls rare.
CHUNK = 64 * 1024


class Answer:
    """What every non-JSON answer tells besides its body."""

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` without its parameters (``image/png``); ``""`` when not sent."""
        media: str = self.headers.get("content-type", "")
        return media.split(";", maxsplit=1)[0].strip().lower()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.media_type or 'no media type'}>"


class BinaryResponse(Answer):
    """A body that is not JSON (a file, an image, a PDF), read whole."""

    @property
    def content(self) -> bytes:
        """The body."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body decoded with the charset the server names (UTF-8 otherwise)."""
        return self.http_response.text

    def write_to(self, path: str | os.PathLike[str]) -> None:
        """Write the body to the file at ``path`` (replaced if it exists)."""
        with open(path, "wb") as file:
            file.write(self.content)


class TextResponse(BinaryResponse):
    """A ``text/*`` body (CSV, plain text, HTML), read whole; ``text`` is the decoded body."""

    def __str__(self) -> str:
        return self.text


class StreamedResponse(Answer):
    """A successful answer whose body has not been read: read it in chunks, or whole.

    Returned by ``with_streaming_response`` inside a ``with`` block, which closes the
    connection when left, read or not.
    """

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks, as they arrive (decompressed)."""
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body decoded, in chunks."""
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """The body decoded, line by line (without line endings)."""
        return self.http_response.iter_lines()

    def read(self) -> bytes:
        """The whole body (held in memory)."""
        return self.http_response.read()

    def write_to(self, path: str | os.PathLike[str], chunk_size: int = CHUNK) -> int:
        """Write the body to the file at ``path`` chunk by chunk; the number of bytes written."""
        written = 0
        with open(path, "wb") as file:
            for chunk in self.http_response.iter_bytes(chunk_size):
                written += file.write(chunk)
        return written

    def close(self) -> None:
        """Close the connection (whatever was not read is dropped)."""
        self.http_response.close()


class AsyncStreamedResponse(Answer):
    """The async twin of :class:`StreamedResponse` (``async for chunk in r.iter_bytes()``)."""

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks, as they arrive (decompressed)."""
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body decoded, in chunks."""
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        """The body decoded, line by line (without line endings)."""
        return self.http_response.aiter_lines()

    async def read(self) -> bytes:
        """The whole body (held in memory)."""
        return await self.http_response.aread()

    async def write_to(self, path: str | os.PathLike[str], chunk_size: int = CHUNK) -> int:
        """Write the body to the file at ``path`` chunk by chunk; the number of bytes written.

        The file is written with blocking calls between chunks, as each chunk arrives.
        """
        written = 0
        with open(path, "wb") as file:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                written += file.write(chunk)
        return written

    async def close(self) -> None:
        """Close the connection (whatever was not read is dropped)."""
        await self.http_response.aclose()


@dataclass(frozen=True)
class ServerSentEvent(Generic[T]):
    """One event of a ``text/event-stream``: ``data`` parsed as the spec's schema says (the
    text itself when it gives none), the ``event`` type (``"message"`` unless named), the last
    ``id`` seen and the ``retry`` delay in milliseconds when the event set one."""

    data: T
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class _EventParser:
    """The HTML standard's "interpret an event stream", fed one line at a time."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.event = ""
        self.last_id: str | None = None
        self.retry: int | None = None

    def line(self, line: str) -> tuple[str, str, str | None, int | None] | None:
        """The event (data, type, id, retry) a blank line dispatches, or ``None``."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):  # a comment (servers send them to keep a connection open)
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self.data.append(value)
        elif name == "event":
            self.event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = int(value)
        return None

    def _dispatch(self) -> tuple[str, str, str | None, int | None] | None:
        data, event, retry = self.data, self.event, self.retry
        self.data, self.event, self.retry = [], "", None
        if not data:  # no data field: nothing is dispatched, the buffers are reset
            return None
        return "\n".join(data), event or "message", self.last_id, retry


# A line ends at CRLF, CR or LF (not at the other breaks str.splitlines knows).
_EOL = re.compile(r"\r\n|\r|\n")


class _Lines:
    """Decoded text, chunk by chunk, as complete lines (a CRLF split across chunks is one end)."""

    def __init__(self) -> None:
        self.pending = ""
        self.after_cr = False

    def feed(self, text: str) -> list[str]:
        if not text:
            return []
        if self.after_cr and text.startswith("\n"):
            text = text[1:]
        text = self.pending + text
        lines = _EOL.split(text)
        self.pending = lines.pop()
        self.after_cr = text.endswith("\r")
        return lines


class Decoder(Protocol[I_co]):
    """Items from a body's text, as it arrives."""

    def feed(self, text: str) -> Sequence[I_co]:
        """The items ``text`` completes."""
        ...

    def end(self) -> Sequence[I_co]:
        """The items left when the body ends."""
        ...


class StreamOf(Generic[I]):
    """How a streamed body becomes items: what a generated method passes as its result type
    (:class:`Events` or :class:`Lines`), with ``cast_to`` the type of each item's JSON."""

    def __init__(self, cast_to: Any) -> None:
        self.cast_to = cast_to

    def decoder(self, parse: Callable[[str], Any]) -> Decoder[I]:
        """A decoder for one body; ``parse`` reads one JSON text as ``cast_to``."""
        raise NotImplementedError


class Events(StreamOf[ServerSentEvent[T]]):
    """A ``text/event-stream``: each event's data read as ``cast_to`` (``str``: as sent)."""

    def __init__(self, cast_to: type[T] | Shape[T]) -> None:
        super().__init__(cast_to)

    def decoder(self, parse: Callable[[str], Any]) -> Decoder[ServerSentEvent[T]]:
        return _EventDecoder(None if self.cast_to is str else parse)


class _EventDecoder(Generic[T]):
    def __init__(self, parse: Callable[[str], Any] | None) -> None:
        self._parse = parse
        self._lines = _Lines()
        self._parser = _EventParser()
        self._first = True

    def feed(self, text: str) -> list[ServerSentEvent[T]]:
        if self._first and text:  # a byte order mark at the start is not part of the stream
            text, self._first = text.removeprefix("\ufeff"), False
        events = []
        for line in self._lines.feed(text):
            found = self._parser.line(line)
            if found is not None:
                data, event, last_id, retry = found
                value: Any = data if self._parse is None else self._parse(data)
                events.append(ServerSentEvent(value, event, last_id, retry))
        return events

    def end(self) -> list[ServerSentEvent[T]]:
        # An event not ended by a blank line is discarded, as the standard says.
        return []


class Lines(StreamOf[T]):
    """JSON Lines (one JSON value a line) or, with ``separator="\\x1e"``, JSON text sequences
    (RFC 7464): each value read as ``cast_to``; blank records are skipped."""

    def __init__(self, cast_to: type[T] | Shape[T], separator: str = "\n") -> None:
        super().__init__(cast_to)
        self.separator = separator

    def decoder(self, parse: Callable[[str], Any]) -> Decoder[T]:
        return _LineDecoder(parse, self.separator)


class _LineDecoder(Generic[T]):
    def __init__(self, parse: Callable[[str], Any], separator: str) -> None:
        self._parse = parse
        self._separator = separator
        self._pending = ""

    def feed(self, text: str) -> list[T]:
        *records, self._pending = (self._pending + text).split(self._separator)
        return [self._parse(record) for record in records if record.strip()]

    def end(self) -> list[T]:
        record, self._pending = self._pending, ""
        return [self._parse(record)] if record.strip() else []


class Stream(Generic[I]):
    """Items parsed from a body as it arrives; iterate it once, inside ``with`` to close early.

    The connection closes when the items run out, when the ``with`` block is left (a ``break``
    or an exception) or on :meth:`close`.
    """

    def __init__(self, response: httpx.Response, decoder: Decoder[I]) -> None:
        self.http_response = response
        self._decoder = decoder

    def __iter__(self) -> Iterator[I]:
        try:
            for text in self.http_response.iter_text():
                yield from self._decoder.feed(text)
            yield from self._decoder.end()
        finally:
            self.close()

    def close(self) -> None:
        """Close the connection; items not read yet are dropped."""
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[I]):
    """The async twin of :class:`Stream`: ``async with`` and ``async for``."""

    def __init__(self, response: httpx.Response, decoder: Decoder[I]) -> None:
        self.http_response = response
        self._decoder = decoder

    async def __aiter__(self) -> AsyncIterator[I]:
        try:
            async for text in self.http_response.aiter_text():
                for item in self._decoder.feed(text):
                    yield item
            for item in self._decoder.end():
                yield item
        finally:
            await self.close()

    async def close(self) -> None:
        """Close the connection; items not read yet are dropped."""
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
