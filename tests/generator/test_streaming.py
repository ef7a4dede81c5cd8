"""Answers that are not one JSON document, over loopback HTTP: files and text in a typed wrapper,
bodies streamed in chunks, server-sent events and JSON lines, sync and async.

A small spec of our own declares each media type; a threaded server on the loopback interface
answers it (streamed bodies without a length, ended by closing the connection) and records when
a client leaves a stream early, so the tests see the connection close rather than assume it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .util import generate, loopback, mypy_strict

SPEC = """
openapi: 3.0.3
info: {title: Media, version: "1"}
servers: [{url: "https://media.test.invalid"}]
paths:
  /report:
    get:
      operationId: report
      tags: [files]
      responses:
        "200":
          description: The report.
          content:
            application/pdf: {schema: {type: string, format: binary}}
  /export:
    get:
      operationId: export
      tags: [files]
      responses:
        "200":
          description: The rows.
          content:
            text/csv: {schema: {type: string}}
  /download:
    get:
      operationId: download
      tags: [files]
      parameters:
        - {name: size, in: query, required: true, schema: {type: integer}}
      responses:
        "200":
          description: Bytes.
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
  /ticks:
    get:
      operationId: ticks
      tags: [feeds]
      parameters:
        - {name: count, in: query, schema: {type: integer}}
      responses:
        "200":
          description: One event per tick.
          content:
            text/event-stream: {schema: {$ref: "#/components/schemas/Tick"}}
  /messages:
    get:
      operationId: messages
      tags: [feeds]
      responses:
        "200":
          description: Text events.
          content:
            text/event-stream: {schema: {type: string}}
  /lines:
    get:
      operationId: lines
      tags: [feeds]
      responses:
        "200":
          description: One tick a line.
          content:
            application/x-ndjson: {schema: {$ref: "#/components/schemas/Tick"}}
  /sequence:
    get:
      operationId: sequence
      tags: [feeds]
      responses:
        "200":
          description: JSON text sequences.
          content:
            application/json-seq: {schema: {$ref: "#/components/schemas/Tick"}}
components:
  schemas:
    Tick:
      type: object
      required: [n]
      properties:
        n: {type: integer}
        label: {type: string}
"""

PDF = b"%PDF-1.7\n\x00\xff binary \r\n body"
CSV = "name,city\nJos\u00e9,S\u00e3o Paulo\n"
# The event stream of the HTML standard's examples: a byte order mark, comments, CRLF and CR
# line ends, a field without a space, a multi-line data field, an event without data (not
# dispatched), an id that carries over, a retry, and a last event not ended by a blank line
# (discarded).
EVENTS = (
    b'\xef\xbb\xbfdata: {"n": 1}\r\nid: 7\r\n\r\n'
    b": keep-alive\r\n\r\n"
    b'event: tick\rdata:{"n": 2,\rdata: "label": "two"}\rretry: 1500\r\r'
    b"event: nothing\n\n"
    b'data: {"n": 3}\n\n'
    b'data: {"n": 4}'
)
MESSAGES = b"data: first\ndata: second\n\ndata\n\ndata:  spaced\n\n"


@dataclass
class Server:
    """A loopback server answering SPEC; ``left`` is set when a client drops an endless stream."""

    url: str = ""
    left: threading.Event = field(default_factory=threading.Event)
    paths: list[str] = field(default_factory=list)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                server.paths.append(self.path)
                params = dict(p.split("=", 1) for p in query.split("&") if p)
                if path == "/report":
                    self._whole("application/pdf", PDF)
                elif path == "/export":
                    self._whole("text/csv; charset=utf-8", CSV.encode())
                elif path == "/download":
                    self._chunks("application/octet-stream", int(params["size"]))
                elif path == "/ticks" and "count" not in params:
                    self._endless()
                elif path == "/ticks":
                    self._stream("text/event-stream", [EVENTS])
                elif path == "/messages":
                    self._stream("text/event-stream", [MESSAGES])
                elif path == "/lines":
                    rows = [b'{"n": 1}\n', b'\n{"n": 2, "lab', b'el": "b"}\r\n{"n": 3}']
                    self._stream("application/x-ndjson", rows)
                else:
                    records = [b'\x1e{"n": 1}\n\x1e{"n"', b": 2}\n"]
                    self._stream("application/json-seq", records)

            def _whole(self, ctype: str, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Request-Id", "req-1")
                self.end_headers()
                self.wfile.write(body)

            def _stream(self, ctype: str, parts: list[bytes]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.end_headers()  # no length: the body ends when the connection closes
                for part in parts:
                    self.wfile.write(part)
                    self.wfile.flush()

            def _chunks(self, ctype: str, size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk = bytes(range(256)) * 256
                while size > 0:
                    self.wfile.write(chunk[:size])
                    size -= len(chunk)

            def _endless(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                try:
                    for n in range(10_000):
                        self.wfile.write(f'data: {{"n": {n}}}\n\n'.encode())
                        self.wfile.flush()
                        time.sleep(0.005)
                except OSError:
                    server.left.set()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("media")
    spec = root / "media.yaml"
    spec.write_text(textwrap.dedent(SPEC), "utf-8")
    warnings = generate(spec, root, "media_api")
    assert [w for w in warnings if w.kind not in ("description", "summary")] == []
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("media_api")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == "media_api"]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    with loopback(running.handler()) as url:
        running.url = url
        yield running


def _client(media: ModuleType, server: Server, prefix: str = "") -> Any:
    return getattr(media, f"{prefix}MediaApiClient")(base_url=server.url)


def test_a_binary_answer_comes_back_whole_with_its_media_type(
    media: ModuleType, server: Server, tmp_path: Path
) -> None:
    with _client(media, server) as client:
        report = client.files.report()
    assert type(report) is media.BinaryResponse
    assert report.content == PDF
    assert (report.media_type, report.status_code) == ("application/pdf", 200)
    assert report.headers["x-request-id"] == "req-1"
    report.write_to(tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes() == PDF


def test_a_text_answer_is_decoded_with_its_charset(media: ModuleType, server: Server) -> None:
    with _client(media, server) as client:
        rows = client.files.export()
    assert type(rows) is media.TextResponse
    assert (rows.text, str(rows), rows.media_type) == (CSV, CSV, "text/csv")


def test_a_streamed_download_is_written_in_chunks(
    media: ModuleType, server: Server, tmp_path: Path
) -> None:
    size = 3 * 65536 + 17
    with (
        _client(media, server) as client,
        client.files.with_streaming_response.download(size=size) as response,
    ):
        assert type(response) is media.StreamedResponse
        assert not response.http_response.is_stream_consumed  # nothing read before asked
        written = response.write_to(tmp_path / "blob")
    assert written == size == (tmp_path / "blob").stat().st_size
    assert response.http_response.is_closed
    assert server.paths == [f"/download?size={size}"]


def test_a_streamed_answer_is_read_by_chunk_text_or_line(media: ModuleType, server: Server) -> None:
    with _client(media, server) as client:
        with client.files.with_streaming_response.download(size=70_000) as response:
            chunks = list(response.iter_bytes(10_000))
        assert [len(c) for c in chunks] == [10_000] * 7
        with client.files.with_streaming_response.export() as rows:
            assert list(rows.iter_lines()) == CSV.splitlines()


def test_server_sent_events_are_parsed_as_the_html_standard_says(
    media: ModuleType, server: Server
) -> None:
    with _client(media, server) as client:
        stream = client.feeds.ticks(count=4)
        assert type(stream) is media.Stream
        events = list(stream)
        texts = list(client.feeds.messages())
    tick = media.models.Tick
    assert events == [
        media.ServerSentEvent(tick(n=1), "message", "7", None),
        media.ServerSentEvent(tick(n=2, label="two"), "tick", "7", 1500),
        media.ServerSentEvent(tick(n=3), "message", "7", None),
    ]
    assert [e.data for e in texts] == ["first\nsecond", "", " spaced"]
    assert stream.http_response.is_closed


def test_json_lines_and_json_sequences_give_one_item_each(
    media: ModuleType, server: Server
) -> None:
    tick = media.models.Tick
    with _client(media, server) as client:
        assert list(client.feeds.lines()) == [tick(n=1), tick(n=2, label="b"), tick(n=3)]
        assert list(client.feeds.sequence()) == [tick(n=1), tick(n=2)]


def test_leaving_an_event_stream_early_closes_the_connection(
    media: ModuleType, server: Server
) -> None:
    with _client(media, server) as client, client.feeds.ticks() as stream:
        seen = []
        for event in stream:
            seen.append(event.data.n)
            if len(seen) == 3:
                break
    assert seen == [0, 1, 2]
    assert server.left.wait(10), "the server kept writing to an open connection"


def test_the_async_twins_stream_and_close(
    media: ModuleType, server: Server, tmp_path: Path
) -> None:
    tick = media.models.Tick

    async def run() -> None:
        async with _client(media, server, "Async") as client:
            report = await client.files.report()
            assert (type(report), report.content) == (media.BinaryResponse, PDF)
            download = client.files.with_streaming_response.download(size=100_000)
            async with download as response:
                assert type(response) is media.AsyncStreamedResponse
                assert await response.write_to(tmp_path / "blob") == 100_000
            events = [e async for e in await client.feeds.ticks(count=4)]
            assert [e.data for e in events] == [tick(n=1), tick(n=2, label="two"), tick(n=3)]
            lines = [t async for t in await client.feeds.lines()]
            assert lines == [tick(n=1), tick(n=2, label="b"), tick(n=3)]
            async with await client.feeds.ticks() as stream:
                async for event in stream:
                    if event.data.n == 2:
                        break

    asyncio.run(run())
    assert (tmp_path / "blob").stat().st_size == 100_000
    assert server.left.wait(10), "the server kept writing to an open connection"


def test_an_error_answer_to_a_stream_is_read_and_raised(media: ModuleType) -> None:
    def handler(request: Any) -> Any:
        import httpx

        return httpx.Response(404, json={"message": "no such feed"})

    import httpx

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = media.MediaApiClient(http_client=http, max_retries=0)
    with pytest.raises(media.NotFoundError, match="404") as raised:
        client.feeds.ticks(count=1)
    assert raised.value.body == {"message": "no such feed"}
    with (
        pytest.raises(media.NotFoundError),
        client.files.with_streaming_response.download(size=1),
    ):
        pass


def test_the_command_line_writes_bodies_as_they_are_and_streams_line_by_line(
    media: ModuleType, server: Server
) -> None:
    assert media.__file__ is not None
    folder = Path(media.__file__).parent.parent

    def command(*argv: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "media_api", "--base-url", server.url, *argv],
            cwd=folder,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert command("files", "report") == PDF
    assert command("files", "export").decode() == CSV
    lines = [json.loads(line) for line in command("feeds", "lines").splitlines()]
    assert lines == [{"n": 1}, {"n": 2, "label": "b"}, {"n": 3}]
    events = [json.loads(line) for line in command("feeds", "ticks", "--count", "4").splitlines()]
    assert [(e["data"], e["event"], e["id"]) for e in events][1] == (
        {"n": 2, "label": "two"},
        "tick",
        "7",
    )


CALLER = """
import asyncio
from pathlib import Path

from media_api import AsyncMediaApiClient, MediaApiClient, ServerSentEvent, models


def use(client: MediaApiClient, folder: Path) -> None:
    report = client.files.report()
    report.write_to(folder / "report.pdf")
    data: bytes = report.content
    kind: str = report.media_type
    rows: str = client.files.export().text
    with client.files.with_streaming_response.download(size=10) as response:
        written: int = response.write_to(folder / "blob")
    with client.feeds.ticks(count=3) as stream:
        for event in stream:
            tick: models.Tick = event.data
            name: str = event.event
    texts: list[ServerSentEvent[str]] = list(client.feeds.messages())
    lines: list[models.Tick] = list(client.feeds.lines())
    print(data, kind, rows, written, tick, name, texts, lines)


async def ause(client: AsyncMediaApiClient, folder: Path) -> None:
    async with client.files.with_streaming_response.download(size=10) as response:
        async for chunk in response.iter_bytes():
            print(len(chunk))
    async with await client.feeds.ticks(count=3) as stream:
        async for event in stream:
            tick: models.Tick = event.data
            print(tick.n)
    lines: list[models.Tick] = [t async for t in await client.feeds.lines()]
    print(lines)


asyncio.run(ause(AsyncMediaApiClient(), Path(".")))
"""


def test_callers_type_check_under_mypy_strict(tmp_path: Path) -> None:
    spec = tmp_path / "media.yaml"
    spec.write_text(textwrap.dedent(SPEC), "utf-8")
    generate(spec, tmp_path, "media_api")
    (tmp_path / "caller.py").write_text(CALLER, "utf-8")
    checked = mypy_strict([tmp_path / "media_api", tmp_path / "caller.py"], tmp_path)
    assert checked.returncode == 0, checked.stdout
    wrong = CALLER.replace(
        "rows: str = client.files.export().text", "rows: bytes = client.files.export().text"
    )
    (tmp_path / "caller.py").write_text(wrong, "utf-8")
    assert "caller.py" in mypy_strict([tmp_path / "caller.py"], tmp_path).stdout
