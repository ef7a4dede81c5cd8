"""What a client made from a vendor's spec puts on the wire, checked over real HTTP on 127.0.0.1.

Headers the client sets, never the caller: ``Accept``, ``Content-Type`` and ``Authorization``.
OpenAPI 3 says header parameters of these names are ignored. Vendors declare them anyway
(PagerDuty on every operation), and a method that took them as required arguments would send
whatever the caller guessed: the generated method does not take them; ``Accept`` lists the
media types the operation's responses declare (JSON first, then the others in spec order) and
``Content-Type`` is the request body's.

``Content-Length`` and the other headers HTTP computes are not arguments either, nor are the
``readOnly`` properties of a request body (the server's; required in responses only); a
property the body schema requires without declaring it is a required argument, and so is a
required ``writeOnly`` one, which a response that leaves it out still matches.

Query parameters the corpus declares: a ``deepObject`` holding an object or a list (Apideck's
``filter[service][id]``), a list of objects (Box's ``mdfilters``), an object holding a list of
objects (Webex's ``skillProfileDTO``).
"""

from __future__ import annotations

import inspect
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any, ClassVar
from urllib.parse import unquote

import pytest

from tests.generator.conftest import Generate

SPEC = """
openapi: 3.0.3
info: {title: Headers, version: "1"}
servers: [{url: "https://headers.test.invalid"}]
components:
  parameters:
    accept: {name: Accept, in: header, required: true, schema: {type: string}}
  schemas:
    Note:
      type: object
      required: [id, text, etag, secret]
      properties:
        id: {type: string, readOnly: true}
        text: {type: string}
        secret: {type: string, writeOnly: true}
  securitySchemes:
    key: {type: http, scheme: bearer}
security: [{key: []}]
paths:
  /widget.png:
    get:
      operationId: widget_image
      tags: [widget]
      parameters:
        - {$ref: "#/components/parameters/accept"}
        - {name: authorization, in: header, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: The image.
          content:
            image/png: {schema: {type: string, format: binary}}
            image/svg+xml: {schema: {type: string}}
        "404":
          description: No widget.
          content:
            application/problem+json: {schema: {type: object}}
  /notes/{note}:
    patch:
      operationId: notes_update
      tags: [notes]
      parameters:
        - {name: note, in: path, required: true, schema: {type: string}}
        - {name: CONTENT-TYPE, in: header, required: true, schema: {type: string}}
        - {name: Content-Length, in: header, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/merge-patch+json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "200":
          description: The note.
          content:
            text/plain: {schema: {type: string}}
            application/json: {schema: {$ref: "#/components/schemas/Note"}}
  /ping:
    get:
      operationId: ping
      tags: [health]
      parameters:
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties:
              service:
                type: object
                properties:
                  id: {type: string}
              kind: {type: string}
              codes: {type: array, items: {type: integer}}
        - name: profile
          in: query
          schema:
            type: object
            properties:
              name: {type: string}
              skills:
                type: array
                items: {type: object, properties: {id: {type: string}}}
        - name: filters
          in: query
          schema:
            type: array
            items:
              type: object
              properties:
                scope: {type: string}
      responses:
        "204": {description: Alive.}
"""


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.seen.append({**headers, "body": body, "target": self.path})
        if self.path.startswith("/widget"):
            payload, ctype = b"\x89PNG", "image/png"
        elif self.path.startswith("/notes"):
            payload, ctype = json.dumps({"id": "n1", "text": "hi"}).encode(), "application/json"
        else:
            self.send_response(204)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PATCH = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A loopback server answering each path as the spec says; every request's headers kept."""
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_client_headers_are_not_arguments(generate: Generate) -> None:
    pkg = generate(SPEC, "headers_api")
    client = pkg.HeadersApiClient(api_key="k", base_url="https://headers.test.invalid")
    image = inspect.signature(client.widget.image).parameters
    update = inspect.signature(client.notes.update).parameters
    assert "x_trace" in image  # other header parameters stay arguments
    assert not {"accept", "authorization", "content_type", "content_length"} & {*image, *update}
    assert "id" not in update  # a read-only property is the server's


def _client(pkg: ModuleType, base_url: str) -> Any:
    return pkg.HeadersApiClient(api_key="secret", base_url=base_url, max_retries=0)


def test_accept_lists_the_responses_media_types_json_first(
    generate: Generate, server: tuple[str, list[dict[str, str]]]
) -> None:
    base_url, seen = server
    with _client(generate(SPEC, "headers_api"), base_url) as client:
        assert client.widget.image().content == b"\x89PNG"  # the body, with its media type
        client.health.ping()
    image, ping = seen
    assert image["accept"] == "application/problem+json, image/png, image/svg+xml"
    assert image["authorization"] == "Bearer secret"  # from the scheme, never an argument
    assert ping["accept"] == "application/json"  # nothing declared: JSON, as before


def test_content_type_is_the_request_bodys_and_read_only_fields_are_not_sent(
    generate: Generate, server: tuple[str, list[dict[str, str]]]
) -> None:
    base_url, seen = server
    pkg = generate(SPEC, "headers_api")
    with _client(pkg, base_url) as client:
        secret = inspect.signature(client.notes.update).parameters["secret"]
        note = client.notes.update("n1", text="hi", etag="e1", secret="s")
    assert secret.default is inspect.Parameter.empty  # required in requests
    assert (note.id, note.text) == ("n1", "hi")  # required in the answer
    assert pkg.mismatches(note) == ()  # a write-only property is absent from answers
    (update,) = seen
    assert update["content-type"] == "application/merge-patch+json"
    # Required but not declared by the spec: an argument all the same.
    assert json.loads(update["body"]) == {"text": "hi", "etag": "e1", "secret": "s"}
    assert update["accept"] == "application/json, text/plain"


def test_a_deep_object_holding_an_object_or_a_list_goes_one_bracket_deeper(
    generate: Generate, server: tuple[str, list[dict[str, str]]]
) -> None:
    base_url, seen = server
    with _client(generate(SPEC, "headers_api"), base_url) as client:
        client.health.ping(filter_={"service": {"id": "crm 1"}, "kind": "x", "codes": [200, 404]})
    (ping,) = seen
    assert unquote(ping["target"]) == (
        "/ping?filter[service][id]=crm+1&filter[kind]=x&filter[codes][0]=200&filter[codes][1]=404"
    )


def test_a_list_of_objects_in_the_query_is_one_json_text(
    generate: Generate, server: tuple[str, list[dict[str, str]]]
) -> None:
    base_url, seen = server
    with _client(generate(SPEC, "headers_api"), base_url) as client:
        client.health.ping(filters=[{"scope": "enterprise"}, {"scope": "global"}])
    (ping,) = seen
    assert unquote(ping["target"]) == '/ping?filters=[{"scope":"enterprise"},{"scope":"global"}]'


def test_an_object_inside_an_object_parameter_is_json(
    generate: Generate, server: tuple[str, list[dict[str, str]]]
) -> None:
    base_url, seen = server
    with _client(generate(SPEC, "headers_api"), base_url) as client:
        client.health.ping(profile={"name": "de", "skills": [{"id": "s1"}]})
    (ping,) = seen
    assert unquote(ping["target"]) == '/ping?name=de&skills=[{"id":"s1"}]'
