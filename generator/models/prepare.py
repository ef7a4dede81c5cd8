"""Schema rewrites made on a copy of the component schemas before the library sees them.

Each one is a decision of ours or an input the library types better:

- 3.0 schemas in 3.1 form (:func:`as_31`): ``nullable`` as a ``null`` branch, boolean
  exclusive bounds as numbers, so optional and nullable fields are typed as declared.
- deprecated root models described instead (:func:`undeprecated_roots`): pydantic cannot set
  a ``root`` field marked deprecated.
- open enums (:func:`open_enums`): enums hoisted into closed classes of their own, each
  reference later widened to ``Enum | str`` (vendors add statuses without notice).
- presence rules split off (:func:`split_rules`): left in, they would become unions; they are
  checked by a validator appended to the model instead.
- loops cut (:func:`unlooped_bases`): a union whose members ``allOf`` it back as their base
  becomes a base of its own fields, which the library can build.
- bases first (:func:`bases_first`): the order the library writes classes in, which the
  packages of users' specs have been generated in.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..ir.naming import class_name, words
from .names import COMPONENT

JSON_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def as_31(schema: Any) -> Any:
    """A 3.0 schema in 3.1 form, which datamodel-code-generator types more precisely.

    ``nullable: true`` becomes a ``null`` branch (3.0 input makes it annotate an optional,
    non-nullable field ``str = None``, which mypy rejects), boolean ``exclusiveMinimum`` /
    ``exclusiveMaximum`` become numbers, and an array without ``items`` holds anything.
    """
    if isinstance(schema, list):
        return [as_31(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    frozen = ("enum", "examples", "example", "default", "const", "properties")
    result = {k: (v if k in frozen else as_31(v)) for k, v in schema.items()}
    if isinstance(schema.get("properties"), dict):
        result["properties"] = {k: as_31(v) for k, v in schema["properties"].items()}
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(result.get(bound), bool):
            flag = result.pop(bound)
            if flag and limit in result:
                result[bound] = result.pop(limit)
    if result.pop("nullable", False) is True:
        result = _with_null(result)
    return _null_or_scalar(result)


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str) and not {"$ref", "allOf", "oneOf", "anyOf"} & set(schema):
        enum = schema.get("enum")
        extra = {"enum": [*enum, None]} if isinstance(enum, list) and None not in enum else {}
        return {**schema, "type": [kind, "null"], **extra}
    keep: dict[str, Any] = {
        k: schema.pop(k) for k in ("description", "title", "default") if k in schema
    }
    return {"anyOf": [schema, {"type": "null"}], **keep}


def _null_or_scalar(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [<scalar>, {type: null}]`` as one scalar schema with ``type: [<t>, null]``.

    Left as a union, a constrained branch (``integer``, ``maximum: 20``) becomes a root model
    of its own, so the field is typed ``TopLogprobs | None`` instead of
    ``Annotated[int | None, Field(le=20)]``, and a subclass that narrows the field to a plain
    ``int`` no longer agrees with it.
    """
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list) or len(branches) != 2:
            continue
        nulls = [b for b in branches if b == {"type": "null"}]
        scalars = [
            b
            for b in branches
            if isinstance(b, dict) and _scalar_type(b) and not _NOT_PLAIN & set(b)
        ]
        if len(nulls) != 1 or len(scalars) != 1 or set(schema) & (_NOT_PLAIN - {key, "default"}):
            continue
        scalar = scalars[0]
        outer = {k: v for k, v in schema.items() if k != key}
        return {**scalar, **outer, "type": [scalar["type"], "null"]}
    return schema


_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


_NOT_PLAIN = frozenset({"$ref", "enum", "const", "anyOf", "oneOf", "allOf", "not", "default"})


def undeprecated_roots(schemas: dict[str, Any]) -> dict[str, Any]:
    """Components that become root models without ``deprecated``, said in their description.

    The library writes ``Field(deprecated=True)`` on a root model's ``root`` field, and
    pydantic then refuses to set ``root``: the model cannot be built, nor its response read.
    """
    result = {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and schema.get("deprecated") and not _is_class(schema):
            schema = {k: v for k, v in schema.items() if k != "deprecated"}
            schema["description"] = " ".join(
                [str(schema.get("description") or ""), "Deprecated."]
            ).strip()
        result[name] = schema
    return result


def write_only_unrequired(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` whose ``required`` lists leave out the properties marked ``writeOnly``.

    OpenAPI: a required ``writeOnly`` property is required in requests only, and responses
    leave it out. The model is shared by both, so it must not require it; the lowering keeps
    the request's argument required (``lower._body``).
    """

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: visit(value) for key, value in node.items()}
        props = node.get("properties")
        required = node.get("required")
        if isinstance(props, dict) and isinstance(required, list):
            kept = [
                n
                for n in required
                if not (isinstance(props.get(n), dict) and props[n].get("writeOnly") is True)
            ]
            if len(kept) != len(required):
                node["required"] = kept
        return node

    return {name: visit(schema) for name, schema in schemas.items()}


def _is_class(schema: dict[str, Any]) -> bool:
    """Whether the library makes a plain class of ``schema`` (not a root model)."""
    return "properties" in schema or "allOf" in schema


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
    merged = _allof_parts(hoisted)
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
    return _scalar_type(schema) and bool(_CONSTRAINTS & set(schema)) and "enum" not in schema


def _scalar_type(schema: dict[str, Any]) -> bool:
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


def _allof_parts(schemas: dict[str, Any]) -> set[str]:
    """The components some ``allOf`` lists by reference."""
    return {base for schema in schemas.values() for base in _allof_bases(schema)}


def _allof_bases(schema: Any) -> list[str]:
    """The components an ``allOf`` anywhere in ``schema`` lists by reference, in order."""
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for branch in value.get("allOf") or []:
                ref = branch.get("$ref") if isinstance(branch, dict) else None
                if isinstance(ref, str) and ref.startswith(COMPONENT):
                    found.append(ref[len(COMPONENT) :])
            for item in value.values():
                visit(item)

    visit(schema)
    return found


def unlooped_bases(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` where no member of a ``oneOf``/``anyOf`` takes, through ``allOf``, the
    union it is a member of as its base.

    A tree of filters is often written so: ``Filter`` has the common properties and a
    ``oneOf`` of ``And`` and ``Leaf``, each of which is ``allOf: [Filter, ...]`` (or is
    ``allOf`` a component that is). A member takes the common properties, not the choice it is
    one branch of, so such an ``allOf`` is pointed at ``FilterBase``: ``Filter`` without its
    ``oneOf``/``anyOf`` (left out when nothing else is left). The library cannot build the
    loop as written (a base that is defined by its subclasses).
    """
    result = dict(schemas)
    for name, schema in schemas.items():
        looping = [
            c for c in _allof_reach(schemas, _union_refs(schema)) if name in _bases(result, c)
        ]
        if not looping:
            continue
        base = {k: v for k, v in schema.items() if k not in _UNION_KEYS}
        base_name = ""
        if set(base) - {"type", "title", "description"}:
            base_name, counter = name + "Base", 2
            while base_name in result:
                base_name, counter = f"{name}Base{counter}", counter + 1
            result[base_name] = base
        for component in looping:
            result[component] = _rebased(result[component], name, base_name)
    return result


_UNION_KEYS = frozenset({"oneOf", "anyOf", "discriminator"})


def _union_refs(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    branches = [*(schema.get("oneOf") or []), *(schema.get("anyOf") or [])]
    return _component_refs(branches)


def _bases(schemas: dict[str, Any], name: str) -> list[str]:
    """The components ``name``'s own ``allOf`` lists by reference."""
    schema = schemas.get(name)
    return _component_refs(schema.get("allOf") or []) if isinstance(schema, dict) else []


def _component_refs(branches: Any) -> list[str]:
    refs = (
        [b.get("$ref") for b in branches if isinstance(b, dict)]
        if isinstance(branches, list)
        else []
    )
    return [r[len(COMPONENT) :] for r in refs if isinstance(r, str) and r.startswith(COMPONENT)]


def _allof_reach(schemas: dict[str, Any], start: list[str]) -> list[str]:
    """``start`` and every component their ``allOf`` chains reach, in a stable order."""
    reached: dict[str, None] = {}
    todo = list(start)
    while todo:
        name = todo.pop(0)
        if name not in reached and name in schemas:
            reached[name] = None
            todo += _bases(schemas, name)
    return list(reached)


def _rebased(schema: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``schema`` with its ``allOf`` reference to ``old`` pointed at ``new`` (dropped if "")."""
    parts = []
    for part in schema["allOf"]:
        if isinstance(part, dict) and part.get("$ref") == COMPONENT + old:
            if not new:
                continue
            part = {**part, "$ref": COMPONENT + new}
        parts.append(part)
    return {**schema, "allOf": parts}


def bases_first(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` reordered so every component comes after the ones its ``allOf`` lists.

    Otherwise order is kept. It was made for speed (the library looked a base it had not
    built yet up in every model built so far, about a second on a document of three thousand
    schemas); with the schemas as they now reach it, the library takes as long in either
    order. It is kept because the library writes its classes in this order, so the packages
    made of users' specs stay as they were.
    """
    ordered: dict[str, Any] = {}
    entered: set[str] = set()

    def visit(name: str) -> None:
        if name in entered or name not in schemas:
            return
        entered.add(name)
        for base in _allof_bases(schemas[name]):
            visit(base)
        ordered[name] = schemas[name]

    for name in schemas:
        visit(name)
    return ordered


_RULE_KEYS = frozenset({"required", "anyOf", "oneOf", "allOf", "not", "dependentRequired"})


_RULE_NAMES = frozenset({"title", "description"})


def is_presence_rule(schema: Any) -> bool:
    """Whether ``schema`` only says which properties must (not) be present: a cross-field rule."""
    if not isinstance(schema, dict) or not set(schema) & _RULE_KEYS:
        return False
    if not set(schema) <= _RULE_KEYS | _RULE_NAMES:
        return False
    branches = [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *schema.get("allOf", ())]
    nested = [schema["not"]] if "not" in schema else []
    return all(is_presence_rule(sub) for sub in branches + nested)


def _split_one(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    rest, rules = dict(schema), {}
    for key in ("anyOf", "oneOf"):
        if isinstance(rest.get(key), list) and all(map(is_presence_rule, rest[key])):
            rules[key] = rest.pop(key)
    if is_presence_rule(rest.get("not")):
        rules["not"] = rest.pop("not")
    if isinstance(rest.get("dependentRequired"), dict):
        rules["dependentRequired"] = rest.pop("dependentRequired")
    parts = rest.pop("allOf", None) or []
    if [p for p in parts if is_presence_rule(p)]:
        rules["allOf"] = [p for p in parts if is_presence_rule(p)]
    if [p for p in parts if not is_presence_rule(p)]:
        rest["allOf"] = [p for p in parts if not is_presence_rule(p)]
    return rest, rules


def split_rules(schemas: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Object schemas without their cross-field rules, and the rules of each (by schema name).

    The rules are ``anyOf``/``oneOf``/``allOf`` of presence-only subschemas, ``not`` and
    ``dependentRequired``: left in, datamodel-code-generator would turn them into unions.
    """
    kept, rules = {}, {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and schema.get("properties"):
            kept[name], found = _split_one(schema)
            if found:
                rules[name] = found
        else:
            kept[name] = schema
    return kept, rules
