"""A final status as JUnit XML, so a CI test view shows the API's test results.

A spec declares, in ``x-polling`` ``junit``, where a status answer holds its groups of tests
and, inside each, its cases, and how each case's status value maps to JUnit's four outcomes.
:class:`JUnitMap` carries that declaration (paths are wire names, dotted) and turns statuses
into :mod:`._junit` suites: one ``<testsuite>`` per group, one ``<testcase>`` per case, a
``<failure>``, ``<error>`` or ``<skipped>`` element carrying the case's message, the case's
id and dashboard URL in its ``<system-out>``, the group's URL as a suite property. A status
value the declaration does not list is an error: a CI view must not show an unknown state as
a pass.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from ._junit import JUnitCase, JUnitResult, JUnitSuite, ResultKind
from ._junit_write import write_junit

__all__ = ["JUnitMap", "JUnitTime"]

_KINDS: dict[str, ResultKind] = {"failure": "failure", "error": "error", "skipped": "skipped"}


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
            value = _get(case, self.duration)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return _finite(value * self.unit)
            return None
        start, end = _instant(_get(case, self.started)), _instant(_get(case, self.finished))
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
        answer = _json(status)
        pairs = []
        for group in _list(_get(answer, self.groups)):
            name = _text(_get(group, self.group_name)) or "(unnamed)"
            url = _text(_get(group, self.group_url))
            suite = JUnitSuite(name=name, properties=(("url", url),) if url else ())
            cases = [self.case(item, name) for item in _list(_get(group, self.cases))]
            pairs.append((suite, cases))
        return pairs

    def case(self, item: object, group: str) -> JUnitCase:
        """The JUnit test case of one case of the answer, in the group named ``group``."""
        value = _text(_get(item, self.status))
        kind = self.outcome(value)
        message = _text(_get(item, self.message)) or f"status: {value or '(none)'}"
        results = () if kind is None else (JUnitResult(kind, message, value or None),)
        lines = [
            f"{label}: {text}"
            for label, text in (("id", _get(item, self.id)), ("url", _get(item, self.url)))
            if _text(text)
        ]
        return JUnitCase(
            name=_text(_get(item, self.name)) or "(unnamed)",
            classname=_text(_get(item, self.classname)) or group,
            time=self.time.seconds(item) if self.time else None,
            results=results,
            system_out="\n".join(lines) if lines else None,
        )

    def outcome(self, value: str) -> ResultKind | None:
        """The JUnit result kind of a status value (``None``: passed); undeclared: ``error``."""
        for outcome, values in self.outcomes:
            if value in values:
                return _KINDS.get(outcome)
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
        names = [_text(_get(_json(s), self.title)) for s in statuses] if self.title else []
        return ", ".join(n for n in names if n) or None


def _json(value: object) -> object:
    """A model as JSON by wire name (everything received kept); JSON as it is."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    return value


def _get(value: object, path: str | None) -> object:
    """The value at a dotted path of wire names, ``None`` where a step is missing."""
    if path is None:
        return None
    for step in path.split("."):
        value = value.get(step) if isinstance(value, Mapping) else None
    return value


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: object) -> str:
    """A scalar as text ("" for none); a bool as JSON writes it."""
    if value is None or isinstance(value, Mapping | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
