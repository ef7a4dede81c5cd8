"""Every rule of the diff (its id is the change's ``kind``), its default level, and why.

The level of a change is what the gate and the exit status act on: ``error`` fails (breaking),
``warning`` and ``info`` are reported. By default it follows from what the change breaks (see
``_change.py``), which for a change inside a schema depends on the direction it travels in; the
table says so. A project may raise or lower any rule in ``pyproject.toml``, as oasdiff's
``--severity-levels`` does::

    [tool.generator.diff.severity]
    "enum value added" = "error"       # our callers switch over every value
    "schema renamed" = "warning"       # nobody imports the models by name

:data:`RULES` is the one table: ``POLICY.md`` prints it, and a rule id not in it is refused.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ._change import Report

LEVELS = ("error", "warning", "info")
_REQ = "error in requests"
_RESP = "error in responses"

# Keywords compared as bounds or as unordered values: "<name> changed".
_KEYWORDS = (
    "minimum", "maximum", "min length", "max length", "min items", "max items", "min properties",
    "max properties", "min contains", "max contains", "pattern", "format", "multipleOf",
    "content media type", "content encoding", "uniqueItems",
)  # fmt: skip

# rule id -> (default level, why). "error in requests": breaking where the schema or parameter
# is sent, otherwise reported; "error in responses": breaking where it is received.
RULES: dict[str, tuple[str, str]] = {
    # Paths, operations, webhooks
    "path added": ("info", "a new path breaks no existing call"),
    "path removed": ("error", "every call to it fails; unless each operation's sunset passed"),
    "webhook added": ("info", "a new event breaks no existing receiver"),
    "webhook removed": ("error", "receivers lose events they handle; unless sunset passed"),
    "operation added": ("info", "a new method breaks no existing call"),
    "operation removed": (
        "error",
        "the method and its calls go; unless deprecated past sunset or draft/alpha",
    ),
    "operationId changed": ("error", "renames the generated method (info when the name stays)"),
    "tag changed": ("error", "moves the method to another resource"),
    "summary changed": ("info", "documentation"),
    "description changed": ("info", "documentation"),
    "operation deprecated": ("info", "a notice: the operation still works"),
    "sunset date removed": ("warning", "callers lose the date they planned with"),
    "sunset date changed": ("warning", "callers plan with the new date"),
    "sunset date invalid": ("warning", "an unreadable date cannot allow a removal"),
    "stability level changed": ("warning", "a promise changed; less stable is worth a look"),
    "stability level invalid": ("warning", "only draft, alpha, beta, stable are understood"),
    # Parameters
    "parameter added": ("error", "required: every call must send it (info when optional)"),
    "parameter removed": ("error", "the keyword argument goes; unless deprecated past sunset"),
    "parameter became required": ("error", "calls that left it out fail"),
    "parameter became optional": ("info", "every call still works"),
    "parameter location changed": ("error", "sent where the server no longer reads it"),
    "parameter style changed": ("error", "serialised in a way the server no longer parses"),
    "parameter deprecated": ("info", "a notice: the parameter still works"),
    "path parameter renamed": ("info", "path parameters are positional in generated clients"),
    # Bodies and responses
    "request body added": ("error", "required: every call must send one (info when optional)"),
    "request body removed": ("error", "the body argument goes"),
    "request body became required": ("error", "calls without a body fail"),
    "request body became optional": ("info", "every call still works"),
    "media type added": ("info", "another accepted or returned format"),
    "media type removed": ("error", "calls sending it fail (a 2xx one: callers parsing it)"),
    "response header added": ("info", "a new header breaks no reader"),
    "response header removed": ("error", "required: callers reading it fail (info when optional)"),
    "response header became optional": ("error", "callers reading it may find it missing"),
    "response header became required": ("info", "it now always comes"),
    "response status added": ("error", "2xx: the method returns something new (info for errors)"),
    "response status removed": ("error", "2xx: callers handling it break (info for errors)"),
    # Schemas: presence and shape
    "schema added": ("info", "a new model class"),
    "schema removed": ("error", "the model class goes"),
    "schema renamed": ("error", "the model class is renamed (the wire is the same)"),
    "reference changed": ("info", "the shapes compared below decide"),
    "property added": (_REQ, "required in a request: callers must send it; readOnly excepted"),
    "property removed": ("error", "the attribute or argument goes; unless deprecated past sunset"),
    "property became required": (_REQ, "callers that left it out fail; readOnly excepted"),
    "property became optional": (_RESP, "callers that read it find it missing; writeOnly excepted"),
    "type changed": ("error", "narrower in a request, wider in a response"),
    "became nullable": (_RESP, "readers get None: the attribute becomes X | None"),
    "no longer nullable": (_REQ, "callers sending null fail"),
    "enum added": (_REQ, "values outside it are refused"),
    "enum removed": ("info", "any value is accepted"),
    "enum value added": ("info", "generated clients accept unknown values (open enums)"),
    "enum value removed": (_REQ, "callers sending it fail"),
    "const changed": ("error", "every value sent and received changes"),
    "extensible enum value added": ("info", "an open enum grows"),
    "extensible enum value removed": (_REQ, "callers sending it fail"),
    "enum member names changed": ("error", "code naming a member breaks (the wire is the same)"),
    "oneOf added": (_REQ, "every value must now match a branch"),
    "oneOf removed": (_RESP, "values of any shape may arrive"),
    "oneOf branch added": (_RESP, "a shape the caller's code has never been given"),
    "oneOf branch removed": (_REQ, "callers sending that shape fail"),
    "anyOf added": (_REQ, "every value must now match a branch"),
    "anyOf removed": (_RESP, "values of any shape may arrive"),
    "anyOf branch added": (_RESP, "a shape the caller's code has never been given"),
    "anyOf branch removed": (_REQ, "callers sending that shape fail"),
    "additional properties changed": (_REQ, "closed: callers sending extra properties fail"),
    # Keywords, judged by direction: tighter breaks requests, looser breaks responses
    **{
        f"{name} changed": ("error", "tighter in a request, looser in a response")
        for name in _KEYWORDS
    },
    "constraint added": (_REQ, "a keyword that only rejects values: narrower"),
    "constraint removed": (_RESP, "a keyword that only rejected values: wider"),
    "constraint changed": ("error", "neither wider nor narrower: both directions"),
    "default added": ("warning", "a behaviour is now promised where none was"),
    "default changed": (_REQ, "callers leaving it out get another behaviour"),
    "default removed": (_REQ, "the behaviour it promised is gone"),
    "deprecated": ("info", "a notice: the value still works"),
    "schema keyword changed": ("info", "a keyword with no rule: reported as it is"),
    # Security, servers, info
    "security scheme added": ("info", "a new way to authenticate"),
    "security scheme removed": ("error", "callers configured for it fail"),
    "security scheme changed": ("error", "the credentials go elsewhere (bearerFormat: info)"),
    "security requirement added": ("error", "when the operation used to be anonymous"),
    "security requirement removed": ("error", "unless anonymous access remains"),
    "security scopes changed": ("error", "a scope added: tokens without it are refused"),
    "server added": ("info", "another base URL"),
    "server removed": ("error", "callers using it fail"),
    "info changed": ("info", "documentation"),
}

_SEVERITY = "[tool.generator.diff.severity]"


def read_policy(pyproject: Path) -> dict[str, str]:
    """Rule id -> level from ``pyproject``'s ``[tool.generator.diff.severity]`` (none: empty)."""
    if not pyproject.is_file():
        return {}
    try:
        data = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _error(pyproject, f"unreadable: {exc}") from None
    table = data.get("tool", {}).get("generator", {}).get("diff", {}).get("severity", {})
    if not isinstance(table, dict):
        raise _error(pyproject, f"{_SEVERITY} must be a table of rule = level")
    for rule, level in table.items():
        if rule not in RULES:
            raise _error(pyproject, f"{_SEVERITY}: unknown rule {rule!r} (see POLICY.md)")
        if level not in LEVELS:
            raise _error(pyproject, f"{_SEVERITY}: {rule!r} = {level!r}: use {', '.join(LEVELS)}")
    return {str(rule): str(level) for rule, level in table.items()}


def apply_policy(report: Report, policy: Mapping[str, str]) -> Report:
    """``report`` with each change of a rule in ``policy`` set to the level the policy gives."""
    if not policy:
        return report
    changes = tuple(
        dataclasses.replace(c, level=policy[c.kind]) if c.kind in policy else c
        for c in report.changes
    )
    return dataclasses.replace(report, changes=changes)


def table() -> str:
    """The default policy as a markdown table, as ``POLICY.md`` prints it."""
    rows = [f"| `{rule}` | {level} | {why} |" for rule, (level, why) in RULES.items()]
    return "\n".join(["| Rule | Default level | Why |", "|---|---|---|", *rows])


def _error(pyproject: Path, message: str) -> SpecError:
    return SpecError([Diagnostic(str(pyproject), None, "#", message)])
