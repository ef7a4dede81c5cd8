"""jsonschema-rs answers first: it must never call valid what openapi-spec-validator rejects."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema.exceptions import SchemaError
from openapi_schema_validator import OAS31Validator, oas31_format_checker

from generator.load.document import parse
from generator.validate.openapi import validate
from generator.validate.prevalidate import FastFirst, _dialect_validator

SCHEMAS: dict[str, Any] = {
    "object": {"type": "object", "properties": {"a": {"type": "string", "pattern": "^a+$"}}},
    "nullable 3.1": {"type": ["string", "null"], "format": "date-time"},
    "composition": {"allOf": [{"$ref": "#/components/schemas/A"}], "oneOf": [{"type": "integer"}]},
    "discriminator": {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}},
    "boolean schema": True,
    "bad type deep in properties": {"type": "object", "properties": {"a": {"type": 5}}},
    "bad keyword under allOf/items": {
        "allOf": [{"properties": {"a": {"items": {"minLength": -1}}}}]
    },
    "required not a list": {"required": "a"},
    "discriminator without propertyName": {"discriminator": {"mapping": {}}},
    "invalid regex": {"pattern": "(["},
    "enum not a list": {"enum": 5},
    "xml name not a string": {"xml": {"name": 5}},
    "$ref not a string": {"$ref": 5},
    "bad schema under $defs": {"$defs": {"x": {"type": "nope"}}},
    "bad additionalProperties": {"additionalProperties": {"type": "nope"}},
    "externalDocs url not a string": {"externalDocs": {"url": 5}},
    "3.0 boolean exclusiveMinimum": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
    "negative maxItems": {"type": "array", "maxItems": -1},
    "bad prefixItems": {"prefixItems": {"type": "string"}},
    "bad dependentRequired": {"dependentRequired": {"a": "b"}},
    "bad if/then": {"if": {"type": "nope"}, "then": {}},
    "bad not": {"not": {"minimum": "zero"}},
    "bad uniqueItems": {"uniqueItems": "yes"},
}


def _library_accepts(schema: Any) -> bool:
    try:
        OAS31Validator.check_schema(schema, format_checker=oas31_format_checker)
    except SchemaError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_fast_and_library_agree_on_schema_objects(name: str) -> None:
    schema = SCHEMAS[name]
    assert _dialect_validator().is_valid(schema) is _library_accepts(schema)


class _Recording:
    """A stand-in slow validator that records whether it was asked."""

    def __init__(self) -> None:
        self.asked = 0

    def iter_errors(self, instance: Any) -> list[str]:
        self.asked += 1
        return ["slow says no"]


def test_fast_first_asks_the_library_only_about_invalid_documents() -> None:
    schema = {"type": "object", "required": ["openapi"]}
    slow = _Recording()
    checker = FastFirst(slow, schema, formats=False)
    assert list(checker.iter_errors({"openapi": "3.1.0"})) == []
    assert slow.asked == 0
    assert list(checker.iter_errors({})) == ["slow says no"]
    assert slow.asked == 1


SPEC = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      summary: List
      description: List things.
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        size:
          anyOf:
            - {type: string}
            - {type: number, maxItems: -1}
"""


def test_an_error_deep_in_a_schema_is_still_reported_with_its_pointer() -> None:
    found = validate(parse(SPEC, "spec.yaml"), strict=True)
    pointers = [d.pointer for d in found if d.severity == "error"]
    assert "#/components/schemas/Thing/properties/size/anyOf/1/maxItems" in pointers


_TWO_MISTAKES = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    First:
      type: object
      properties:
        rate: {anyOf: [{type: string}, {type: number, minimum: 0, exclusiveMinimum: true}]}
        beta: {anyOf: [{type: string}, {type: number, minimum: 0, exclusiveMinimum: true}]}
    Second:
      type: object
      properties:
        rate: {anyOf: [{type: string}, {type: number, minimum: 0, exclusiveMinimum: true}]}
"""

_REPORT = """
import sys
from generator.load.document import parse
from generator.validate.openapi import validate
doc = parse(sys.stdin.read(), "spec.yaml")
for d in validate(doc, strict=False):
    print(d.line, d.pointer, d.message)
"""


def test_schema_mistakes_are_reported_the_same_every_run_each_at_its_own_schema() -> None:
    """Which mistake of a schema is reported no longer follows the hash seed, and the same
    relative path in two schemas is reported at each of them, not twice at the first."""
    import os
    import subprocess
    import sys

    reports = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _REPORT],
            input=_TWO_MISTAKES,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        reports.add(run.stdout)
    assert len(reports) == 1, reports
    lines = reports.pop().splitlines()
    assert any("/First/properties/beta/anyOf/1/exclusiveMinimum" in line for line in lines), lines
    assert any("/Second/properties/rate/anyOf/1/exclusiveMinimum" in line for line in lines), lines
