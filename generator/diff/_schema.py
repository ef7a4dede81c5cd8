"""Compare two schemas by what they accept, reporting each difference once.

Two references to the same component stop the walk: the component is compared on its own, once,
at ``#/components/schemas/<Name>``, in every direction it is used. Anything else (an inline
schema, a reference replaced by an inline copy, references to different components) is compared
structurally where it sits, so a ``$ref`` swapped for an identical inline schema shows nothing.
``allOf`` components present on both sides are kept as references; the others are merged in, so
an ``allOf`` refactor that accepts the same objects shows nothing either.
"""

from __future__ import annotations

from typing import Any

from ._change import (
    BOTH,
    CLIENT_ONLY,
    EVERYWHERE,
    NONE,
    REQUEST,
    RESPONSE,
    WIRE_ONLY,
    Direction,
    Rule,
)
from ._context import Context, Loc
from ._keywords import compare_keywords, value_text
from ._lifecycle import removal, why_breaking
from ._norm import ANY, Norm, canonical

_Stack = frozenset[tuple[object, object]]


def compare(ctx: Context, old: Any, new: Any, loc: Loc, stack: _Stack = frozenset()) -> None:
    """Report how the schema at ``loc`` changed from ``old`` (base) to ``new`` (revision)."""
    if old is new or (isinstance(old, dict) and old == new):  # same text: same references too
        return
    a, b = _unwrap(ctx.base.norm(old), ctx.rev.norm(new))
    if a.ref is not None and b.ref is not None and ctx.same_ref(a.ref, b.ref):
        _nullable(ctx, a, b, loc)
        compare_keywords(ctx, a, b, loc)  # the reference's own siblings: a default, a description
        return
    if a.ref is not None or b.ref is not None:
        key = (a.ref or id(old), b.ref or id(new))
        if key in stack:
            return
        stack = stack | {key}
        if a.ref is not None and b.ref is not None:  # the shapes decide what breaks
            ctx.add_schema("reference changed", loc, f"`{a.ref}` → `{b.ref}`", Rule())
        a, b = _unwrap(ctx.base.expand(a), ctx.rev.expand(b))
    a, b = _flatten(ctx, a, b)
    for check in (_types, _nullable, _enum, compare_keywords):
        check(ctx, a, b, loc)
    for walk in (_properties, _items, _additional, _branches):
        walk(ctx, a, b, loc, stack)


def _unwrap(a: Norm, b: Norm) -> tuple[Norm, Norm]:
    """Compare branches with branches: a one-branch side keeps its ``oneOf`` if the other has one."""
    if a.wrapper is not None and b.branches:
        return a.wrapper, b
    if b.wrapper is not None and a.branches:
        return a, b.wrapper
    return a, b


def _flatten(ctx: Context, a: Norm, b: Norm) -> tuple[Norm, Norm]:
    keep_a = frozenset(x for x in a.allof if any(ctx.same_ref(x, y) for y in b.allof))
    keep_b = frozenset(y for y in b.allof if any(ctx.same_ref(x, y) for x in a.allof))
    return ctx.base.flatten(a, keep_a), ctx.rev.flatten(b, keep_b)


def _types(ctx: Context, a: Norm, b: Norm, loc: Loc) -> None:
    if a.types == b.types:
        return
    rule = Rule(
        request=WIRE_ONLY if _loses(a.types, b.types) else NONE,
        response=WIRE_ONLY if _loses(b.types, a.types) else NONE,
    )
    ctx.add_schema("type changed", loc, f"type {_kinds(a.types)} → {_kinds(b.types)}", rule)


def _loses(old: frozenset[str] | None, new: frozenset[str] | None) -> bool:
    """True when some value of type ``old`` is not of type ``new`` (integers are numbers)."""
    if new is None:
        return False
    if old is None:
        return True
    return any(t not in new and not (t == "integer" and "number" in new) for t in old)


def _kinds(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    return " | ".join(f"`{t}`" for t in sorted(types)) or "`null`"


def _nullable(ctx: Context, a: Norm, b: Norm, loc: Loc) -> None:
    if b.nullable and not a.nullable:
        # A lenient client keeps the `null` (as `None`) and flags it; strict mode rejects it.
        read = RESPONSE in loc.direction or REQUEST not in loc.direction
        text = "now accepts `null`" + (" (code reading it must allow `None`)" if read else "")
        ctx.add_schema("became nullable", loc, text, Rule(response=BOTH))
    elif a.nullable and not b.nullable:
        ctx.add_schema(
            "no longer nullable", loc, "no longer accepts `null`", Rule(request=WIRE_ONLY)
        )


def _enum(ctx: Context, a: Norm, b: Norm, loc: Loc) -> None:
    if a.enum is None and b.enum is not None:
        values = ", ".join(f"`{value_text(v)}`" for v in b.enum)
        ctx.add_schema("enum added", loc, f"values restricted to {values}", Rule(request=WIRE_ONLY))
    elif b.enum is None and a.enum is not None:
        ctx.add_schema("enum removed", loc, "any value accepted now", Rule())
    elif a.enum and b.enum and len(a.enum) == len(b.enum) == 1 and a.enum != b.enum:
        # A constant that changes: every value sent and received changes, a break both ways.
        text = f"`{value_text(a.enum[0])}` → `{value_text(b.enum[0])}`"
        ctx.add_schema("const changed", loc, text, Rule(request=WIRE_ONLY, response=WIRE_ONLY))
    elif a.enum is not None and b.enum is not None:
        old = {canonical(v): v for v in a.enum}
        new = {canonical(v): v for v in b.enum}
        note = " (generated clients accept unknown values)" if RESPONSE in loc.direction else ""
        for key in sorted(new.keys() - old.keys()):
            text = f"value `{value_text(new[key])}` added{note}"
            ctx.add_schema("enum value added", loc, text, Rule())
        for key in sorted(old.keys() - new.keys()):
            text = f"value `{value_text(old[key])}` removed"
            ctx.add_schema("enum value removed", loc, text, Rule(request=WIRE_ONLY))


def _properties(ctx: Context, a: Norm, b: Norm, loc: Loc, stack: _Stack) -> None:
    old = set(a.properties) | a.required
    new = set(b.properties) | b.required
    for name in sorted(old | new):
        here = loc.child("properties", name)
        before, after = a.properties.get(name, ANY), b.properties.get(name, ANY)
        ways = _travels(ctx, before, after)
        if name not in old:
            _added(ctx, name, name in b.required, here, ways)
        elif name not in new:
            _removed(ctx, (name, before), name in a.required, here, ways)
        else:
            _requiredness(ctx, name, (name in a.required, name in b.required), here, ways)
            compare(ctx, before, after, here, stack)


def _travels(ctx: Context, old: Any, new: Any) -> Direction:
    """The directions a property travels in: ``readOnly`` (on either side) is never sent in a
    request, ``writeOnly`` never returned in a response, so their rules there do not apply."""
    flags = {
        key
        for side, raw in ((ctx.base, old), (ctx.rev, new))
        for key, value in side.expand(side.norm(raw)).keywords.items()
        if key in ("readOnly", "writeOnly") and value is True
    }
    return EVERYWHERE - {_ONE_WAY[flag] for flag in flags}


_ONE_WAY = {"readOnly": REQUEST, "writeOnly": RESPONSE}  # the direction each flag rules out


def _limit(rule: Rule, ways: Direction) -> Rule:
    return Rule(
        request=rule.request if REQUEST in ways else NONE,
        response=rule.response if RESPONSE in ways else NONE,
    )


def _only(ways: Direction) -> str:
    if REQUEST not in ways:
        return " (`readOnly`: never sent in a request)"
    if RESPONSE not in ways:
        return " (`writeOnly`: never returned in a response)"
    return ""


def _added(ctx: Context, name: str, required: bool, loc: Loc, ways: Direction) -> None:
    text = f"{'required' if required else 'optional'} property `{name}` added{_only(ways)}"
    rule = _limit(Rule(request=BOTH if required else NONE), ways)
    ctx.add_schema("property added", loc, text, rule)


def _removed(
    ctx: Context, prop: tuple[str, Any], required: bool, loc: Loc, ways: Direction
) -> None:
    """A property gone: breaking, unless its deprecation ran out (or it was a draft)."""
    name, raw = prop
    text = f"{'required' if required else 'optional'} property `{name}` removed{_only(ways)}"
    if why := removal(ctx, ctx.base, raw):
        ctx.add_schema("property removed", loc, f"{text} ({why})", Rule())
        return
    rule = Rule(request=BOTH, response=BOTH if required else CLIENT_ONLY)
    ctx.add_schema("property removed", loc, text + why_breaking(raw, ctx.base), _limit(rule, ways))


def _requiredness(
    ctx: Context, name: str, state: tuple[bool, bool], loc: Loc, ways: Direction
) -> None:
    before, after = state
    if after and not before:
        text = f"`{name}` is now required{_only(ways)}"
        ctx.add_schema("property became required", loc, text, _limit(Rule(request=BOTH), ways))
    elif before and not after:
        text = f"`{name}` is now optional{_only(ways)}"
        rule = _limit(Rule(response=WIRE_ONLY), ways)
        ctx.add_schema("property became optional", loc, text, rule)


def _items(ctx: Context, a: Norm, b: Norm, loc: Loc, stack: _Stack) -> None:
    if a.items is not None or b.items is not None:
        old, new = _or_any(a.items), _or_any(b.items)
        compare(ctx, old, new, loc.child("items"), stack)


def _or_any(schema: Any) -> Any:
    return ANY if schema is None or schema is True else schema


def _additional(ctx: Context, a: Norm, b: Norm, loc: Loc, stack: _Stack) -> None:
    old, new = a.additional, b.additional
    if old is False and new is not False:
        ctx.add_schema("additional properties changed", loc, "extra properties now allowed", Rule())
    elif new is False and old is not False:
        text = "extra properties no longer allowed"
        ctx.add_schema("additional properties changed", loc, text, Rule(request=WIRE_ONLY))
    elif isinstance(old, dict) or isinstance(new, dict):
        compare(ctx, _or_any(old), _or_any(new), loc.child("additionalProperties"), stack)


def _branches(ctx: Context, a: Norm, b: Norm, loc: Loc, stack: _Stack) -> None:
    for key in ("oneOf", "anyOf"):
        old, new = a.branches.get(key, ()), b.branches.get(key, ())
        pairs, removed, added = _match(ctx, old, new)
        # Branches added to an existing anyOf/oneOf widen it; a first anyOf/oneOf narrows the
        # schema (every value must now match a branch), and dropping it entirely widens it.
        if added and not old:
            text = f"`{key}` with {len(new)} branches added"
            ctx.add_schema(f"{key} added", loc, text, Rule(request=WIRE_ONLY))
            added = []
        if removed and not new:
            text = f"`{key}` with {len(old)} branches removed"
            ctx.add_schema(f"{key} removed", loc, text, Rule(response=WIRE_ONLY))
            removed = []
        for i in removed:
            text = f"branch {_branch(ctx, old[i], i, base=True)} removed"
            ctx.add_schema(f"{key} branch removed", loc, text, Rule(request=WIRE_ONLY))
        for j in added:
            text = f"branch {_branch(ctx, new[j], j, base=False)} added"
            ctx.add_schema(f"{key} branch added", loc, text, Rule(response=WIRE_ONLY))
        for i, j in pairs:
            compare(ctx, old[i], new[j], loc.child(key, str(j)), stack)


def _match(
    ctx: Context, old: tuple[Any, ...], new: tuple[Any, ...]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair equal branches; pair leftover inline branches by position when the counts agree."""
    keys = {_identity(ctx, s, base=False): j for j, s in enumerate(new)}
    pairs = [(i, keys[k]) for i, s in enumerate(old) if (k := _identity(ctx, s, base=True)) in keys]
    removed = [i for i in range(len(old)) if i not in {p[0] for p in pairs}]
    added = [j for j in range(len(new)) if j not in {p[1] for p in pairs}]
    inline_old = [i for i in removed if ctx.base.norm(old[i]).ref is None]
    inline_new = [j for j in added if ctx.rev.norm(new[j]).ref is None]
    if inline_old and len(inline_old) == len(inline_new):
        pairs += list(zip(inline_old, inline_new, strict=True))
        removed = [i for i in removed if i not in inline_old]
        added = [j for j in added if j not in inline_new]
    return pairs, removed, added


def _identity(ctx: Context, schema: Any, *, base: bool) -> str:
    ref = (ctx.base if base else ctx.rev).norm(schema).ref
    if ref is None:
        return canonical(schema)
    return "$ref:" + (ctx.renames.get(ref, ref) if base else ref)


def _branch(ctx: Context, schema: Any, index: int, *, base: bool) -> str:
    norm = (ctx.base if base else ctx.rev).norm(schema)
    return f"`{norm.ref}`" if norm.ref else f"#{index} ({_kinds(norm.types)})"
