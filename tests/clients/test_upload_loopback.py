"""The presigned PUT over real loopback HTTP: what a storage host sees on the wire.

``MockTransport`` shows the request object; a real server shows the bytes: a ``Content-Length``
body (not chunked), the file's ``Content-Type``, and no API key.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.specs import package

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


class _Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]]

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _answer(self, status: int, body: Any = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _port(self) -> int:
        """The port of the server this request came to."""
        assert isinstance(self.server, ThreadingHTTPServer)
        return self.server.server_port

    def _record(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        entry = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": self.rfile.read(length),
        }
        self.seen.append(entry)
        return entry

    def do_PUT(self) -> None:
        self._record()
        self._answer(200)

    def do_POST(self) -> None:
        self._record()
        if self.path.endswith("/artifact/"):
            port = self._port()
            self._answer(
                200,
                {
                    "artifact_id": "art_1",
                    "upload_url": f"http://127.0.0.1:{port}/storage/put?sig=1",
                },
            )
        else:
            self._answer(200)

    def do_GET(self) -> None:
        self._record()
        created = json.loads(next(e["body"] for e in self.seen if e["path"].endswith("/artifact/")))
        artifact = {
            **{
                k: created[k]
                for k in ("test_result_id", "label", "kind", "content_type", "size_bytes")
            },
            "artifact_id": "art_1",
            "project_id": "p",
            "test_step": None,
            "metadata": None,
            "expires_at": "2025-02-14T10:31:00Z",
            "created_at": "2025-01-15T10:31:00Z",
        }
        self._answer(200, {"artifacts": [artifact]})


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@SYNC_ASYNC
async def test_the_put_reaches_storage_with_length_type_and_no_key(
    is_async: bool, tmp_path: Path, server: tuple[str, list[dict[str, Any]]]
) -> None:
    base_url, seen = server
    path = tmp_path / "trace.txt"
    path.write_bytes(b"0123456789" * 20_000)
    pkg = package("automated_future")
    if is_async:
        async with pkg.AsyncAutomatedFutureClient(api_key="secret-key", base_url=base_url) as api:
            artifact = await api.artifacts.upload(test_result_id="res_1", file=path)
    else:
        with pkg.AutomatedFutureClient(api_key="secret-key", base_url=base_url) as api:
            artifact = api.artifacts.upload(test_result_id="res_1", file=path)
    assert [(e["method"], e["path"].split("?")[0]) for e in seen] == [
        ("POST", "/v1/artifact/"),
        ("PUT", "/storage/put"),
        ("POST", "/v1/artifact/art_1/confirm"),
        ("GET", "/v1/artifact/"),
    ]
    put = seen[1]
    headers = {k.lower(): v for k, v in put["headers"].items()}
    assert headers["content-length"] == "200000"
    assert headers["content-type"] == "text/plain"
    assert "transfer-encoding" not in headers
    assert "authorization" not in headers
    assert put["body"] == path.read_bytes()
    assert {k.lower(): v for k, v in seen[0]["headers"].items()}["authorization"] == "secret-key"
    assert artifact.size_bytes == 200_000
    assert isinstance(artifact, pkg.models.Artifact)


SIGNED = "X-Amz-Signature=s3cr3tsig0123&X-Amz-Credential=AKIAEXAMPLE"


def _storage(faults: list[str]) -> Any:
    """A storage host whose next PUTs meet ``faults`` ("reset", or a status), then succeed;
    the create answer's URL carries an S3-style signature."""

    class Flaky(_Handler):
        def do_PUT(self) -> None:
            self._record()
            fault = faults.pop(0) if faults else None
            if fault == "reset":
                self.close_connection = True  # the connection drops without an answer
            elif fault is not None:
                self._answer(int(fault), {"message": f"storage says no to {self.path}"})
            else:
                self._answer(200)

        def do_POST(self) -> None:
            if not self.path.endswith("/artifact/"):
                return super().do_POST()
            self._record()
            port = self._port()
            url = f"http://127.0.0.1:{port}/storage/put?{SIGNED}"
            return self._answer(200, {"artifact_id": "art_1", "upload_url": url})

        def do_DELETE(self) -> None:
            self._record()
            self._answer(204)

    return Flaky


@contextlib.contextmanager
def _flaky(faults: list[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    handler = type("Handler", (_storage(faults),), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@SYNC_ASYNC
@pytest.mark.parametrize("fault", ["reset", "503", "500"])
async def test_a_put_that_meets_one_hiccup_is_retried_and_the_artifact_kept(
    is_async: bool, fault: str, tmp_path: Path
) -> None:
    path = tmp_path / "trace.txt"
    path.write_bytes(b"x" * 5000)
    pkg = package("automated_future")
    with _flaky([fault]) as (base_url, seen):
        if is_async:
            async with pkg.AsyncAutomatedFutureClient(api_key="k", base_url=base_url) as api:
                await api.artifacts.upload(test_result_id="res_1", file=path)
        else:
            with pkg.AutomatedFutureClient(api_key="k", base_url=base_url) as api:
                api.artifacts.upload(test_result_id="res_1", file=path)
    methods = [e["method"] for e in seen]
    assert methods[:4] == ["POST", "PUT", "PUT", "POST"]  # the same bytes again, then confirm
    assert "DELETE" not in methods
    assert [e["body"] for e in seen if e["method"] == "PUT"] == [path.read_bytes()] * 2


@SYNC_ASYNC
async def test_a_put_that_keeps_failing_shows_no_signature_and_is_undone(
    is_async: bool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="automated_future")
    pkg = package("automated_future")
    with _flaky(["500", "reset", "500"]) as (base_url, seen), pytest.raises(pkg.APIError) as raised:
        if is_async:
            async with pkg.AsyncAutomatedFutureClient(api_key="k", base_url=base_url) as api:
                await api.artifacts.upload(test_result_id="res_1", file=b"abc", label="a.txt")
        else:
            with pkg.AutomatedFutureClient(api_key="k", base_url=base_url) as api:
                api.artifacts.upload(test_result_id="res_1", file=b"abc", label="a.txt")
    assert [e["method"] for e in seen] == ["POST", "PUT", "PUT", "PUT", "DELETE"]
    shown = f"{raised.value} {raised.value.url} {caplog.text}"
    assert "s3cr3tsig0123" not in shown and "AKIAEXAMPLE" not in shown
    assert "X-Amz-Signature=%5BREDACTED%5D" in str(raised.value) or "REDACTED" in shown
    assert "after 3 attempts" in str(raised.value)
