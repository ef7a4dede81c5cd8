"""How an operation becomes a method: names that must not clash, its arguments, retry safety.

Decisions the lowering makes per operation once the document has been read: builtins spelled
``builtins.list`` where a method shadows them, body fields renamed off keywords and parameter
names, the argument list every template renders, and whether a retry is harmless.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import replace

from .. import ir
from ..naming import RESERVED
from . import arguments


def unshadow(ops: list[ir.Operation]) -> list[ir.Operation]:
    """Spell builtins as ``builtins.list`` where a method of the class is named ``list``.

    Inside a class body, a method called ``list`` would shadow the builtin in annotations.
    """
    shadowed = {op.name for op in ops} & set(dir(builtins))
    if not shadowed:
        return ops
    pattern = re.compile(r"(?<![\w.])(" + "|".join(sorted(shadowed)) + r")(?=\W|$)")

    def fix(text: str) -> str:
        return pattern.sub(r"builtins.\1", text)

    def fix_params(params: tuple[ir.Parameter, ...]) -> tuple[ir.Parameter, ...]:
        return tuple(replace(p, annotation=fix(p.annotation)) for p in params)

    result = []
    for op in ops:
        body = op.body and replace(
            op.body, fields=tuple(replace(f, annotation=fix(f.annotation)) for f in op.body.fields)
        )
        result.append(
            replace(
                op,
                path_params=fix_params(op.path_params),
                query_params=fix_params(op.query_params),
                header_params=fix_params(op.header_params),
                body=body,
                result=replace(
                    op.result,
                    annotation=fix(op.result.annotation),
                    cast_to=fix(op.result.cast_to),
                    async_annotation=op.result.async_annotation and fix(op.result.async_annotation),
                ),
                cookie_params=fix_params(op.cookie_params),
            )
        )
    return result


def with_checks(resources: list[ir.Resource]) -> list[ir.Resource]:
    """Each call that is not safe to repeat with the GET that reads what it did, if any.

    The GET is the one whose path the call's path extends the furthest, with no path
    parameter the call lacks: ``GET /runs/{id}`` checks ``POST /runs/{id}/complete``, and
    ``GET /projects/{p}/runs`` checks ``POST /projects/{p}/runs``.
    """
    reads = [
        (_segments(op.path), (r.name, op.name))
        for r in resources
        for op in r.operations
        if op.http_method == "GET"
    ]

    def check(op: ir.Operation) -> tuple[str, str] | None:
        parts = _segments(op.path)
        found = [(len(p), name) for p, name in reads if p == parts[: len(p)] and len(p) > 1]
        return max(found)[1] if found and not op.idempotent else None

    return [
        replace(r, operations=tuple(replace(op, check=check(op)) for op in r.operations))
        for r in resources
    ]


def _segments(path: str) -> list[str]:
    """The segments of ``path``, every parameter spelled alike (names differ between paths)."""
    return [re.sub(r"\{[^}]*\}", "{}", part) for part in path.rstrip("/").split("/")]


def with_arguments(op: ir.Operation) -> ir.Operation:
    """``op`` with its argument list and the name of its module-level ``Endpoint`` constant."""
    return replace(
        op, arguments=arguments.of_operation(op), endpoint=f"_{op.name.upper()}_ENDPOINT"
    )


def dedupe_body(body: ir.Body, taken: set[str]) -> ir.Body:
    """``body`` with field names that clash with a keyword or an argument already taken renamed."""
    fields = []
    for field in body.fields:
        name = field.name + "_" if field.name in RESERVED else field.name
        while name in taken:
            name = f"body_{name}"
        taken.add(name)
        fields.append(replace(field, name=name))
    return replace(body, fields=tuple(fields))
