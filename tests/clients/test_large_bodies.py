"""A large response body is validated with the cyclic garbage collector paused, and only then.

Validating a page of thousands of runs makes tens of thousands of objects that all live on in
the result; the collector would scan them again and again while they are made. The client pauses
it for a body of 64 KiB or more, gives it back as it found it (also when the body does not
validate and is built leniently, or raises in strict mode), and leaves a small body alone.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from generated.testmo import TestmoClient, mismatches
from generated.testmo import _parse as parse
from generated.testmo._exceptions import APIResponseValidationError
from tests.bench.calls import RUN  # a run as the API sends it

BASE = "https://example.testmo.net/api/v1"


def _page(runs: int, run: dict[str, Any] | None = None) -> bytes:
    page = {"page": 1, "prev_page": None, "next_page": None, "last_page": 1, "per_page": runs}
    return json.dumps({**page, "total": runs, "result": [run or RUN] * runs}).encode()


def _client(body: bytes, *, strict: bool = False) -> TestmoClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return TestmoClient(api_key="k", base_url=BASE, http_client=http, strict_responses=strict)


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections run meanwhile."""
    found: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            found.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield found
    finally:
        gc.callbacks.remove(count)


def test_a_large_page_is_read_with_the_collector_paused(collections: list[int]) -> None:
    body = _page(2000)
    assert len(body) >= parse._LARGE_BODY
    client = _client(body)
    client.automation_runs.list(1)  # the first call imports and builds the validators
    collections.clear()
    page = client.automation_runs.list(1)
    assert len(page.result or []) == 2000 and not mismatches(page) and gc.isenabled()
    assert len(collections) <= 2  # the request and the response around it, not the page


def test_without_the_pause_the_same_page_runs_the_collector(
    collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the pause saves: the same page read without it (the bound raised past it)."""
    monkeypatch.setattr(parse, "_LARGE_BODY", 1 << 40)
    client = _client(_page(2000))
    client.automation_runs.list(1)
    collections.clear()
    client.automation_runs.list(1)
    assert len(collections) > 5


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        _client(_page(2000)).automation_runs.list(1)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("strict", [False, True])
def test_a_body_that_does_not_validate_gives_the_collector_back(strict: bool) -> None:
    body = _page(2000, {**RUN, "status": "not a status number"})
    client = _client(body, strict=strict)
    if strict:
        with pytest.raises(APIResponseValidationError):
            client.automation_runs.list(1)
    else:
        assert len(client.automation_runs.list(1).result or []) == 2000
    assert gc.isenabled()
