"""The workflow extensions work for any spec: a new one uses them without touching the generator.

An inline spec (a made-up "widgets" API) declares paging, polling, a presigned upload and
cross-field rules; the generated package is imported and driven through ``MockTransport``. Broken
declarations give located diagnostics. And the generator names none of the four APIs.
"""

from __future__ import annotations

import ast
import copy
import importlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
import yaml

from generator import runtime
from generator.cli import main
from generator.extensions import extensions
from generator.load.document import parse
from generator.render.render import RUNTIME_MODULES
from generator.validate.openapi import validate
from tests.specs import ROOT

OBJ = "object"
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Widgets", "version": "1"},
    "servers": [{"url": "https://widgets.test.invalid"}],
    "paths": {
        "/widgets": {
            "get": {
                "operationId": "widgets_search",
                "tags": ["widgets"],
                "x-pagination": {
                    "style": "cursor",
                    "param": "after",
                    "next": "next",
                    "items": "items",
                },
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                    {"name": "color", "in": "query", "schema": {"type": "string"}},
                    # iter must take and pass on every argument of the paged call, cookies too.
                    {
                        "name": "tenant",
                        "in": "cookie",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/WidgetPage"}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "widgets_create",
                "tags": ["widgets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/WidgetCreate"}
                        }
                    },
                },
                "responses": {"204": {"description": "created"}},
            },
        },
        "/jobs/{job_id}": {
            "get": {
                "operationId": "jobs_get",
                "tags": ["jobs"],
                "x-polling": {
                    "method-name": "until_done",
                    "until": {"property": "state", "equals": "done"},
                    "interval": {"default": 1, "minimum": 0.5},
                },
                "parameters": [
                    {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Job"}}
                        },
                    }
                },
            }
        },
        "/batches/{batch_id}": {
            "get": {
                "operationId": "jobs_batch",
                "tags": ["jobs"],
                "x-polling": {
                    "until": {"every": "jobs", "property": "result.ended-at", "is-set": True},
                    "interval": {"default": 1, "maximum": 5},
                },
                "parameters": [
                    {
                        "name": "batch_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}
                        },
                    }
                },
            }
        },
        "/files": {
            "post": {
                "operationId": "files_create",
                "tags": ["files"],
                "x-presigned-upload": {
                    "url": "put_url",
                    "id": "file_id",
                    "confirm": "files_confirm",
                    "abort": "files_delete",
                    "size": "bytes",
                    "content-type": "mime",
                },
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FileCreate"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/FileCreated"}
                            }
                        },
                    }
                },
            }
        },
        "/files/{file_id}": {
            "delete": {
                "operationId": "files_delete",
                "tags": ["files"],
                "parameters": [
                    {
                        "name": "file_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"204": {"description": "gone"}},
            }
        },
        "/files/{file_id}/done": {
            "post": {
                "operationId": "files_confirm",
                "tags": ["files"],
                "parameters": [
                    {
                        "name": "file_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"204": {"description": "confirmed"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Widget": {"type": OBJ, "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "WidgetPage": {
                "type": OBJ,
                "required": ["items", "next"],
                "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}},
                    "next": {"type": ["string", "null"]},
                },
            },
            "WidgetCreate": {
                "type": OBJ,
                "properties": {
                    "a": {"type": "string"},
                    "b": {"type": "string"},
                    "c": {"type": "string"},
                },
                "not": {"required": ["a", "b"]},
                "dependentRequired": {"c": ["a"]},
            },
            "Job": {
                "type": OBJ,
                "required": ["state"],
                "properties": {"state": {"type": "string"}},
            },
            "Batch": {
                "type": OBJ,
                "required": ["jobs"],
                "properties": {
                    "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/BatchJob"}}
                },
            },
            "BatchJob": {
                "type": OBJ,
                "properties": {
                    "result": {"anyOf": [{"$ref": "#/components/schemas/Result"}, {"type": "null"}]}
                },
            },
            "Result": {"type": OBJ, "properties": {"ended-at": {"type": ["string", "null"]}}},
            "FileCreate": {
                "type": OBJ,
                "required": ["bytes", "mime"],
                "properties": {
                    "bytes": {"type": "integer", "minimum": 1, "maximum": 10},
                    "mime": {"type": "string"},
                },
            },
            "FileCreated": {
                "type": OBJ,
                "required": ["file_id", "put_url"],
                "properties": {"file_id": {"type": "string"}, "put_url": {"type": "string"}},
            },
        }
    },
}
# Our own specs must give every operation a summary and a description.
for _item in SPEC["paths"].values():
    for _op in _item.values():
        _op.setdefault("summary", _op["operationId"].replace("_", " "))
        _op.setdefault("description", f"The {_op['operationId']} operation.")


@pytest.fixture(scope="module")
def widgets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("widgets")
    spec = root / "widgets.yaml"
    spec.write_text(yaml.safe_dump(SPEC), "utf-8")
    assert (
        main(
            [
                "generate",
                str(spec),
                "-o",
                str(root / "widgets_client"),
                "--package",
                "widgets_client",
            ]
        )
        == 0
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("widgets_client")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith("widgets_client")]:
            del sys.modules[name]


def _client(pkg: Any, handler: Any) -> Any:
    return pkg.WidgetsClientClient(
        base_url="https://widgets.test.invalid",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


def test_paging_of_a_new_spec(widgets: Any) -> None:
    pages = {None: ([1, 2], "x"), "x": ([3], None)}

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["color"] == "red"
        ids, following = pages[request.url.params.get("after")]
        return httpx.Response(200, json={"items": [{"id": i} for i in ids], "next": following})

    found = _client(widgets, handler).widgets.iter_search(color="red", tenant="t1")
    assert [w.id for w in found] == [1, 2, 3]


def test_paging_passes_a_required_cookie_parameter_to_every_page(widgets: Any) -> None:
    pages = {None: ([1], "x"), "x": ([2], None)}
    cookies: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        cookies.append(request.headers.get("cookie"))
        ids, following = pages[request.url.params.get("after")]
        return httpx.Response(200, json={"items": [{"id": i} for i in ids], "next": following})

    found = _client(widgets, handler).widgets.iter_search(tenant="acme", max_retries=0)
    assert [w.id for w in found] == [1, 2]
    assert cookies == ["tenant=acme", "tenant=acme"]


def test_polling_of_a_new_spec(widgets: Any) -> None:
    states = iter(["queued", "running", "done"])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"state": next(states)})

    job = _client(widgets, handler).jobs.until_done("j1", sleep=lambda s: None)
    assert job.state == "done"


def test_polling_every_item_of_a_new_spec_through_a_nested_aliased_path(widgets: Any) -> None:
    answers = iter(
        [
            {"jobs": []},
            {"jobs": [{"result": None}, {"result": {"ended-at": "t"}}]},
            {"jobs": [{"result": {"ended-at": None}}, {"result": {"ended-at": "t"}}]},
            {"jobs": [{"result": {"ended-at": "t1"}}, {"result": {"ended-at": "t2"}}]},
        ]
    )
    polls: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=next(answers))

    batch = _client(widgets, handler).jobs.wait(
        "b1", poll_interval=60, on_update=polls.append, sleep=lambda s: None
    )
    assert [job.result.ended_at for job in batch.jobs] == ["t1", "t2"]
    assert len(polls) == 4


def test_upload_of_a_new_spec(widgets: Any) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.host}{request.url.path}")
        if request.method == "POST" and request.url.path == "/files":
            assert json.loads(request.content) == {"bytes": 3, "mime": "text/plain"}
            return httpx.Response(
                200, json={"file_id": "f1", "put_url": "https://store.test.invalid/u"}
            )
        return httpx.Response(204)

    created = _client(widgets, handler).files.upload(file=b"abc", mime="text/plain")
    assert created.file_id == "f1"
    assert calls == [
        "POST widgets.test.invalid/files",
        "PUT store.test.invalid/u",
        "POST widgets.test.invalid/files/f1/done",
    ]
    with pytest.raises(widgets.UploadError, match="1 to 10 bytes"):
        _client(widgets, handler).files.upload(file=b"x" * 11)


def _unavailable(sent: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, headers={"Retry-After": "0"})

    return handler


def test_iter_and_upload_pass_max_retries_and_timeout_to_each_request(widgets: Any) -> None:
    sent: list[httpx.Request] = []
    client = _client(widgets, _unavailable(sent))
    with pytest.raises(widgets.InternalServerError):
        list(client.widgets.iter_search(tenant="t", max_retries=0, timeout=2.5))
    with pytest.raises(widgets.InternalServerError):
        client.files.upload(file=b"abc", mime="text/plain", max_retries=0, timeout=2.5)
    assert len(sent) == 2  # one attempt each: no retry
    assert [r.extensions["timeout"]["read"] for r in sent] == [2.5, 2.5]


def test_only_the_runtime_a_package_uses_is_shipped_and_exported(widgets: Any) -> None:
    folder = Path(widgets.__file__).parent
    shipped = {p.name for p in folder.glob("_*.py")}
    assert {"_pagination.py", "_polling.py", "_upload.py", "_rules.py"} <= shipped
    assert {"PaginationError", "UploadError", "WaitTimeoutError"} <= set(widgets.__all__)
    assert issubclass(widgets.WaitTimeoutError, widgets.ClientError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"a": "1", "b": "2"}, r"not \(`a` and `b`\)"), ({"c": "3"}, "`c` needs `a`")],
)
def test_unnamed_rules_of_a_new_spec_are_described(
    widgets: Any, kwargs: dict[str, str], message: str
) -> None:
    client = _client(widgets, lambda request: httpx.Response(204))
    with pytest.raises(pydantic.ValidationError, match=message):
        client.widgets.create(**kwargs)
    client.widgets.create(a="1", c="3")


def _diagnostics(spec: dict[str, Any]) -> list[str]:
    doc = parse(yaml.safe_dump(spec), "widgets.yaml")
    return [f"{d.pointer}: {d.message}" for d in validate(doc) if d.severity == "error"]


def _broken(path: str, method: str, key: str, change: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    spec["paths"][path][method][key].update(change)
    return spec


def _until(path: str, until: dict[str, Any]) -> dict[str, Any]:
    return _broken(path, "get", "x-polling", {"until": until})


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            _broken("/widgets", "get", "x-pagination", {"style": "offset"}),
            "#/paths/~1widgets/get/x-pagination/style: x-pagination: 'offset' is not one of",
        ),
        (
            _broken("/widgets", "get", "x-pagination", {"param": "color2"}),
            "#/paths/~1widgets/get/x-pagination/param: 'color2' is not a query parameter",
        ),
        (
            _broken("/widgets", "get", "x-pagination", {"items": "next"}),
            "#/paths/~1widgets/get/x-pagination/items: items 'next' is not an array property",
        ),
        (
            _broken(
                "/jobs/{job_id}", "get", "x-polling", {"until": {"property": "status", "equals": 1}}
            ),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until/property: until 'status' is not a property",
        ),
        (
            _broken(
                "/jobs/{job_id}", "get", "x-polling", {"interval": {"default": 0.1, "minimum": 0.5}}
            ),
            "#/paths/~1jobs~1{job_id}/get/x-polling/interval: default must lie between",
        ),
        (
            _until("/jobs/{job_id}", {"property": "state", "equals": "done", "is-set": True}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until: x-polling: give exactly one of"
            " 'equals', 'is-set'",
        ),
        (
            _until("/jobs/{job_id}", {"property": "state"}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until: x-polling: give exactly one of"
            " 'equals', 'is-set'",
        ),
        (
            _until("/jobs/{job_id}", {"property": "state", "is-set": False}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until/is-set: x-polling: True was expected",
        ),
        (
            _until("/jobs/{job_id}", {"property": "state.since", "is-set": True}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until/property: until 'state.since' is not a"
            " property path of the response: 'since' is not a property of 'state'",
        ),
        (
            _until("/batches/{batch_id}", {"property": "jobs.result", "is-set": True}),
            "#/paths/~1batches~1{batch_id}/get/x-polling/until/property: until 'jobs.result' is"
            " not a property path of the response: 'jobs' is an array",
        ),
        (
            _until("/batches/{batch_id}", {"every": "jobs", "property": "ended", "is-set": True}),
            "#/paths/~1batches~1{batch_id}/get/x-polling/until/property: until 'ended' is not a"
            " property path of each item of 'jobs': 'ended' is not a property of the schema",
        ),
        (
            _until("/batches/{batch_id}", {"every": "job", "property": "result", "is-set": True}),
            "#/paths/~1batches~1{batch_id}/get/x-polling/until/every: every 'job' is not a"
            " property path of the response",
        ),
        (
            _until("/jobs/{job_id}", {"every": "state", "property": "x", "is-set": True}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/until/every: every 'state' is not an array",
        ),
        (
            _broken("/jobs/{job_id}", "get", "x-polling", {"progress": ["state", "nope.count"]}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/progress/1: 'nope.count': 'nope' is not a"
            " property of the answer",
        ),
        (
            _broken("/jobs/{job_id}", "get", "x-polling", {"outcome": {"total": "state"}}),
            "#/paths/~1jobs~1{job_id}/get/x-polling/outcome: x-polling: 'passed' is a required",
        ),
        (
            _broken(
                "/jobs/{job_id}",
                "get",
                "x-polling",
                {"outcome": {"total": "tally", "passed": ["state"]}},
            ),
            "#/paths/~1jobs~1{job_id}/get/x-polling/outcome/total: 'tally': 'tally' is not a"
            " property of the answer",
        ),
        (
            _broken(
                "/jobs/{job_id}",
                "get",
                "x-polling",
                {"started-by": [{"operation": "jobs_nope", "arguments": {"job_id": "id"}}]},
            ),
            "#/paths/~1jobs~1{job_id}/get/x-polling/started-by/0/operation: operationId"
            " 'jobs_nope' does not exist",
        ),
        (
            _broken(
                "/jobs/{job_id}",
                "get",
                "x-polling",
                {"started-by": [{"operation": "jobs_get", "arguments": {"run": "state"}}]},
            ),
            "#/paths/~1jobs~1{job_id}/get/x-polling/started-by/0/arguments/run: 'run' is not a"
            " parameter of the polled operation",
        ),
        (
            _broken("/files", "post", "x-presigned-upload", {"confirm": "files_nope"}),
            "#/paths/~1files/post/x-presigned-upload/confirm: operationId 'files_nope' does not exist",
        ),
        (
            _broken("/files", "post", "x-presigned-upload", {"abort": "widgets_create"}),
            "#/paths/~1files/post/x-presigned-upload/abort: operation 'widgets_create' must have the same tag",
        ),
        (
            _broken("/files", "post", "x-presigned-upload", {"confirm": "files_create"}),
            "#/paths/~1files/post/x-presigned-upload/confirm: 'files_create' must take the id as its only argument",
        ),
        (
            _broken(
                "/files",
                "post",
                "x-presigned-upload",
                {"result": {"operation": "files_delete", "items": "items", "key": "file_id"}},
            ),
            "#/paths/~1files/post/x-presigned-upload/result/operation: required parameter 'file_id' is not a field",
        ),
        (
            _broken("/files", "post", "x-presigned-upload", {"method-name": "delete"}),
            "#/paths/~1files/post/x-presigned-upload: helper method 'delete' clashes",
        ),
        (
            _broken("/files", "post", "x-presigned-upload", {"colour": "x"}),
            "#/paths/~1files/post/x-presigned-upload: x-presigned-upload: Additional properties are not allowed",
        ),
    ],
    ids=[
        "style",
        "param",
        "items",
        "until",
        "interval",
        "equals-and-is-set",
        "no-condition",
        "is-set-false",
        "path-step",
        "path-into-array",
        "path-of-items",
        "every-missing",
        "every-not-array",
        "progress-path",
        "outcome-shape",
        "outcome-path",
        "started-by-operation",
        "started-by-argument",
        "confirm",
        "abort",
        "confirm-args",
        "result-args",
        "clash",
        "unknown-key",
    ],
)
def test_a_broken_extension_is_a_located_diagnostic(spec: dict[str, Any], expected: str) -> None:
    found = _diagnostics(spec)
    assert any(d.startswith(expected) for d in found), found


def test_a_rule_naming_an_unknown_property_is_a_warning() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["WidgetCreate"]["dependentRequired"] = {"c": ["aa"]}
    doc = parse(yaml.safe_dump(spec), "widgets.yaml")
    found = [(d.severity, d.pointer, d.message) for d in validate(doc)]
    assert (
        "warning",
        "#/components/schemas/WidgetCreate",
        "a cross-field rule names 'aa', which is not a property",
    ) in found


def test_the_example_spec_is_clean() -> None:
    assert _diagnostics(SPEC) == []


# Notes for the generator's maintainers, which users reading a method's help must not see.
MAINTAINER_NOTES = re.compile(r"x-[a-z]+|\bseed\b|api-notes|vendor code|[Dd]eclared by", re.I)


def _docstrings(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield ast.get_docstring(node) or ""


def test_the_templates_put_no_maintainer_note_in_generated_docstrings(widgets: Any) -> None:
    folder = Path(widgets.__file__).parent
    found = [
        f"{path.name}: {match.group()}"
        for path in sorted(folder.rglob("*.py"))
        if path.relative_to(folder).as_posix() not in RUNTIME_MODULES
        for doc in _docstrings(ast.parse(path.read_text("utf-8")))
        for match in MAINTAINER_NOTES.finditer(doc)
    ]
    assert found == []


def test_the_runtime_quotes_no_vendor_field() -> None:
    fields = ("is_complete", "batch_id", "runner_end_timestamp", "next_page", "page_token")
    for name in RUNTIME_MODULES:
        text = runtime.source(name)  # a subpackage's module too (``_cli/run.py``)
        assert not [f for f in fields if f in text], name


def test_the_generator_names_no_api() -> None:
    pattern = re.compile(r"autosana|automated[ _-]?future|testmo|panto", re.IGNORECASE)
    hits = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "generator").rglob("*"))
        if path.is_file() and path.suffix in (".py", ".jinja", ".md", ".txt")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


EXTENSIONS = {e.key: e.schema for e in extensions() if e.schema}


@pytest.mark.parametrize("key", sorted(EXTENSIONS))
def test_the_readme_documents_each_extension_with_its_schema(key: str) -> None:
    readme = (ROOT / "specs" / "EXTENSIONS.md").read_text("utf-8")
    block = re.search(rf"<!-- schema: {key} -->\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert block is not None, f"specs/EXTENSIONS.md has no schema block for {key}"
    assert yaml.safe_load(block.group(1)) == EXTENSIONS[key]
