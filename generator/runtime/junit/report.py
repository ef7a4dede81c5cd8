"""A final status as JUnit XML, so a CI test view shows the API's test results.

A spec declares, in ``x-polling`` ``junit``, where a status answer holds its groups of tests
and, inside each, its cases, and how each case's status value maps to JUnit's four outcomes.
:class:`JUnitMap` carries that declaration (paths are wire names, dotted) and turns statuses
into :mod:`.records` suites: one ``<testsuite>`` per group, one ``<testcase>`` per case, a
``<failure>``, ``<error>`` or ``<skipped>`` element carrying the case's message, the case's
id and dashboard URL in its ``<system-out>``, the group's URL as a suite property. A status
value the declaration does not list is an error: a CI view must not show an unknown state as
a pass.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from .._values import dump, lookup, to_text
from .records import RESULT_KINDS, JUnitCase, JUnitResult, JUnitSuite, ResultKind
from .write import write_junit

__all__ = ["JUnitMap", "JUnitTime"]


@dataclass(frozen=True)
class JUnitTime:
    """Where a case's time comes from: a ``duration`` (in ``unit`` seconds) or two timestamps."""

    duration: str | None = None
    unit: float = 1.0
    started: str | None = None
    finished: str | None = None

    def seconds(self, case: object) -> float | None:
        """The case's time in seconds, ``None`` when the answer does not give it."""
        if self.duration is not None:
            value = lookup(case, self.duration)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return _finite(value * self.unit)
            return None
        start, end = _instant(lookup(case, self.started)), _instant(lookup(case, self.finished))
        if start is None or end is None:
            return None
        return _finite((end - start).total_seconds())


@dataclass(frozen=True)
class JUnitMap:
    """How a status answer becomes JUnit XML (see the module docstring).

    ``groups`` is the path of the list of groups in the answer, ``group_name`` and
    ``group_url`` paths in each group, ``cases`` the path of its list of cases, and the
    remaining paths are read on each case. ``classname`` falls back to the group's name.
    ``outcomes`` pairs each JUnit outcome (``passed``, ``failure``, ``error``, ``skipped``)
    with the status values that mean it. ``title`` is the path of the document's name.
    """

    groups: str
    group_name: str
    cases: str
    name: str
    status: str
    outcomes: tuple[tuple[str, tuple[str, ...]], ...]
    group_url: str | None = None
    classname: str | None = None
    id: str | None = None
    message: str | None = None
    url: str | None = None
    time: JUnitTime | None = None
    title: str | None = None

    def suites(self, status: object) -> list[tuple[JUnitSuite, list[JUnitCase]]]:
        """One (suite, cases) pair per group of ``status`` (a model or its JSON)."""
        answer = dump(status)
        pairs = []
        for group in _list(lookup(answer, self.groups)):
            name = to_text(lookup(group, self.group_name), other="") or "(unnamed)"
            url = to_text(lookup(group, self.group_url), other="")
            suite = JUnitSuite(name=name, properties=(("url", url),) if url else ())
            cases = [self.case(item, name) for item in _list(lookup(group, self.cases))]
            pairs.append((suite, cases))
        return pairs

    def case(self, item: object, group: str) -> JUnitCase:
        """The JUnit test case of one case of the answer, in the group named ``group``."""
        value = to_text(lookup(item, self.status), other="")
        kind = self.outcome(value)
        message = to_text(lookup(item, self.message), other="") or f"status: {value or '(none)'}"
        results = () if kind is None else (JUnitResult(kind, message, value or None),)
        lines = [
            f"{label}: {text}"
            for label, text in (("id", lookup(item, self.id)), ("url", lookup(item, self.url)))
            if to_text(text, other="")
        ]
        return JUnitCase(
            name=to_text(lookup(item, self.name), other="") or "(unnamed)",
            classname=to_text(lookup(item, self.classname), other="") or group,
            time=self.time.seconds(item) if self.time else None,
            results=results,
            system_out="\n".join(lines) if lines else None,
        )

    def outcome(self, value: str) -> ResultKind | None:
        """The JUnit result kind of a status value (``None``: passed); undeclared: ``error``."""
        for outcome, values in self.outcomes:
            if value in values:
                return RESULT_KINDS.get(outcome)
        return "error"

    def document(self, statuses: Iterable[object]) -> str:
        """The JUnit XML of every group of every status, in order."""
        given = list(statuses)
        return write_junit(self._all(given), name=self._title(given)) or ""

    def write(self, statuses: Iterable[object], file: str | os.PathLike[str] | TextIO) -> str:
        """Write :meth:`document` to a path (replaced) or an open text file; return it."""
        text = self.document(statuses)
        if isinstance(file, str | os.PathLike):
            with open(file, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            file.write(text)
        return text

    def _all(self, statuses: list[object]) -> list[tuple[JUnitSuite, Sequence[JUnitCase]]]:
        return [pair for status in statuses for pair in self.suites(status)]

    def _title(self, statuses: list[object]) -> str | None:
        names = (
            [to_text(lookup(dump(s), self.title), other="") for s in statuses] if self.title else []
        )
        return ", ".join(n for n in names if n) or None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A timestamp without a zone cannot be compared with one that has it: no time, no crash.
    return parsed if parsed.tzinfo is not None else None


def _finite(seconds: float) -> float | None:
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
