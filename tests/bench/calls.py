"""Rows 3 and 4: what a generated call costs beyond httpx and pydantic themselves.

Both sides go through the same ``httpx.MockTransport``, so the network is out of the picture and
the difference is our runtime: request building, auth, error checks and model parsing. Batches of
calls alternate (ours, bare, ours, bare ...) and the medians of the batches are compared. Batches
are timed in this process's CPU time (``time.process_time``): it is all CPU work, and other load
on a shared machine delays a batch's wall time but does not add to its CPU time.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx

from generated.testmo import AsyncTestmoClient, TestmoClient
from generated.testmo.models import AutomationRunList, AutomationRunResponse

from .measure import interleave, median, paired_ratio
from .rows import Row, seconds

BASE = "https://bench.testmo.net/api/v1"
SMALL = json.dumps({"result": {"id": 1, "name": "Run 1", "status": 2}, "expands": {}}).encode()
RUN = {
    "id": 1,
    "project_id": 1,
    "name": "Run 1",
    "status": 2,
    "is_completed": False,
    "untested_count": 0,
    **{f"status{n}_count": n for n in range(1, 25)},
    "success_count": 90,
    "failure_count": 10,
    "completed_count": 100,
    "total_count": 100,
    "thread_count": 8,
    "created_at": "2023-02-20T09:15:42.000Z",
    "created_by": 2,
    "updated_at": None,
    "completed_at": None,
}


def page_body(items: int) -> bytes:
    """A Testmo runs page of ``items`` runs, as the API would send it."""
    page = {"page": 1, "prev_page": None, "next_page": 2, "last_page": 9, "per_page": items}
    return json.dumps({**page, "total": 9 * items, "result": [RUN] * items}).encode()


def _transport(body: bytes) -> httpx.MockTransport:
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers=headers))


def _per_call(batch: Callable[[], None], calls: int) -> Callable[[], float]:
    def timed() -> float:
        start = time.process_time()
        batch()
        return (time.process_time() - start) / calls

    return timed


def sync_overhead_row(rounds: int, calls: int) -> Row:
    """A generated sync call against bare ``httpx.Client.get`` + ``model_validate_json``."""
    http = httpx.Client(transport=_transport(SMALL))
    client = TestmoClient(api_key="bench", base_url=BASE, http_client=http)
    url = f"{BASE}/automation/runs/1"

    def ours() -> None:
        for _ in range(calls):
            client.automation_runs.get(1)

    def bare() -> None:
        for _ in range(calls):
            AutomationRunResponse.model_validate_json(http.get(url).content)

    mine, theirs = interleave(rounds, _per_call(ours, calls), _per_call(bare, calls))
    return _overhead_row("sync", mine, theirs, "httpx.Client.get")


def async_overhead_row(rounds: int, calls: int) -> Row:
    """A generated async call against bare ``httpx.AsyncClient.get`` + ``model_validate_json``."""
    http = httpx.AsyncClient(transport=_transport(SMALL))
    client = AsyncTestmoClient(api_key="bench", base_url=BASE, http_client=http)
    url = f"{BASE}/automation/runs/1"
    loop = asyncio.new_event_loop()

    async def ours() -> None:
        for _ in range(calls):
            await client.automation_runs.get(1)

    async def bare() -> None:
        for _ in range(calls):
            AutomationRunResponse.model_validate_json((await http.get(url)).content)

    def on_loop(batch: Callable[[], Awaitable[None]]) -> Callable[[], None]:
        return lambda: loop.run_until_complete(batch())

    try:
        mine, theirs = interleave(
            rounds, _per_call(on_loop(ours), calls), _per_call(on_loop(bare), calls)
        )
    finally:
        loop.close()
    return _overhead_row("async", mine, theirs, "httpx.AsyncClient.get")


def _overhead_row(kind: str, mine: list[float], theirs: list[float], bare: str) -> Row:
    ratio = paired_ratio(mine, theirs)
    return Row(
        figure=f"one generated {kind} call (MockTransport, small JSON body)",
        peer=f"bare `{bare}` + `Model.model_validate_json`",
        ours=f"{median(mine) * 1e6:.0f} µs",
        theirs=f"{median(theirs) * 1e6:.0f} µs",
        ratio=f"{ratio:.3f}x",
        target="<= 1.05x",
        met=ratio <= 1.05,
    )


def page_row(rounds: int, items: int = 2000) -> Row:
    """A 2,000-run Testmo page through the client against ``json.loads`` of the same bytes."""
    body = page_body(items)
    client = TestmoClient(
        api_key="bench", base_url=BASE, http_client=httpx.Client(transport=_transport(body))
    )

    def ours() -> float:
        start = time.process_time()
        page = client.automation_runs.list(1)
        assert isinstance(page, AutomationRunList) and len(page.result or []) == items
        return time.process_time() - start

    def peer() -> float:
        start = time.process_time()
        json.loads(body)
        return time.process_time() - start

    mine, theirs = interleave(rounds, ours, peer)
    ratio = paired_ratio(mine, theirs)
    return Row(
        figure=f"parse a {items:,}-run Testmo page through the client ({len(body) // 1024} KiB)",
        peer="`json.loads` of the same bytes",
        ours=seconds(median(mine)),
        theirs=seconds(median(theirs)),
        ratio=f"{ratio:.2f}x",
        target="<= 1.30x",
        met=ratio <= 1.3,
    )
