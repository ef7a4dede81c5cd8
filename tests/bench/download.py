"""Streaming a 1 GB answer to a file: what ``with_streaming_response`` holds in memory.

A generated package's ``write_to`` must read the body chunk by chunk, never whole. Each round
is a fresh interpreter downloading 1 GB from a loopback server (in this process, so its buffers
are not counted) into a file, through a package generated from a one-operation spec, against
one doing the same with ``httpx.stream()`` directly; the row is the child's own peak RSS
(``os.wait4`` in a small launcher: see ``_LAUNCH``), and the file's size is checked so a
short read cannot pass.
"""

from __future__ import annotations

import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.load.config import api_config
from generator.pipeline import build
from generator.render.emit import write

from .measure import interleave, median, run
from .rows import Row

SIZE = 1 << 30
LIMIT_MB = 50.0
FIGURE = "stream a 1 GB download to a file (`with_streaming_response` ... `write_to`): peak RSS"
_SPEC = """
openapi: 3.0.3
info: {title: Downloads, version: "1"}
servers: [{url: "https://downloads.test.invalid"}]
paths:
  /blob:
    get:
      operationId: download
      tags: [blobs]
      summary: The blob.
      description: The blob, as bytes.
      responses:
        "200":
          description: Bytes.
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
"""
_OURS = """
import sys
from bench_downloads import BenchDownloadsClient

with BenchDownloadsClient(base_url=sys.argv[1]) as client:
    with client.blobs.with_streaming_response.download() as response:
        response.write_to(sys.argv[2])
"""
# Runs argv[1:] and prints its peak RSS in MB. The child of a large process (this bench, having
# imported the generator) inherits its parent's peak RSS through fork and exec; the child of
# this small launcher starts from the launcher's, below any Python interpreter's own.
_LAUNCH = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss / 1024)
sys.exit(os.waitstatus_to_exitcode(status))
"""
_PEER = """
import sys
import httpx

with httpx.stream("GET", sys.argv[1] + "/blob") as response, open(sys.argv[2], "wb") as file:
    for chunk in response.iter_bytes(65536):
        file.write(chunk)
"""


@contextmanager
def _server() -> Iterator[str]:
    """A loopback server answering every GET with ``SIZE`` bytes, written 1 MiB at a time."""
    block = bytes(range(256)) * 4096

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(SIZE))
            self.end_headers()
            for _ in range(SIZE // len(block)):
                self.wfile.write(block)

        def log_message(self, *args: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}"
    finally:
        http.shutdown()
        http.server_close()


def download_row(scratch: Path, rounds: int) -> Row:
    """Peak RSS of a fresh interpreter streaming 1 GB to a file, ours against bare httpx."""
    folder = scratch / "download"
    folder.mkdir(exist_ok=True)
    spec = folder / "downloads.yaml"
    spec.write_text(textwrap.dedent(_SPEC), "utf-8")
    config = api_config(spec, "bench_downloads", folder / "bench_downloads", strict=False)
    files = build(config, spec.name).finalized()
    write(config.output, files)
    (folder / "ours.py").write_text(_OURS, "utf-8")
    (folder / "peer.py").write_text(_PEER, "utf-8")
    target = folder / "blob.bin"

    with _server() as url:

        def peak(script: str) -> float:
            argv = [sys.executable, "-c", _LAUNCH, sys.executable, script, url, str(target)]
            done = run(argv, folder)
            if done.returncode != 0 or target.stat().st_size != SIZE:
                raise RuntimeError(f"{script} failed: {done.stderr}")
            target.unlink()
            return float(done.stdout)

        mine, theirs = interleave(rounds, lambda: peak("ours.py"), lambda: peak("peer.py"))
    ours, peer = max(mine), max(theirs)
    return Row(
        figure=FIGURE,
        peer="`httpx.stream()` writing the same body, chunk by chunk",
        ours=f"{ours:.0f} MB",
        theirs=f"{peer:.0f} MB",
        ratio=f"{ours - peer:+.0f} MB",
        target=f"< {LIMIT_MB:.0f} MB",
        met=ours < LIMIT_MB,
        note=f"the highest of {rounds} fresh interpreters each (median {median(mine):.0f} MB)",
    )
