"""Repairs of the values a spec checks against its schemas: enums, patterns, types, defaults,
examples.

Each mends the copy of a user's document in place and says what it did (see
:mod:`generator.load.repair`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..diagnostics import pointer, split_pointer
from ._repairs import Found, deref_or_value
from .document import Document
from .spec import WILDCARDS, example_errors, mappings


def duplicate_enum_values(data: Any, doc: Document) -> Found:
    """A value an ``enum`` lists again is dropped: the enum allows the same values, and an
    enum class cannot have two members of one value."""
    found: Found = []
    for path, schema in mappings(data, []):
        values = schema.get("enum")
        if not isinstance(values, list):
            continue
        seen: set[str] = set()
        kept = []
        for index, value in enumerate(values):
            key = json.dumps(value, sort_keys=True, default=str)
            if key in seen:
                message = f"enum value {_short(value)} is listed twice; the second dropped"
                found.append((pointer(*path, "enum", index), message))
                continue
            seen.add(key)
            kept.append(value)
        if len(kept) < len(values):
            schema["enum"] = kept
    return found


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bad_patterns(data: Any, doc: Document) -> Found:
    """A ``pattern`` Python's ``re`` cannot compile is dropped: no client could check it."""
    found: Found = []
    for path, schema in mappings(data, []):
        value = schema.get("pattern")
        if not isinstance(value, str):
            continue
        try:
            re.compile(value)
        except re.error as exc:
            del schema["pattern"]
            found.append(
                (
                    pointer(*path, "pattern"),
                    f"pattern {value!r} is not a regular expression ({exc}); dropped",
                )
            )
    return found


def mistyped_defaults(data: Any, doc: Document) -> Found:
    """A ``default`` whose JSON type the schema's ``type`` does not allow is dropped."""
    found: Found = []
    for path, schema in mappings(data, []):
        if "default" not in schema or not _types(schema):
            continue
        value = schema["default"]
        if not any(_is(value, kind) for kind in _types(schema)):
            del schema["default"]
            allowed = " or ".join(_types(schema))
            found.append(
                (pointer(*path, "default"), f"default {value!r} is not {allowed}; dropped")
            )
    return found


# The keywords that belong to an object, or to an array, whatever ``type`` says.
_SHAPE_KEYWORDS = {
    "object": ("properties", "required", "additionalProperties", "minProperties", "maxProperties"),
    "array": ("items", "minItems", "maxItems", "uniqueItems"),
}
_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})


def contradicting_types(data: Any, doc: Document) -> Found:
    """A scalar ``type`` beside ``properties`` or ``items`` contradicts itself: which the
    server sends cannot be told (Webex declares a paged list ``type: string`` with ``items``,
    and gives its example as a string). The value may be either: ``anyOf`` an object (or
    array) of those keywords and a value of the type, each with its own keywords.

    A string that is a whole body under a wildcard media type (``*/*``) is left: the client
    gives that body's text, which holds either."""
    found: Found = []
    for path, schema in mappings(data, []):
        if path[-2:-1] and path[-1] == "schema" and path[-2] in WILDCARDS:
            continue
        kind = schema.get("type")
        shapes = [
            shape
            for shape in _SHAPE_KEYWORDS
            if isinstance(schema.get(_SHAPE_KEYWORDS[shape][0]), dict)
        ]
        if not isinstance(kind, str) or kind not in _SCALAR_TYPES or not shapes:
            continue
        if "anyOf" in schema:
            continue  # the union would be lost: left as it is (rare; none in the corpus)
        nullable = {"nullable": True} if schema.pop("nullable", None) is True else {}
        branches = [
            {"type": shape, **nullable}
            | {k: schema.pop(k) for k in _SHAPE_KEYWORDS[shape] if k in schema}
            for shape in shapes
        ]
        scalar = {"type": schema.pop("type"), **nullable}
        scalar |= {k: schema.pop(k) for k in _SCALAR_KEYWORDS if k in schema}
        schema["anyOf"] = [*branches, scalar]
        written = " and ".join(f"'{_SHAPE_KEYWORDS[shape][0]}'" for shape in shapes)
        message = f"type {kind!r} beside {written} contradicts itself; read as either"
        found.append((pointer(*path, "type"), message))
    return found


# What a scalar value's own keywords are, kept beside its type.
_SCALAR_KEYWORDS = (
    "format",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    if not all(isinstance(k, str) for k in kinds):
        return []
    return [*kinds, "null"] if kinds and schema.get("nullable") is True else kinds


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _is(value: Any, kind: str) -> bool:
    check = _JSON_TYPES.get(kind)
    return check is None or check(value)  # an unknown type name: the validator's to report


def mismatched_examples(data: Any, doc: Document) -> Found:
    """An example that does not fit its schema is removed, so no generated docstring or README
    shows it; the client is the same without it."""
    found: Found = []
    version = str(data.get("openapi", ""))
    if not version.startswith(("3.0.", "3.1.")):
        return found
    wrong: dict[str, str] = {}
    try:
        for ptr, message in example_errors(doc, version):
            wrong.setdefault(ptr, message)
    except (KeyError, IndexError, ValueError):
        return found  # a broken $ref on the way: validation reports it, and the spec fails
    # Deepest first, and the later index of a list first, so no removal moves another's place.
    for ptr in sorted(wrong, key=_removal_order, reverse=True):
        if _remove(data, doc, split_pointer(ptr)):
            found.append((ptr, f"{wrong[ptr]}; kept out of the generated docs"))
    return found[::-1]


def _removal_order(ptr: str) -> tuple[Any, ...]:
    return tuple((int(t), "") if t.isdigit() else (-1, t) for t in split_pointer(ptr))


def _remove(data: Any, doc: Document, tokens: list[str]) -> bool:
    """Remove what ``tokens`` point at, following ``$ref``\\ s on the way; True if removed.

    An example's pointer ends in ``example``, ``examples/<key>/value`` or ``examples/<index>``:
    the whole entry of ``examples`` goes.
    """
    if len(tokens) >= 3 and tokens[-1] == "value" and tokens[-3] == "examples":
        tokens = tokens[:-1]
    node = data
    for token in tokens[:-1]:
        node = _child(_holding(node, token, doc), token)
        if node is _MISSING:
            return False
    node, last = _holding(node, tokens[-1], doc), tokens[-1]
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    return False


def _holding(node: Any, token: str, doc: Document) -> Any:
    """``node``, or what its ``$ref`` points at when ``token`` is not its own (an example
    beside a ``$ref`` is the node's own; a parameter's, behind its ``$ref``, is not)."""
    return node if _child(node, token) is not _MISSING else deref_or_value(doc, node)


_MISSING = object()


def _child(node: Any, token: str) -> Any:
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    if isinstance(node, dict) and token in node:
        return node[token]
    return _MISSING
