"""Constructs real specs use, each checked on the wire through a mock transport.

Multipart with a file part, urlencoded forms, octet-stream and text bodies, cookie and header
parameters, a discriminated union parsing to the right class, allOf, typed maps, and 3.0
nullables: one small spec, one generated package, one subprocess that calls it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.generator.util import generate, mypy_strict, run_python, write_spec

_OK = {"200": {"description": "ok"}}


def _body(ctype: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {ctype: {"schema": schema}}}


def _spec() -> dict[str, Any]:
    ref = "#/components/schemas/"
    return {
        "openapi": "3.0.3",
        "info": {"title": "constructs", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "tags": ["t"],
                    "responses": _OK,
                    "requestBody": _body("multipart/form-data", {"$ref": ref + "Upload"}),
                }
            },
            "/form": {
                "post": {
                    "operationId": "form",
                    "tags": ["t"],
                    "responses": _OK,
                    "requestBody": _body(
                        "application/x-www-form-urlencoded", {"$ref": ref + "Form"}
                    ),
                }
            },
            "/settings": {
                "put": {
                    "operationId": "settings",
                    "tags": ["t"],
                    "parameters": [
                        {"name": "top", "in": "query", "schema": {"$ref": ref + "Limit"}}
                    ],
                    "responses": _OK,
                    "requestBody": _body("application/json", {"$ref": ref + "Settings"}),
                }
            },
            "/raw": {
                "put": {
                    "operationId": "raw",
                    "tags": ["t"],
                    "responses": _OK,
                    "requestBody": _body(
                        "application/octet-stream", {"type": "string", "format": "binary"}
                    ),
                }
            },
            "/text": {
                "put": {
                    "operationId": "text",
                    "tags": ["t"],
                    "responses": _OK,
                    "requestBody": _body("text/plain", {"type": "string"}),
                }
            },
            "/pets/{petId}": {
                "get": {
                    "operationId": "getPet",
                    "tags": ["t"],
                    "parameters": [
                        {
                            "name": "petId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                        {
                            "name": "tags",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": ref + "Pet"}}},
                        }
                    },
                }
            },
            "/owners": {
                "get": {
                    "operationId": "owner",
                    "tags": ["t"],
                    "parameters": [
                        {"name": "filter", "in": "query", "schema": {"$ref": ref + "Form"}},
                        {
                            "name": "range",
                            "in": "query",
                            "explode": False,
                            "schema": {"$ref": ref + "Form"},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "schema": {"$ref": ref + "Form"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": ref + "Owner"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Upload": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "note": {"type": "string"},
                        "count": {"type": "integer"},
                    },
                },
                "Flag": {"type": "boolean"},
                "Limit": {"type": "integer", "minimum": 1},
                "Settings": {
                    "type": "object",
                    "properties": {
                        "flag": {"$ref": ref + "Flag"},
                        "limit": {"$ref": ref + "Limit"},
                    },
                },
                "Form": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                },
                "Cat": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["cat"]},
                        "meow": {"type": "boolean"},
                    },
                },
                "Dog": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["dog"]},
                        "bark": {"type": "string", "nullable": True},
                    },
                },
                "Pet": {
                    "oneOf": [{"$ref": ref + "Cat"}, {"$ref": ref + "Dog"}],
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"cat": ref + "Cat", "dog": ref + "Dog"},
                    },
                },
                "Named": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
                "Owner": {
                    "allOf": [
                        {"$ref": ref + "Named"},
                        {
                            "type": "object",
                            "properties": {
                                "pets": {
                                    "type": "object",
                                    "additionalProperties": {"$ref": ref + "Pet"},
                                },
                                "nick": {"type": "string", "nullable": True},
                            },
                        },
                    ]
                },
            }
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("constructs")
    generate(write_spec(_spec(), root), root, "constructs")
    return root


_CALL = """
import json, httpx
import constructs as pkg
sent, answers = [], []
def handler(request):
    sent.append(request)
    return httpx.Response(200, json=answers.pop(0) if answers else None)
client = pkg.ConstructsClient(base_url="https://api.test.invalid", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
out = {}
client.t.upload(file=b"\\x00\\xffbytes", note="hi", count=3)
r = sent[-1]
out["upload"] = [r.headers["content-type"].split(";")[0], b'filename="upload"' in r.content, b"\\x00\\xffbytes" in r.content, b'name="note"' in r.content]
client.t.form(a="x y", b=2)
out["form"] = [sent[-1].headers["content-type"], sent[-1].content.decode()]
client.t.settings(flag=True, limit=5)
out["settings"] = [json.loads(sent[-1].content)]
client.t.settings(flag=False, top=pkg.models.Limit(3))
out["settings"].append(json.loads(sent[-1].content))
out["settings"].append(str(sent[-1].url.query, "ascii"))
try:
    client.t.settings(limit=0)
except Exception as exc:
    out["settings"].append(type(exc).__name__)
client.t.raw(body=b"\\x01\\x02")
out["raw"] = [sent[-1].headers["content-type"], list(sent[-1].content)]
client.t.text(body="héllo")
out["text"] = [sent[-1].headers["content-type"], sent[-1].content.decode()]
answers.append({"kind": "dog", "bark": None})
pet = client.t.get_pet(7, session="s1", x_trace="t1", tags=["a", "b"])
r = sent[-1]
out["pet"] = [type(pet.root).__name__ if hasattr(pet, "root") else type(pet).__name__, r.headers.get("cookie"), r.headers.get("x-trace"), str(r.url)]
answers.append({"name": "n", "pets": {"tom": {"kind": "cat", "meow": True}}, "nick": None})
owner = client.t.owner(filter_=pkg.models.Form(a="x", b=1), range_=pkg.models.Form(a="y"), page={"a": "z", "b": 3})
out["objects"] = list(sent[-1].url.params.multi_items())
pets = owner.pets.root if hasattr(owner.pets, "root") else owner.pets
tom = pets["tom"]
out["owner"] = [owner.name, type(tom.root if hasattr(tom, "root") else tom).__name__, owner.nick]
print(json.dumps(out))
"""


def test_bodies_parameters_and_unions_on_the_wire(package: Path) -> None:
    run = run_python(_CALL, package)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["upload"] == ["multipart/form-data", True, True, True]
    assert out["form"] == ["application/x-www-form-urlencoded", "a=x+y&b=2"]
    # a field referencing a scalar component is that scalar, still checked by the model
    assert out["settings"] == [
        {"flag": True, "limit": 5},
        {"flag": False},
        "top=3",  # a query parameter typed by a root model sends the value it wraps
        "ValidationError",
    ]
    assert out["raw"] == ["application/octet-stream", [1, 2]]
    assert out["text"] == ["text/plain", "héllo"]
    assert out["pet"] == ["Dog", "session=s1", "t1", "https://api.test.invalid/pets/7?tags=a%2Cb"]
    assert out["owner"] == ["n", "Cat", None]
    # object query parameters: form exploded, form unexploded, deepObject
    assert out["objects"] == [
        ["a", "x"],
        ["b", "1"],
        ["range", "a,y"],
        ["page[a]", "z"],
        ["page[b]", "3"],
    ]


_TYPED_USE = """
import httpx
import constructs as pkg

client = pkg.ConstructsClient(base_url="https://api.test.invalid", http_client=httpx.Client())
client.t.settings(flag=True, limit=5)  # a field referencing a scalar takes the scalar
client.t.settings(flag=False, top=pkg.models.Limit(3))
"""


def test_constructs_pass_mypy_strict(package: Path) -> None:
    (package / "typed_use.py").write_text(_TYPED_USE, "utf-8")
    run = mypy_strict([package / "constructs", package / "typed_use.py"], package)
    assert run.returncode == 0, run.stdout[-4000:]
