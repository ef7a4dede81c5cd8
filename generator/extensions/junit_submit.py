"""``x-junit-submit``: how a test suite's JUnit files are reported to the API in one call.

A test-management API takes results in its own sequence of calls (create a run, maybe a thread,
append the tests in batches, complete), and only the spec can say which operations those are
and how a JUnit test case becomes a request. The spec declares it on the operation that creates
the run; this module checks the declaration (located problems: unknown operations, arguments
the operation does not take, required ones left out, unknown placeholders) and lowers it into
:class:`ir.Submit`, which the templates render as a ``submit`` method and a ``submit`` command
over the runtime's ``_junit/submit.py`` module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .. import ir
from ..load.document import Document
from ..load.spec import operations
from . import schema_paths
from ._base import NAME, Checks, Extension, Found, arguments

_STEP: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["operation"],
    "properties": {"operation": NAME, "arguments": {"type": "object"}},
}
OUTCOMES = ("passed", "failure", "error", "skipped")
UNITS = {"seconds": 1.0, "milliseconds": 0.001, "microseconds": 0.000001}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["run", "append", "statuses"],
    "properties": {
        "method-name": NAME,
        "run": NAME,
        "thread": {
            **_STEP,
            "required": ["operation", "id"],
            "properties": {**_STEP["properties"], "id": NAME},
        },
        "append": {
            **_STEP,
            "properties": {
                **_STEP["properties"],
                "batch": {"type": "integer", "minimum": 1},
                "case": {"type": "object"},
            },
            "dependentRequired": {"batch": ["case"], "case": ["batch"]},
        },
        "complete": {"type": "array", "items": _STEP},
        "statuses": {
            "type": "object",
            "additionalProperties": False,
            "required": list(OUTCOMES),
            "properties": dict.fromkeys(OUTCOMES, NAME),
        },
        "time-unit": {"enum": list(UNITS)},
    },
}

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)\}")
# What each place of the declaration may name (the runtime's _junit/submit_types.py fills them).
RUN_VALUES = frozenset({"run", "total.time", "total.cases"})
CASE_VALUES = frozenset(
    {"name", "classname", "folder", "key", "status", "time", "file", "line", "message", "text"}
    | {"output", "errors"}
)
EACH = {
    "results": frozenset({"item.kind", "item.label", "item.message", "item.type", "item.text"}),
    "properties": frozenset({"item.name", "item.value"}),
    "system-out": frozenset({"item.text"}),
    "system-err": frozenset({"item.text"}),
}

# What the submit method and command add beside the create operation's own arguments.
OWN_ARGUMENTS = frozenset(
    {
        "results",
        "ignore_parse_errors",
        "complete_on_error",
        "fail_on_failures",
        "on_batch",
        "run_id",
        "skip",
    }
)

Problem = Callable[[list[Any], str], None]
# (every argument's wire name, the required ones) of an operation at a location.
ArgumentsOf = Callable[[list[str], dict[str, Any]], tuple[set[str], set[str]]]


def check(checks: Checks, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
    """Located problems of a well-shaped ``x-junit-submit`` on the operation at ``where``."""
    doc, problem, by_id = checks.doc, checks.problem, checks.by_id

    def arguments_of(where: list[str], op: dict[str, Any]) -> tuple[set[str], set[str]]:
        return arguments(doc, where, op)

    at = [*where, "x-junit-submit"]
    taken = sorted(arguments_of(where, op)[0] & OWN_ARGUMENTS)
    if taken:
        names = ", ".join(repr(n) for n in taken)
        problem(at, f"the operation takes {names}, which submit's own arguments and flags use")
    inputs = {f"input.{name}" for name in arguments_of(where, op)[0]}
    _path(doc, problem, [*at, "run"], op, ext["run"])
    scope = RUN_VALUES | inputs
    if "thread" in ext and (target := _step(problem, by_id, [*at, "thread"], ext["thread"])):
        _path(doc, problem, [*at, "thread", "id"], target[1], ext["thread"]["id"])
        _arguments(
            problem, [*at, "thread"], ext["thread"], target, arguments_of=arguments_of, scope=scope
        )
        scope |= {"thread"}
    append = ext["append"]
    if target := _step(problem, by_id, [*at, "append"], append):
        batched = "case" in append
        own = scope | ({"cases"} if batched else CASE_VALUES)
        _arguments(problem, [*at, "append"], append, target, arguments_of=arguments_of, scope=own)
        if batched and "{cases}" not in (append.get("arguments") or {}).values():
            problem([*at, "append", "arguments"], "a batched append must pass '{cases}'")
        if batched:
            _placeholders(problem, [*at, "append", "case"], append["case"], CASE_VALUES)
    for index, step in enumerate(ext.get("complete") or ()):
        if target := _step(problem, by_id, [*at, "complete", index], step):
            _arguments(
                problem,
                [*at, "complete", index],
                step,
                target,
                arguments_of=arguments_of,
                scope=scope,
            )


def _step(
    problem: Problem, by_id: dict[str, Found], at: list[Any], step: dict[str, Any]
) -> Found | None:
    found = by_id.get(step["operation"])
    if found is None:
        problem([*at, "operation"], f"operationId {step['operation']!r} does not exist")
    return found


def _path(doc: Document, problem: Problem, at: list[Any], op: dict[str, Any], path: str) -> None:
    root = schema_paths.response_schema(doc, op)
    if schema_paths.walk(doc, root, path)[1] is not None:
        problem(at, f"{path!r} is not a property path of {op.get('operationId')!r}'s answer")


def _arguments(
    problem: Problem,
    at: list[Any],
    step: dict[str, Any],
    target: Found,
    *,
    arguments_of: ArgumentsOf,
    scope: frozenset[str] | set[str],
) -> None:
    """Arguments the operation takes, none of its required ones left out, known placeholders."""
    given = step.get("arguments") or {}
    names, required = arguments_of(*target)
    for name in sorted(set(given) - names):
        problem([*at, "arguments", name], f"{step['operation']!r} takes no argument {name!r}")
    for name in sorted(required - set(given)):
        problem(
            [*at, "arguments"], f"required argument {name!r} of {step['operation']!r} is not given"
        )
    _placeholders(problem, [*at, "arguments"], given, scope)


def _placeholders(
    problem: Problem, at: list[Any], template: Any, scope: frozenset[str] | set[str]
) -> None:
    if isinstance(template, str):
        for name in PLACEHOLDER.findall(template):
            if name not in scope:
                problem(
                    at, f"unknown placeholder {{{name}}} here (known: {', '.join(sorted(scope))})"
                )
    elif isinstance(template, dict):
        if "each" in template and isinstance(template.get("item"), dict | list | str):
            kind = str(template["each"])
            if kind not in EACH:
                problem([*at, "each"], f"each: {kind!r} is not one of {', '.join(EACH)}")
                return
            _placeholders(problem, [*at, "item"], template["item"], set(scope) | EACH[kind])
            return
        for key, value in template.items():
            _placeholders(problem, [*at, key], value, scope)
    elif isinstance(template, list):
        for index, value in enumerate(template):
            _placeholders(problem, [*at, index], value, scope)


# ------------------------------------------------------------------------------ lowering


def lower_resources(doc: Document, resources: tuple[ir.Resource, ...]) -> tuple[ir.Resource, ...]:
    """``resources`` with a ``submit`` helper on each operation that declares one.

    A submit calls operations of other resources too, so it is lowered once all are named.
    """
    found = {op.operation_id: (r, op) for r in resources for op in r.operations}
    raw = {str(op.get("operationId")): op for _, _, op, _ in operations(doc)}
    out = []
    for resource in resources:
        ops = tuple(
            replace(op, submit=_lower(raw[op.operation_id]["x-junit-submit"], op, found))
            if "x-junit-submit" in raw.get(op.operation_id, {})
            else op
            for op in resource.operations
        )
        out.append(replace(resource, operations=ops))
    return tuple(out)


def _lower(
    ext: dict[str, Any], op: ir.Operation, found: dict[str, tuple[ir.Resource, ir.Operation]]
) -> ir.Submit:
    names = {a.wire_name: a.name for a in op.arguments}

    def step(raw: dict[str, Any]) -> ir.SubmitStep:
        resource, target = found[raw["operation"]]
        by_wire = {a.wire_name: a.name for a in target.arguments}
        return ir.SubmitStep(
            resource=resource.name,
            method=target.name,
            arguments=tuple(
                (by_wire[wire], _inputs(value, names))
                for wire, value in (raw.get("arguments") or {}).items()
            ),
        )

    append = ext["append"]
    return ir.Submit(
        method=EXTENSION.helper_name(ext, op.name),
        run=ext["run"],
        append=step(append),
        statuses=tuple((outcome, ext["statuses"][outcome]) for outcome in OUTCOMES),
        unit=UNITS[ext.get("time-unit", "seconds")],
        case=append.get("case"),
        batch=int(append.get("batch", 1)),
        thread=step(ext["thread"]) if "thread" in ext else None,
        thread_id=ext["thread"]["id"] if "thread" in ext else None,
        complete=tuple(step(s) for s in ext.get("complete") or ()),
        arguments=op.arguments,
    )


def _inputs(template: Any, names: dict[str, str]) -> Any:
    """``template`` with ``{input.<wire name>}`` spelled ``{input.<argument name>}``."""
    if isinstance(template, str):
        return PLACEHOLDER.sub(
            lambda m: (
                "{input." + names.get(m.group(1)[6:], m.group(1)[6:]) + "}"
                if m.group(1).startswith("input.")
                else m.group(0)
            ),
            template,
        )
    if isinstance(template, dict):
        return {k: _inputs(v, names) for k, v in template.items()}
    if isinstance(template, list):
        return [_inputs(v, names) for v in template]
    return template


EXTENSION = Extension(
    key="x-junit-submit",
    on="operation",
    schema=SCHEMA,
    check=check,
    lower_resources=lower_resources,
    helper=lambda _: "submit",
)
