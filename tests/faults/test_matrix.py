"""Every fault against every operation of every API, sync and async, with the leak-check key.

Each case asserts the exact outcome (a result, or the error class), the number of requests,
the waits between them, that an operation the spec does not call idempotent is never sent again
once the server may have acted on it, and that the key shows nowhere: not in the exception, its
chain, the request it keeps, the client's repr, or the log lines (captured at DEBUG).
"""

from __future__ import annotations

import logging

import httpx
import pydantic
import pytest

from tests.calls import APIErrorLike
from tests.faults.harness import CASES, KEY, FakeClock, Fault, OpInfo, call, client_for, leaks
from tests.specs import package


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("info", "fault"), CASES)
async def test_fault(
    info: OpInfo, fault: Fault, is_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent: list[httpx.Request] = []
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return fault.respond(info, len(sent), request, clock)

    client = client_for(info, handler, is_async, clock, strict_responses=fault.strict)
    outcome = await call(info, client, is_async)
    expected = fault.expect(info)

    error = outcome if isinstance(outcome, Exception) else None
    assert (type(error).__name__ if error else None) == expected.error, repr(outcome)
    if isinstance(outcome, pydantic.BaseModel):
        assert bool(package(info.op.api).mismatches(outcome)) == expected.flagged, outcome
    assert len(sent) == expected.requests
    assert len(clock.sleeps) == expected.requests - 1
    assert expected.sleeps(clock.sleeps), clock.sleeps
    if fault.maybe_processed and not info.idempotent:
        assert len(sent) == 1, "a non-idempotent request was sent again after it may have run"
    if error is not None:
        assert isinstance(error, APIErrorLike), repr(error)
        assert error.attempts == expected.requests
        assert error.method == info.op.method.upper()
        assert error.url.startswith("https://api.test.invalid/v1/")
        assert len(str(error)) < 2000
        if expected.requests > 1:
            assert f"after {expected.requests} attempts" in str(error)
    if info.authenticated:
        assert all(KEY in str(r.headers.multi_items()) for r in sent), "the key was not even sent"
    assert leaks(KEY, error, client, caplog.records) == []
