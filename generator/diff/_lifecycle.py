"""Deprecation lifecycle: when removing an operation, parameter or property breaks nobody.

A removal is allowed (reported, not breaking) when the thing removed was ``deprecated`` and its
sunset date has passed, or when its ``x-stability-level`` said it was ``draft`` or ``alpha``. The
sunset date is ``x-sunset`` (an ISO date, or an HTTP date) beside ``deprecated``, or for an
operation the ``Sunset`` response header documented as RFC 8594 describes it (its ``example``, or
its schema's ``example``/``default``/``const``). "Today" is the comparison's, so a test can fix it.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from ._norm import Side, mapping

if TYPE_CHECKING:
    from ._context import Context
    from ._operation import Operation

STABILITY = ("draft", "alpha", "beta", "stable")  # oasdiff's levels, least stable first
_UNSTABLE = frozenset({"draft", "alpha"})  # removing these breaks no promise


class Invalid(str):
    """A sunset date that could not be read, as it was written."""

    __slots__ = ()


def removal(ctx: Context, side: Side, raw: Any, op: Operation | None = None) -> str | None:
    """Why removing ``raw`` (an operation, parameter or property) breaks nobody; None if it does.

    ``op`` is the operation ``raw`` belongs to when ``raw`` is the operation itself, so its
    documented ``Sunset`` header counts.
    """
    raw = mapping(side.deref(raw))
    level = raw.get("x-stability-level")
    if level in _UNSTABLE:
        return f"its `x-stability-level` was `{level}`"
    if raw.get("deprecated") is not True:
        return None
    date = sunset(raw, op)
    if isinstance(date, dt.date) and date <= ctx.today:
        return f"deprecated, sunset {date.isoformat()} passed"
    return None


def why_breaking(raw: Any, side: Side, op: Operation | None = None) -> str:
    """What the report adds to a breaking removal of something deprecated (else nothing)."""
    raw = mapping(side.deref(raw))
    if raw.get("deprecated") is not True:
        return ""
    date = sunset(raw, op)
    if date is None:
        return " (deprecated, but no sunset date says when it may go)"
    if isinstance(date, Invalid):
        return f" (deprecated, but its sunset date `{date}` is not a date)"
    return f" (deprecated, but its sunset date {date.isoformat()} has not passed)"


def sunset(raw: dict[str, Any], op: Operation | None = None) -> dt.date | Invalid | None:
    """The sunset date of ``raw``: ``x-sunset``, else its operation's ``Sunset`` header."""
    if "x-sunset" in raw:
        return parse(raw["x-sunset"])
    documented = _headers(op) if op is not None else []
    return parse(documented[0]) if documented else None


def parse(value: Any) -> dt.date | Invalid:
    """A date from an ISO date or date-time, or an HTTP date (RFC 8594); :class:`Invalid` if not."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return Invalid(text)


def _headers(op: Operation) -> list[Any]:
    """The documented values of the operation's ``Sunset`` response headers."""
    found = []
    for response in mapping(op.raw.get("responses")).values():
        headers = mapping(mapping(op.side.deref(response)).get("headers"))
        for name, header in headers.items():
            if name.lower() == "sunset":
                header = mapping(op.side.deref(header))
                schema = mapping(op.side.deref(header.get("schema")))
                places = ((header, "example"), *((schema, key) for key in _SCHEMA_KEYS))
                found += [holder[key] for holder, key in places if key in holder][:1]
    return found


_SCHEMA_KEYS = ("example", "default", "const")


def compare_lifecycle(ctx: Context, a: Operation, b: Operation) -> None:
    """Report a sunset date deleted or unreadable, and an invalid or lowered stability level."""
    say = ctx.at(b.where, b.pointer)
    before, after = a.raw.get("x-sunset"), b.raw.get("x-sunset")
    if before is not None and after is None:
        say("sunset date removed", f"sunset date `{before}` deleted", ())
    elif after is not None and before != after and isinstance(parse(after), Invalid):
        say("sunset date invalid", f"`x-sunset` `{after}` is not a date", ())
    elif before != after:
        say("sunset date changed", f"sunset date {_level(before)} → {_level(after)}", ())
    old, new = a.raw.get("x-stability-level"), b.raw.get("x-stability-level")
    if new is not None and new != old and new not in STABILITY:
        text = f"`x-stability-level` `{new}` is not one of {', '.join(STABILITY)}"
        say("stability level invalid", text, ())
    elif old != new:
        lower = old in STABILITY and new in STABILITY and _rank(new) < _rank(old)
        text = f"`x-stability-level` {_level(old)} → {_level(new)}"
        say("stability level changed", text + (" (less stable)" if lower else ""), ())


def _rank(level: Any) -> int:
    return STABILITY.index(level)


def _level(level: Any) -> str:
    return "none" if level is None else f"`{level}`"
