"""What the workflow-helper tests share: a client of any API over an injected transport."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx

from tests.faults.harness import FakeClock
from tests.specs import package

BASE_URL = "https://api.test.invalid/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def client(api: str, handler: Handler, is_async: bool) -> Any:
    """The generated sync or async client of ``api``, sending through ``handler``."""
    pkg = package(api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
    return getattr(pkg, ("Async" if is_async else "") + name)(
        api_key="test-key", base_url=BASE_URL, http_client=http, clock=FakeClock()
    )


async def result(value: Any) -> Any:
    """``value``, awaited if the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterator: Any, limit: int | None = None) -> list[Any]:
    """Up to ``limit`` items of a sync or async iterator."""
    items: list[Any] = []
    if hasattr(iterator, "__aiter__"):
        async for item in iterator:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
    else:
        for item in iterator:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
    return items
