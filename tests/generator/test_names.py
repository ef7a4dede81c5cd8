"""Names from a spec become distinct, valid identifiers; the wire name always survives.

Keywords, builtins, pydantic and client internals, names differing only by case or
punctuation, leading digits, empty and non-ASCII names: the package must generate, pass mypy
--strict, and send every value under the exact name the spec gave.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.models.names import class_names
from tests.generator.util import foreign_code, generate, mypy_strict, run_python, write_spec

AWKWARD = [
    "class",
    "from",
    "import",
    "None",
    "self",
    "type",
    "id",
    "model_config",
    "model_fields",
    "json",
    "copy",
    "dict",
    "validate",
    "client",
    "Response",
    "Field",
    "fooBar",
    "foo_bar",
    "foo-bar",
    "add",
    "Add",
    "1st",
    "",
    "é",
    "a",
    "\uff41",  # FULLWIDTH a: Python reads the identifier as "a" (NFKC)
    "timeout",
    "NOT_GIVEN",
    "httpx",
    "body",
]


def _names_spec() -> dict[str, Any]:
    string = {"type": "string"}
    props = dict.fromkeys(AWKWARD, string)
    params = [{"name": name, "in": "query", "schema": string} for name in AWKWARD if name]
    op = {
        "tags": ["close"],
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": string}, *params],
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/add"}}}
        },
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Add"}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "names", "version": "1"},
        "paths": {
            "/a/{id}": {"post": {**op, "operationId": "add"}},
            "/b/{id}": {"post": {**op, "operationId": "Add"}},
            "/c/{id}": {"put": {**op, "operationId": "fooBar", "tags": ["base_url"]}},
            "/d/{id}": {"put": {**op, "operationId": "foo_bar", "tags": ["base_url"]}},
        },
        "components": {
            "schemas": {
                "add": {"type": "object", "properties": props},
                "Add": {
                    "type": "object",
                    "properties": {"x": {"$ref": "#/components/schemas/add"}},
                },
                "Field": {
                    "type": "object",
                    "properties": {"a": string, "b": {"$ref": "#/components/schemas/add"}},
                },
                "foo.bar": {"type": "string", "enum": ["add", "Add", "1", "", "None"]},
                "1st": {"type": "integer"},
            }
        },
    }


def test_class_names_are_distinct_and_keep_plain_names() -> None:
    names = class_names(["add", "Add", "foo.bar", "Foo.Bar", "1st", "", "ADD"])
    assert names["Add"] == "Add"
    assert names["ADD"] == "ADD"
    assert (
        len(set(map(str.lower, names.values()))) == len(names) - 1
    )  # ADD and Add differ by case only
    assert all(n.isidentifier() and "." not in n for n in names.values())


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names")
    generate(write_spec(_names_spec(), root), root, "names_pkg")
    return root


_CALL = """
import json, inspect, httpx
import names_pkg as pkg
sent = []
def handler(request):
    sent.append(request)
    return httpx.Response(200, json={"x": {"class": "c"}})
http = httpx.Client(transport=httpx.MockTransport(handler))
client = pkg.NamesPkgClient(base_url="https://api.test.invalid", http_client=http)
out = {"resources": sorted(k for k, v in ((k, getattr(client, k)) for k in dir(client) if not k.startswith("_")) if hasattr(v, "_client"))}
out["close_is_method"] = callable(client.close) and not hasattr(client.close, "_client")
methods = {}
for attr in out["resources"]:
    resource = getattr(client, attr)
    methods[attr] = sorted(
        m for m in dir(resource) if not m.startswith("_") and m not in ("with_raw_response", "with_streaming_response")
    )
out["methods"] = methods
method = client.close_.add
params = [p for p in inspect.signature(method).parameters.values() if p.kind is p.KEYWORD_ONLY]
options = ("timeout", "max_retries", "strict_responses", "extra_headers", "extra_query", "extra_body")
kwargs = {p.name: "v:" + p.name for p in params if p.name not in options}
result = method("the id", **kwargs)
out["body"] = json.loads(sent[0].content)
out["query"] = dict(sent[0].url.params)
out["kwargs"] = sorted(kwargs)
out["result"] = type(result).__name__
out["x"] = type(result.x).__name__
print(json.dumps(out))
"""


def test_awkward_names_generate_distinct_identifiers_and_keep_wire_names(package: Path) -> None:
    run = run_python(_CALL, package)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["resources"] == ["base_url_", "close_"]
    assert out["close_is_method"]
    assert out["methods"]["close_"] == ["add", "add_2"]
    assert out["methods"]["base_url_"] == ["foo_bar", "foo_bar_2"]
    assert set(out["body"]) == set(AWKWARD)
    assert set(out["query"]) == set(AWKWARD) - {""}
    # every value arrived under its wire name from a distinct keyword argument
    used = [v.removeprefix("v:") for v in [*out["body"].values(), *out["query"].values()]]
    assert sorted(used) == out["kwargs"]
    assert out["result"] == "Add"
    assert out["x"] == "Add2"


_READ = """
import json
from names_pkg.models import Add2
for body in ('{"foo_bar": "w"}', '{"fooBar": "c"}', '{"fooBar": "c", "foo_bar": "w"}'):
    thing = Add2.model_validate_json(body)
    print(json.dumps(thing.model_dump(mode="json", by_alias=True, exclude_unset=True)))
"""


def test_a_wire_name_fills_only_its_own_field(package: Path) -> None:
    """``foo_bar`` beside ``fooBar``: a field read by name must not take another's wire name."""
    run = run_python(_READ, package)
    assert run.returncode == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [
        {"foo_bar": "w"},
        {"fooBar": "c"},
        {"fooBar": "c", "foo_bar": "w"},
    ]


def test_awkward_names_pass_mypy_and_hold_no_foreign_code(package: Path) -> None:
    assert foreign_code(package / "names_pkg") == []
    run = mypy_strict([package / "names_pkg"], package)
    assert run.returncode == 0, run.stdout[-4000:]


def _shadowing_spec() -> dict[str, Any]:
    """Components named like what the generated modules import: typing, pydantic, the runtime."""
    ref = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("Literal", "Any", "Self")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shadow", "version": "1"},
        "servers": [{"url": "https://api.test.invalid"}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "things_create",
                    "tags": ["things"],
                    "parameters": [
                        {"in": "query", "name": "kind", "required": True, "schema": ref["Literal"]},
                        {
                            "in": "query",
                            "name": "fixed",
                            "required": True,
                            "schema": {"const": "c"},
                        },
                        {"in": "query", "name": "mode", "schema": ref["Any"]},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/RequestOptions"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": ref["Self"]}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Literal": {"type": "string", "enum": ["a", "b"]},
                "Any": {"type": "string", "enum": ["x", "y"]},
                # a cross-field rule: models.py then imports typing.Self for its validator
                "Self": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                    "dependentRequired": {"a": ["b"]},
                },
                "RequestOptions": {"type": "object", "properties": {"n": {"type": "integer"}}},
            }
        },
    }


_SHADOW_CALL = """
import json, httpx
import shadow_pkg as pkg
sent = []
def handler(request):
    sent.append(request)
    return httpx.Response(200, json={"a": "1", "b": "2"})
client = pkg.ShadowPkgClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
result = client.things.create(kind=pkg.models.LiteralModel.A, fixed="c", n=3)
print(json.dumps({"result": type(result).__name__, "query": dict(sent[0].url.params),
                  "body": json.loads(sent[0].content)}))
"""


def test_components_named_like_imports_do_not_shadow_them(tmp_path: Path) -> None:
    assert class_names(["Any", "Literal", "Field", "Self", "self", "RequestOptions"]) == {
        "Any": "AnyModel",
        "Literal": "LiteralModel",
        "Field": "FieldModel",
        "Self": "SelfModel",
        "self": "SelfModel2",
        "RequestOptions": "RequestOptionsModel",
    }
    generate(write_spec(_shadowing_spec(), tmp_path), tmp_path, "shadow_pkg")
    run = run_python(_SHADOW_CALL, tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {
        "result": "SelfModel",
        "query": {"kind": "a", "fixed": "c"},
        "body": {"n": 3},
    }
    run = mypy_strict([tmp_path / "shadow_pkg"], tmp_path)
    assert run.returncode == 0, run.stdout[-4000:]


def test_client_attributes_read_from_source_are_what_dir_lists() -> None:
    """A tag never becomes a resource that hides a client attribute: the list must be complete."""
    from generator.ir.runtime_facts import client_attributes
    from generator.runtime import _base_client as runtime

    listed = {*dir(runtime.SyncAPIClient), *dir(runtime.AsyncAPIClient), "base_url", "timeout"}
    assert client_attributes() == listed


def test_a_component_is_mapped_to_its_own_class_not_one_that_took_its_name() -> None:
    """If the library gives a component's name to a class of its own, the component's class is
    the numbered one whose fields are the component's properties; if none fits, a diagnostic."""
    from generator.diagnostics import SpecError
    from generator.load.document import parse
    from generator.models.names import found_classes
    from generator.models.read import ModelClass, ModelField

    spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
    spec += "    Top:\n      type: object\n      properties:\n        name: {type: string}\n"
    doc = parse(spec, "spec.yaml")

    def field(wire: str) -> ModelField:
        return ModelField(wire, wire, "str | None", False, "")

    stolen = {
        "Top": ModelClass("Top", "root", ()),
        "Top3": ModelClass("Top3", "model", (field("name"),)),
    }
    assert found_classes(doc, {"Top": "Top"}, stolen) == {"Top": "Top3"}
    with pytest.raises(SpecError, match="no class could be generated for 'Top'"):
        found_classes(doc, {"Top": "Top"}, {"Top": ModelClass("Top", "model", (field("other"),))})


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 418, 422, 429, 500, 502, 599])
def test_documented_errors_name_the_class_the_runtime_raises(status: int) -> None:
    """Docstrings say ``NotFoundError: 404 ...``: the class a 404 really raises."""
    import httpx

    from generator.ir.runtime_facts import status_exception
    from generator.runtime._exceptions import status_error

    request = httpx.Request("GET", "https://api.test.invalid/x")
    raised = status_error(httpx.Response(status, request=request))
    assert status_exception(str(status)) == type(raised).__name__


def test_status_ranges_name_the_widest_class_that_fits() -> None:
    from generator.ir.runtime_facts import status_exception

    assert status_exception("5XX") == "InternalServerError"
    assert status_exception("4XX") == "APIStatusError"
    assert status_exception("default") == "APIStatusError"


def test_an_inherited_field_keeps_one_name_along_the_hierarchy(tmp_path: Path) -> None:
    """A subclass redeclares a base's field by name: the names stay as the library made them."""
    fields = {"fooBar": {"type": "string"}, "foo_bar": {"type": "integer"}}
    child = {"allOf": [{"$ref": "#/components/schemas/Base"}], "required": ["fooBar"]}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "inherit", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"Base": {"type": "object", "properties": fields}, "Child": child}
        },
    }
    generate(write_spec(spec, tmp_path), tmp_path, "inherit_pkg")
    run = run_python(_INHERITED, tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"fooBar": "x", "foo_bar": 1}


_INHERITED = """
import json
from inherit_pkg.models import Child
child = Child.model_validate_json('{"fooBar": "x", "foo_bar": 1}')
print(json.dumps(child.model_dump(mode="json", by_alias=True, exclude_unset=True)))
"""


def test_a_spec_without_operations_makes_a_models_only_package(tmp_path: Path) -> None:
    """No path at all (a schemas-only document): a client with no resource, typed and importable."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "schemas only", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}
        },
    }
    generate(write_spec(spec, tmp_path), tmp_path, "bare_pkg")
    run = run_python(_BARE, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["1", "BarePkgClient"]
    assert mypy_strict([tmp_path / "bare_pkg"], tmp_path).returncode == 0


_BARE = """
import bare_pkg
client = bare_pkg.BarePkgClient(base_url="https://x.test")  # no scheme: no credential
print(bare_pkg.models.A(x="1").x, type(client).__name__)
"""
