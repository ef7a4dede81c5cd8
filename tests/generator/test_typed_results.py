"""Inline schemas typed: each construct of a user's spec a small spec of its own, called.

A vendor's spec writes most responses inline: an object wrapping a ``$ref`` (Asana's
``{data: Task}``), an array of ``$ref``s, a ``oneOf`` of them (Discord), an array of inline
objects, maps, ``allOf``. Each must come back as its class, not as a dict typed ``Any``: inline
objects get a model named after the operation (``GetTaskResponse``, a number appended on a
collision), what wraps them is ``list[...]``, a union or ``dict[str, ...]``. Inline request
bodies and parameter objects get models (and TypedDicts) the same way. Every package is called
through ``httpx.MockTransport``, and one ``mypy --strict`` run checks a caller that uses the
results without a cast, with ``assert_type`` pinning each result's type.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.generator.util import foreign_code, generate, mypy_strict, write_spec

_TASK = {
    "type": "object",
    "required": ["gid", "name"],
    "properties": {"gid": {"type": "string"}, "name": {"type": "string"}},
}
_PROJECT = {
    "type": "object",
    "required": ["gid", "title"],
    "properties": {"gid": {"type": "string"}, "title": {"type": "string"}},
}
_SCHEMAS = {
    "Task": _TASK,
    "Project": _PROJECT,
    "Status": {"type": "string", "enum": ["open", "closed"]},
}
_REF = {name: {"$ref": f"#/components/schemas/{name}"} for name in _SCHEMAS}


def _answer(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _get(operation_id: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "responses": _answer(schema), **more}}


def _spec(paths: dict[str, Any], **components: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "typed", "version": "1"},
        "servers": [{"url": "https://api.test.invalid"}],
        "paths": paths,
        "components": {"schemas": {**_SCHEMAS, **components.pop("schemas", {})}, **components},
    }


_THING = {"oneOf": [_REF["Task"], _REF["Project"]]}
_NOTE = {"type": "object", "required": ["note"], "properties": {"note": {"type": "string"}}}

# One spec per construct.
SPECS: dict[str, dict[str, Any]] = {
    # Asana: every response an inline object wrapping a $ref.
    "envelope": _spec(
        {
            "/tasks/{gid}": _get(
                "getTask",
                {"type": "object", "properties": {"data": _REF["Task"]}},
                parameters=[{"name": "gid", "in": "path", "required": True, "schema": {}}],
            )
        }
    ),
    # The operation's name is a component already: the model takes the next free name.
    "collision": _spec(
        {"/tasks/{gid}": _get("getTask", {"type": "object", "properties": {"data": _REF["Task"]}})},
        schemas={"GetTaskResponse": {"type": "string"}},
    ),
    "array": _spec({"/tasks": _get("listTasks", {"type": "array", "items": _REF["Task"]})}),
    "one_of": _spec({"/things": _get("listThings", {"type": "array", "items": _THING})}),
    "any_of": _spec({"/maybe": _get("maybeTask", {"anyOf": [_REF["Task"], {"type": "null"}]})}),
    # An inline object that may be null: the class is the object's, the result allows None.
    "nullable": _spec(
        {
            "/note": _get(
                "maybeNote",
                {"type": ["object", "null"], "properties": {"note": {"type": "string"}}},
            )
        }
    ),
    "inline_items": _spec({"/notes": _get("listNotes", {"type": "array", "items": _NOTE})}),
    "nested": _spec(
        {
            "/grouped": _get(
                "grouped",
                {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"oneOf": [_REF["Task"], _NOTE]},
                    },
                },
            )
        }
    ),
    "all_of": _spec(
        {
            "/merged": _get(
                "merged",
                {
                    "allOf": [
                        _REF["Task"],
                        {"type": "object", "properties": {"extra": {"type": "string"}}},
                    ]
                },
            )
        }
    ),
    "scalars": _spec(
        {
            # a 204 beside it: None then
            "/count": {
                "get": {
                    "operationId": "count",
                    "responses": {**_answer({"type": "integer"}), "204": {"description": "none"}},
                }
            },
            "/status": _get("status", _REF["Status"]),
            "/when": _get("when", {"type": "string", "format": "date-time"}),
        }
    ),
    # A response declared once under components, used by two operations: one class.
    "shared": _spec(
        {
            "/a": {
                "get": {
                    "operationId": "first",
                    "responses": {"200": {"$ref": "#/components/responses/TaskEnvelope"}},
                }
            },
            "/b": {
                "get": {
                    "operationId": "second",
                    "responses": {"200": {"$ref": "#/components/responses/TaskEnvelope"}},
                }
            },
        },
        responses={
            "TaskEnvelope": _answer({"type": "object", "properties": {"data": _REF["Task"]}})["200"]
        },
    ),
    "bodies": _spec(
        {
            "/batch": {
                "post": {
                    "operationId": "createNotes",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": _NOTE}}
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                },
                "put": {
                    "operationId": "putThing",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"oneOf": [_REF["Project"], _NOTE]}}
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                },
                "patch": {
                    "operationId": "patchProjects",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": _REF["Project"],
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                },
            },
            "/merge": {
                "post": {
                    "operationId": "mergeNote",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        _NOTE,
                                        {
                                            "type": "object",
                                            "properties": {"pinned": {"type": "boolean"}},
                                        },
                                    ]
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                }
            },
        }
    ),
    "parameters": _spec(
        {
            "/search": {
                "get": {
                    "operationId": "search",
                    "parameters": [
                        {
                            "name": "filter",
                            "in": "query",
                            "style": "deepObject",
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "done": {"type": "boolean"},
                                },
                            },
                        },
                        {
                            "name": "order",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["asc", "desc"]},
                        },
                    ],
                    "responses": {"204": {"description": "done"}},
                }
            }
        }
    ),
    # springdoc declares every JSON answer `*/*`: a schema that is not binary is JSON.
    "wildcard": _spec(
        {
            "/wild/{gid}": {
                "get": {
                    "operationId": "wildTask",
                    "responses": {
                        "200": {"description": "ok", "content": {"*/*": {"schema": _REF["Task"]}}}
                    },
                }
            },
            "/wild": {
                "get": {
                    "operationId": "wildList",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/*": {"schema": {"type": "array", "items": _NOTE}}
                            },
                        }
                    },
                }
            },
            "/raw": {
                "get": {
                    "operationId": "raw",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"*/*": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        }
    ),
}

TASK = {"gid": "1", "name": "a"}
PROJECT = {"gid": "2", "title": "p"}
# What the mock server answers, by path.
ANSWERS: dict[str, Any] = {
    "/tasks/1": {"data": TASK},
    "/tasks": [TASK, {"gid": "3", "name": "b"}],
    "/things": [TASK, PROJECT],
    "/maybe": None,
    "/notes": [{"note": "n"}],
    "/note": None,
    "/grouped": {"g": [TASK, {"note": "n"}]},
    "/merged": {**TASK, "extra": "e"},
    "/count": 3,
    "/status": "closed",
    "/when": "2024-01-15T10:30:00Z",
    "/a": {"data": TASK},
    "/b": {"data": TASK},
    "/wild/1": TASK,
    "/wild": [{"note": "n"}],
    "/raw": "bytes",
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every construct's package in one folder, importable as ``typed_<construct>``."""
    root = tmp_path_factory.mktemp("typed")
    for name, spec in SPECS.items():
        generate(write_spec(spec, root, f"{name}.json"), root, f"typed_{name}")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    for module in [m for m in sys.modules if m.startswith("typed_")]:
        del sys.modules[module]


Sent = list[httpx.Request]


def _client(package: ModuleType, sent: Sent, answers: dict[str, Any] | None = None) -> Any:
    table = ANSWERS if answers is None else answers

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path not in table:
            return httpx.Response(204)
        body = json.dumps(table[request.url.path]).encode()  # `null` too
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    transport = httpx.MockTransport(handler)
    return _class(package)(http_client=httpx.Client(transport=transport))


def _class(package: ModuleType, prefix: str = "") -> Any:
    """The package's client class (``Async`` one with ``prefix``)."""
    name = package.__name__.title().replace("_", "")
    return getattr(package, f"{prefix}{name}Client")


def _load(packages: Path, construct: str) -> tuple[ModuleType, Any, Sent]:
    package = importlib.import_module(f"typed_{construct}")
    sent: Sent = []
    return package, _client(package, sent), sent


def test_an_inline_object_response_gets_a_model_named_after_the_operation(packages: Path) -> None:
    package, client, _ = _load(packages, "envelope")
    task = client.default.get_task("1")
    assert type(task) is package.models.GetTaskResponse
    assert type(task.data) is package.models.Task and task.data.name == "a"
    assert client.default.with_raw_response.get_task("1").parse() == task


def test_the_result_types_are_the_only_code_added(packages: Path) -> None:
    assert foreign_code(packages / "typed_nested") == []


def test_a_wildcard_media_type_with_a_json_schema_is_typed(packages: Path) -> None:
    package, client, _ = _load(packages, "wildcard")
    assert type(client.default.wild_task("1")) is package.models.Task
    assert [type(n).__name__ for n in client.default.wild_list()] == ["WildListResponseItem"]
    assert client.default.raw().content == b'"bytes"'  # a string schema is the body, not JSON


def test_a_name_taken_by_a_component_gets_a_number(packages: Path) -> None:
    package, client, _ = _load(packages, "collision")
    assert type(client.default.get_task("1")).__name__ == "GetTaskResponse2"
    assert issubclass(package.models.GetTaskResponse, package.models.RootModel)  # untouched


def test_arrays_unions_maps_and_scalars_come_back_as_their_types(packages: Path) -> None:
    models = importlib.import_module("typed_array").models
    tasks = _load(packages, "array")[1].default.list_tasks()
    assert [type(t) for t in tasks] == [models.Task, models.Task]
    things = _load(packages, "one_of")[1].default.list_things()
    assert [type(t).__name__ for t in things] == ["Task", "Project"]
    assert _load(packages, "any_of")[1].default.maybe_task() is None
    assert _load(packages, "nullable")[1].default.maybe_note() is None
    notes = _load(packages, "inline_items")[1].default.list_notes()
    assert [type(n).__name__ for n in notes] == ["ListNotesResponseItem"]
    grouped = _load(packages, "nested")[1].default.grouped()
    assert [type(v).__name__ for v in grouped["g"]] == ["Task", "GroupedResponseValueItemOption2"]
    package, client, _ = _load(packages, "all_of")
    merged = client.default.merged()
    assert type(merged) is package.models.MergedResponse and (merged.name, merged.extra) == (
        "a",
        "e",
    )
    package, client, _ = _load(packages, "scalars")
    assert client.default.count() == 3
    assert client.default.status() == package.models.Status.CLOSED  # open: `Status | str`
    assert client.default.when() == datetime.datetime(2024, 1, 15, 10, 30, tzinfo=datetime.UTC)


def test_a_shared_response_component_is_one_model(packages: Path) -> None:
    package, client, _ = _load(packages, "shared")
    first, second = client.default.first(), client.default.second()
    assert type(first) is type(second) is package.models.TaskEnvelopeResponse


def test_inline_request_bodies_and_parameter_objects_are_typed(packages: Path) -> None:
    package, client, sent = _load(packages, "bodies")
    hints = {
        name: str(inspect.signature(getattr(client.default, name)).parameters["body"].annotation)
        for name in ("create_notes", "put_thing", "patch_projects")
    }
    assert hints == {
        "create_notes": "Sequence[CreateNotesRequestItemParam | CreateNotesRequestItem] | NotGiven",
        "put_thing": "ProjectParam | Project | PutThingRequestOption2Param | PutThingRequestOption2 | NotGiven",
        "patch_projects": "Mapping[str, ProjectParam | Project] | NotGiven",
    }
    client.default.create_notes(body=[{"note": "n"}])
    client.default.patch_projects(body={"p": package.models.Project(gid="2", title="p")})
    client.default.merge_note(note="n", pinned=True)  # an allOf body: its fields are arguments
    assert [json.loads(r.content) for r in sent] == [
        [{"note": "n"}],
        {"p": PROJECT},
        {"note": "n", "pinned": True},
    ]
    package, client, sent = _load(packages, "parameters")
    search = inspect.signature(client.default.search).parameters
    assert str(search["filter_"].annotation) == "SearchFilterParam | SearchFilter | NotGiven"
    assert str(search["order"].annotation) == "Literal['asc', 'desc'] | str | NotGiven"
    client.default.search(filter_={"name": "x", "done": True}, order="asc")
    assert sent[-1].url.params.multi_items() == [
        ("filter[name]", "x"),
        ("filter[done]", "true"),
        ("order", "asc"),
    ]


def test_a_drifting_body_is_returned_flagged_or_raises_when_strict(
    packages: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package = importlib.import_module("typed_one_of")
    sent: Sent = []
    drift = {"/things": [{"gid": 1, "title": "p"}, {"gid": "2", "name": "t", "title": "x"}]}
    client = _client(package, sent, drift)
    with caplog.at_level(logging.WARNING):
        things = client.default.list_things()
    # each item as the member it is nearest to, kept whole, and flagged
    assert [type(t).__name__ for t in things] == ["Project", "Task"]
    assert (things[0].gid, things[0].title) == (1, "p")
    assert [m.path for m in package.mismatches(things[0])] == ["gid"]
    assert "[0].gid" in caplog.text
    with pytest.raises(package.APIResponseValidationError, match="list\\[Task \\| Project\\]"):
        client.default.list_things(strict_responses=True)


def test_async_methods_return_the_same_types(packages: Path) -> None:
    import asyncio

    package = importlib.import_module("typed_array")

    async def call() -> list[Any]:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, json=ANSWERS["/tasks"]))
        async with _class(package, "Async")(
            http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            result: list[Any] = await client.default.list_tasks()
            return result

    assert [type(t) for t in asyncio.run(call())] == [package.models.Task] * 2


# Each result used as its type, without a cast; assert_type fails on Any.
_CALLER = """
import datetime
from typing import assert_type

import typed_all_of, typed_any_of, typed_array, typed_bodies, typed_envelope, typed_nested
import typed_one_of, typed_parameters, typed_scalars, typed_shared, typed_inline_items
import typed_nullable

def use(
    envelope: typed_envelope.TypedEnvelopeClient,
    array: typed_array.TypedArrayClient,
    one_of: typed_one_of.TypedOneOfClient,
    any_of: typed_any_of.TypedAnyOfClient,
    items: typed_inline_items.TypedInlineItemsClient,
    nested: typed_nested.TypedNestedClient,
    all_of: typed_all_of.TypedAllOfClient,
    scalars: typed_scalars.TypedScalarsClient,
    shared: typed_shared.TypedSharedClient,
    bodies: typed_bodies.TypedBodiesClient,
    parameters: typed_parameters.TypedParametersClient,
    nullable: typed_nullable.TypedNullableClient,
) -> None:
    from typed_envelope.models import GetTaskResponse, Task
    task = envelope.default.get_task("1")
    assert_type(task, GetTaskResponse)
    assert_type(task.data, Task | None)
    assert_type(envelope.default.with_raw_response.get_task("1").parse(), GetTaskResponse)
    assert_type(array.default.list_tasks(), list[typed_array.models.Task])
    assert_type(one_of.default.list_things(), list[typed_one_of.models.Task | typed_one_of.models.Project])
    assert_type(any_of.default.maybe_task(), typed_any_of.models.Task | None)
    assert_type(items.default.list_notes()[0].note, str)
    assert_type(nullable.default.maybe_note(), typed_nullable.models.MaybeNoteResponse | None)
    m = typed_nested.models
    assert_type(nested.default.grouped(), dict[str, list[m.Task | m.GroupedResponseValueItemOption2]])
    assert_type(all_of.default.merged().extra, str | None)
    assert_type(scalars.default.count(), int | None)
    assert_type(scalars.default.status(), typed_scalars.models.Status | str)
    assert_type(scalars.default.when(), datetime.datetime)
    assert_type(shared.default.second(), typed_shared.models.TaskEnvelopeResponse)
    bodies.default.create_notes(body=[{"note": "n"}])
    bodies.default.patch_projects(body={"p": {"gid": "2", "title": "p"}})
    bodies.default.merge_note(note="n", pinned=True)
    parameters.default.search(filter_={"name": "x", "done": True}, order="asc")
    parameters.default.search(filter_={"nam": "x"})  # the one error expected: not a key
"""


def test_a_caller_type_checks_against_the_typed_results(packages: Path) -> None:
    caller = packages / "caller.py"
    caller.write_text(_CALLER, "utf-8")
    run = mypy_strict([*(packages / f"typed_{name}" for name in SPECS), caller], packages)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    wrong = next(n for n, line in enumerate(_CALLER.splitlines(), 1) if '"nam"' in line)
    assert len(errors) == 1 and f"caller.py:{wrong}:" in errors[0], run.stdout[-4000:]
