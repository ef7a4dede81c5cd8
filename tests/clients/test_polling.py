"""The ``wait`` helpers poll as the spec's ``x-polling`` says, without real sleeps.

Autosana's ``runs.wait`` waits for a top-level value to equal ``true``; Panto's
``test_runs.wait_one`` for a nested value to be set, and ``test_runs.wait`` for it to be set on
every item of a non-empty list.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

import httpx
import pytest

from tests.clients.support import client, result
from tests.specs import operations, package

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
STATUS = next(
    value
    for op in operations("autosana")
    if op.operation_id == "runs_status"
    for _, _, value in op.response_examples()
)


def _statuses(sent: list[httpx.Request], complete_on: int) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = copy.deepcopy(STATUS)
        body["is_complete"] = len(sent) >= complete_on
        return httpx.Response(200, json=body)

    return handler


def _sleeper(is_async: bool, slept: list[float]) -> Any:
    if is_async:

        async def asleep(seconds: float) -> None:
            slept.append(seconds)

        return asleep
    return slept.append


@SYNC_ASYNC
async def test_wait_returns_the_status_that_completes_on_the_third_poll(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    slept: list[float] = []
    seen: list[Any] = []
    api = client("autosana", _statuses(sent, complete_on=3), is_async)
    status = await result(
        api.runs.wait(STATUS["batch_id"], on_update=seen.append, sleep=_sleeper(is_async, slept))
    )
    assert status.is_complete is True
    assert isinstance(status, package("autosana").models.RunStatusResponse)
    assert [s.is_complete for s in seen] == [False, False, True]
    assert slept == [10.0, 10.0]
    assert [r.url.params["batch_id"] for r in sent] == [STATUS["batch_id"]] * 3
    assert all(r.url.path == "/v1/api/v1/runs/status" for r in sent)


@SYNC_ASYNC
async def test_wait_uses_the_interval_given(is_async: bool) -> None:
    slept: list[float] = []
    api = client("autosana", _statuses([], complete_on=2), is_async)
    await result(api.runs.wait("b", poll_interval=12.5, sleep=_sleeper(is_async, slept)))
    assert slept == [12.5]


@SYNC_ASYNC
@pytest.mark.parametrize("interval", [9.9, -1.0, float("nan"), float("inf")])
async def test_an_interval_below_the_spec_minimum_is_refused_before_polling(
    is_async: bool, interval: float
) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _statuses(sent, complete_on=1), is_async)
    with pytest.raises(ValueError, match="at least 10 s"):
        await result(api.runs.wait("b", poll_interval=interval))
    assert sent == []


@SYNC_ASYNC
@pytest.mark.parametrize("interval", [15.1, 60.0])
async def test_an_interval_above_the_recommended_maximum_is_allowed(
    is_async: bool, interval: float
) -> None:
    slept: list[float] = []
    api = client("autosana", _statuses([], complete_on=2), is_async)
    await result(api.runs.wait("b", poll_interval=interval, sleep=_sleeper(is_async, slept)))
    assert slept == [interval]


@SYNC_ASYNC
async def test_a_timeout_raises_with_the_last_status(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _statuses(sent, complete_on=99), is_async)
    with pytest.raises(package("autosana").WaitTimeoutError) as caught:
        await result(api.runs.wait("b", wait_timeout=0, sleep=_sleeper(is_async, [])))
    assert caught.value.last.is_complete is False
    assert caught.value.last.batch_id == STATUS["batch_id"]
    assert caught.value.polls == 1
    assert len(sent) == 1


@SYNC_ASYNC
async def test_a_short_timeout_sleeps_only_what_is_left(is_async: bool) -> None:
    slept: list[float] = []
    api = client("autosana", _statuses([], complete_on=2), is_async)
    await result(api.runs.wait("b", wait_timeout=5, sleep=_sleeper(is_async, slept)))
    assert len(slept) == 1
    assert 0 < slept[0] <= 5


@SYNC_ASYNC
async def test_an_error_status_during_polling_is_raised_typed(is_async: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"detail": "no such batch"})

    api = client("autosana", handler, is_async)
    with pytest.raises(package("autosana").NotFoundError, match="no such batch"):
        await result(api.runs.wait("b", sleep=_sleeper(is_async, [])))


# --- Panto: a nested value that must be set, on one run or on every run of a trigger

RUNS = next(
    value
    for op in operations("panto")
    if op.operation_id == "test_runs_by_trigger"
    for _, name, value in op.response_examples()
    if name == "finished"
)


def _runs(sent: list[httpx.Request], answers: list[list[str | None]]) -> Any:
    """Answers the by-trigger endpoint: poll n has one run per end time in ``answers[n]``."""

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        ends = answers[min(len(sent), len(answers)) - 1]
        runs = [dict(copy.deepcopy(RUNS["test_runs"][0]), runner_end_timestamp=end) for end in ends]
        return httpx.Response(200, json={"test_runs": runs})

    return handler


@SYNC_ASYNC
async def test_wait_on_a_trigger_needs_runs_and_every_run_ended(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    seen: list[Any] = []
    answers: list[list[str | None]] = [[], [None, None], ["t1", None], ["t1", "t2"]]
    api = client("panto", _runs(sent, answers), is_async)
    final = await result(
        api.test_runs.wait("trigger_01", on_update=seen.append, sleep=_sleeper(is_async, []))
    )
    assert [r.runner_end_timestamp for r in final.test_runs] == ["t1", "t2"]
    assert isinstance(final, package("panto").models.TestRunsByTriggerResponse)
    assert [len(s.test_runs) for s in seen] == [0, 2, 2, 2]
    assert all(r.url.path == "/v1/api/v1/qa/external/test-runs-by-trigger/trigger_01" for r in sent)


@SYNC_ASYNC
async def test_an_empty_trigger_times_out_rather_than_counting_as_done(is_async: bool) -> None:
    api = client("panto", _runs([], [[]]), is_async)
    with pytest.raises(package("panto").WaitTimeoutError) as caught:
        await result(api.test_runs.wait("trigger_01", wait_timeout=0))
    assert caught.value.last.test_runs == []


@SYNC_ASYNC
async def test_wait_on_one_run_reads_the_nested_end_time(is_async: bool) -> None:
    examples = {
        name: value
        for op in operations("panto")
        if op.operation_id == "test_runs_get"
        for _, name, value in op.response_examples()
    }
    answers = iter([examples["running"], examples["running"], examples["finished"]])
    slept: list[float] = []
    api = client("panto", lambda request: httpx.Response(200, json=next(answers)), is_async)
    run = await result(api.test_runs.wait_one("testrun_01", sleep=_sleeper(is_async, slept)))
    assert (
        run.test_run.runner_end_timestamp
        == examples["finished"]["test_run"]["runner_end_timestamp"]
    )
    assert slept == [10.0, 10.0]


def test_the_condition_reads_models_and_plain_json_alike() -> None:
    # Responses parsed leniently keep a part that does not match its schema as the JSON received.
    polling = importlib.import_module("generated.panto._polling")
    models = package("panto").models
    spec = polling.PollSpec(
        path=(("runner_end_timestamp", "runner_end_timestamp"),),
        is_set=True,
        every=(("test_runs", "test_runs"),),
    )
    ended = models.TestRun(runner_end_timestamp="t1")
    assert spec.done(models.TestRunsByTriggerResponse(test_runs=[ended]))
    assert spec.done(
        models.TestRunsByTriggerResponse.model_construct(
            test_runs=[ended, {"runner_end_timestamp": "t2"}]
        )
    )
    assert spec.done({"test_runs": [{"runner_end_timestamp": "t1"}, ended]})
    assert not spec.done({"test_runs": [{"runner_end_timestamp": None}, ended]})
    assert not spec.done({"test_runs": [{}]})
    assert not spec.done({"test_runs": "not a list"})
    assert not spec.done({"test_runs": []})
    assert not spec.done(None)
    nested = polling.PollSpec(path=(("test_run", "test_run"), ("end", "end-time")), equals=3)
    assert nested.done({"test_run": {"end-time": 3}})
    assert nested.done(models.TestRunResponse.model_construct(test_run={"end-time": 3}))
    assert not nested.done({"test_run": None})


# --- time is the client's clock; timeout and max_retries are per poll


@SYNC_ASYNC
async def test_the_client_clock_drives_the_wait_and_its_deadline(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("autosana", _statuses(sent, complete_on=99), is_async)
    clock = api._clock
    started = clock.now()
    with pytest.raises(package("autosana").WaitTimeoutError) as caught:
        await result(api.runs.wait("b", wait_timeout=25))
    # Polls at 0, 10 and 20 s of the fake clock, then the 5 s left, then the deadline.
    assert clock.sleeps == [10.0, 10.0, 5.0]
    assert clock.now() - started == 25.0
    assert caught.value.polls == len(sent) == 4


@SYNC_ASYNC
async def test_timeout_and_max_retries_apply_to_each_poll(is_async: bool) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, json={"detail": "busy"})

    api = client("autosana", handler, is_async)
    # A 503 no longer ends the wait (it rides out transient failures to its deadline), so the
    # deadline ends it; each poll is still one request (max_retries=0) with the poll's timeout.
    with pytest.raises(package("autosana").WaitTimeoutError) as raised:
        await result(api.runs.wait("b", timeout=3.5, max_retries=0, wait_timeout=100))
    assert len(sent) == raised.value.polls > 1
    assert "the last poll failed" in str(raised.value)
    assert all(r.extensions["timeout"]["read"] == 3.5 for r in sent)
