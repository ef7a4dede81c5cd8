"""Lenient responses: a 2xx body that drifts from the spec comes back whole and flagged.

Every documented 2xx example of every operation is mutated at every JSON path (a field dropped,
nulled, given another JSON type, or an unknown one added) and served through
``httpx.MockTransport``, sync and async. In the default mode the call returns the model, its
dump gives back the body, and ``mismatches`` is non-empty exactly when pydantic rejects the
body; with ``strict_responses=True`` exactly those bodies raise ``APIResponseValidationError``.
A property test does the same with random combinations of mutations over every response model.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clients.support import BASE_URL, result
from tests.faults.harness import call_arguments
from tests.specs import APIS, Op, instants, operations, package

Path = tuple[str | int, ...]


def _model_cases() -> list[Any]:
    """(op, example) for every 2xx JSON example of an operation whose result is a model."""
    cases = []
    for api in APIS:
        for op in operations(api):
            for status, name, value in op.response_examples():
                if 200 <= status < 300 and isinstance(value, dict):
                    cases.append(pytest.param(op, status, value, id=f"{op.operation_id}-{name}"))
    return cases


CASES = _model_cases()


def _paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path into ``value`` (object keys and list indexes), the deepest last."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _other_type(value: Any) -> Any:
    """A JSON value of another kind than ``value``, one pydantic does not coerce back.

    (An integer is not used for a string: pydantic reads it as a Unix time for a date-time.)
    """
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int | float):
        return "not-a-number"
    if isinstance(value, str):
        return ["not", "a", "string"]
    if isinstance(value, list):
        return "not-a-list"
    if isinstance(value, dict):
        return ["not", "an", "object"]
    return ["not", "null"]


def _mutated(body: Any, path: Path, kind: str) -> Any:
    """A copy of ``body`` with the value at ``path`` dropped, nulled, retyped, or a key added."""
    copied = copy.deepcopy(body)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if kind == "drop":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif kind == "null":
        parent[last] = None
    elif kind == "retype":
        parent[last] = _other_type(parent[last])
    elif kind == "add" and isinstance(parent[last], dict):
        parent[last]["unlisted_by_the_spec"] = {"kept": True}
    return copied


def _client(op: Op, body: Any, is_async: bool, **options: Any) -> Any:
    pkg = package(op.api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    transport = httpx.MockTransport(lambda request: httpx.Response(_status(op), json=body))
    http = httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
    cls = getattr(pkg, ("Async" if is_async else "") + name)
    return cls(api_key="test-key", base_url=BASE_URL, http_client=http, **options)


def _status(op: Op) -> int:
    return op.success_status()


def _result_model(op: Op) -> type[pydantic.BaseModel]:
    """The model the operation's method returns (read from the generated signature)."""
    method = getattr(getattr(_client(op, {}, False), op.resource), op.method_name)
    annotation = method.__annotations__["return"]
    return getattr(package(op.api).models, annotation)  # type: ignore[no-any-return]


async def _call(op: Op, client: Any, **extra: Any) -> Any:
    positional, keywords = call_arguments(op)
    method = getattr(getattr(client, op.resource), op.method_name)
    return await result(method(*positional, **keywords, **extra))


def _dump(model: pydantic.BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)


def _rejected(model: type[pydantic.BaseModel], body: Any) -> bool:
    try:
        model.model_validate(body)
    except pydantic.ValidationError:
        return True
    return False


@pytest.mark.parametrize("kind", ["drop", "null", "retype", "add"])
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("op", "status", "example"), CASES)
async def test_every_drift_of_every_example_is_returned_whole_and_flagged(
    op: Op, status: int, example: dict[str, Any], kind: str, is_async: bool
) -> None:
    pkg = package(op.api)
    model = _result_model(op)
    checked = 0
    for path in _paths(example):
        body = _mutated(example, path, kind)
        if body == example:
            continue
        checked += 1
        rejected = _rejected(model, body)
        lenient = await _call(op, _client(op, body, is_async))
        assert isinstance(lenient, model)
        assert instants(_dump(lenient)) == instants(body), path
        assert bool(pkg.mismatches(lenient)) == rejected, (path, pkg.mismatches(lenient))
        strict = _client(op, body, is_async, strict_responses=True)
        if rejected:
            with pytest.raises(pkg.APIResponseValidationError) as raised:
                await _call(op, strict)
            assert raised.value.status_code == _status(op)
            assert raised.value.body == raised.value.response.text
        else:
            assert isinstance(await _call(op, strict), model)
        if rejected:  # the call's own strict_responses wins over the client's default
            with pytest.raises(pkg.APIResponseValidationError):
                await _call(op, _client(op, body, is_async), strict_responses=True)
    if kind != "add":
        assert checked, "the example has no path to mutate"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("op", "status", "example"), CASES)
async def test_documented_examples_match_in_both_modes(
    op: Op, status: int, example: dict[str, Any], is_async: bool
) -> None:
    pkg = package(op.api)
    strict = await _call(op, _client(op, example, is_async, strict_responses=True))
    lenient = await _call(op, _client(op, example, is_async))
    assert pkg.mismatches(strict) == pkg.mismatches(lenient) == ()
    assert _dump(strict) == _dump(lenient)


def test_a_missing_field_reads_none_and_names_its_path() -> None:
    pkg = package("autosana")
    op = next(o for o in operations("autosana") if o.operation_id == "runs_status")
    example = next(v for s, _, v in op.response_examples() if s == 200)
    body = copy.deepcopy(example)
    group = body["run_groups"][0]
    del group["runs"][0]["status"]
    group["runs"][0]["name"] = 42
    status = pkg.AutosanaClient(
        "k",
        base_url=BASE_URL,
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body))
        ),
    ).runs.status(batch_id="b")
    run = status.run_groups[0].runs[0]
    assert run.status is None
    assert run.name == 42
    assert type(run).__name__ == "RunGroupRun"
    found = {m.path: m for m in pkg.mismatches(status)}
    assert set(found) == {"run_groups[0].runs[0].status", "run_groups[0].runs[0].name"}
    assert found["run_groups[0].runs[0].status"].received is pkg.MISSING
    assert found["run_groups[0].runs[0].name"].received == 42
    assert found["run_groups[0].runs[0].name"].pattern == "run_groups[].runs[].name"
    assert {m.path for m in pkg.mismatches(run)} == {"status", "name"}


def test_a_body_that_is_not_json_raises_in_both_modes() -> None:
    pkg = package("autosana")
    for strict in (False, True):
        http = httpx.Client(
            transport=httpx.MockTransport(lambda r: httpx.Response(200, text="<html>oops</html>"))
        )
        client = pkg.AutosanaClient(
            "k", base_url=BASE_URL, http_client=http, strict_responses=strict
        )
        with pytest.raises(pkg.APIResponseValidationError) as raised:
            client.runs.get("r")
        assert raised.value.body == "<html>oops</html>"


def test_one_warning_per_operation_and_field(caplog: pytest.LogCaptureFixture) -> None:
    pkg = package("autosana")
    op = next(o for o in operations("autosana") if o.operation_id == "runs_status")
    body = copy.deepcopy(next(v for s, _, v in op.response_examples() if s == 200))
    for group in body["run_groups"]:
        for run in group["runs"]:
            run["name"] = 1
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    client = pkg.AutosanaClient("k", base_url=BASE_URL, http_client=http)
    with caplog.at_level(logging.WARNING, logger="autosana"):
        for _ in range(3):
            client.runs.status(batch_id="b")
    lines = [r.getMessage() for r in caplog.records if r.name == "autosana"]
    assert len(lines) == 1, lines
    assert "GET /api/v1/runs/status" in lines[0]
    assert "run_groups[0].runs[0].name" in lines[0]
    assert "strict_responses=True" in lines[0]


def test_wait_reads_only_its_completion_property() -> None:
    pkg = package("autosana")
    answers = iter([{"is_complete": False}, {"is_complete": True, "surprise": [1]}])
    http = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=next(answers)))
    )
    client = pkg.AutosanaClient("k", base_url=BASE_URL, http_client=http)
    final = client.runs.wait("b", sleep=lambda s: None)
    assert final.is_complete is True
    assert final.model_extra == {"surprise": [1]}
    assert pkg.mismatches(final)


def _response_models() -> list[Any]:
    """(model, seed bodies) for every model an operation returns; ``{}`` seeds each one too."""
    seeds: dict[tuple[str, str], list[Any]] = {}
    for param in CASES:
        op, _, example = param.values
        model = _result_model(op)
        seeds.setdefault((op.api, model.__name__), [{}]).append(example)
    return [
        pytest.param(api, name, bodies, id=f"{api}.{name}")
        for (api, name), bodies in sorted(seeds.items())
    ]


MUTATION = st.tuples(st.integers(min_value=0), st.sampled_from(["drop", "null", "retype", "add"]))


@pytest.mark.parametrize(("api", "name", "seeds"), _response_models())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_drift_never_raises_round_trips_and_is_flagged_honestly(
    api: str, name: str, seeds: list[Any], data: st.DataObject
) -> None:
    pkg = package(api)
    model = getattr(pkg.models, name)
    body = copy.deepcopy(data.draw(st.sampled_from(seeds)))
    for index, kind in data.draw(st.lists(MUTATION, max_size=4)):
        paths = list(_paths(body))
        if paths:
            body = _mutated(body, paths[index % len(paths)], kind)
    from importlib import import_module

    instance, found = import_module(f"generated.{api}._lenient").build(model, body)
    assert isinstance(instance, model)
    assert instants(_dump(instance)) == instants(body)
    assert bool(found) == _rejected(model, body)
    assert pkg.mismatches(instance) == found


def _example(api: str, operation_id: str, name: str) -> dict[str, Any]:
    op = next(o for o in operations(api) if o.operation_id == operation_id)
    return copy.deepcopy(next(v for _, n, v in op.response_examples() if n == name))


def _autosana(body: Any, strict: bool = False) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    return package("autosana").AutosanaClient(
        "k", base_url=BASE_URL, http_client=http, strict_responses=strict
    )


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [("runs_status", "batch_complete_older_docs"), ("runs_get", "run_older_docs")],
)
def test_the_older_docs_answers_parse_in_both_modes(operation_id: str, name: str) -> None:
    body = _example("autosana", operation_id, name)
    for strict in (False, True):
        resource = _autosana(body, strict).runs
        parsed = resource.status(batch_id="b") if "status" in operation_id else resource.get("r")
        assert package("autosana").mismatches(parsed) == ()


def test_a_run_still_going_and_a_null_app_url_parse_by_default_and_raise_when_strict() -> None:
    pkg = package("autosana")
    run = _example("autosana", "runs_get", "run_older_docs")
    run.update(completed_at=None, summary=None)
    status = _example("autosana", "runs_status", "batch_complete_older_docs")
    status["app"]["url"] = None
    got = _autosana(run).runs.get("r")
    assert (got.completed_at, got.summary) == (None, None)
    assert {m.path for m in pkg.mismatches(got)} == {"completed_at", "summary"}
    polled = _autosana(status).runs.status(batch_id="b")
    assert polled.app.url is None
    assert polled.run_groups[1].runs[0].status == "failed"
    assert [m.path for m in pkg.mismatches(polled)] == ["app.url"]
    with pytest.raises(pkg.APIResponseValidationError):
        _autosana(run, strict=True).runs.get("r")
    with pytest.raises(pkg.APIResponseValidationError):
        _autosana(status, strict=True).runs.status(batch_id="b")
