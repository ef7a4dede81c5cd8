"""``x-pagination``: follow a cursor or a page number until the last page.

Declared on a list operation: ``style`` (``cursor`` or ``page``), the query parameter ``param``
that selects the page, the response property ``next`` that names the following one (a cursor, a
page number, or null on the last page) and the array property ``items``. The resource gains
``iter`` (``iter_<method>`` beside a method not called ``list``), which yields every item of every
page, and the command line an ``iter`` command printing JSON Lines.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import ir
from ._base import NAME, Checks, Extension, Lowering, params
from .schema_paths import response_schema, schema_of

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["style", "param", "next", "items"],
    "properties": {
        "style": {"enum": ["cursor", "page"]},
        "param": NAME,
        "next": NAME,
        "items": NAME,
        "method-name": NAME,
    },
}


def check(checks: Checks, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
    """The parameter is a query parameter; ``next`` and ``items`` (an array) are properties."""
    at = [*where, "x-pagination"]
    param = params(checks.doc, where, op).get(ext["param"])
    if param is None or param.get("in") != "query":
        checks.problem(
            [*at, "param"], f"{ext['param']!r} is not a query parameter of the operation"
        )
    schema = response_schema(checks.doc, op)
    checks.has_property([*at, "next"], schema, ext["next"], "next")
    if checks.has_property([*at, "items"], schema, ext["items"], "items"):
        kind = schema_of(checks.doc, schema["properties"][ext["items"]]).get("type")
        if "array" not in (kind if isinstance(kind, list) else [kind]):
            checks.problem([*at, "items"], f"items {ext['items']!r} is not an array property")


def lower(lowering: Lowering, op: ir.Operation, ext: dict[str, Any]) -> ir.Operation:
    """``op`` with its :class:`ir.Pagination`."""
    where, raw = lowering.raw[op.operation_id]
    param = next(p for p in op.query_params if p.wire_name == ext["param"])
    raw_param = params(lowering.doc, where, raw).get(ext["param"], {})
    default = schema_of(lowering.doc, raw_param.get("schema")).get("default")
    model = op.result.model
    pagination = ir.Pagination(
        method=EXTENSION.helper_name(ext, op.name),
        style=ext["style"],
        param=param.name,
        first=default if ext["style"] == "page" else None,
        items=lowering.field(model, ext["items"]),
        next=lowering.field(model, ext["next"]),
        item_annotation=lowering.item_annotation(model, ext["items"]),
    )
    return replace(op, pagination=pagination)


EXTENSION = Extension(
    key="x-pagination",
    on="operation",
    schema=SCHEMA,
    check=check,
    lower=lower,
    helper=lambda name: "iter" if name == "list" else f"iter_{name}",
)
