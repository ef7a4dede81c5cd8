"""``x-polling``: poll a status operation until the value that means done is final.

Declared on the status operation: ``until`` names the property path whose value is final when
it ``equals`` a value or ``is-set`` (on ``every`` item of a list, if given), ``interval`` the
seconds between polls (``default``, and the ``minimum``/``maximum`` the vendor recommends). The
resource gains ``wait``, which polls with a deadline. Four keys say what only the spec knows
about the command line's ``wait`` command:

- ``progress``: the paths of the values one progress line per poll shows;
- ``outcome``: when a finished status means the tests failed (exit 5): ``total`` and the
  ``passed`` counts that must add up to it, a total of zero failing too;
- ``started-by``: the operations whose work the wait awaits (``--wait`` on them), with the
  wait's arguments read off their answer and the path of the ids ``--output ids`` prints;
- ``junit``: how the final status is written as JUnit XML (``--junit FILE``, and a ``junit``
  method; see :mod:`.junit_report`).

Paths of those four keys are wire names through the JSON answer; a step through a list reads
every item (for ``ids``) or the first one (for a wait argument).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import ir
from . import junit_report, schema_paths
from ._base import NAME, NUMBER, Checks, Extension, Lowering, params
from .schema_paths import response_ref, response_schema

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["until", "interval"],
    "properties": {
        "method-name": NAME,
        "until": {
            "type": "object",
            "additionalProperties": False,
            "required": ["property"],
            "oneOf": [{"required": ["equals"]}, {"required": ["is-set"]}],
            "properties": {
                "property": NAME,
                "equals": {},
                "is-set": {"const": True},
                "every": NAME,
            },
        },
        "interval": {
            "type": "object",
            "additionalProperties": False,
            "required": ["default"],
            "properties": {"default": NUMBER, "minimum": NUMBER, "maximum": NUMBER},
        },
        "progress": {"type": "array", "items": NAME, "uniqueItems": True},
        "outcome": {
            "type": "object",
            "additionalProperties": False,
            "required": ["total", "passed"],
            "properties": {
                "total": NAME,
                "passed": {"type": "array", "items": NAME, "minItems": 1},
            },
        },
        "started-by": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["operation", "arguments"],
                "properties": {
                    "operation": NAME,
                    "arguments": {
                        "type": "object",
                        "additionalProperties": NAME,
                        "minProperties": 1,
                    },
                    "ids": NAME,
                },
            },
        },
        "junit": junit_report.SCHEMA,
    },
}


# ------------------------------------------------------------------------------ checking


def check(checks: Checks, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
    """``until`` names property paths of the answer; the interval is consistent; the command
    line's keys name paths of the answers and parameters of the operation."""
    at, until = [*where, "x-polling"], ext["until"]
    root, owner = response_schema(checks.doc, op), "the response"
    if "every" in until:
        root = checks.path([*at, "until", "every"], root, until["every"], "every", owner)
        owner = f"each item of {until['every']!r}"
    if root is not None:
        checks.path([*at, "until", "property"], root, until["property"], "until", owner)
    interval = ext["interval"]
    low, high = interval.get("minimum", 0), interval.get("maximum", float("inf"))
    if not low <= interval["default"] <= high:
        checks.problem([*at, "interval"], "default must lie between minimum and maximum")
    _check_command_line(checks, at, op, ext, taken=set(params(checks.doc, where, op)))
    if ext.get("junit"):
        checks.name([*at, "junit"], op, "junit")


def _check_command_line(
    checks: Checks, at: list[Any], op: dict[str, Any], ext: dict[str, Any], *, taken: set[str]
) -> None:
    """Located problems of the command-line keys; ``taken`` holds the operation's parameters."""
    response = response_ref(checks.doc, op)
    for index, path in enumerate(ext.get("progress") or ()):
        _path(checks, [*at, "progress", index], response, path)
    outcome = ext.get("outcome")
    if outcome:
        _path(checks, [*at, "outcome", "total"], response, outcome["total"])
        for index, path in enumerate(outcome["passed"]):
            _path(checks, [*at, "outcome", "passed", index], response, path)
    for index, start in enumerate(ext.get("started-by") or ()):
        _start(checks, [*at, "started-by", index], start, taken=taken)
    if ext.get("junit"):
        junit_report.check(
            checks.problem,
            [*at, "junit"],
            ext["junit"],
            lambda where, path: _path(checks, where, response, path),
        )


def _start(checks: Checks, at: list[Any], start: dict[str, Any], *, taken: set[str]) -> None:
    target = checks.by_id.get(start["operation"])
    if target is None:
        checks.problem([*at, "operation"], f"operationId {start['operation']!r} does not exist")
        return
    response = response_ref(checks.doc, target[1])
    for name, path in start["arguments"].items():
        if name not in taken:
            checks.problem(
                [*at, "arguments", name], f"{name!r} is not a parameter of the polled operation"
            )
        _path(checks, [*at, "arguments", name], response, path)
    if "ids" in start:
        _path(checks, [*at, "ids"], response, start["ids"])


def _path(checks: Checks, at: list[Any], root: Any, path: str) -> None:
    """A problem unless ``path`` (wire names, stepping through lists) names a property."""
    steps, stopped = schema_paths.walk(checks.doc, root, path, through_lists=True)
    if stopped is not None:
        name = path.split(".")[len(steps)]
        checks.problem(at, f"{path!r}: {name!r} is not a property of the answer")


# ------------------------------------------------------------------------------ lowering


def lower(lowering: Lowering, op: ir.Operation, ext: dict[str, Any]) -> ir.Operation:
    """``op`` with its :class:`ir.Polling`, the command line's keys included."""
    interval, until = ext["interval"], ext["until"]
    root, every = response_ref(lowering.doc, lowering.raw[op.operation_id][1]), None
    if "every" in until:
        every, last = lowering.steps(root, until["every"])
        root = schema_paths.items_of(lowering.doc, last)
    outcome = ext.get("outcome")
    polling = ir.Polling(
        method=EXTENSION.helper_name(ext, op.name),
        path=lowering.steps(root, until["property"])[0],
        equals=until.get("equals"),
        is_set="is-set" in until,
        every=every,
        interval=float(interval["default"]),
        minimum=interval.get("minimum"),
        maximum=interval.get("maximum"),
        junit=junit_report.lower(ext.get("junit")),
        progress=tuple(ext.get("progress") or ()),
        outcome=(outcome["total"], tuple(outcome["passed"])) if outcome else None,
        started_by=tuple(
            (start["operation"], tuple(start["arguments"].items()), start.get("ids"))
            for start in ext.get("started-by") or ()
        ),
    )
    return replace(op, polling=polling)


EXTENSION = Extension(
    key="x-polling",
    on="operation",
    schema=SCHEMA,
    check=check,
    lower=lower,
    helper=lambda _: "wait",
)
