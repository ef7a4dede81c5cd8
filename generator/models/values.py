"""Value schemas written where they are used, so a field holds the value, not a wrapper of it.

Run on the component schemas as the spec gives them, before any other rewrite:

- a single value (``enum: [6]``, ``const: 6``, a ``oneOf`` of one ``const``) becomes ``const``,
  which the library types ``Literal[6]``: left an enum, it is hoisted into a one-member class
  that accepts any value of its base type (``ComponentTypes | int``), so no union of models can
  tell its members apart by it. An ``allOf`` of enum components beside it only repeats that
  the value is one of theirs, and is dropped when it is.
- an ``allOf`` of one reference, with only notes beside it, is that reference;
- a reference to a component that is only a value (a scalar with its format and constraints,
  or a single value) is replaced by a copy of it: the library makes a ``RootModel`` of such a
  component, and a field typed by it compares unequal to the string it holds
  (``guild.id == "41771983423143937"`` is ``False``). The component keeps its class, for the
  bodies that name it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ..load.spec import mappings
from .enums import JSON_SCALARS
from .names import COMPONENT

_SCALARS = frozenset({"string", "integer", "number", "boolean"})
# Keywords that say something about a value without constraining it, kept where it is used.
_NOTES = frozenset(
    {"description", "title", "default", "deprecated", "readOnly", "writeOnly", "example"}
)
# What a value schema may hold: its type, the constraints on it, and notes.
_VALUE_KEYS = _NOTES | {
    *("type", "format", "nullable", "examples"),
    *("pattern", "minLength", "maxLength", "minimum", "maximum", "multipleOf"),
    *("exclusiveMinimum", "exclusiveMaximum"),
}
_SINGLE_KEYS = _NOTES | {"type", "format", "nullable", "examples", "enum", "const", "allOf"}


def inline_values(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` with single values as ``const`` and references to value components inlined."""
    values: dict[str, dict[str, Any]] = {}
    for name, schema in schemas.items():
        value = _value_schema(schema, schemas)
        if value is not None:
            values[name] = value

    def visit(node: Any, top: bool = False) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if not top:
            inlined = _inlined(node, values)
            if inlined is not None:
                return inlined
            single = _single(node, schemas)
            if single is not None:
                return single
        return {
            k: (v if k in _DATA or str(k).startswith("x-") else _visit_in(k, v))
            for k, v in node.items()
        }

    def _visit_in(key: str, value: Any) -> Any:
        if key == "properties" and isinstance(value, dict):
            return {name: visit(sub) for name, sub in value.items()}
        return visit(value)

    return {name: visit(schema, top=True) for name, schema in schemas.items()}


_DATA = frozenset({"enum", "const", "default", "example", "examples"})


def _inlined(node: dict[str, Any], values: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """A copy of the value component ``node`` refers to (``$ref``, or an ``allOf`` of one), with
    ``node``'s own notes; None if it refers to something else."""
    ref, rest = node.get("$ref"), {k: v for k, v in node.items() if k != "$ref"}
    if ref is None and isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
        part = node["allOf"][0]
        ref = part.get("$ref") if isinstance(part, dict) and len(part) == 1 else None
        rest = {k: v for k, v in node.items() if k != "allOf"}
    if not isinstance(ref, str) or not ref.startswith(COMPONENT):
        return None
    if not _keywords(rest) <= _NOTES | {"nullable"}:
        return None
    target = values.get(ref[len(COMPONENT) :])
    if target is None:
        # An `allOf` of one reference with notes beside it (3.0's way to describe a `$ref`)
        # is that reference: the library would make a class of the notes wrapping it.
        return None if "$ref" in node else {"$ref": ref, **rest}
    # Its default stays (the library gave the field the referenced schema's default before).
    own = {k: v for k, v in target.items() if k not in ("description", "title")}
    if rest.get("nullable") is True:  # 3.0: a nullable reference to a value
        rest = {k: v for k, v in rest.items() if k != "nullable"}
        own = _nullable(own)
    return {**own, **rest}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "const" in schema:
        # Typed `Literal[v] | None` by the library; `anyOf: [const, null]` would become an
        # enum class and a root model wrapping it.
        kind = JSON_SCALARS.get(type(schema["const"]))
        return {**schema, "type": [kind, "null"]} if kind else schema
    if isinstance(schema.get("type"), list):
        return schema  # already lists null, or a type whose null the reference adds below
    return {**schema, "nullable": True}


def _value_schema(schema: Any, schemas: dict[str, Any]) -> dict[str, Any] | None:
    """The schema a reference to this component is replaced by, if it is a value; else None."""
    if not isinstance(schema, dict):
        return None
    single = _single(schema, schemas)
    if single is not None:
        return single
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    if not kinds or not set(kinds) - {"null"} <= _SCALARS or len(set(kinds) - {"null"}) != 1:
        return None
    if not _keywords(schema) <= _VALUE_KEYS:
        return None
    return dict(schema)


def _single(node: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any] | None:
    """``node`` as ``const`` if it admits a single value (and maybe null); else None."""
    keys = _keywords(node)
    if not keys <= _SINGLE_KEYS | {"oneOf"} or not {"enum", "const", "oneOf"} & keys:
        return None
    values = _values(node)
    if values is None:
        return None
    nullable = None in values or node.get("nullable") is True or _lists_null(node.get("type"))
    distinct = {_key(v) for v in values if v is not None}
    if not distinct and None in values and not node.get("allOf"):
        return {"type": "null", **{k: v for k, v in node.items() if k in _NOTES}}  # enum: [null]
    if len(distinct) != 1:
        return None
    value = next(v for v in values if v is not None)
    if not all(_admits(part, value, schemas) for part in node.get("allOf") or []):
        return None
    notes = {k: v for k, v in node.items() if k in _NOTES}
    const: dict[str, Any] = {"const": value}
    return {**(_nullable(const) if nullable else const), **notes}


def _values(node: dict[str, Any]) -> list[Any] | None:
    """The values ``node`` lists (``enum``, ``const``, or a ``oneOf`` of ``const``), or None."""
    if "const" in node:
        if "enum" in node or "oneOf" in node:
            return None
        return [node["const"]]
    if "enum" in node:
        return (
            list(node["enum"]) if isinstance(node["enum"], list) and "oneOf" not in node else None
        )
    branches = node.get("oneOf")
    if not isinstance(branches, list) or not all(isinstance(b, dict) for b in branches):
        return None
    if not all("const" in b and set(b) <= _NOTES | {"const", "type"} for b in branches):
        return None
    return [b["const"] for b in branches]


def _keywords(node: dict[str, Any]) -> set[str]:
    """The keywords of ``node``, its extensions (``x-...``) left out."""
    return {str(k) for k in node if not str(k).startswith("x-")}


def _key(value: Any) -> tuple[str, Any]:
    """``value`` told apart by JSON type too: ``1``, ``1.0`` and ``True`` are not one value."""
    return (type(value).__name__, repr(value))


def _lists_null(kind: Any) -> bool:
    return isinstance(kind, list) and "null" in kind


def _admits(part: Any, value: Any, schemas: dict[str, Any]) -> bool:
    """Whether an ``allOf`` part beside a single value is a reference to an enum listing it."""
    ref = part.get("$ref") if isinstance(part, dict) and len(part) == 1 else None
    if not isinstance(ref, str) or not ref.startswith(COMPONENT):
        return False
    target = schemas.get(ref[len(COMPONENT) :])
    listed = _values(target) if isinstance(target, dict) else None
    return listed is not None and _key(value) in {_key(v) for v in listed}


def empty_enums(doc: Document) -> list[Diagnostic]:
    """A warning at each ``enum: []`` of the component schemas: no value would be valid, and
    the model types the value by its ``type`` alone (as the library does) instead."""
    schemas = (
        (doc.data.get("components") or {}).get("schemas") if isinstance(doc.data, dict) else None
    )
    if not isinstance(schemas, dict):
        return []
    return [
        replace(
            doc.diagnostic(
                pointer("components", "schemas", *path, "enum"),
                f"enum lists no value; typed as {_type_text(node)} instead",
                "warning",
            ),
            kind="empty-enum",
        )
        for path, node in mappings(schemas, [], named=True)
        if node.get("enum") == []
    ]


def _type_text(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(map(str, kind)) or "any value"
    return str(kind) if kind else "any value"
