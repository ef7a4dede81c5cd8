"""Functional tests: a small spec written inline, and the behaviour of the client made from it."""

from __future__ import annotations

import inspect
import json

import httpx
import pytest

from tests.generator.conftest import Generate

SPEC = """
openapi: 3.1.0
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.example.com/v2"}]
security: [{bearer: []}]
paths:
  /orders/{order_id}/lines:
    post:
      operationId: lines_add
      tags: [lines]
      summary: Add a line
      parameters:
        - {name: order_id, in: path, required: true, schema: {type: string}}
        - {name: dryRun, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Line"}
      responses:
        "200":
          description: The line.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Line"}
        "409": {description: Conflict.}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Line:
      type: object
      required: [sku, qty]
      properties:
        sku: {type: string}
        qty: {type: integer, minimum: 1}
        colour: {type: string, enum: [red, blue]}
"""


def test_inline_spec_becomes_a_working_client(generate: Generate) -> None:
    api = generate(SPEC, "shop")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"sku": "A-1", "qty": 2, "colour": "green", "extra": True})

    client = api.ShopClient("tok", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    line = client.lines.add("o/1", sku="A-1", qty=2, dry_run=True)
    assert str(sent[0].url) == "https://shop.example.com/v2/orders/o%2F1/lines?dryRun=true"
    assert sent[0].headers["authorization"] == "Bearer tok"
    assert json.loads(sent[0].content) == {"sku": "A-1", "qty": 2}
    assert line.colour == "green"
    assert line.model_dump(mode="json", exclude_unset=True)["extra"] is True


def test_request_constraints_are_checked_before_sending(generate: Generate) -> None:
    api = generate(SPEC, "shop_strict")
    transport = httpx.MockTransport(lambda request: pytest.fail("a request was sent"))
    client = api.ShopStrictClient("tok", http_client=httpx.Client(transport=transport))
    with pytest.raises(ValueError, match="qty"):
        client.lines.add("o1", sku="A-1", qty=0)


def test_documented_error_status_raises_typed_error(generate: Generate) -> None:
    api = generate(SPEC, "shop_errors")
    transport = httpx.MockTransport(lambda request: httpx.Response(409, json={"detail": "taken"}))
    client = api.ShopErrorsClient("tok", http_client=httpx.Client(transport=transport))
    with pytest.raises(api.ConflictError, match="taken") as caught:
        client.lines.add("o1", sku="A", qty=1)
    assert caught.value.body == {"detail": "taken"}


def test_package_exports_are_sorted_and_complete(generate: Generate) -> None:
    api = generate(SPEC, "shop_exports")
    assert api.__all__ == sorted(api.__all__)
    assert {
        "ShopExportsClient",
        "AsyncShopExportsClient",
        "APIError",
        "NOT_GIVEN",
        "models",
    } <= set(api.__all__)
    assert all(hasattr(api, name) for name in api.__all__)


INLINE_BODY_SPEC = """
openapi: 3.1.0
info: {title: Notes, version: "1"}
servers: [{url: "https://notes.example.com"}]
paths:
  /notes:
    post:
      operationId: notes_create
      tags: [notes]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [noteTitle]
              properties:
                noteTitle: {type: string, maxLength: 20}
                pinned: {type: boolean}
                tags: {type: array, items: {type: string}}
      responses:
        "200": {description: Created.}
components:
  schemas:
    NotesCreateRequest:
      type: object
      properties: {other: {type: string}}
"""


def test_inline_object_body_becomes_typed_keyword_arguments(generate: Generate) -> None:
    api = generate(INLINE_BODY_SPEC, "notes")
    # named after the operation, clear of the component that already holds the name
    model = api.models.NotesCreateRequest2
    assert set(model.model_fields) == {"note_title", "pinned", "tags"}
    assert model.model_fields["note_title"].alias == "noteTitle"
    signature = inspect.signature(api.NotesClient(http_client=httpx.Client()).notes.create)
    assert list(signature.parameters)[:3] == ["note_title", "pinned", "tags"]
    assert signature.parameters["note_title"].annotation == "str"
    assert signature.parameters["tags"].annotation == "Sequence[str] | None | NotGiven"
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = api.NotesClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.notes.create(note_title="Hi", tags=["a"])
    assert json.loads(sent[0].content) == {"noteTitle": "Hi", "tags": ["a"]}
    with pytest.raises(ValueError, match=r"note_title|noteTitle"):
        client.notes.create(note_title="x" * 21)
    assert len(sent) == 1
