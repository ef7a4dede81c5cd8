"""Polling: call a status operation until the spec's completion condition holds.

Vendors describe waiting in words ("poll every 10-15 s until the batch is complete", "a run is
finished once its end time is set"). A spec declares it (``x-polling``: where the value that
means done lies, what it must be, the interval and its bounds) and the generated ``wait`` method
hands a ``poll()`` callable here. Each poll is an ordinary call, so transient errors get the
client's retry rules; a poll that still fails transiently (a 5xx, 429 or 408, no answer, a body
that is not JSON) is logged and tried again with backoff until the wait's own deadline: a burst
of 503s does not end a 30-minute wait. Only an answer that will not change (401, 403, 404 and
the other 4xx) ends it at once. An overall ``wait_timeout`` that passes raises
:class:`WaitTimeoutError` carrying the last status seen. Time is the client's clock (``clock=``), so tests that pass a
fake clock run without waiting; ``sleep`` may replace just the pause.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    ClientError,
)
from ._values import Path, lookup

if TYPE_CHECKING:
    from ._retry import Clock

__all__ = ["PollSpec", "WaitTimeoutError", "apoll_until", "lookup", "poll_until"]


class WaitTimeoutError(ClientError, TimeoutError):
    """A ``wait`` helper's overall ``wait_timeout`` passed before the completion condition held."""

    def __init__(self, message: str, *, last: object, polls: int) -> None:
        super().__init__(message)
        self.last = last
        self.polls = polls


S = TypeVar("S")


@dataclass(frozen=True)
class PollSpec:
    """What the spec says: which value means done, and the shortest interval the API allows.

    The value at ``path`` must equal ``equals``, or only be set (not null) when ``is_set``.
    With ``every``, ``path`` is read on each item of the list there, and the status is final
    when the list has items and each one meets the condition.
    """

    path: Path
    equals: object = None
    is_set: bool = False
    every: Path | None = None
    minimum: float | None = None

    def met(self, value: object) -> bool:
        """Whether one value meets the condition."""
        return value is not None if self.is_set else bool(value == self.equals)

    def done(self, status: object) -> bool:
        """Whether ``status`` is final."""
        if self.every is None:
            return self.met(lookup(status, self.path))
        items = lookup(status, self.every)
        # No runs yet is not "all finished": the list may still be filling.
        if not isinstance(items, list | tuple) or not items:
            return False
        return all(self.met(lookup(item, self.path)) for item in items)

    def check_interval(self, interval: float) -> float:
        """``interval`` unless it is below the spec's minimum (longer ones are harmless)."""
        low = self.minimum if self.minimum is not None else 0.0
        if not (math.isfinite(interval) and interval >= low):
            raise ValueError(f"poll_interval must be at least {low:g} s, got {interval!r}")
        return interval


class _Deadline:
    """How much of an optional time budget is left, read on the client's clock."""

    def __init__(self, wait_timeout: float | None, clock: Clock) -> None:
        if wait_timeout is not None and not wait_timeout >= 0:
            raise ValueError(f"wait_timeout must be >= 0 or None, got {wait_timeout!r}")
        self.clock = clock
        self.end = None if wait_timeout is None else clock.now() + wait_timeout
        self.wait_timeout = wait_timeout

    def next_sleep(self, interval: float) -> float | None:
        """Seconds to sleep before the next poll, or ``None`` when the budget is spent."""
        if self.end is None:
            return interval
        left = self.end - self.clock.now()
        return None if left <= 0 else min(interval, left)


def _timeout(
    last: object, deadline: _Deadline, polls: int, error: APIError | None = None
) -> WaitTimeoutError:
    message = f"not complete after {deadline.wait_timeout:g} s ({polls} polls)"
    if error is not None:
        message += f"; the last poll failed: {error}"
    return WaitTimeoutError(message, last=last, polls=polls)


# The longest pause between polls that failed in a row.
_MAX_BACKOFF = 60.0


def _transient(error: APIError) -> bool:
    """Whether a failed poll may succeed later: no answer, a 5xx, 429 or 408, a body not JSON."""
    if isinstance(error, APIConnectionError | APIResponseValidationError):
        return True
    return isinstance(error, APIStatusError) and (
        error.status_code >= 500 or error.status_code in (408, 429)
    )


class _Loop:
    """The state of one wait: the deadline, the polls made, the last status and failure."""

    def __init__(
        self, spec: PollSpec, interval: float, wait_timeout: float | None, clock: Clock
    ) -> None:
        self.spec, self.interval = spec, spec.check_interval(interval)
        self.deadline = _Deadline(wait_timeout, clock)
        self.polls, self.failures = 0, 0
        self.last: object = None

    def answered(self, status: object) -> float | None:
        """After a poll answered: ``None`` when ``status`` is final, else the pause to make."""
        self.polls, self.failures, self.last = self.polls + 1, 0, status
        if self.spec.done(status):
            return None
        pause = self.deadline.next_sleep(self.interval)
        if pause is None:
            raise _timeout(status, self.deadline, self.polls)
        return pause

    def failed(self, error: APIError, log: logging.Logger | None) -> float:
        """After a poll failed: the pause before the next, or the error that ends the wait."""
        self.polls, self.failures = self.polls + 1, self.failures + 1
        if not _transient(error):
            raise error
        base = self.interval if self.interval > 0 else 0.5
        backoff = min(base * 2.0 ** min(self.failures - 1, 16), max(base, _MAX_BACKOFF))
        pause = self.deadline.next_sleep(backoff)
        if pause is None:
            raise _timeout(self.last, self.deadline, self.polls, error) from error
        if log is not None:
            log.warning("poll %d failed (%s); polling again in %.1fs", self.polls, error, pause)
        return pause


def poll_until(
    poll: Callable[[], S],
    spec: PollSpec,
    *,
    interval: float,
    wait_timeout: float | None,
    on_update: Callable[[S], object] | None,
    clock: Clock,
    sleep: Callable[[float], object] | None = None,
    log: logging.Logger | None = None,
) -> S:
    """Poll until ``spec.done(status)``; return that status."""
    loop = _Loop(spec, interval, wait_timeout, clock)
    while True:
        try:
            status = poll()
        except APIError as error:
            pause = loop.failed(error, log)
        else:
            if on_update is not None:
                on_update(status)
            found = loop.answered(status)
            if found is None:
                return status
            pause = found
        (sleep or clock.sleep)(pause)


async def apoll_until(
    poll: Callable[[], Awaitable[S]],
    spec: PollSpec,
    *,
    interval: float,
    wait_timeout: float | None,
    on_update: Callable[[S], object] | None,
    clock: Clock,
    sleep: Callable[[float], Awaitable[object]] | None = None,
    log: logging.Logger | None = None,
) -> S:
    """The async twin of :func:`poll_until`."""
    loop = _Loop(spec, interval, wait_timeout, clock)
    while True:
        try:
            status = await poll()
        except APIError as error:
            pause = loop.failed(error, log)
        else:
            if on_update is not None:
                on_update(status)
            found = loop.answered(status)
            if found is None:
                return status
            pause = found
        await (sleep or clock.asleep)(pause)
