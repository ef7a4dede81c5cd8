"""Open enums: every enum a closed class of its own, every reference to it widened later.

Vendors add statuses without notice, and a client that rejects a new status breaks a CI
pipeline. So :func:`open_enums` hoists inline enums (and inline objects, so that no generated
class can take a component's name) into components named ``<Parent><Property>``, closes each
enum component into an ``Enum`` class without a ``None`` member, and says which annotation
every reference to it takes instead (``Enum | <base type>``), which
:func:`generator.models.patch.typed_fields` writes into the generated source.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..naming import class_name, words
from .hierarchy import allof_parts
from .names import COMPONENT

JSON_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


def open_enums(schemas: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A copy of ``schemas`` with enums closed and hoisted; the type each enum also accepts.

    Inline enums and inline objects are first hoisted into components named
    ``<Parent><Property>``, so that no generated class can take a component's name. Enum
    components become closed ``Enum`` classes (without a ``None`` member). The second value
    maps each enum component to the annotation every reference to it takes instead of the
    bare class, ``Enum | <base type>`` (``| None`` when the enum allowed null):
    ``typed_fields`` writes it into the generated source.

    Where the library merges or splits schemas (the branches of ``anyOf``, ``oneOf`` and
    ``allOf``, and every component an ``allOf`` lists), it would copy a referenced enum into a
    closed class of its own naming. There the reference is written as ``anyOf: [$ref, type]``
    instead, which it keeps as it is.
    """
    hoisted = _hoist(copy.deepcopy(schemas))
    enums = {name: schema for name, schema in hoisted.items() if _enum_base(schema) is not None}
    merged = allof_parts(hoisted)
    result = {}
    for name, schema in hoisted.items():
        if name in enums:
            result[name] = _closed_enum(schema)
        else:
            result[name] = _open(schema, enums, wrap=name in merged)
    widened = {}
    for name, schema in enums.items():
        members = [name, _PYTHON_SCALARS[_enum_base(schema) or "string"]]
        widened[name] = " | ".join(members + (["None"] if _is_nullable_enum(schema) else []))
    return result, widened


_PYTHON_SCALARS = {"string": "str", "integer": "int", "number": "float"}


def _hoist(schemas: dict[str, Any]) -> dict[str, Any]:
    result = dict(schemas)
    taken = set(schemas)

    def visit(schema: Any, owner: str) -> None:
        if not isinstance(schema, dict):
            return
        for prop, sub in list((schema.get("properties") or {}).items()):
            schema["properties"][prop] = lift(sub, owner + class_name(prop))
        if isinstance(schema.get("items"), dict):
            schema["items"] = lift(schema["items"], owner + "Item", in_array=True)
        for key in ("anyOf", "oneOf", "allOf"):
            for index, branch in enumerate(schema.get(key) or []):
                in_union = key != "allOf"
                wanted = owner + _branch_name(branch, index)
                schema[key][index] = lift(branch, wanted, in_union=in_union)
        if isinstance(schema.get("additionalProperties"), dict):
            schema["additionalProperties"] = lift(schema["additionalProperties"], owner + "Value")

    def lift(sub: Any, wanted: str, in_array: bool = False, in_union: bool = False) -> Any:
        if not isinstance(sub, dict) or "$ref" in sub:
            return sub
        # A typed map left inline as array items makes datamodel-code-generator type the
        # array as a bare `list`; as a class of its own it is typed.
        typed_map = in_array and isinstance(sub.get("additionalProperties"), dict)
        # A constrained scalar branch of a union becomes a root model either way; left inline,
        # datamodel-code-generator names it after the property and gives it the union's
        # default (`root: int = "auto"` beside `anyOf: [{const: auto}, {type: integer}]`).
        constrained = in_union and _is_constrained_scalar(sub)
        if (
            _enum_base(sub) is None
            and not sub.get("properties")
            and not typed_map
            and not constrained
        ):
            visit(sub, wanted)
            return sub
        name = wanted
        counter = 2
        while name in taken:
            name, counter = f"{wanted}{counter}", counter + 1
        taken.add(name)
        keep = {k: sub.pop(k) for k in ("description", "default", "title") if k in sub}
        result[name] = sub
        visit(sub, name)
        return {"$ref": f"#/components/schemas/{name}", **keep}

    for name, schema in schemas.items():
        visit(schema, name)
    return result


def _branch_name(branch: Any, index: int) -> str:
    """What an inline branch of a union is called after its owner: its ``title``, else the
    value of the ``const`` property that tags it (``ErrorResponse`` + ``RateLimited``), else
    ``Option<n>`` (``ErrorResponseOption2``)."""
    if isinstance(branch, dict):
        title = branch.get("title")
        if isinstance(title, str) and words(title):
            return class_name(title)
        for sub in (branch.get("properties") or {}).values():
            value = sub.get("const") if isinstance(sub, dict) else None
            if isinstance(value, str) and words(value):
                return class_name(value)
    return f"Option{index + 1}"


_CONSTRAINTS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
    }
)


def _is_constrained_scalar(schema: dict[str, Any]) -> bool:
    return scalar_type(schema) and bool(_CONSTRAINTS & set(schema)) and "enum" not in schema


def scalar_type(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return isinstance(kind, str) and kind in _SCALAR_TYPES


def _enum_values(schema: Any) -> list[Any] | None:
    """The values an enum lists: its ``enum``, or the ``const`` of each branch of a ``oneOf``
    (a ``{type: null}`` branch read as ``None``); None if ``schema`` is no enum."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    branches = schema.get("oneOf")
    if "enum" in schema or "const" in schema or not isinstance(branches, list) or not branches:
        return None
    if {"properties", "anyOf", "allOf", "$ref"} & set(schema):
        return None
    values: list[Any] = []
    for branch in branches:
        if branch == {"type": "null"}:
            values.append(None)
        elif isinstance(branch, dict) and "const" in branch and set(branch) <= _CONST_BRANCH:
            values.append(branch["const"])
        else:
            return None
    return values


_CONST_BRANCH = frozenset({"const", "type", "title", "description"})


def _enum_base(schema: Any) -> str | None:
    listed = _enum_values(schema)
    if listed is None:
        return None
    values = [v for v in listed if v is not None]
    kinds = {JSON_SCALARS.get(type(v)) for v in values}
    if len(kinds) != 1 or None in kinds or "boolean" in kinds:
        return None
    return kinds.pop()


def _is_nullable_enum(schema: Any) -> bool:
    listed = _enum_values(schema)
    return _enum_base(schema) is not None and (None in (listed or ()) or _allows_null(schema))


def _closed_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """An enum component without its null member: nullability moves to the references.

    A ``oneOf`` of ``const`` keeps its form (the library documents each member with its
    branch's description), without the null branch.
    """
    closed = {k: v for k, v in schema.items() if k not in ("nullable", "default")}
    if "enum" in schema:
        closed["enum"] = [v for v in schema["enum"] if v is not None]
    else:
        closed["oneOf"] = [b for b in schema["oneOf"] if b != {"type": "null"}]
    closed["type"] = _enum_base(schema)
    listed = [v for v in _enum_values(schema) or () if v is not None]
    if "x-enum-varnames" not in closed and not all(map(_plain_member, listed)):
        closed["x-enum-varnames"] = member_names(listed)
    return closed


_PLAIN_MEMBER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_ -][A-Za-z0-9]+)*")


def _plain_member(value: Any) -> bool:
    """Whether the library names the member of ``value`` as a person would (``in-progress``
    is ``IN_PROGRESS``, ``2`` is ``INTEGER_2``); it names ``""`` ``FIELD_``, ``"1"``
    ``FIELD_1``, ``-1`` ``INTEGER__1``, and ``None`` after ``none`` ``none_1``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value >= 0
    return isinstance(value, str) and bool(_PLAIN_MEMBER.fullmatch(value))


_NUMBER_PREFIX = {int: "INTEGER", float: "NUMBER"}


def member_names(values: list[Any]) -> list[str]:
    """A readable, distinct member name for each enum value: ``EMPTY`` for ``""``, ``VALUE_1``
    for ``"1"``, ``INTEGER_1`` for ``1`` (as the library names it) and ``INTEGER_MINUS_1`` for
    ``-1``, the value's words in capitals for the rest, numbered from 2 where two values give
    one name (``none``, ``None``)."""
    names: list[str] = []
    for value in values:
        text = str(value).replace("-", " minus ", 1) if str(value).startswith("-") else str(value)
        base = "_".join(words(text)).upper() if text else "EMPTY"
        prefix = _NUMBER_PREFIX.get(type(value), "VALUE")
        if not base or base[0].isdigit() or not isinstance(value, str):
            base = "_".join(filter(None, [prefix, base]))
        name, counter = base, 2
        while name in names:
            name, counter = f"{base}_{counter}", counter + 1
        names.append(name)
    return names


def _open(schema: Any, enums: dict[str, Any], wrap: bool) -> Any:
    if isinstance(schema, list):
        return [_open(item, enums, wrap) for item in schema]
    if not isinstance(schema, dict):
        return schema
    frozen = ("enum", "examples", "example", "default", "const")
    opened = {
        k: (v if k in frozen else _open(v, enums, wrap or k in _BRANCHES))
        for k, v in schema.items()
    }
    if opened.get("type") == "array" and "items" not in opened:
        opened["items"] = {}  # a bare `list` fails mypy --strict; `list[Any]` says the same
    ref = opened.get("$ref")
    if not wrap or not isinstance(ref, str) or not ref.startswith(COMPONENT):
        return opened
    target = enums.get(ref[len(COMPONENT) :])
    if target is None:
        return opened
    branches: list[Any] = [{"$ref": ref}, {"type": _enum_base(target)}]
    if _is_nullable_enum(target):
        branches.append({"type": "null"})
    return {"anyOf": branches, **{k: v for k, v in opened.items() if k != "$ref"}}


_BRANCHES = frozenset({"anyOf", "oneOf", "allOf"})


def _allows_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return bool(schema.get("nullable")) or (isinstance(kind, list) and "null" in kind)
