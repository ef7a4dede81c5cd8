"""``x-junit-submit`` in a spec: each mistake is a located problem, never a traceback."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from generator.load.document import parse
from generator.validate.openapi import validate
from tests.specs import ROOT

SPECS = {
    api: yaml.safe_load((ROOT / "specs" / f"{api}.yaml").read_text("utf-8"))
    for api in ("testmo", "automated_future")
}
TESTMO = "#/paths/~1projects~1{project_id}~1automation~1runs/post/x-junit-submit"
FUTURE = "#/paths/~1run~1/post/x-junit-submit"


def _problems(api: str, change: Any) -> list[str]:
    spec = copy.deepcopy(SPECS[api])
    (path,) = (p for p, item in spec["paths"].items() if "x-junit-submit" in item.get("post", {}))
    change(spec["paths"][path]["post"]["x-junit-submit"])
    doc = parse(yaml.safe_dump(spec), f"{api}.yaml")
    return [f"{d.pointer}: {d.message}" for d in validate(doc) if d.severity == "error"]


@pytest.mark.parametrize("api", SPECS)
def test_the_declarations_are_clean(api: str) -> None:
    assert _problems(api, lambda ext: None) == []


def _set(path: str, value: Any) -> Any:
    def change(ext: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        for step in parents:
            ext = ext[int(step)] if isinstance(ext, list) else ext[step]
        if value is None:
            del ext[last]
        else:
            ext[last] = value

    return change


@pytest.mark.parametrize(
    ("api", "change", "expected"),
    [
        ("testmo", _set("run", "run_id"), f"{TESTMO}/run: 'run_id' is not a property path"),
        (
            "testmo",
            _set("thread/operation", "threads_make"),
            f"{TESTMO}/thread/operation: operationId 'threads_make' does not exist",
        ),
        (
            "testmo",
            _set("thread/id", "thread_id"),
            f"{TESTMO}/thread/id: 'thread_id' is not a property path",
        ),
        (
            "testmo",
            _set("append/arguments/results", "{cases}"),
            f"{TESTMO}/append/arguments/results: 'automation_threads_append' takes no argument",
        ),
        (
            "testmo",
            _set("append/arguments/automation_run_thread_id", None),
            f"{TESTMO}/append/arguments: required argument 'automation_run_thread_id'",
        ),
        (
            "testmo",
            _set("append/arguments/tests", "{case}"),
            f"{TESTMO}/append/arguments: a batched append must pass '{{cases}}'",
        ),
        (
            "testmo",
            _set("append/case/folder", "{suite}"),
            f"{TESTMO}/append/case/folder: unknown placeholder {{suite}}",
        ),
        (
            "testmo",
            _set("append/case/fields/0/each", "failures"),
            f"{TESTMO}/append/case/fields/0/each: each: 'failures' is not one of",
        ),
        (
            "testmo",
            _set("append/case/fields/1/item/value", "{item.label}"),
            f"{TESTMO}/append/case/fields/1/item/value: unknown placeholder {{item.label}}",
        ),
        (
            "testmo",
            _set("append/batch", None),
            f"{TESTMO}/append: x-junit-submit: 'batch' is a dependency",
        ),
        (
            "testmo",
            _set("statuses/error", None),
            f"{TESTMO}/statuses: x-junit-submit: 'error' is a required",
        ),
        (
            "automated_future",
            _set("append/arguments/project_id", "{input.project}"),
            f"{FUTURE}/append/arguments/project_id: unknown placeholder {{input.project}}",
        ),
        (
            "automated_future",
            _set("append/arguments/test_run_id", "{thread}"),
            f"{FUTURE}/append/arguments/test_run_id: unknown placeholder {{thread}}",
        ),
        (
            "automated_future",
            _set("complete/0/arguments/test_run_id", None),
            f"{FUTURE}/complete/0/arguments: required argument 'test_run_id' of 'runs_update'",
        ),
        ("automated_future", _set("time-unit", "minutes"), f"{FUTURE}/time-unit: x-junit-submit:"),
    ],
)
def test_a_mistake_is_located(api: str, change: Any, expected: str) -> None:
    problems = _problems(api, change)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_create_argument_named_like_a_submit_option_is_refused() -> None:
    """``results`` beside submit's own ``results`` would make a method that does not compile."""
    spec = copy.deepcopy(SPECS["automated_future"])
    props = spec["components"]["schemas"]["CreateTestRunRequest"]["properties"]
    props["results"] = {"type": "array", "items": {"type": "string"}}
    doc = parse(yaml.safe_dump(spec), "automated_future.yaml")
    problems = [f"{d.pointer}: {d.message}" for d in validate(doc) if d.severity == "error"]
    expected = f"{FUTURE}: the operation takes 'results', which submit's own"
    assert any(p.startswith(expected) for p in problems), problems
