"""A loopback Testmo that answers the automation endpoints and records every request.

Testmo's own CLI (``testmo automation:run:submit``) is the bar our command is measured
against, and what it sends is only known by watching it. This server answers the endpoints of
``specs/testmo.yaml`` that the workflow uses (create a run, create a thread, append to a thread
or a run, complete a thread or a run, get a run) with the documented shapes, keeps every
request in order, and can answer chosen requests with an error, or act on them and drop the
connection unanswered (``LOST``), to see what a client does then.

It binds 127.0.0.1 on an ephemeral port, serves TLS when given a context (Testmo's CLI refuses
an instance that is not HTTPS), refuses bodies over ``max_body`` bytes and requests past
``max_requests``, drops idle connections, and stops by itself after ``lifetime`` seconds.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/api/v1"
Answer = tuple[int, Any]
# A fault "status": the server applies the request, then closes the connection without an answer.
LOST = 0


@dataclass(frozen=True)
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    route: str  # the route's name ("append_thread"), "" for an unknown path


@dataclass
class Fault:
    """Answer ``times`` requests of route ``route`` with ``status`` and ``body``, after ``after``."""

    route: str
    status: int
    times: int = 1
    after: int = 0
    body: Any = field(default_factory=lambda: {"message": "Injected failure"})


class RecordingTestmo:
    """Testmo's automation API on loopback, recording every request; a context manager."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        lifetime: float = 600.0,
        max_body: int = 64 * 1024 * 1024,
        max_requests: int = 20_000,
    ) -> None:
        """Bind 127.0.0.1 on a free port; :meth:`start` serves."""
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.max_body = max_body
        self.max_requests = max_requests
        self._lock = threading.Lock()
        self._ids = {"run": 100, "thread": 200}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    @property
    def instance(self) -> str:
        """The instance address (what Testmo's CLI takes as ``--instance``)."""
        return f"{self._scheme}://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The API's base URL (what our clients take as ``base_url``)."""
        return self.instance + API

    def start(self) -> RecordingTestmo:
        """Serve in a background thread until :meth:`stop` or the lifetime ends."""
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> RecordingTestmo:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def fail(
        self, route: str, status: int, times: int = 1, body: Any = None, after: int = 0
    ) -> None:
        """Answer ``times`` requests of ``route`` with an error, once ``after`` went through."""
        fault = Fault(route, status, times, after)
        if body is not None:
            fault.body = body
        self.faults.append(fault)

    def routes(self) -> list[str]:
        """The route of every request, in order."""
        return [r.route for r in self.requests]

    def appended_tests(self) -> list[dict[str, Any]]:
        """Every test appended to any thread, in order."""
        return [t for r in self.requests if r.route == "append_thread" for t in r.body["tests"]]

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """Record one request and decide its answer."""
        parts = urlsplit(target)
        route, params = _match(method, parts.path)
        body = _json(raw)
        with self._lock:
            if len(self.requests) >= self.max_requests:
                return 503, {"message": "The recording server's request limit was reached"}
            self.requests.append(
                Recorded(method, parts.path, parse_qs(parts.query), headers, body, route)
            )
            fault = next((f for f in self.faults if f.route == route and f.times > 0), None)
            if fault is not None and fault.after > 0:
                fault.after -= 1
            elif fault is not None:
                fault.times -= 1
                if fault.status == LOST:  # acted on, then the connection drops unanswered
                    self._respond(route, params)
                    return LOST, None
                return fault.status, fault.body
            return self._respond(route, params)

    def _respond(self, route: str, params: dict[str, str]) -> Answer:
        if route in ("create_run", "create_thread"):
            kind = route.removeprefix("create_")
            self._ids[kind] += 1
            return 201, {"id": self._ids[kind]}
        if route == "get_run":
            return 200, {"result": {"id": int(params["run_id"]), "status": 2}, "expands": {}}
        if route:
            return 204, None
        return 404, {"message": "Not found"}


_ROUTES: list[tuple[str, str, re.Pattern[str]]] = [
    (m, name, re.compile(f"^{API}{pattern}$"))
    for m, name, pattern in [
        ("POST", "create_run", r"/projects/(?P<project_id>\d+)/automation/runs"),
        ("GET", "get_run", r"/automation/runs/(?P<run_id>\d+)"),
        ("POST", "append_run", r"/automation/runs/(?P<run_id>\d+)/append"),
        ("POST", "complete_run", r"/automation/runs/(?P<run_id>\d+)/complete"),
        ("POST", "create_thread", r"/automation/runs/(?P<run_id>\d+)/threads"),
        ("POST", "append_thread", r"/automation/runs/threads/(?P<thread_id>\d+)/append"),
        ("POST", "complete_thread", r"/automation/runs/threads/(?P<thread_id>\d+)/complete"),
    ]
]


def _match(method: str, path: str) -> tuple[str, dict[str, str]]:
    for route_method, name, pattern in _ROUTES:
        found = pattern.match(path)
        if found and route_method == method:
            return name, found.groupdict()
    return "", {}


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", errors="replace")


def _handler_for(server: RecordingTestmo) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Reads one request, asks the server for the answer, writes it."""

        timeout = 30  # an idle or stalled connection is dropped, not kept forever
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > server.max_body:
                self._write(413, {"message": "Request body too large"})
                self.close_connection = True
                return
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, body = server.answer(self.command, self.path, headers, raw)
            if status == LOST:
                self.close_connection = True
                return
            self._write(status, body)

        def _write(self, status: int, body: Any) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the recorded requests are the log."""

    return Handler
