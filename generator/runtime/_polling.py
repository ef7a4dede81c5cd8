"""Polling: call a status operation until the spec's completion condition holds.

Vendors describe waiting in words ("poll every 10-15 s until the batch is complete", "a run is
finished once its end time is set"). A spec declares it (``x-polling``: where the value that
means done lies, what it must be, the interval and its bounds) and the generated ``wait`` method
hands a ``poll()`` callable here. Each poll is an ordinary call, so transient errors get the
client's retry rules; an overall ``wait_timeout`` that passes raises :class:`WaitTimeoutError`
carrying the last status seen. Time is the client's clock (``clock=``), so tests that pass a
fake clock run without waiting; ``sleep`` may replace just the pause.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ._exceptions import ClientError

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

# One step into a response: the attribute name on a model, and the wire name in plain JSON.
Path = tuple[tuple[str, str], ...]
_ABSENT = object()


def lookup(value: object, path: Path) -> object:
    """The value at ``path`` in ``value``; ``None`` where a step is missing or null.

    Each part may be a model or the plain JSON received (a part that did not match its
    schema is kept as it came), so a step reads a mapping by wire name and anything else by
    attribute, then by wire name (an unknown field kept on a model).
    """
    for attribute, wire in path:
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(wire)
            continue
        found = getattr(value, attribute, _ABSENT)
        value = getattr(value, wire, None) if found is _ABSENT else found
    return value


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


def _timeout(last: object, deadline: _Deadline, polls: int) -> WaitTimeoutError:
    message = f"not complete after {deadline.wait_timeout:g} s ({polls} polls)"
    return WaitTimeoutError(message, last=last, polls=polls)


def poll_until(
    poll: Callable[[], S],
    spec: PollSpec,
    *,
    interval: float,
    wait_timeout: float | None,
    on_update: Callable[[S], object] | None,
    clock: Clock,
    sleep: Callable[[float], object] | None = None,
) -> S:
    """Poll until ``spec.done(status)``; return that status."""
    interval, deadline, polls = spec.check_interval(interval), _Deadline(wait_timeout, clock), 0
    while True:
        status, polls = poll(), polls + 1
        if on_update is not None:
            on_update(status)
        if spec.done(status):
            return status
        pause = deadline.next_sleep(interval)
        if pause is None:
            raise _timeout(status, deadline, polls)
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
) -> S:
    """The async twin of :func:`poll_until`."""
    interval, deadline, polls = spec.check_interval(interval), _Deadline(wait_timeout, clock), 0
    while True:
        status, polls = await poll(), polls + 1
        if on_update is not None:
            on_update(status)
        if spec.done(status):
            return status
        pause = deadline.next_sleep(interval)
        if pause is None:
            raise _timeout(status, deadline, polls)
        await (sleep or clock.asleep)(pause)
