"""The command line of each package (``python -m <package>``), decided from the IR.

Every method becomes a command: ``RESOURCE COMMAND`` in kebab case, path parameters positional,
every other argument a ``--flag`` typed from its annotation. The workflow helpers become
commands too (``iter`` prints JSON Lines, ``wait`` polls with a deadline, ``upload`` takes a
``PATH``), and four keys of ``x-polling`` say what only the spec can know:

- ``progress``: the paths of the values one progress line per poll shows;
- ``outcome``: when a finished status means the tests failed (exit 5): ``total`` and the
  ``passed`` counts that must add up to it, a total of zero failing too;
- ``started-by``: the operations whose work the wait awaits (``--wait`` on them), with the
  wait's arguments read off their answer and the path of the ids ``--output ids`` prints;
- ``junit``: how the final status is written as JUnit XML (``--junit FILE``; see
  :mod:`generator.extensions.junit_report`).

Paths here are wire names through the JSON answer; a step through a list reads every item
(for ``ids``) or the first one (for a wait argument). This module checks those keys (as
located problems) and lowers every command; the template only prints them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from .. import ir
from ..extensions import junit_report as reports
from ..extensions import schema_paths
from ..load.document import Document
from ..models import ModelsModule

_NAME = {"type": "string", "minLength": 1}
# The keys this module adds to the x-polling schema of workflows.py.
POLLING_KEYS: dict[str, Any] = {
    "progress": {"type": "array", "items": _NAME, "uniqueItems": True},
    "outcome": {
        "type": "object",
        "additionalProperties": False,
        "required": ["total", "passed"],
        "properties": {
            "total": _NAME,
            "passed": {"type": "array", "items": _NAME, "minItems": 1},
        },
    },
    "started-by": {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["operation", "arguments"],
            "properties": {
                "operation": _NAME,
                "arguments": {"type": "object", "additionalProperties": _NAME, "minProperties": 1},
                "ids": _NAME,
            },
        },
    },
    "junit": reports.SCHEMA,
}

Problem = Callable[[list[Any], str], None]


# ------------------------------------------------------------------------------ checking


def check(
    doc: Document,
    problem: Problem,
    by_id: dict[str, tuple[list[str], dict[str, Any]]],
    where: list[Any],
    op: dict[str, Any],
    *,
    taken: set[str],
) -> None:
    """Located problems of the command-line keys of ``op``'s ``x-polling`` (already well shaped).

    ``taken`` holds the names of the polled operation's parameters.
    """
    ext, at = op["x-polling"], [*where, "x-polling"]
    response = schema_paths.response_ref(doc, op)
    for index, path in enumerate(ext.get("progress") or ()):
        _path(doc, problem, [*at, "progress", index], response, path)
    outcome = ext.get("outcome")
    if outcome:
        _path(doc, problem, [*at, "outcome", "total"], response, outcome["total"])
        for index, path in enumerate(outcome["passed"]):
            _path(doc, problem, [*at, "outcome", "passed", index], response, path)
    for index, start in enumerate(ext.get("started-by") or ()):
        _start(doc, problem, by_id, [*at, "started-by", index], start, taken=taken)
    if ext.get("junit"):
        reports.check(
            problem,
            [*at, "junit"],
            ext["junit"],
            lambda where, path: _path(doc, problem, where, response, path),
        )


def _start(
    doc: Document,
    problem: Problem,
    by_id: dict[str, tuple[list[str], dict[str, Any]]],
    at: list[Any],
    start: dict[str, Any],
    *,
    taken: set[str],
) -> None:
    target = by_id.get(start["operation"])
    if target is None:
        problem([*at, "operation"], f"operationId {start['operation']!r} does not exist")
        return
    response = schema_paths.response_ref(doc, target[1])
    for name, path in start["arguments"].items():
        if name not in taken:
            problem(
                [*at, "arguments", name], f"{name!r} is not a parameter of the polled operation"
            )
        _path(doc, problem, [*at, "arguments", name], response, path)
    if "ids" in start:
        _path(doc, problem, [*at, "ids"], response, start["ids"])


def _path(doc: Document, problem: Problem, at: list[Any], root: Any, path: str) -> None:
    """A problem unless ``path`` (wire names, stepping through lists) names a property."""
    steps, stopped = schema_paths.walk(doc, root, path, through_lists=True)
    if stopped is not None:
        name = path.split(".")[len(steps)]
        problem(at, f"{path!r}: {name!r} is not a property of the answer")


# ------------------------------------------------------------------------------ lowering


def lower(
    resources: tuple[ir.Resource, ...], raw: dict[str, dict[str, Any]], models: ModelsModule
) -> tuple[ir.Command, ...]:
    """Every command of the package, in resource and method order.

    ``raw`` maps each operationId to its ``x-polling`` declaration (if any), for the keys the
    IR's :class:`ir.Polling` does not carry.
    """
    enums = models.enums
    waits = _waits(resources, raw)
    commands: list[ir.Command] = []
    for resource in resources:
        for op in resource.operations:
            commands.extend(_commands(resource, op, enums, waits, raw.get(op.operation_id) or {}))
    return tuple(commands)


def _waits(
    resources: tuple[ir.Resource, ...], raw: dict[str, dict[str, Any]]
) -> dict[str, ir.Starts]:
    """For each operation some wait declares as its starter: how ``--wait`` reaches that wait."""
    found: dict[str, ir.Starts] = {}
    for resource in resources:
        for op in resource.operations:
            if op.polling is None:
                continue
            names = {a.wire_name: a.name for a in op.polling.arguments}
            for start in (raw.get(op.operation_id) or {}).get("started-by") or ():
                found[start["operation"]] = ir.Starts(
                    resource=resource.name,
                    method=op.polling.method,
                    arguments=tuple(
                        (names.get(wire, wire), path) for wire, path in start["arguments"].items()
                    ),
                    ids=start.get("ids"),
                )
    return found


def _commands(
    resource: ir.Resource,
    op: ir.Operation,
    enums: dict[str, tuple[str, ...]],
    waits: dict[str, ir.Starts],
    polling: dict[str, Any],
) -> Iterator[ir.Command]:
    group = _kebab(resource.name)
    help_text = op.summary or op.operation_id

    def command(method: str, arguments: tuple[ir.Argument, ...], **extra: Any) -> ir.Command:
        return ir.Command(
            resource=resource.name,
            method=method,
            name=_kebab(method),
            group=group,
            help=extra.pop("help", help_text),
            description=extra.pop("description", op.description),
            options=tuple(_option(a, enums) for a in arguments),
            body=bool(op.body and op.body.model),
            **extra,
        )

    yield command(op.name, op.arguments, starts=waits.get(op.operation_id))
    if op.pagination:
        helper = op.pagination
        yield command(helper.method, helper.arguments, mode="iter", help=f"{help_text}, every page")
    if op.polling:
        outcome = polling.get("outcome")
        yield command(
            op.polling.method,
            op.polling.arguments,
            mode="wait",
            help=f"Poll {op.name} until it is final",
            progress=tuple(polling.get("progress") or ()),
            outcome=(outcome["total"], tuple(outcome["passed"])) if outcome else None,
            junit=op.polling.junit,
        )
    if op.upload:
        yield command(op.upload.method, op.upload.arguments, mode="upload", help="Upload a file")
    if op.submit:
        # Every argument a flag, path parameters too (`--project-id 1`), as the vendors' own
        # submit commands take them: a CI step reads as a list of named settings.
        yield command(
            op.submit.method,
            tuple(replace(a, positional=False) for a in op.submit.arguments),
            mode="submit",
            help="Report JUnit XML files: create a run, add every test case, complete the run",
            description=_submit_description(op, op.submit),
        )


def _submit_description(op: ir.Operation, submit: ir.Submit) -> str:
    """What ``submit`` does, step by step, for its ``--help``."""
    steps = [f"creates the run ({op.summary or op.name}, with the options below)"]
    if submit.thread:
        steps.append(f"then a thread ({submit.thread.resource} {submit.thread.method})")
    steps.append(
        f"adds the test cases, {submit.per_request} per request"
        f" ({submit.append.resource} {submit.append.method})"
    )
    steps += [f"then calls {s.resource} {s.method}" for s in submit.complete]
    outcomes = ", ".join(f"{outcome} -> {value}" for outcome, value in submit.statuses)
    return (
        "Reads every --results file first (a file that does not parse stops the command before"
        f" anything is sent), {', '.join(steps)}, and prints the run's id. JUnit outcomes are"
        f" sent as: {outcomes}. If a request fails, it says how many tests landed in which run"
        " and leaves the run open (exit 1, or 3 without an answer)."
    )


def _option(argument: ir.Argument, enums: dict[str, tuple[str, ...]]) -> ir.CliOption:
    kind, items, choices = kind_of(argument.annotation, enums)
    flag = "" if argument.positional and argument.required else "--" + _kebab(argument.name)
    return ir.CliOption(
        dest=argument.name,
        flag=flag,
        kind=kind,
        items=items,
        choices=choices,
        required=argument.required,
        wire=argument.wire_name if argument.location == "body" else None,
        help=argument.doc or argument.description,
    )


_SEQUENCES = {"list", "Sequence", "Iterable", "tuple", "set", "frozenset", "AbstractSet"}
_MAPPINGS = {"dict", "Mapping"}
_STRINGS = {"str", "UUID", "datetime", "date", "time", "AwareDatetime", "AnyUrl", "EmailStr"}


def kind_of(annotation: str, enums: dict[str, tuple[str, ...]]) -> tuple[str, str, tuple[str, ...]]:
    """(kind, item kind, enum values) of an argument annotated ``annotation``.

    ``Platform | str`` is a string with the enum's values as choices; ``list[str]`` an array of
    strings; ``dict[...]`` a map; a model or request type an object given as JSON.
    """
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return "object", "string", ()
    return _kind(tree, enums)


def _kind(node: ast.expr, enums: dict[str, tuple[str, ...]]) -> tuple[str, str, tuple[str, ...]]:
    members = [m for m in _union(node) if ast.unparse(m) not in ("None", "NotGiven")]
    kinds = [_one(m, enums) for m in members]
    if not kinds:
        return "string", "string", ()
    choices = tuple(value for _, _, found in kinds for value in found)
    for wanted in ("array", "map", "integer", "number", "boolean", "file"):
        if all(k[0] == wanted for k in kinds):
            return kinds[0][0], kinds[0][1], choices
    if any(k[0] == "string" for k in kinds):
        return "string", "string", choices
    if any(k[0] == "array" for k in kinds):
        return next(k for k in kinds if k[0] == "array")
    return "object", "string", choices


def _one(node: ast.expr, enums: dict[str, tuple[str, ...]]) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(node, ast.Subscript):
        outer = ast.unparse(node.value).rsplit(".", 1)[-1]
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer == "Annotated":
            return _kind(inner[0], enums)
        if outer == "Literal":
            values = tuple(str(e.value) for e in inner if isinstance(e, ast.Constant))
            return "string", "string", values
        if outer in _SEQUENCES:
            item = _kind(inner[0], enums)
            return "array", item[0] if item[0] != "array" else "object", item[2]
        if outer in _MAPPINGS:
            return "map", "string", ()
        return "object", "string", ()
    name = ast.unparse(node).rsplit(".", 1)[-1]
    simple = {"int": "integer", "float": "number", "bool": "boolean", "bytes": "string"}
    simple |= {"FileTypes": "file", "FileContent": "file"}  # a path on the command line
    if name in simple:
        return simple[name], "string", ()
    if name in _STRINGS:
        return "string", "string", ()
    if name in enums:
        return "string", "string", enums[name]
    return "object", "string", ()


def _union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union(node.left), *_union(node.right)]
    return [node]


def _kebab(name: str) -> str:
    return name.strip("_").replace("_", "-")
