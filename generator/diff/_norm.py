"""Schemas reduced to what they accept, so that spelling never shows up as a change.

Two schemas that accept the same values compare equal however they are written: 3.0 ``nullable``,
3.1 ``type: [x, 'null']`` and a ``oneOf`` with a null branch; ``const`` and a one-value ``enum``; a
one-part ``allOf`` around a ``$ref``; inline ``allOf`` parts merged into one object. :class:`Norm`
is that reduced form. Children stay raw and are reduced only when a comparison reaches them. Each
:class:`Side` memoizes reductions by node identity (keeping the node alive beside its result, so
an ``id`` is never reused), which is what keeps a diff of a 1,400-schema document fast: every
component is reduced once, however many places use it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..load.document import Document

COMPONENT = "#/components/schemas/"
ANY: dict[str, Any] = {}  # the schema that accepts everything; one object, so one memo entry

# Keywords this module interprets itself; every other one is compared as a plain keyword.
_STRUCTURE = frozenset(
    {"$ref", "type", "nullable", "enum", "const", "properties", "required", "items"}
    | {"additionalProperties", "oneOf", "anyOf", "allOf"}
)
# Keywords that document a schema without changing what it accepts: never compared.
IGNORED = frozenset(
    {"title", "example", "examples", "externalDocs", "xml", "$comment", "$schema", "$id"}
)
# Keywords that do not stop a wrapper (`oneOf: [X, null]`, `allOf: [X]`) from standing for X.
_ANNOTATIONS = IGNORED | {"description", "deprecated", "default", "nullable"}
_BOUNDS = (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum"))


@dataclass(frozen=True)
class Norm:
    """A schema as the comparison sees it; children (properties, items...) are still raw."""

    ref: str | None = None
    nullable: bool = False
    types: frozenset[str] | None = None
    enum: tuple[Any, ...] | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    additional: Any = None
    branches: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    allof: tuple[str, ...] = ()
    keywords: Mapping[str, Any] = field(default_factory=dict)
    wrapper: Norm | None = None  # for `oneOf: [X, null]` reduced to X: the form with branches


class Side:
    """One document of the comparison, with its memo of reduced schemas."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        components = mapping(doc.data.get("components"))
        self.components = components
        self.schemas = mapping(components.get("schemas"))
        self._memo: dict[int, tuple[Any, Norm]] = {}

    def norm(self, raw: Any) -> Norm:
        """The reduced form of ``raw`` (a schema of this document), memoized."""
        hit = self._memo.get(id(raw))
        if hit is None:
            self._memo[id(raw)] = (raw, Norm())  # a placeholder breaks pathological cycles
            hit = self._memo[id(raw)] = (raw, _normalize(self, raw))
        return hit[1]

    def deref(self, value: Any) -> Any:
        """Follow ``$ref`` chains (the document was checked, so they resolve)."""
        return self.doc.deref(value)

    def expand(self, norm: Norm) -> Norm:
        """A reference replaced by the component it names, keeping the reference's own flags."""
        seen: set[str] = set()
        while norm.ref is not None and norm.ref not in seen:
            seen.add(norm.ref)
            target = self.norm(self.schemas.get(norm.ref, ANY))
            norm = replace(
                target,
                nullable=target.nullable or norm.nullable,
                keywords={**target.keywords, **norm.keywords},
            )
        return norm

    def flatten(self, norm: Norm, keep: frozenset[str], seen: frozenset[str] = frozenset()) -> Norm:
        """Merge the ``allOf`` components not in ``keep`` into ``norm``, recursively."""
        if all(name in keep for name in norm.allof):
            return norm
        result = replace(norm, allof=tuple(n for n in norm.allof if n in keep))
        for name in norm.allof:
            if name not in keep and name not in seen:
                part = self.norm(self.schemas.get(name, ANY))
                if part.ref is not None:
                    part = Norm(allof=(part.ref,), nullable=part.nullable)
                result = merge(result, self.flatten(part, keep, seen | {name}))
        return result


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, with its keys as text (YAML allows `200:`); else empty."""
    if not isinstance(value, dict):
        return {}
    if all(isinstance(key, str) for key in value):
        return value
    return {str(key): item for key, item in value.items()}


def listing(value: Any) -> list[Any]:
    """``value`` if it is a list, else empty."""
    return value if isinstance(value, list) else []


def component_name(ref: str) -> str | None:
    """``Run`` for ``#/components/schemas/Run``; None for any other pointer."""
    if not ref.startswith(COMPONENT) or "/" in ref[len(COMPONENT) :]:
        return None
    return ref[len(COMPONENT) :].replace("~1", "/").replace("~0", "~")


def canonical(value: Any) -> str:
    """A stable text for a JSON value, for comparing and sorting values of any type."""
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _normalize(side: Side, raw: Any) -> Norm:
    if not isinstance(raw, dict):
        return Norm() if raw is True or raw is None else Norm(keywords={"schema": raw})
    if isinstance(raw.get("$ref"), str):
        return _reference(side, raw)
    if isinstance(raw.get("allOf"), list) and raw["allOf"]:
        return _all_of(side, raw)
    return _plain(side, raw)


def _reference(side: Side, raw: dict[str, Any]) -> Norm:
    rest = {key: value for key, value in raw.items() if key != "$ref"}
    if _constrains(rest):  # 3.1 allows siblings: `$ref` plus constraints is an `allOf`
        return _all_of(side, {**rest, "allOf": [{"$ref": raw["$ref"]}]})
    name = component_name(raw["$ref"])
    if name is None:
        target = side.norm(side.deref(raw))
        return replace(target, keywords={**target.keywords, **_keywords(rest)})
    return Norm(ref=name, nullable=rest.get("nullable") is True, keywords=_keywords(rest))


def _all_of(side: Side, raw: dict[str, Any]) -> Norm:
    rest = {key: value for key, value in raw.items() if key != "allOf"}
    own = _plain(side, rest)
    parts = [side.norm(part) for part in raw["allOf"]]
    if len(parts) == 1 and not _constrains(rest):
        only = parts[0]
        keywords = {**only.keywords, **own.keywords}
        return replace(only, nullable=only.nullable or own.nullable, keywords=keywords)
    for part in parts:
        own = merge(own, Norm(allof=(part.ref,), nullable=part.nullable) if part.ref else part)
    return own


def _plain(side: Side, raw: dict[str, Any]) -> Norm:
    branches, null_branch = _branches(side, raw)
    types, null_type = _types(raw)
    enum, null_enum = _enum(raw)
    full = Norm(
        nullable=raw.get("nullable") is True or null_type or null_enum or null_branch,
        types=_implied(types, raw),
        enum=enum,
        properties=mapping(raw.get("properties")),
        required=frozenset(str(name) for name in listing(raw.get("required"))),
        items=raw.get("items"),
        additional=raw.get("additionalProperties"),
        branches=branches,
        keywords=_keywords(raw),
    )
    return _without_branches(side, raw, full)


def _without_branches(side: Side, raw: dict[str, Any], full: Norm) -> Norm:
    """``oneOf: [X, null]`` is X, nullable; ``anyOf: [{type: a}, {type: b}]`` is ``type: [a, b]``.

    The form with branches is kept as ``wrapper``, to compare with a side that has branches.
    """
    only = [branch for parts in full.branches.values() for branch in parts]
    if full.types is not None or len(full.branches) != 1:
        return full
    if len(only) > 1 and (types := _bare_types(only)) is not None:
        return replace(full, types=types, branches={}, wrapper=full)
    if len(only) != 1 or _constrains(raw, {"oneOf", "anyOf"}):
        return full
    single = side.norm(only[0])
    keywords = {**single.keywords, **full.keywords}
    return replace(
        single, nullable=single.nullable or full.nullable, keywords=keywords, wrapper=full
    )


def _constrains(raw: dict[str, Any], also: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when ``raw`` has keywords beyond annotations (and beyond ``also``)."""
    return any(k not in _ANNOTATIONS and k not in also and not k.startswith("x-") for k in raw)


def _branches(side: Side, raw: dict[str, Any]) -> tuple[dict[str, tuple[Any, ...]], bool]:
    found: dict[str, tuple[Any, ...]] = {}
    null = False
    for key in ("oneOf", "anyOf"):
        parts = listing(raw.get(key))
        kept = tuple(part for part in parts if not _is_null(side.deref(part)))
        null = null or len(kept) < len(parts)
        if parts:
            found[key] = kept
    return found, null


def _bare_types(branches: list[Any]) -> frozenset[str] | None:
    """The types of branches that say nothing but their type; None if any says more."""
    found: set[str] = set()
    for branch in branches:
        if not isinstance(branch, dict) or "type" not in branch or _constrains(branch, {"type"}):
            return None
        found |= _types(branch)[0] or set()
    return frozenset(found)


def _is_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return (
        kind in ("null", ["null"])
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def _types(raw: dict[str, Any]) -> tuple[frozenset[str] | None, bool]:
    kind = raw.get("type")
    if isinstance(kind, str):
        kinds = {kind}
    elif isinstance(kind, list):
        kinds = {str(k) for k in kind}
    else:
        return None, False
    return frozenset(kinds - {"null"}), "null" in kinds


def _implied(types: frozenset[str] | None, raw: dict[str, Any]) -> frozenset[str] | None:
    """An untyped schema with properties is an object, one with items an array."""
    if types is not None:
        return types
    if "properties" in raw or "additionalProperties" in raw:
        return frozenset({"object"})
    return frozenset({"array"}) if "items" in raw else None


def _enum(raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, bool]:
    if "const" in raw:
        values = [raw["const"]]
    elif "enum" in raw:
        values = listing(raw["enum"])
    else:
        return None, False
    return tuple(v for v in values if v is not None), any(v is None for v in values)


def _keywords(raw: dict[str, Any]) -> dict[str, Any]:
    found = {
        key: value
        for key, value in raw.items()
        if key not in _STRUCTURE and key not in IGNORED and _read(str(key))
    }
    for inclusive, exclusive in _BOUNDS:
        _bound(found, inclusive, exclusive)
    if found.get("pattern") in _UNIVERSAL:  # matches every string: the same as no pattern
        del found["pattern"]
    conditional = {key: found.pop(key) for key in ("if", "then", "else") if key in found}
    if "if" in conditional and len(conditional) > 1:  # `if` alone, or `then` alone, asks nothing
        found["if/then/else"] = conditional
    return found


_UNIVERSAL = ("", ".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$")


# Extensions compared: one changes generated names (enum members), one lists the values a
# request may send (Zalando's open enum); other ``x-`` keys are notes.
_NAMING_EXTENSIONS = frozenset({"x-enum-varnames", "x-extensible-enum"})


def _read(key: str) -> bool:
    return not key.startswith("x-") or key in _NAMING_EXTENSIONS


def _bound(found: dict[str, Any], inclusive: str, exclusive: str) -> None:
    """Fold 3.0 (`exclusiveMinimum: true`) and 3.1 (`exclusiveMinimum: 5`) into one spelling."""
    flag = found.pop(exclusive, None)
    if isinstance(flag, int | float) and not isinstance(flag, bool):
        found[inclusive] = (flag, True)
    elif inclusive in found:
        found[inclusive] = (found[inclusive], flag is True)


def merge(a: Norm, b: Norm) -> Norm:
    """The schema accepting what both accept (``allOf``), as far as the comparison needs."""
    return Norm(
        nullable=a.nullable or b.nullable,
        types=b.types if a.types is None else a.types if b.types is None else a.types & b.types,
        enum=_meet_enum(a.enum, b.enum),
        properties=_union(a.properties, b.properties),
        required=a.required | b.required,
        items=_both(a.items, b.items),
        additional=_both(a.additional, b.additional),
        branches={**b.branches, **a.branches},
        allof=tuple(dict.fromkeys(a.allof + b.allof)),
        keywords={**b.keywords, **a.keywords},
    )


def _meet_enum(a: tuple[Any, ...] | None, b: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    if a is None or b is None:
        return b if a is None else a
    allowed = {canonical(value) for value in b}
    return tuple(value for value in a if canonical(value) in allowed)


def _union(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(a)
    for name, schema in b.items():
        merged[name] = _both(merged.get(name), schema)
    return merged


def _both(a: Any, b: Any) -> Any:
    if a is None or b is None or a is b:
        return b if a is None else a
    return {"allOf": [a, b]}


def shape(side: Side, name: str) -> str:
    """What a component accepts, as text: equal texts mean a rename kept the shape."""
    own = COMPONENT + name.replace("~", "~0").replace("/", "~1")
    return canonical(_shape(side.schemas.get(name), own))


def _shape(value: Any, own: str) -> Any:
    if isinstance(value, list):
        return [_shape(item, own) for item in value]
    if not isinstance(value, dict):
        return value
    found: dict[str, Any] = {}
    for key, item in value.items():
        if key in IGNORED or key == "description" or str(key).startswith("x-"):
            continue
        if key in ("required", "enum", "type") and isinstance(item, list):
            found[key] = sorted(item, key=canonical)
        elif key == "properties" and isinstance(item, dict):  # names, not keywords
            found[key] = {str(name): _shape(child, own) for name, child in item.items()}
        else:
            found[key] = "#self" if key == "$ref" and item == own else _shape(item, own)
    return found
