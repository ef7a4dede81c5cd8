"""Polling: call a status operation until the spec's completion condition holds.

Vendors describe waiting in words ("poll every 10-15 s until ``is_complete`` is true"). A spec
declares it (``x-polling``: the property and value that mean done, the interval and its bounds)
and the generated ``wait`` method hands a ``poll()`` callable here. Each poll is an ordinary call,
so transient errors get the client's retry rules; a deadline that passes raises
:class:`WaitTimeoutError` carrying the last status seen. ``sleep`` is injectable so tests run
without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from ._exceptions import WaitTimeoutError

__all__ = ["PollSpec", "apoll_until", "poll_until"]

S = TypeVar("S")


@dataclass(frozen=True)
class PollSpec:
    """What the spec says: when a status is final, and which intervals the API allows."""

    attribute: str
    equals: object
    minimum: float | None = None
    maximum: float | None = None

    def done(self, status: object) -> bool:
        """Whether ``status`` is final: its ``attribute`` equals the declared value."""
        return bool(getattr(status, self.attribute, None) == self.equals)

    def check_interval(self, interval: float) -> float:
        """``interval`` if the spec allows it; a ``ValueError`` naming the bounds otherwise."""
        low = self.minimum if self.minimum is not None else 0.0
        high = self.maximum if self.maximum is not None else float("inf")
        if not low <= interval <= high:
            raise ValueError(
                f"poll_interval must be between {low:g} and {high:g} s, got {interval!r}"
            )
        return interval


class _Deadline:
    """How much of an optional time budget is left."""

    def __init__(self, timeout: float | None) -> None:
        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout must be >= 0 or None, got {timeout!r}")
        self.end = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout

    def next_sleep(self, interval: float) -> float | None:
        """Seconds to sleep before the next poll, or ``None`` when the budget is spent."""
        if self.end is None:
            return interval
        left = self.end - time.monotonic()
        return None if left <= 0 else min(interval, left)


def _timeout(last: object, deadline: _Deadline, polls: int) -> WaitTimeoutError:
    message = f"not complete after {deadline.timeout:g} s ({polls} polls)"
    return WaitTimeoutError(message, last=last, polls=polls)


def poll_until(
    poll: Callable[[], S],
    spec: PollSpec,
    *,
    interval: float,
    timeout: float | None,
    on_update: Callable[[S], object] | None,
    sleep: Callable[[float], object] | None = None,
) -> S:
    """Poll until ``spec.done(status)``; return that status."""
    interval, deadline, polls = spec.check_interval(interval), _Deadline(timeout), 0
    while True:
        status, polls = poll(), polls + 1
        if on_update is not None:
            on_update(status)
        if spec.done(status):
            return status
        pause = deadline.next_sleep(interval)
        if pause is None:
            raise _timeout(status, deadline, polls)
        (sleep or time.sleep)(pause)


async def apoll_until(
    poll: Callable[[], Awaitable[S]],
    spec: PollSpec,
    *,
    interval: float,
    timeout: float | None,
    on_update: Callable[[S], object] | None,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> S:
    """The async twin of :func:`poll_until`."""
    interval, deadline, polls = spec.check_interval(interval), _Deadline(timeout), 0
    while True:
        status, polls = await poll(), polls + 1
        if on_update is not None:
            on_update(status)
        if spec.done(status):
            return status
        pause = deadline.next_sleep(interval)
        if pause is None:
            raise _timeout(status, deadline, polls)
        import asyncio  # loaded by the running event loop already; a top-level import costs 45 ms

        await (sleep or asyncio.sleep)(pause)
