"""``x-polling`` ``junit``: how a wait's final status is written as JUnit XML.

A CI test view (GitHub Actions, GitLab, Jenkins) reads JUnit XML, and an API's status answer
holds the same facts in its own shape: groups of tests, each test's name, status, summary and
dashboard URL. Only the spec knows where they lie and which status values mean a pass, so the
spec declares it; this module checks the declaration (located problems) and lowers it into
:class:`ir.JUnitMap`, which the templates render as the runtime's ``JUnitMap``
(``_junit/report.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ir

_NAME = {"type": "string", "minLength": 1}
_VALUES = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
OUTCOMES = ("passed", "failure", "error", "skipped")
# Seconds per unit of a duration.
UNITS = {"seconds": 1.0, "milliseconds": 0.001, "microseconds": 0.000001}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["groups", "group", "cases", "case", "statuses"],
    "properties": {
        "name": _NAME,
        "groups": _NAME,
        "group": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {"name": _NAME, "url": _NAME},
        },
        "cases": _NAME,
        "case": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "status"],
            "properties": {
                "name": _NAME,
                "classname": _NAME,
                "id": _NAME,
                "status": _NAME,
                "message": _NAME,
                "url": _NAME,
                "time": {
                    "type": "object",
                    "additionalProperties": False,
                    "oneOf": [{"required": ["duration"]}, {"required": ["started", "finished"]}],
                    "properties": {
                        "duration": _NAME,
                        "unit": {"enum": list(UNITS)},
                        "started": _NAME,
                        "finished": _NAME,
                    },
                },
            },
        },
        "statuses": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": dict.fromkeys(OUTCOMES, _VALUES),
        },
    },
}

Problem = Callable[[list[Any], str], None]
PathCheck = Callable[[list[Any], str], None]


def check(problem: Problem, at: list[Any], junit: dict[str, Any], path: PathCheck) -> None:
    """Located problems of a well-shaped ``junit``: paths naming no property, doubled values.

    ``path(where, dotted)`` reports a dotted path that names no property of the answer; group
    paths are read from ``groups``, case paths from ``groups.cases``.
    """
    group, case = junit["groups"], f"{junit['groups']}.{junit['cases']}"
    if "name" in junit:
        path([*at, "name"], junit["name"])
    path([*at, "groups"], group)
    for key, value in junit["group"].items():
        path([*at, "group", key], f"{group}.{value}")
    path([*at, "cases"], case)
    for key, value in junit["case"].items():
        if key != "time":
            path([*at, "case", key], f"{case}.{value}")
    for key, value in (junit["case"].get("time") or {}).items():
        if key != "unit":
            path([*at, "case", "time", key], f"{case}.{value}")
    seen: dict[str, str] = {}
    for outcome, values in junit["statuses"].items():
        for value in values:
            if value in seen:
                problem(
                    [*at, "statuses", outcome],
                    f"status {value!r} is listed under {seen[value]!r} and {outcome!r}",
                )
            seen.setdefault(value, outcome)


def lower(junit: dict[str, Any] | None) -> ir.JUnitMap | None:
    """The IR of a checked ``junit`` declaration (``None`` without one)."""
    if not junit:
        return None
    case, time = junit["case"], junit["case"].get("time") or {}
    return ir.JUnitMap(
        groups=junit["groups"],
        group_name=junit["group"]["name"],
        group_url=junit["group"].get("url"),
        cases=junit["cases"],
        name=case["name"],
        status=case["status"],
        outcomes=tuple(
            (outcome, tuple(junit["statuses"][outcome]))
            for outcome in OUTCOMES
            if outcome in junit["statuses"]
        ),
        classname=case.get("classname"),
        id=case.get("id"),
        message=case.get("message"),
        url=case.get("url"),
        duration=time.get("duration"),
        unit=UNITS[time.get("unit", "seconds")],
        started=time.get("started"),
        finished=time.get("finished"),
        title=junit.get("name"),
    )
