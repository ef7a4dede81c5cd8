"""The caller modules of ``tests/callers`` run against Prism: what type-checks is also accepted.

Each module calls every operation of one client as its README and the vendor's docs do (dict
literals, tuples, models, TypedDicts, UUIDs and date-times as text); Prism validates every
request against the spec, and a response carrying its ``sl-violations`` header fails the test.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.calls import close, make_client
from tests.e2e.prism import Prism
from tests.specs import APIS

KEY = "prism-test-key"


class Violations:
    """httpx response hooks that keep what Prism said was wrong with a request."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.exchanges = 0

    def sync(self, response: httpx.Response) -> None:
        self.exchanges += 1
        if "sl-violations" in response.headers:
            request = response.request
            self.found.append(
                f"{request.method} {request.url}: {response.headers['sl-violations']}"
            )

    async def async_(self, response: httpx.Response) -> None:
        self.sync(response)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("api", APIS)
async def test_caller_module_runs_against_prism(
    api: str, is_async: bool, prism: Callable[[str], Prism]
) -> None:
    module = importlib.import_module(f"tests.callers.uses_{api}")
    violations = Violations()
    hook = violations.async_ if is_async else violations.sync
    client: Any = make_client(
        api, is_async, prism(api).base_url, KEY, event_hooks={"response": [hook]}
    )
    try:
        results = await module.async_calls(client) if is_async else module.calls(client)
    finally:
        await close(client, is_async)  # the injected httpx client is the test's to close
    assert results and all(result is not None for result in results)
    assert violations.exchanges >= len(results)
    assert violations.found == []
