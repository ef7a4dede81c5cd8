"""What a run says about a spec's warnings: the house rules silent, the rest one line per kind.

Our own specs keep the house rules (:data:`LINT`); a vendor's spec that a user brings and
cannot edit breaks them by the thousand, and the client generated is the same either way, so
for it they are silent unless asked for (``--lint``; ``--strict`` makes them errors). Every
other warning says what the generator repaired or ignored. Those are grouped by their kind:
one line per kind with its count and its first locations (``file:line #/pointer``); a kind met
once is printed as the warning itself. ``--verbose`` prints every warning on a line of its
own, and ``--warnings-file`` writes them all, the house rules' too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Diagnostic

# Kinds of the house rules: findings that change nothing in the generated client.
LINT = frozenset(
    {"snake-case", "no-operation-id", "tag", "summary", "description", "status-key", "named-body"}
)
# How many locations a grouped line names.
SHOWN = 3
# What a kind's findings are, said once for all of them (others: the first one's message).
ABOUT = {
    "ignored": "keys OpenAPI does not define or values it rejects, ignored",
    "example": "examples that do not fit their schema, kept out of the generated docs",
    "pattern": "patterns Python cannot compile, dropped",
    "type": "scalar types beside properties or items, read as either",
    "default": "defaults of the wrong type, dropped",
    "enum": "enum values listed twice, the repeats dropped",
    "missing-ref": "$refs to schemas that do not exist, typed as any value",
    "paths-ref": "$refs into #/paths, inlined",
    "path-parameter": "path parameters that did not follow the path, mended",
    "operation-id": "operationIds used twice, numbered",
    "snake-case": "operationIds not in snake_case",
    "no-operation-id": "operations without an operationId",
    "tag": "operations without exactly one tag",
    "summary": "operations without a summary",
    "description": "operations without a description",
    "status-key": "status codes written as numbers",
    "named-body": "JSON bodies not a $ref to a component schema",
}


def shown(warnings: Iterable[Diagnostic], *, lint: bool) -> list[Diagnostic]:
    """The warnings a run prints: without ``lint``, none of the house rules'."""
    return [w for w in warnings if lint or w.kind not in LINT]


def grouped(warnings: list[Diagnostic]) -> list[str]:
    """One line per kind, the kinds met most first; a kind met once is its warning."""
    kinds: dict[str, list[Diagnostic]] = {}
    for warning in sorted(warnings, key=lambda w: (w.file, w.line or 0, w.pointer)):
        kinds.setdefault(warning.kind or warning.message, []).append(warning)
    lines = []
    for kind, found in sorted(kinds.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(found) == 1:
            lines.append(str(found[0]))
            continue
        first = found[0]
        # Warnings of no kind are grouped by their message, which then says it all.
        label = f"[{first.kind}] " if first.kind else ""
        about = ABOUT.get(first.kind) or (f"{first.message}, ..." if first.kind else kind)
        places = ", ".join(_place(w) for w in found[:SHOWN])
        more = f", and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        lines.append(f"{first.file}: warning: {label}{len(found)}x {about}: {places}{more}")
    return lines


def _place(warning: Diagnostic) -> str:
    where = f"{warning.file}:{warning.line}" if warning.line else warning.file
    return f"{where} {warning.pointer}"


def summary(name: str, printed: int, lines: int, silent: int) -> str | None:
    """The closing line when a run printed less than every warning of ``name`` in full,
    saying how to see them all."""
    hints = []
    if lines < printed:
        hints.append(
            f"{printed} warnings in {lines} {'line' if lines == 1 else 'lines'} (-v: each)"
        )
    if silent:
        hints.append(f"{silent} house-rule findings not shown (--lint)")
    if not hints:
        return None
    return f"{name}: " + "; ".join(hints) + "; --warnings-file PATH writes them all"


def write(path: Path, warnings: Iterable[Diagnostic]) -> None:
    """Every warning, one a line, to ``path``."""
    path.write_text("".join(f"{w}\n" for w in warnings), "utf-8")
