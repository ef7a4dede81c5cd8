"""Repairs of a spec a user brings: each mistake mended with a located warning, or with
``--strict`` reported as a located error and nothing generated.

One inline spec holds every kind of mistake the repairs know, the way real documents make them;
each repair function is also tested alone on the smallest document that needs it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.diagnostics import Diagnostic
from generator.load.document import Document, parse
from generator.load.repair import repair
from generator.load.repairs_structure import (
    duplicate_operation_ids,
    integer_status_keys,
    missing_schemas,
    path_parameters,
    refs_into_paths,
)
from generator.load.repairs_values import (
    bad_patterns,
    contradicting_types,
    duplicate_enum_values,
    mismatched_examples,
    mistyped_defaults,
)
from tests.generator.conftest import Generate
from tests.generator.util import mypy_strict, run_python

SPEC = """\
openapi: 3.0.3
info: {title: Mended, version: "1"}
servers: [{url: "https://mended.test.invalid"}]
paths:
  /items/{item_id}:
    parameters:
      - {name: stale, in: path, required: true, schema: {type: string}}
    get:
      operationId: getItem
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}, example: "true"}
      responses:
        200:
          description: The item.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
              example: {name: null}
  /other/items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - {$ref: "#/paths/~1items~1{item_id}/get/parameters/0"}
        - {name: item_id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string, pattern: "^[a-z\\\\d-_]+$"}
        size: {type: integer, default: "10"}
"""

# (kind, pointer) of every warning the lenient run must give, and the line each is on.
EXPECTED = {
    ("status-key", "#/paths/~1items~1{item_id}/get/responses/200", 13),
    ("path-parameter", "#/paths/~1items~1{item_id}/parameters/0", 7),
    ("path-parameter", "#/paths/~1items~1{item_id}/get", 8),
    ("paths-ref", "#/paths/~1other~1items~1{item_id}/get/parameters/0/$ref", 23),
    ("operation-id", "#/paths/~1other~1items~1{item_id}/get/operationId", 21),
    ("pattern", "#/components/schemas/Item/properties/name/pattern", 33),
    ("default", "#/components/schemas/Item/properties/size/default", 34),
    ("example", "#/paths/~1items~1{item_id}/get/parameters/0/example", 11),
    (
        "example",
        "#/paths/~1items~1{item_id}/get/responses/200/content/application~1json/example",
        18,
    ),
}
_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<sev>\w+): (?P<ptr>#\S*): (?P<msg>.*)$")


def _generate(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    spec = tmp_path / "mended.yaml"
    spec.write_text(SPEC, "utf-8")
    out = tmp_path / "out" / "mended"
    code = main(["generate", str(spec), "-o", str(out), "--package", "mended", *extra])
    return code, capsys.readouterr().err


def test_every_mistake_is_repaired_with_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _generate(tmp_path, capsys, "--verbose", "--lint")
    assert code == 0, err
    found = [m for m in map(_LINE.match, err.splitlines()) if m]
    for kind, ptr, line in EXPECTED:
        hits = [m for m in found if m["ptr"] == ptr and m["sev"] == "warning"]
        assert hits, f"no warning for {kind} at {ptr}:\n{err}"
        assert int(hits[0]["line"]) == line, (ptr, hits[0].group(0))
    assert "error" not in {m["sev"] for m in found}, err


def test_the_repaired_client_is_typed_and_calls_every_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _generate(tmp_path, capsys)
    assert code == 0, err
    package = tmp_path / "out" / "mended"
    models = (package / "models.py").read_text("utf-8")
    assert "pattern" not in models and '"10"' not in models  # dropped, not written as code
    operations = (package / "README.md").read_text("utf-8").split("## Operations", 1)[1]
    assert "null" not in operations  # the unfit example
    run = run_python(_CALLS, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        "https://mended.test.invalid/items/a",
        "https://mended.test.invalid/other/items/b?verbose=true",
    ]
    assert mypy_strict([package], tmp_path / "out").returncode == 0


# The second getItem became get_item_2; the undeclared item_id is a positional string.
_CALLS = """
import json, httpx, mended
sent = []
def answer(request):
    sent.append(str(request.url))
    return httpx.Response(200, json={"name": "n"})
client = mended.MendedClient(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
assert client.default.get_item("a").name == "n"
client.default.get_item_2("b", verbose=True)
print(json.dumps(sent))
"""


def test_strict_turns_the_repairs_into_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _generate(tmp_path, capsys, "--strict")
    assert code == 1
    assert "Traceback" not in err
    errors = {m["ptr"] for m in map(_LINE.match, err.splitlines()) if m and m["sev"] == "error"}
    # Repairs validation does not report itself are the first errors a strict run gives.
    for kind, ptr, _ in EXPECTED:
        if kind in ("status-key", "paths-ref", "pattern"):
            assert ptr in errors, (ptr, err)
    assert not (tmp_path / "out").exists()


_HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'


def _mend(text: str) -> tuple[Document, Document, list[Diagnostic]]:
    """The document ``_HEAD + text`` as written, repaired, and the repairs' warnings."""
    doc = parse(_HEAD + text, "t.yaml")
    return doc, *repair(doc, strict=False)


def test_integer_status_keys_become_strings_in_place() -> None:
    text = "paths:\n  /a:\n    get:\n      responses:\n        default: {description: d}\n"
    _, fixed, found = _mend(text + "        200: {description: ok}\n")
    assert list(fixed.data["paths"]["/a"]["get"]["responses"]) == ["default", "200"]
    assert [(d.pointer, d.line, d.kind) for d in found] == [
        ("#/paths/~1a/get/responses/200", 8, "status-key")
    ]
    assert integer_status_keys(fixed.data, fixed) == []


def test_refs_into_paths_are_inlined_when_they_resolve() -> None:
    doc, fixed, found = _mend(
        "paths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, schema: {type: string}}]\n"
        "      responses: {'200': {description: ok}}\n  /b:\n    get:\n"
        "      parameters: [{$ref: '#/paths/~1a/get/parameters/0'}, {$ref: '#/paths/~1nope'}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    assert fixed.data["paths"]["/b"]["get"]["parameters"][0]["name"] == "q"
    assert fixed.data["paths"]["/b"]["get"]["parameters"][1] == {"$ref": "#/paths/~1nope"}
    assert [d.kind for d in found] == ["paths-ref"]
    assert doc.data["paths"]["/b"]["get"]["parameters"][0] == {  # the document as written
        "$ref": "#/paths/~1a/get/parameters/0"
    }
    assert refs_into_paths(fixed.data, fixed) == []


def test_path_parameters_follow_the_path_template() -> None:
    _, fixed, found = _mend(
        "paths:\n  /a/{x}/{y}:\n    get:\n      parameters:\n"
        "        - {name: x, in: path, required: true, schema: {type: integer}}\n"
        "        - {name: gone, in: path, required: true, schema: {type: string}}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    params = fixed.data["paths"]["/a/{x}/{y}"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"], p["required"]) for p in params] == [
        ("x", "integer", True),
        ("y", "string", True),
    ]
    assert {d.pointer for d in found} == {
        "#/paths/~1a~1{x}~1{y}/get/parameters/1",
        "#/paths/~1a~1{x}~1{y}/get",
    }
    assert path_parameters(fixed.data, fixed) == []


def test_duplicate_operation_ids_are_numbered_past_taken_names() -> None:
    ops = "".join(
        f"  /{p}:\n    get: {{operationId: {i}, responses: {{'200': {{description: ok}}}}}}\n"
        for p, i in (("a", "list"), ("b", "list_2"), ("c", "list"))
    )
    _, fixed, _ = _mend("paths:\n" + ops)
    ids = [fixed.data["paths"][p]["get"]["operationId"] for p in ("/a", "/b", "/c")]
    assert ids == ["list", "list_2", "list_3"]
    assert duplicate_operation_ids(fixed.data, fixed) == []


def test_repeated_enum_values_are_dropped_and_the_order_kept() -> None:
    _, fixed, found = _mend(
        "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n"
        "        a: {type: string, enum: [x, y, x, z, y]}\n"
        "        b: {type: integer, enum: [1, 2, 3]}\n"
        "        c: {type: object, example: {enum: [1, 1]}}\n"
    )
    props = fixed.data["components"]["schemas"]["S"]["properties"]
    assert props["a"]["enum"] == ["x", "y", "z"] and props["b"]["enum"] == [1, 2, 3]
    assert props["c"]["example"] == {"enum": [1, 1]}  # an example value is data
    assert [(d.pointer, d.line, d.kind) for d in found] == [
        ("#/components/schemas/S/properties/a/enum/2", 9, "enum"),
        ("#/components/schemas/S/properties/a/enum/4", 9, "enum"),
    ]
    assert duplicate_enum_values(fixed.data, fixed) == []


_CONTRADICTIONS = """\
paths:
  /features:
    get:
      operationId: list_features
      tags: [features]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: string
                description: The features.
                example: '{"data": []}'
                properties: {data: {type: array, items: {type: string}}}
            "*/*":
              schema: {type: string, properties: {data: {type: array}}}
components:
  schemas:
    Campaigns:
      type: object
      properties:
        data: {type: string, nullable: true, maxLength: 9, items: {type: integer}}
        plain: {type: string, maxLength: 9}
        type: {type: object, properties: {items: {type: string}}}
"""


def test_a_scalar_type_beside_properties_or_items_reads_as_either() -> None:
    doc, fixed, found = _mend(_CONTRADICTIONS)
    data = fixed.data["components"]["schemas"]["Campaigns"]["properties"]["data"]
    assert data == {
        "anyOf": [
            {"type": "array", "nullable": True, "items": {"type": "integer"}},
            {"type": "string", "nullable": True, "maxLength": 9},
        ]
    }
    content = fixed.data["paths"]["/features"]["get"]["responses"]["200"]["content"]
    response = content["application/json"]["schema"]
    assert response["description"] == "The features." and "example" in response  # kept outside
    assert [b["type"] for b in response["anyOf"]] == ["object", "string"]
    assert content["*/*"]["schema"]["type"] == "string"  # a body's text: it holds either
    assert [(d.pointer, d.line, d.kind) for d in found] == [
        (
            "#/paths/~1features/get/responses/200/content/application~1json/schema/type",
            14,
            "type",
        ),
        ("#/components/schemas/Campaigns/properties/data/type", 25, "type"),
    ]
    assert "properties" in found[0].message and "items" in found[1].message
    props = doc.data["components"]["schemas"]["Campaigns"]["properties"]
    assert fixed.data["components"]["schemas"]["Campaigns"]["properties"]["plain"] == props["plain"]
    assert contradicting_types(fixed.data, fixed) == []


def test_a_client_reads_either_value_of_a_contradicting_type(generate: Generate) -> None:
    pkg = generate("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n" + _CONTRADICTIONS, "either")
    for body in [{"data": [1, 2]}, {"data": "[1, 2]"}, {"data": None}]:
        campaigns = pkg.models.Campaigns.model_validate(body)
        assert campaigns.model_dump(mode="json", exclude_unset=True) == body


def test_a_ref_to_a_missing_schema_becomes_any_value() -> None:
    doc, fixed, found = _mend(
        "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n"
        "        a: {$ref: '#/components/schemas/Gone', description: The a.}\n"
        "        b: {$ref: '#/components/schemas/S'}\n"
        "        c: {$ref: '#/components/parameters/Gone'}\n"
    )
    props = fixed.data["components"]["schemas"]["S"]["properties"]
    assert props["a"] == {"description": "The a."}
    assert props["b"] == {"$ref": "#/components/schemas/S"}  # resolves: kept
    assert props["c"] == {"$ref": "#/components/parameters/Gone"}  # not a schema: validation's
    assert [(d.pointer, d.line, d.kind) for d in found] == [
        ("#/components/schemas/S/properties/a/$ref", 9, "missing-ref")
    ]
    assert "$ref" in doc.data["components"]["schemas"]["S"]["properties"]["a"]  # as written
    assert missing_schemas(fixed.data, fixed) == []


def test_patterns_python_rejects_are_dropped_and_good_ones_kept() -> None:
    _, fixed, found = _mend(
        "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n"
        "        bad: {type: string, pattern: '[a-\\d]'}\n        good: {type: string, pattern: '^a+$'}\n"
        "        pattern: {type: object, example: {pattern: '('}}\n"
    )
    props = fixed.data["components"]["schemas"]["S"]["properties"]
    assert "pattern" not in props["bad"] and props["good"]["pattern"] == "^a+$"
    assert props["pattern"]["example"] == {"pattern": "("}  # an example value is data
    assert [d.pointer for d in found] == ["#/components/schemas/S/properties/bad/pattern"]
    assert bad_patterns(fixed.data, fixed) == []


@pytest.mark.parametrize(
    ("schema", "kept"),
    [
        ({"type": "integer", "default": "10"}, False),
        ({"type": "integer", "default": 10}, True),
        ({"type": "integer", "default": 10.0}, True),
        ({"type": "number", "default": True}, False),
        ({"type": "string", "nullable": True, "default": None}, True),
        ({"type": ["string", "null"], "default": None}, True),
        ({"type": "string", "default": None}, False),
        ({"type": "array", "default": {}}, False),
        ({"default": "anything"}, True),
    ],
)
def test_defaults_of_the_wrong_json_type_are_dropped(schema: dict[str, object], kept: bool) -> None:
    data: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {"S": dict(schema)}},
    }
    doc = parse(json.dumps(data), "t.json")
    found = mistyped_defaults(data, doc)
    assert ("default" in data["components"]["schemas"]["S"]) is kept
    assert bool(found) is not kept


def test_examples_are_removed_only_where_they_do_not_fit() -> None:
    _, fixed, found = _mend(
        "paths:\n  /a:\n    get:\n      parameters:\n"
        "        - {name: n, in: query, schema: {type: integer}, example: 3}\n"
        "        - {$ref: '#/components/parameters/Flag'}\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {type: object, required: [id]}\n"
        "              examples: {good: {value: {id: 1}}, bad: {value: {}}}\n"
        "components:\n  parameters:\n"
        "    Flag: {name: f, in: query, schema: {type: boolean}, example: 'true'}\n"
        "  schemas:\n    Count: {type: object, example: {n: 1}}\n"
        "    Owner:\n      type: object\n      properties:\n"
        "        count: {$ref: '#/components/schemas/Count', example: '{n: 1}'}\n"
        "        age: {type: integer, example: 30}\n"
    )
    op = fixed.data["paths"]["/a"]["get"]
    assert op["parameters"][0]["example"] == 3
    assert "example" not in fixed.data["components"]["parameters"]["Flag"]
    assert list(op["responses"]["200"]["content"]["application/json"]["examples"]) == ["good"]
    schemas = fixed.data["components"]["schemas"]
    # The example beside a $ref is the property's own: it goes, and the target's stays.
    assert "example" not in schemas["Owner"]["properties"]["count"]
    assert schemas["Count"]["example"] == {"n": 1}
    assert schemas["Owner"]["properties"]["age"]["example"] == 30
    assert {d.kind for d in found} == {"example"} and len(found) == 3
    assert mismatched_examples(fixed.data, fixed) == []


def test_our_strict_specs_need_no_repair() -> None:
    root = Path(__file__).resolve().parents[2]
    for spec in sorted((root / "specs").glob("*.yaml")):
        doc = parse(spec.read_text("utf-8"), spec.name)
        assert repair(doc, strict=False)[1] == [], spec.name


DATE_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "dated", "version": "1"},
    "paths": {
        "/bills": {
            "post": {
                "operationId": "bills_create",
                "tags": ["bills"],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Bill"}}
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Bill": {
                "type": "object",
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "due": {"type": "string", "format": "date"},
                },
            }
        }
    },
}


def test_a_resource_imports_the_alias_its_annotations_use(tmp_path: Path) -> None:
    """The model library imports ``date as date_aliased`` when a field is named ``date``;
    a resource whose keyword arguments use that annotation must import it the same way."""
    spec = tmp_path / "dated.json"
    spec.write_text(json.dumps(DATE_SPEC), "utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out / "dated"), "--package", "dated"]) == 0
    resource = (out / "dated" / "resources" / "bills.py").read_text("utf-8")
    assert "date_aliased" in resource
    assert "from datetime import date as date_aliased" in resource
    run = mypy_strict([out / "dated"], out)
    assert run.returncode == 0, run.stdout
