"""Stoplight Prism as a real HTTP server for one spec, started and stopped by the tests.

Prism serves each operation's documented examples (static mode) and, with ``--errors``, answers
any request the spec does not allow with an error and an ``sl-violations`` header: so a client
that sends something off-spec fails loudly instead of getting a plausible answer. Paths are served
without the spec server's base path (``/v1/test/status`` is ``/status``), so the clients get
``base_url=http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.specs import ROOT

PRISM = ROOT / "tests" / "node_modules" / ".bin" / "prism"
READY_TIMEOUT = 120.0  # seconds; Prism starts in a few seconds, slower on a loaded 2-core machine
READY_LINE = "Prism is listening"


class PrismError(RuntimeError):
    """Prism could not be started."""


@dataclass
class Prism:
    """One running Prism process serving one spec."""

    api: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        """Where the clients reach this server."""
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        """Everything Prism has logged so far."""
        return self.log.read_text("utf-8", errors="replace")


def free_port() -> int:
    """A port nothing listens on right now (Prism binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(spec: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    if not PRISM.exists():
        raise PrismError(f"{PRISM.relative_to(ROOT)} is missing: run `make node_modules`")
    command = [str(PRISM), "mock", "--errors", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    with log.open("wb") as out:
        # A session of its own, so stopping it stops Node's children too and nothing else.
        return subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _ready(server: Prism, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        if READY_LINE in server.log_text():
            return True
        time.sleep(0.2)
    return False


def start(api: str, log_dir: Path, attempts: int = 3, spec: Path | None = None) -> Prism:
    """A ready Prism serving ``api``'s spec (or the document ``spec``); retried on a port lost
    to a race."""
    document = spec or ROOT / "specs" / f"{api}.yaml"
    for attempt in range(attempts):
        log = log_dir / f"{api}-{attempt}.log"
        port = free_port()
        server = Prism(api, _spawn(document, port, log), port, log)
        if _ready(server, time.monotonic() + READY_TIMEOUT):
            return server
        stop(server)
    raise PrismError(f"Prism for {api} did not start; its log:\n{server.log_text()[-3000:]}")


def stop(server: Prism) -> None:
    """Stop ``server``'s process group: politely, then for good."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
