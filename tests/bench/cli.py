"""The command line's start-up: ``--help``, and one call against a loopback server.

A CI step pays the interpreter's start-up on every command, so the command line must cost
little beyond importing its two dependencies: each row is a fresh interpreter running the
command, against one running ``import httpx, pydantic``, alternately.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .rows import Row
from .startup import fresh_row

RUN = {"result": {"id": 1, "project_id": 1, "name": "Run 1", "status": 2}, "expands": {}}


@contextmanager
def _server() -> Iterator[str]:
    """A loopback Testmo that answers every GET with one automation run."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = json.dumps(RUN).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}/api/v1"
    finally:
        http.shutdown()
        http.server_close()


def cli_rows(rounds: int) -> list[Row]:
    """``--help`` and ``automation-runs get 1`` of the Testmo package, each against the imports."""
    cli = [sys.executable, "-m", "generated.testmo"]
    rows = [
        fresh_row(
            rounds, [*cli, "--help"], figure="`python -m generated.testmo --help`", limit=0.060
        )
    ]
    os.environ.setdefault("TESTMO_API_KEY", "bench-key")
    with _server() as url:
        command = [*cli, "--base-url", url, "automation-runs", "get", "1"]
        figure = "`python -m generated.testmo automation-runs get 1` against a loopback server"
        rows.append(fresh_row(rounds, command, figure=figure, limit=0.060))
    return rows
