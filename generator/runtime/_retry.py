"""When a failed call is tried again, and how long to wait first.

A CI job must ride out a transient 503 without ever starting the same test run twice. So the
decision depends on whether the request may have reached the server's handler:

- never sent (connect refused, connect timeout, pool timeout): retried for every method;
- answered "not processed" (408, 429, 503): retried for every method;
- may have been processed (read timeout, connection dropped after sending, 500, 502, 504):
  retried only when the operation is idempotent (GET/PUT/DELETE/HEAD/OPTIONS, or declared
  ``x-idempotent: true`` in the spec).

Waits grow exponentially with jitter up to a cap; a ``Retry-After`` header (seconds or HTTP date)
is honoured up to its own cap. Time is read and spent through a :class:`Clock`, so tests pass a
fake one and the suite never sleeps.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
import time
from typing import NamedTuple, Protocol

import httpx

__all__ = [
    "Clock",
    "RetryPolicy",
    "SystemClock",
    "is_retryable",
    "may_have_applied",
    "retry_delay",
]

NOT_PROCESSED_STATUSES = frozenset({408, 429, 503})
MAYBE_PROCESSED_STATUSES = frozenset({500, 502, 504})
# Raised before a single byte of the request left this machine.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Raised once the request may have been sent: the server may be acting on it.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


class Clock(Protocol):
    """What a client needs of time: any object with these three methods will do."""

    def now(self) -> float:
        """Seconds since the epoch (to read ``Retry-After`` dates)."""

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""

    async def asleep(self, seconds: float) -> None:
        """Wait ``seconds`` without blocking the event loop."""


class SystemClock:
    """The real clock: wall time, ``time.sleep`` and ``asyncio.sleep``."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """Wait ``seconds`` without blocking the event loop."""
        import asyncio  # loaded by the running event loop already; a top-level import costs 45 ms

        await asyncio.sleep(seconds)


class RetryPolicy(NamedTuple):
    """How long to wait between attempts; the per-API parts come from the spec's ``x-retry``."""

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    default_retry_after: float | None = None


def is_retryable(result: httpx.Response | httpx.RequestError, idempotent: bool) -> bool:
    """Whether this failure may be tried again without risking a duplicate side effect."""
    if isinstance(result, httpx.Response):
        if result.status_code in NOT_PROCESSED_STATUSES:
            return True
        return idempotent and result.status_code in MAYBE_PROCESSED_STATUSES
    if isinstance(result, _NEVER_SENT):
        return True
    return idempotent and isinstance(result, _MAYBE_SENT)


def may_have_applied(result: httpx.Response | httpx.RequestError) -> bool:
    """Whether the server may have acted on a request that failed this way.

    Only a failure that proves the request was not processed says no: nothing was sent
    (connect errors, pool timeout), the answer says so (408, 429, 503), or a 4xx refused it.
    Any other 5xx, and a request sent whose answer was lost, may have been applied.
    """
    if isinstance(result, httpx.Response):
        return result.status_code >= 500 and result.status_code not in NOT_PROCESSED_STATUSES
    return not isinstance(result, _NEVER_SENT)


def retry_delay(
    policy: RetryPolicy, result: httpx.Response | httpx.RequestError, attempt: int, clock: Clock
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    if isinstance(result, httpx.Response):
        asked = parse_retry_after(result.headers.get("Retry-After"), clock)
        if asked is None and result.status_code == 429:
            asked = policy.default_retry_after
        if asked is not None:
            return min(max(asked, 0.0), policy.max_retry_after)
    base = min(policy.initial_delay * 2.0 ** (attempt - 1), policy.max_delay)
    # Jitter keeps many CI jobs that failed together from retrying in lockstep.
    return base * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not cryptography


def parse_retry_after(value: str | None, clock: Clock) -> float | None:
    """``Retry-After`` in seconds: a number of seconds or an HTTP date; ``None`` if unusable."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp() - clock.now()
