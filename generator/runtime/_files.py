"""Files in request bodies: multipart file parts and raw uploads, read in chunks, never whole.

A multipart file part takes a path, bytes, a binary file object, or a ``(filename, content)``
or ``(filename, content, content_type)`` tuple of one of those; a raw body
(``application/octet-stream`` and the like) takes bytes, a path or a binary file object. A path
is opened only while its request is sent, and a file object is read from where it stood when
the call began, again on every retry: a seekable source is sent whole on each attempt. A
source that cannot seek back can be sent once only, so such a call is not retried.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["FileContent", "FileTypes", "RawUpload", "file_part", "raw_upload", "replayable"]

FileContent = bytes | IO[bytes] | os.PathLike[str]
FileTypes = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
CHUNK = 64 * 1024


class _PathReader:
    """A file on disk as httpx's multipart encoder reads it: sized without opening, opened on
    the first read, closed at its end (and reopened by ``seek`` for a retry)."""

    def __init__(self, path: os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._handle: IO[bytes] | None = None
        self._position = 0

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.close()
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position}.get(whence)
        self._position = (self.path.stat().st_size if base is None else base) + offset
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self._handle is None:
            self._handle = self.path.open("rb")
            self._handle.seek(self._position)
        data = self._handle.read(size)
        self._position += len(data)
        if not data or size < 0:
            self.close()
        return data

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _content(content: FileContent) -> bytes | IO[bytes] | _PathReader:
    if isinstance(content, bytes | bytearray | memoryview):
        return bytes(content)
    if isinstance(content, os.PathLike):
        return _PathReader(content)
    if isinstance(content, io.TextIOBase) or not hasattr(content, "read"):
        raise TypeError("a file must be bytes, a path or a file object opened in binary mode")
    return content


def file_part(value: object) -> tuple[str | None, Any, str | None]:
    """``value`` (a :data:`FileTypes`) as the ``(filename, content, content_type)`` httpx
    sends as a multipart file part; the type is guessed from the name when not given."""
    if isinstance(value, tuple):
        name, content, *rest = value
        return name, _content(content), rest[0] if rest else None
    content = _content(value)  # type: ignore[arg-type]  # checked there
    name = getattr(content, "name", None)
    name = Path(name).name if isinstance(name, str) else "upload"
    return name, content, None


def replayable(value: object) -> bool:
    """Whether ``value`` (a body or a file part) can be sent again on a retry."""
    if isinstance(value, tuple):
        return replayable(value[1])
    if isinstance(value, bytes | bytearray | memoryview | str | os.PathLike) or value is None:
        return True
    seekable = getattr(value, "seekable", None)
    return not callable(seekable) or bool(seekable())


class RawUpload:
    """A path or file object sent as the whole body, in chunks, from where it stood."""

    def __init__(self, source: IO[bytes] | os.PathLike[str]) -> None:
        self._source = source
        self._start = None if isinstance(source, os.PathLike) else _start_of(source)

    @property
    def replayable(self) -> bool:
        """Whether the content can be sent again: a path, or a file object that can seek."""
        return isinstance(self._source, os.PathLike) or self._start is not None

    @property
    def length(self) -> int | None:
        """The bytes the body holds, when the source tells without being read."""
        source = self._source
        if isinstance(source, os.PathLike):
            return Path(source).stat().st_size
        if self._start is None:
            return None
        end = source.seek(0, io.SEEK_END)
        source.seek(self._start)
        return end - self._start

    def chunks(self) -> Iterator[bytes]:
        """The content, one chunk at a time (a path opened only while it is read)."""
        source = self._source
        if isinstance(source, os.PathLike):
            with Path(source).open("rb") as handle:
                yield from iter(lambda: handle.read(CHUNK), b"")
            return
        if self._start is not None:
            source.seek(self._start)
        yield from iter(lambda: source.read(CHUNK), b"")

    async def achunks(self) -> AsyncIterator[bytes]:
        """:meth:`chunks` for an async client (the file is read between sends, as httpx does)."""
        for chunk in self.chunks():
            yield chunk


def _start_of(file: IO[bytes]) -> int | None:
    """Where a seekable file object stands (its upload starts there); None otherwise."""
    if not callable(getattr(file, "seekable", None)) or not file.seekable():
        return None
    return file.tell()


def raw_upload(body: object) -> object:
    """A raw body as given, or a :class:`RawUpload` for a path or a binary file object."""
    if isinstance(body, os.PathLike) or (
        hasattr(body, "read") and not isinstance(body, io.TextIOBase)
    ):
        return RawUpload(body)  # type: ignore[arg-type]  # a binary file object, checked above
    return body
