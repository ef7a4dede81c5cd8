"""Files in request bodies, on the wire over loopback HTTP, sync and async.

A multipart file part takes a path, bytes, a binary file object or a ``(filename, content,
content_type)`` tuple; a raw ``application/octet-stream`` body takes bytes, a path or a file
object, read in chunks from where it stood, with its length when it can tell. A retry sends the
whole file again; a stream that cannot seek back is sent once, never retried.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.generator.loopback import SPEC, Seen, Server, package, serve

MEGABYTE = bytes(range(256)) * 4096


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serve()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from package(SPEC, "files_api", tmp_path_factory.mktemp("files"))


def _client(pkg: ModuleType, server: Server, asynchronous: bool = False, **options: Any) -> Any:
    cls = pkg.AsyncFilesApiClient if asynchronous else pkg.FilesApiClient
    return cls(base_url=server.url, **{"max_retries": 0, **options})


def parts(seen: Seen) -> dict[str, tuple[str | None, str, bytes]]:
    """The multipart parts of a request: name -> (filename, content type, content)."""
    head = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + seen.body)
    found = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(content, bytes), part
        found[name] = (part.get_filename(), part.get_content_type(), content)
    return found


class Recording(io.BytesIO):
    """A binary file object that records how much each read asked for."""

    def __init__(self, data: bytes, seekable: bool = True) -> None:
        super().__init__(data)
        self.asked: list[int] = []
        self._seekable = seekable

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)

    def seekable(self) -> bool:
        return self._seekable


def test_a_file_part_takes_a_path_bytes_a_file_object_or_a_tuple(
    pkg: ModuleType, server: Server, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(b'{"ok": true}')
    with _client(pkg, server) as client:
        client.uploads.create(file=report, description="d")
        client.uploads.create(file=b"raw")
        with report.open("rb") as handle:
            client.uploads.create(file=handle, extra=("notes.txt", b"hi", "text/plain"))
        client.uploads.create(file=("shot.png", io.BytesIO(b"\x89PNG"), None))
    by_path, by_bytes, by_handle, by_tuple = (parts(seen) for seen in server.seen)
    assert by_path == {
        "file": ("report.json", "application/json", b'{"ok": true}'),
        "description": (None, "text/plain", b"d"),
    }
    assert by_bytes == {"file": ("upload", "application/octet-stream", b"raw")}
    assert by_handle["file"] == ("report.json", "application/json", b'{"ok": true}')
    assert by_handle["extra"] == ("notes.txt", "text/plain", b"hi")
    assert by_tuple == {"file": ("shot.png", "image/png", b"\x89PNG")}


def test_a_file_part_is_read_in_chunks_and_sent_whole_again_on_a_retry(
    pkg: ModuleType, server: Server
) -> None:
    source = Recording(MEGABYTE)
    server.statuses = [503]
    with _client(pkg, server, max_retries=1) as client:
        client.uploads.create(file=("big.bin", source, "application/octet-stream"))
    assert [parts(seen)["file"][2] == MEGABYTE for seen in server.seen] == [True, True]
    assert max(source.asked) <= 64 * 1024 and -1 not in source.asked


def test_a_raw_body_streams_a_path_with_its_length(
    pkg: ModuleType, server: Server, tmp_path: Path
) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(MEGABYTE)
    with _client(pkg, server) as client:
        client.blobs.put("b", body=blob)
        client.blobs.put("b", body=b"small")
    from_path, from_bytes = server.seen
    assert from_path.body == MEGABYTE
    assert from_path.headers["content-length"] == str(len(MEGABYTE))
    assert from_path.headers["content-type"] == "application/octet-stream"
    assert from_bytes.body == b"small"


def test_a_raw_body_is_read_in_chunks_from_where_the_file_stood(
    pkg: ModuleType, server: Server
) -> None:
    source = Recording(b"HEAD" + MEGABYTE)
    source.seek(4)
    server.statuses = [503]
    with _client(pkg, server, max_retries=1) as client:
        client.blobs.put("b", body=source)
    first, retry = server.seen
    assert first.body == retry.body == MEGABYTE
    assert first.headers["content-length"] == str(len(MEGABYTE))
    assert max(source.asked) <= 64 * 1024 and -1 not in source.asked


def test_a_stream_that_cannot_seek_back_is_sent_once_not_retried(
    pkg: ModuleType, server: Server
) -> None:
    server.statuses = [503]
    with _client(pkg, server, max_retries=2) as client, pytest.raises(pkg.APIStatusError):
        client.blobs.put("b", body=Recording(b"once", seekable=False))
    (seen,) = server.seen
    assert seen.body == b"once"
    assert seen.headers["transfer-encoding"] == "chunked"


def test_async_clients_stream_files_too(pkg: ModuleType, server: Server, tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(MEGABYTE)

    async def run() -> None:
        async with _client(pkg, server, asynchronous=True) as client:
            await client.blobs.put("b", body=blob)
            await client.uploads.create(file=blob, description=None)

    asyncio.run(run())
    raw, multipart = server.seen
    assert raw.body == MEGABYTE and raw.headers["content-length"] == str(len(MEGABYTE))
    assert parts(multipart) == {
        "file": ("blob.bin", "application/octet-stream", MEGABYTE),
        "description": (None, "text/plain", b""),
    }


def test_a_text_file_object_is_refused_before_sending(pkg: ModuleType, server: Server) -> None:
    with _client(pkg, server) as client, pytest.raises(TypeError, match="binary mode"):
        client.uploads.create(file=io.StringIO("text"))
    assert server.seen == []


def test_the_command_line_takes_a_files_path(
    pkg: ModuleType, server: Server, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(b'{"ok": true}')
    assert pkg.__file__ is not None
    root = Path(pkg.__file__).parent.parent
    for args in (
        ["uploads", "create", "--file", str(report), "--description", "d"],
        ["blobs", "put", "b", "--body", str(report)],
    ):
        command = [sys.executable, "-m", "files_api", "--base-url", server.url, *args]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    multipart, raw = server.seen
    assert parts(multipart)["file"] == ("report.json", "application/json", b'{"ok": true}')
    assert raw.body == b'{"ok": true}' and raw.headers["content-length"] == "12"


def test_a_large_upload_from_a_path_never_holds_the_file_in_memory(
    pkg: ModuleType, server: Server, tmp_path: Path
) -> None:
    size = 64 * 1024 * 1024
    blob = tmp_path / "large.bin"
    with blob.open("wb") as handle:
        for _ in range(size // len(MEGABYTE)):
            handle.write(MEGABYTE)
    server.discard = True
    with _client(pkg, server) as client:
        tracemalloc.start()
        try:
            client.blobs.put("b", body=blob)
            client.uploads.create(file=blob)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert server.received[0] == size and server.received[1] > size
    assert peak < 4 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a 64 MiB file"


# Bodies declared inline, as vendors write them (Box's uploads): their fields are arguments, a
# `format: binary` property is a file part and a nested object has its model.
INLINE = """
openapi: 3.0.3
info: {title: Inline, version: "1"}
paths:
  /users/{user}/avatar:
    post:
      operationId: avatars_create
      tags: [avatars]
      parameters: [{name: user, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [pic]
              properties:
                pic: {type: string, format: binary}
                attributes: {type: object, properties: {name: {type: string}}}
      responses:
        "200": {description: Stored., content: {application/json: {schema: {type: object}}}}
  /notes:
    post:
      operationId: notes_send
      tags: [notes]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {title: {type: string}, count: {type: integer}}}
      responses:
        "200": {description: Taken., content: {application/json: {schema: {type: object}}}}
"""


def test_inline_form_and_multipart_bodies_give_typed_arguments(
    server: Server, tmp_path: Path
) -> None:
    for inline in package(INLINE, "inline_api", tmp_path):
        signature = inspect.signature(inline.InlineApiClient(base_url=server.url).avatars.create)
        shown = {n: str(p.annotation) for n, p in signature.parameters.items()}
        assert "FileTypes" in shown["pic"]
        assert "Any" not in shown["attributes"] and "Mapping" not in shown["attributes"]
        with inline.InlineApiClient(base_url=server.url, max_retries=0) as client:
            client.avatars.create("u1", pic=("me.png", b"\x89PNG", "image/png"))
            client.notes.send(title="t", count=2)
        avatar, note = server.seen
        assert parts(avatar)["pic"] == ("me.png", "image/png", b"\x89PNG")
        assert note.body == b"title=t&count=2"
