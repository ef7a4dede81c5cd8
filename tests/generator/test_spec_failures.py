"""Shapes of vendors' specs that gave no package: each now generates, repaired with a located
warning where the spec is wrong, or is a short located error with ``--strict``.

- ``properties: {}`` beside a ``oneOf`` (the class is the union);
- an ``enum`` listing a value twice (the repeat dropped);
- a ``oneOf`` tree whose members ``allOf`` their base, directly or through another component
  (the validator recursed until Python stopped it, and the library could not order the
  classes);
- a ``$ref`` to a component schema that does not exist (typed as any value).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.load.document import parse
from generator.validate.openapi import validate
from tests.generator.util import mypy_strict, run_python

SPEC = """\
openapi: {version}
info: {{title: Shapes, version: "1"}}
servers: [{{url: "https://shapes.test.invalid"}}]
paths:
  /things/{{id}}:
    get:
      operationId: get_thing
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
  /filters:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Filter'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Filter'}}
components:
  schemas:
    Thing:
      type: object
      properties: {{}}
      oneOf:
        - $ref: '#/components/schemas/Box'
        - $ref: '#/components/schemas/Bag'
    Box:
      type: object
      required: [width]
      properties:
        width: {{type: integer}}
        status: {{type: string, enum: [open, closed, open]}}
        owner: {{$ref: '#/components/schemas/Owner', description: The owner.}}
    Bag:
      type: object
      required: [volume]
      properties:
        volume: {{type: number}}
    Filter:
      type: object
      required: [op]
      properties:
        op: {{type: string}}
      oneOf:
        - $ref: '#/components/schemas/And'
        - $ref: '#/components/schemas/Leaf'
        - $ref: '#/components/schemas/Not'
    Not:
      allOf:
        - $ref: '#/components/schemas/Negation'
    Negation:
      allOf:
        - $ref: '#/components/schemas/Filter'
        - type: object
          required: [negated]
          properties:
            negated: {{$ref: '#/components/schemas/Filter'}}
    And:
      allOf:
        - $ref: '#/components/schemas/Filter'
        - type: object
          properties:
            filters: {{type: array, items: {{$ref: '#/components/schemas/Filter'}}}}
    Leaf:
      allOf:
        - $ref: '#/components/schemas/Filter'
        - type: object
          required: [value]
          properties:
            value: {{type: string}}
"""
# (kind, pointer, line) of each repair the spec needs.
REPAIRED = {
    ("enum", "#/components/schemas/Box/properties/status/enum/2", 41),
    ("missing-ref", "#/components/schemas/Box/properties/owner/$ref", 42),
}
_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): (?P<sev>\w+): (?P<ptr>#\S*): (?P<msg>.*?)"
    r"(?: \[(?P<kind>[\w-]+)\])?$"
)


def _generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, *extra: str
) -> tuple[int, str]:
    spec = tmp_path / "shapes.yaml"
    spec.write_text(SPEC.format(version=version), "utf-8")
    out = tmp_path / "out" / "shapes"
    code = main(["generate", str(spec), "-o", str(out), "--package", "shapes", *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_the_shapes_generate_a_typed_client(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _generate(tmp_path, capsys, version, "--verbose")
    assert code == 0, err
    assert "Traceback" not in err
    found = {
        (m["kind"], m["ptr"], int(m["line"]))
        for m in map(_LINE.match, err.splitlines())
        if m and m["sev"] == "warning" and m["kind"]
    }
    assert found >= REPAIRED, err
    run = run_python(_CALLS, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == ["Box", "open", {"id": 7}, "And", "Leaf", "x", "y"]
    typed = mypy_strict([tmp_path / "out" / "shapes"], tmp_path / "out")
    assert typed.returncode == 0, typed.stdout


_CALLS = """
import json, httpx, shapes
from shapes.models import Box, Thing, Filter
def answer(request):
    if request.url.path.startswith("/things"):
        return httpx.Response(200, json={"width": 2, "status": "open", "owner": {"id": 7}})
    return httpx.Response(200, json={"op": "and", "filters": [{"op": "eq", "value": "x"}]})
client = shapes.ShapesClient(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
thing = Thing.model_validate(client.default.get_thing("1").model_dump(by_alias=True))
box = thing.root
tree = Filter.model_validate({"op": "and", "filters": [{"op": "eq", "value": "x"}]}).root
leaf = tree.filters[0].root
negation = Filter.model_validate({"op": "not", "negated": {"op": "eq", "value": "y"}}).root
print(json.dumps([type(box).__name__, box.status, box.owner, type(tree).__mro__[1].__name__,
                  type(leaf).__mro__[1].__name__, leaf.value, negation.negated.root.value]))
"""


def test_strict_reports_them_as_short_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _generate(tmp_path, capsys, "3.0.3", "--strict")
    assert code == 1
    errors = [m for m in map(_LINE.match, err.splitlines()) if m]
    assert errors and all(m["sev"] == "error" for m in errors), err
    # The repairs' findings come first; validation (which finds the missing schema) after.
    assert "#/components/schemas/Box/properties/status/enum/2" in {m["ptr"] for m in errors}
    assert all(len(line) < 400 for line in err.splitlines()), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_the_validator_checks_recursive_union_trees(version: str) -> None:
    """The tree is valid OpenAPI: no diagnostic at all, where the validator used to stop."""
    doc = parse(SPEC.format(version=version), "shapes.yaml")
    schemas = doc.data["components"]["schemas"]
    schemas["Box"]["properties"]["status"]["enum"].pop()
    del schemas["Box"]["properties"]["owner"]
    found = [d for d in validate(doc, strict=False) if d.severity == "error"]
    assert found == []
    schemas["Leaf"]["allOf"][1]["properties"]["value"]["type"] = "strng"
    found = [d for d in validate(doc, strict=False) if d.severity == "error"]
    assert "#/components/schemas/Leaf/allOf/1/properties/value/type" in {d.pointer for d in found}


def test_an_inheritance_cycle_is_an_error_at_a_component_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``A: allOf [B]``, ``B: allOf [A]``: no class can be made; the error names where."""
    text = SPEC.format(version="3.1.0") + (
        "    cycle.a:\n      allOf:\n        - $ref: '#/components/schemas/cycle.b'\n"
        "        - {type: object, properties: {a: {type: string}}}\n"
        "    cycle.b:\n      allOf:\n        - $ref: '#/components/schemas/cycle.a'\n"
        "        - {type: object, properties: {b: {type: string}}}\n"
    )
    spec = tmp_path / "cycle.yaml"
    spec.write_text(text, "utf-8")
    code = main(["generate", str(spec), "-o", str(tmp_path / "out"), "--package", "cycle"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    errors = [m for m in map(_LINE.match, err.splitlines()) if m and m["sev"] == "error"]
    assert [m["ptr"] for m in errors] == ["#/components/schemas/cycle.a"], err
    assert int(errors[0]["line"]) == text.splitlines().index("    cycle.a:") + 1
