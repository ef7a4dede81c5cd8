"""Shapes vendors' documents use that our own specs do not, each called through a client.

Met in the real-world corpus: a success without a body beside one with a body (204 and 207),
a body offered as JSON or multipart whose fields hold a file, a body typed by a union of
models, a deprecated component that becomes a root model, and a body that is an ``allOf`` of
components (a class with bases and no fields of its own), and components named like the
typing names the inputs use (``Sequence``, ``Mapping``).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.generator.conftest import Generate
from tests.generator.util import mypy_strict

SPEC = """
openapi: 3.0.3
info: {title: Shapes, version: "1"}
servers: [{url: "https://shapes.test.invalid"}]
paths:
  /hosts:
    post:
      operationId: hosts_reassign
      tags: [hosts]
      responses:
        "204": {description: Nothing to report.}
        "207":
          description: Some moved.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Moved"}
  /greetings:
    post:
      operationId: greetings_create
      tags: [greetings]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Greeting"}
          multipart/form-data:
            schema: {$ref: "#/components/schemas/Greeting"}
      responses:
        "204": {description: Stored.}
  /events:
    post:
      operationId: events_send
      tags: [events]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: "#/components/schemas/Event"}
                - {$ref: "#/components/schemas/Events"}
      responses:
        "200":
          description: The code.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Code"}
  /callbacks/{callback}:
    put:
      operationId: callbacks_update
      tags: [callbacks]
      parameters:
        - {name: callback, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/CallbackUpdate"}
      responses:
        "204": {description: Updated.}
  /playlists:
    post:
      operationId: playlists_create
      tags: [playlists]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Playlist"}
      responses:
        "204": {description: Created.}
components:
  schemas:
    Playlist:
      type: object
      required: [songs]
      properties:
        songs: {type: array, items: {type: string}}
        order: {$ref: "#/components/schemas/Sequence"}
        tags: {type: object, additionalProperties: {type: string}}
    Sequence:
      type: object
      properties:
        step: {type: integer}
    Mapping:
      type: object
      properties:
        field: {type: string}
    CallbackUpdate:
      allOf:
        - type: object
          required: [id]
          properties:
            id: {type: string}
        - {$ref: "#/components/schemas/Callback"}
    Callback:
      type: object
      required: [customerName]
      properties:
        customerName: {type: string}
        note: {type: string}
    Moved:
      type: object
      properties:
        count: {type: integer}
    Greeting:
      type: object
      required: [name, audio]
      properties:
        name: {type: string}
        audio: {type: string, format: binary}
    Event:
      type: object
      properties:
        eventName: {type: string}
    Events:
      type: array
      items: {type: object, additionalProperties: true}
    Code:
      type: string
      deprecated: true
"""


def _client(api: object, answer: httpx.Response, sent: list[httpx.Request]) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer

    transport = httpx.MockTransport(handler)
    name = next(n for n in api.__all__ if n.endswith("Client") and not n.startswith("Async"))  # type: ignore[attr-defined]
    # The spec declares no security scheme: the client takes no credential.
    return getattr(api, name)(http_client=httpx.Client(transport=transport))


def test_a_bodiless_success_beside_a_typed_one_returns_none(generate: Generate) -> None:
    api = generate(SPEC, "shapes_empty")
    sent: list[httpx.Request] = []
    assert _client(api, httpx.Response(204), sent).hosts.reassign() is None  # type: ignore[attr-defined]
    moved = _client(api, httpx.Response(207, json={"count": 2}), sent).hosts.reassign()  # type: ignore[attr-defined]
    assert moved.count == 2


def test_a_body_holding_a_file_goes_as_multipart(generate: Generate) -> None:
    api = generate(SPEC, "shapes_upload")
    sent: list[httpx.Request] = []
    client = _client(api, httpx.Response(204), sent)
    client.greetings.create(name="hi", audio=b"\x00\xff")  # type: ignore[attr-defined]
    assert sent[0].headers["content-type"].startswith("multipart/form-data")
    assert b"\x00\xff" in sent[0].content and b'name="name"' in sent[0].content


def test_a_body_typed_by_a_union_of_models_is_sent_by_wire_names(generate: Generate) -> None:
    api = generate(SPEC, "shapes_union")
    sent: list[httpx.Request] = []
    client = _client(api, httpx.Response(200, json="A-1"), sent)
    code = client.events.send(body=api.models.Event(event_name="opened"))  # type: ignore[attr-defined]
    assert json.loads(sent[0].content) == {"eventName": "opened"}
    assert code.root == "A-1"  # a deprecated root model can still be read


def test_a_body_made_of_an_allof_takes_the_fields_of_every_part(generate: Generate) -> None:
    api = generate(SPEC, "shapes_allof")
    sent: list[httpx.Request] = []
    client = _client(api, httpx.Response(204), sent)
    client.callbacks.update("c1", id_="c1", customer_name="Ada", note="late")  # type: ignore[attr-defined]
    assert json.loads(sent[0].content) == {"id": "c1", "customerName": "Ada", "note": "late"}


def test_components_named_like_typing_names_keep_both_apart(
    generate: Generate, tmp_path: Path
) -> None:
    api = generate(SPEC, "shapes_typing")
    sent: list[httpx.Request] = []
    client = _client(api, httpx.Response(204), sent)
    client.playlists.create(songs=("a", "b"), order={"step": 2}, tags={"k": "v"})  # type: ignore[attr-defined]
    assert json.loads(sent[0].content) == {
        "songs": ["a", "b"],
        "order": {"step": 2},
        "tags": {"k": "v"},
    }
    checked = mypy_strict([tmp_path / "shapes_typing"], tmp_path)
    assert checked.returncode == 0, checked.stdout
