"""`make corpus-e2e` on a spec of our own: what a user runs on theirs (``tests/corpus/e2e.py``).

A small vendor-style document is generated, served by Prism and every operation called: each
call must end as the spec makes it end (clean and typed, clean through ``Prefer:
dynamic=true``, rejected by Prism with its reason, a mismatch explained by the example Prism
served breaking the schema the client reads), the JSON report must hold every call, and
the exit status must say whether any call was rejected.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.generator.util import ROOT

SPEC = """
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.test.invalid/v1"}]
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true, example: it_1}
        name: {type: string, example: Lamp}
        price: {type: number, minimum: 0, example: 9.5}
paths:
  /items/{item_id}:
    get:
      operationId: itemsOne
      tags: [items]
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}, example: it_1}
        - {name: Accept, in: header, required: true, schema: {type: string}}
        - name: filter
          in: query
          style: deepObject
          schema:
            type: object
            properties:
              shop: {type: object, properties: {id: {type: string}}}
      responses:
        "200":
          description: The item.
          content:
            application/json: {schema: {$ref: "#/components/schemas/Item"}}
  /items/{item_id}/photo.png:
    get:
      operationId: itemsPhoto
      tags: [items]
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The photo.
          content:
            image/png: {schema: {type: string, format: binary}}
  /items:
    post:
      operationId: itemsAdd
      tags: [items]
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Item"}}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
              example: {id: it_2, name: Lamp, price: -1}
  /notes:
    post:
      operationId: notesAdd
      tags: [notes]
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: string}}}
              example: {id: n_1}
  /notes#pinned:
    post:
      operationId: notesPin
      tags: [notes]
      responses:
        "200":
          description: Pinned.
          content:
            application/json:
              schema: {type: object, required: [pinned], properties: {pinned: {type: boolean}}}
  /codes/{code}:
    get:
      operationId: codesOne
      tags: [codes]
      parameters:
        - name: code
          in: path
          required: true
          schema: {type: string, pattern: "^\\\\p{Lu}[0-9]+$"}
      responses:
        "204": {description: Known.}
"""


def test_every_operation_is_called_and_classified(tmp_path: Path) -> None:
    spec = tmp_path / "shop" / "openapi.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC, "utf-8")
    report = tmp_path / "report.json"
    command = [sys.executable, "tests/corpus/e2e.py", str(spec), "--report", str(report)]
    run = subprocess.run(
        [*command, "-j", "1"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    calls = {c["operation_id"]: c for c in json.loads(report.read_text("utf-8"))}
    assert set(calls) == {
        "itemsOne",
        "itemsPhoto",
        "itemsAdd",
        "notesAdd",
        "notesPin",
        "codesOne",
    }, run.stderr
    # An Accept header parameter is not an argument; the path value is the spec's example,
    # the nested deep object is sent as Prism reads it.
    assert (calls["itemsOne"]["outcome"], calls["itemsOne"]["typed"]) == ("clean", True)
    assert calls["itemsPhoto"]["outcome"] == "clean"  # asked for image/png, not JSON
    # The served example breaks its schema (price < 0): Prism refuses to serve it, and the
    # body it makes up instead comes back clean.
    assert calls["itemsAdd"]["outcome"] == "clean"
    assert calls["itemsAdd"]["reason"].startswith("clean with Prefer: dynamic=true")
    # Prism answers a path with a #fragment as the operation without it, with that one's
    # example: a body that breaks this operation's schema, explained as such.
    assert calls["notesAdd"]["outcome"] == "clean"
    pinned = calls["notesPin"]
    assert (pinned["outcome"], pinned["explained"]) == ("mismatch", True), pinned
    assert "without the fragment" in pinned["reason"]
    assert "'pinned' is a required property" in pinned["reason"]
    # A pattern Python cannot read (dropped by the repairs) but Prism checks: Prism's reason.
    assert calls["codesOne"]["outcome"] == "rejected"
    assert "must match pattern" in calls["codesOne"]["reason"]
    assert run.returncode == 1
    assert "| shop/openapi.yaml | 6 | 4 | 4 | 1 (1) | 1 | 0 | 0 |" in run.stdout
