"""Compare the keywords of a schema that constrain a value in place: bounds, pattern, format.

Each keyword has one question: did the set of accepted values shrink (tighter: breaks requests),
grow (looser: breaks a response, whose callers relied on the bound), or neither? Bounds answer by comparing numbers; ``pattern``, ``format`` and
``multipleOf`` cannot be ordered, so any change to them is both. A request default is what the
server does for a caller who leaves the value out, so changing or removing one breaks the wire.
Descriptions, deprecation and keywords this module does not know are reported as information.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._change import CLIENT, CLIENT_ONLY, REQUEST, WIRE_ONLY, Rule
from ._norm import Norm, canonical

if TYPE_CHECKING:
    from ._context import Context, Loc

_MISSING: Any = object()
_LOWER = {
    "minLength": "min length", "minItems": "min items", "minProperties": "min properties",
    "minContains": "min contains",
}  # fmt: skip
_UPPER = {
    "maxLength": "max length", "maxItems": "max items", "maxProperties": "max properties",
    "maxContains": "max contains",
}  # fmt: skip
_UNORDERED = {
    "pattern": "pattern", "format": "format", "multipleOf": "multipleOf",
    "contentMediaType": "content media type", "contentEncoding": "content encoding",
}  # fmt: skip
# Formats the models generator turns into their own Python types (datamodel-code-generator's
# mapping): changing one changes the attribute's type, which code using the model notices.
_FORMAT_TYPES = {
    "date-time": "AwareDatetime", "date": "date", "time": "time", "duration": "timedelta",
    "uuid": "UUID", "uri": "AnyUrl", "email": "EmailStr", "ipv4": "IPv4Address",
    "ipv6": "IPv6Address", "binary": "bytes", "byte": "Base64Str", "password": "SecretStr",
    "decimal": "Decimal",
}  # fmt: skip
_TIGHTER = Rule(request=WIRE_ONLY)
_LOOSER = Rule(response=WIRE_ONLY)  # a caller relying on the documented bound can fail
_EITHER = Rule(request=WIRE_ONLY, response=WIRE_ONLY)


def compare_keywords(ctx: Context, a: Norm, b: Norm, loc: Loc) -> None:
    """Report every keyword whose value differs between ``a`` and ``b``."""
    for key in sorted(set(a.keywords) | set(b.keywords)):
        old, new = a.keywords.get(key, _MISSING), b.keywords.get(key, _MISSING)
        if old is new or (old is not _MISSING and new is not _MISSING and _same(old, new)):
            continue
        _handler(key)(ctx, key, old, new, loc)


def _same(old: Any, new: Any) -> bool:
    return type(old) is type(new) and canonical(old) == canonical(new)


def _handler(key: str) -> Callable[[Context, str, Any, Any, Loc], None]:
    if key in _LOWER or key == "minimum":
        return _lower
    if key in _UPPER or key == "maximum":
        return _upper
    return _SIMPLE.get(key, _unordered if key in _UNORDERED else _other)


def _lower(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    _bounded(ctx, key, old, new, loc, order=_order(old, new, lower=True))


def _upper(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    _bounded(ctx, key, old, new, loc, order=_order(old, new, lower=False))


def _order(old: Any, new: Any, *, lower: bool) -> int | None:
    """1 when ``new`` is the tighter bound, -1 when looser, 0 when equal, None if unknowable."""
    if old is _MISSING or new is _MISSING:
        return 1 if old is _MISSING else -1
    before, after = _bound(old, lower), _bound(new, lower)
    if before is None or after is None:
        return None
    if before == after:
        return 0
    return 1 if (after > before) == lower else -1


def _bound(value: Any, lower: bool) -> tuple[float, int] | None:
    """A bound as a sortable pair: an exclusive bound sits just inside the inclusive one."""
    number, exclusive = value if isinstance(value, tuple) else (value, False)
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None
    return (float(number), (1 if lower else -1) if exclusive else 0)


def _bounded(ctx: Context, key: str, old: Any, new: Any, loc: Loc, *, order: int | None) -> None:
    if order == 0:
        return
    name = _LOWER.get(key) or _UPPER.get(key) or key
    rule = {1: _TIGHTER, -1: _LOOSER}.get(order or 2, _EITHER)
    word = {1: " (tighter)", -1: " (looser)"}.get(order or 2, "")
    ctx.add_schema(f"{name} changed", loc, f"{name} {_show(old)} → {_show(new)}{word}", rule)


def _show(value: Any) -> str:
    if value is _MISSING:
        return "none"
    if isinstance(value, tuple):
        number, exclusive = value
        return f"`{'exclusive ' if exclusive else ''}{canonical(number)}`"
    return f"`{value}`" if isinstance(value, str) else f"`{canonical(value)}`"


def _unordered(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    rule, word = (
        (_TIGHTER, " (tighter)")
        if old is _MISSING
        else (_LOOSER, " (looser)")
        if new is _MISSING
        else (_EITHER, "")
    )
    text = f"{key} {_show(old)} → {_show(new)}{word}"
    if key == "format" and _python_type(old) != _python_type(new):
        text += f"; the model attribute's type changes from {_type_of(old)} to {_type_of(new)}"
        rule = Rule(request=(*rule.request, CLIENT), response=CLIENT_ONLY)
    ctx.add_schema(f"{_UNORDERED[key]} changed", loc, text, rule)


def _python_type(value: Any) -> str | None:
    """The type the generated models give a value of this ``format`` (None: as without one)."""
    return _FORMAT_TYPES.get(value) if isinstance(value, str) else None


def _type_of(value: Any) -> str:
    name = _python_type(value)
    return f"`{name}`" if name else "the plain type"


def _unique(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    rule = _TIGHTER if new is True else _LOOSER
    ctx.add_schema("uniqueItems changed", loc, f"uniqueItems {_show(old)} → {_show(new)}", rule)


def _default(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    """A default in a request is the server's behaviour for a caller who leaves the value out.

    Changed: that caller now gets another behaviour. Removed: the behaviour is no longer
    promised. Added: a behaviour that was not promised now is, which breaks no documented
    expectation. In a response a default only says what an absent field means: informational.
    """
    sent = REQUEST in loc.direction or not loc.direction
    if old is _MISSING:
        kind, text, rule = "default added", f"default {_show(new)} added", Rule()
        text += f"; a caller who leaves it out gets {_show(new)}" if sent else ""
    elif new is _MISSING:
        kind, text, rule = "default removed", f"default {_show(old)} removed", _TIGHTER
        text += f"; a caller who leaves it out no longer gets {_show(old)}" if sent else ""
    else:
        kind, text, rule = "default changed", f"default {_show(old)} → {_show(new)}", _TIGHTER
        text += f"; a caller who leaves it out gets {_show(new)}" if sent else ""
    if not sent and new is not _MISSING:  # the response model fills absent fields in with it
        text += f"; an absent field reads as {_show(new)}"
    ctx.add_schema(kind, loc, text, rule)


def _description(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    ctx.add_schema("description changed", loc, edit(old, new), Rule())


def _varnames(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    """Enum member names: the wire is unchanged, code that names a member may break."""
    text = f"enum member names {brief(old)} → {brief(new)}"
    ctx.add_schema("enum member names changed", loc, text, Rule(CLIENT_ONLY, CLIENT_ONLY))


def _deprecated(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    text = "now deprecated" if new is True else "no longer deprecated"
    ctx.add_schema("deprecated", loc, text, Rule())


def _constraint(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    """A keyword that only ever rejects values: adding it narrows, removing it widens."""
    if old is _MISSING:
        ctx.add_schema("constraint added", loc, f"`{key}` {brief(new)} added", _TIGHTER)
    elif new is _MISSING:
        ctx.add_schema("constraint removed", loc, f"`{key}` {brief(old)} removed", _LOOSER)
    else:
        text = f"`{key}` {brief(old)} → {brief(new)}"
        ctx.add_schema("constraint changed", loc, text, _EITHER)


def _closing(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    """``unevaluatedProperties``/``Items``: ``true`` allows what no keyword does, as if absent."""
    old, new = (_MISSING if value is True else value for value in (old, new))
    if old is not new:
        _constraint(ctx, key, old, new, loc)


def _extensible(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    """``x-extensible-enum``: the values a caller may send; the server may answer others."""
    before = {canonical(v): v for v in old} if isinstance(old, list) else {}
    after = {canonical(v): v for v in new} if isinstance(new, list) else {}
    for value in sorted(before.keys() - after.keys()):
        text = f"`x-extensible-enum` value `{value_text(before[value])}` removed"
        ctx.add_schema("extensible enum value removed", loc, text, _TIGHTER)
    for value in sorted(after.keys() - before.keys()):
        text = f"`x-extensible-enum` value `{value_text(after[value])}` added"
        ctx.add_schema("extensible enum value added", loc, text, Rule())


def value_text(value: Any) -> str:
    """An enum value for a report: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else canonical(value)


def _other(ctx: Context, key: str, old: Any, new: Any, loc: Loc) -> None:
    text = f"`{key}` {brief(old)} → {brief(new)}"
    ctx.add_schema("schema keyword changed", loc, text, Rule())


def edit(old: Any, new: Any) -> str:
    """``old → new`` for prose: long texts start just before the first word that differs."""
    if not isinstance(old, str) or not isinstance(new, str):
        return f"{brief(old)} → {brief(new)}"
    a, b = " ".join(old.split()), " ".join(new.split())
    same = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = a.rfind(" ", 0, max(same - 8, 0)) + 1 if same > 24 else 0
    mark = "…" if start else ""
    return f"{brief(mark + a[start:])} → {brief(mark + b[start:])}"


def brief(value: Any, width: int = 40) -> str:
    """A value shortened for one line of a report, in backticks (``none`` when missing)."""
    if value is _MISSING or value is None:
        return "none"
    text = " ".join((value if isinstance(value, str) else canonical(value)).split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return "`" + text.replace("`", "'") + "`"


_SIMPLE: dict[str, Callable[[Context, str, Any, Any, Loc], None]] = {
    "uniqueItems": _unique,
    "default": _default,
    "description": _description,
    "deprecated": _deprecated,
    "x-enum-varnames": _varnames,
    "x-extensible-enum": _extensible,
    "unevaluatedProperties": _closing,
    "unevaluatedItems": _closing,
    # Keywords that only ever reject values: each is judged as a whole (added: tighter).
    **dict.fromkeys(
        (
            *("dependentRequired", "dependentSchemas", "not", "const", "propertyNames"),
            *("contains", "if/then/else", "patternProperties", "prefixItems", "contentSchema"),
        ),
        _constraint,
    ),
}
