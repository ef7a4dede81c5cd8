"""A loopback HTTP server that records what a generated client sends and answers as told.

The tests of the per-call options (extra headers, query and body, null versus absent, file
uploads, idempotency keys, hooks) look at the bytes on the wire, so they run real HTTP over
127.0.0.1 rather than a mock transport.
"""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl, urlsplit

from generator.load.config import api_config
from generator.pipeline import build
from generator.render.emit import write


@dataclass
class Seen:
    """One request as the server read it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Server:
    """The server's URL, the requests it saw, and the statuses it answers next (then 200)."""

    url: str
    seen: list[Seen] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    answer: bytes = b"{}"
    # Read bodies in chunks and keep only their length (``Seen.body`` is then empty), so a
    # large upload costs the server no memory.
    discard: bool = False
    received: list[int] = field(default_factory=list)


def package(spec_text: str, name: str, directory: Path) -> Iterator[ModuleType]:
    """Generate ``name`` from ``spec_text`` once, import it, and forget it afterwards (a
    generator for a module-scoped fixture: generating takes seconds)."""
    spec = directory / f"{name}.yaml"
    spec.write_text(textwrap.dedent(spec_text), "utf-8")
    files = build(api_config(spec, name, directory / name), spec.name).finalized()
    write(directory / name, files)
    sys.path.insert(0, str(directory))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(directory))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def serve() -> Iterator[Server]:
    """Run a recording server for one test (a generator for a pytest fixture)."""
    state = Server("")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if state.discard:
                body = self._drained(length)
            elif self.headers.get("Transfer-Encoding") == "chunked":
                body = self._chunked()
            else:
                body = self.rfile.read(length)
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = parse_qsl(parts.query, keep_blank_values=True)
            state.seen.append(Seen(self.command, parts.path, query, headers, body))
            status = state.statuses.pop(0) if state.statuses else 200
            payload = state.answer if status < 300 else b'{"error": "try again"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _drained(self, length: int) -> bytes:
            left = length
            while left:
                left -= len(self.rfile.read(min(left, 1 << 16)))
            state.received.append(length)
            return b""

        def _chunked(self) -> bytes:
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                chunk = self.rfile.read(size + 2)[:size]
                if not size:
                    return body
                body += chunk

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


# One operation per body kind and per place a value can be null or absent.
SPEC = """
openapi: 3.0.3
info: {title: Calls, version: "1"}
servers: [{url: "https://calls.test.invalid"}]
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
        note: {type: string, nullable: true}
        size: {type: integer, nullable: true}
    Filter:
      type: object
      properties:
        owner: {type: string, nullable: true}
        state: {type: string}
    Upload:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary}
        description: {type: string, nullable: true}
        extra: {type: string, format: binary}
    Form:
      type: object
      properties:
        title: {type: string, nullable: true}
        count: {type: integer}
paths:
  /items:
    get:
      operationId: items_list
      tags: [items]
      parameters:
        - {name: q, in: query, schema: {type: string}}
        - {name: filter, in: query, style: form, explode: true,
           schema: {$ref: "#/components/schemas/Filter"}}
      responses:
        "200": {description: The items., content: {application/json: {schema: {type: object}}}}
    post:
      operationId: items_create
      tags: [items]
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      responses:
        "200": {description: The item., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
  /items/{item}:
    patch:
      operationId: items_update
      tags: [items]
      parameters:
        - {name: item, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      responses:
        "200": {description: The item., content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
    delete:
      operationId: items_delete
      tags: [items]
      parameters:
        - {name: item, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Deleted.}
  /forms:
    post:
      operationId: forms_send
      tags: [forms]
      requestBody:
        content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Form"}}}
      responses:
        "200": {description: Taken., content: {application/json: {schema: {type: object}}}}
  /uploads:
    post:
      operationId: uploads_create
      tags: [uploads]
      requestBody:
        required: true
        content: {multipart/form-data: {schema: {$ref: "#/components/schemas/Upload"}}}
      responses:
        "200": {description: Stored., content: {application/json: {schema: {type: object}}}}
  /blobs/{blob}:
    put:
      operationId: blobs_put
      tags: [blobs]
      parameters:
        - {name: blob, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses:
        "200": {description: Stored., content: {application/json: {schema: {type: object}}}}
"""


# An idempotency key header of another name, marked as one; required, yet made by the client.
MARKED = """
openapi: 3.0.3
info: {title: Marked, version: "1"}
paths:
  /charges:
    post:
      operationId: charges_create
      tags: [charges]
      summary: Charge.
      description: Charge a card.
      parameters:
        - name: X-Request-Token
          in: header
          required: true
          description: The key.
          x-idempotency-key: true
          schema: {type: string}
      responses:
        "201": {description: Charged.}
"""
