"""``allOf`` hierarchies as the library can build them: loops cut, bases before subclasses.

- loops cut (:func:`unlooped_bases`): a union whose members ``allOf`` it back as their base
  becomes a base of its own fields, which the library can build.
- bases first (:func:`bases_first`): the order the library writes classes in, which the
  packages of users' specs have been generated in.
"""

from __future__ import annotations

from typing import Any

from .names import COMPONENT


def allof_parts(schemas: dict[str, Any]) -> set[str]:
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
