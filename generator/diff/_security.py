"""Compare security: the schemes' wire fields and what each operation requires.

A scheme's wire fields (type, where the key goes and under which name, the HTTP scheme, OAuth
URLs and scopes) are what a client must send; changing one breaks every caller configured for the
old one. An operation's requirements are alternatives: a new alternative is harmless unless the
operation used to be callable anonymously, a removed one breaks unless anonymous access remains,
and a new scope on a kept alternative breaks. Operations that inherit the document's ``security``
on both sides are covered once, at ``#/security``.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import pointer
from ._change import BOTH, WIRE_ONLY
from ._context import Context, Say
from ._keywords import brief, edit
from ._norm import listing, mapping
from ._operation import Operation

Alternatives = dict[frozenset[str], dict[str, frozenset[str]]]
_WIRE_FIELDS = ("type", "in", "name", "scheme", "openIdConnectUrl")
_FLOW_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")
_CHANGED = "security scheme changed"


def compare_schemes(ctx: Context) -> None:
    """Report security schemes added, removed, or changed on the wire."""
    old = mapping(ctx.base.components.get("securitySchemes"))
    new = mapping(ctx.rev.components.get("securitySchemes"))
    for name in sorted(old.keys() | new.keys()):
        where = pointer("components", "securitySchemes", name)
        say = ctx.at(where, where)
        if name not in new:
            say("security scheme removed", f"`{name}` removed", BOTH)
        elif name not in old:
            say("security scheme added", f"`{name}` added", ())
        else:
            _scheme(say, mapping(ctx.base.deref(old[name])), mapping(ctx.rev.deref(new[name])))


def _scheme(say: Say, old: dict[str, Any], new: dict[str, Any]) -> None:
    for field in _WIRE_FIELDS:
        if _wire(old, field) != _wire(new, field):
            say(_CHANGED, f"`{field}` {brief(old.get(field))} → {brief(new.get(field))}", WIRE_ONLY)
    _flows(say, mapping(old.get("flows")), mapping(new.get("flows")))
    if old.get("bearerFormat") != new.get("bearerFormat"):  # a hint for people, not checked
        say(
            _CHANGED, f"`bearerFormat` {edit(old.get('bearerFormat'), new.get('bearerFormat'))}", ()
        )
    if old.get("description") != new.get("description"):
        say("description changed", edit(old.get("description"), new.get("description")), ())


def _wire(scheme: dict[str, Any], field: str) -> Any:
    """A wire field as the server reads it: HTTP schemes and header names ignore case."""
    value = scheme.get(field)
    folds = field == "scheme" or (field == "name" and scheme.get("in") == "header")
    return value.lower() if isinstance(value, str) and folds else value


def _flows(say: Say, old: dict[str, Any], new: dict[str, Any]) -> None:
    for flow in sorted(old.keys() | new.keys()):
        before, after = mapping(old.get(flow)), mapping(new.get(flow))
        if before and after:
            _flow(say, flow, before, after)
        else:
            state = "removed" if before else "added"
            say(_CHANGED, f"OAuth flow `{flow}` {state}", WIRE_ONLY if before else ())


def _flow(say: Say, flow: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    for field in _FLOW_URLS:
        if before.get(field) != after.get(field):
            text = (
                f"`{flow}.{field}` {brief(before.get(field), 60)} → {brief(after.get(field), 60)}"
            )
            say(_CHANGED, text, WIRE_ONLY)
    gone = mapping(before.get("scopes")).keys() - mapping(after.get("scopes")).keys()
    for scope in sorted(gone):
        say(_CHANGED, f"`{flow}` scope `{scope}` removed", WIRE_ONLY)


def compare_root_security(ctx: Context) -> None:
    """Report changes of the document-wide requirements (``#/security``)."""
    old, new = ctx.base.doc.data.get("security"), ctx.rev.doc.data.get("security")
    if old != new:
        _requirements(ctx.at("#/security", "#/security"), _alternatives(old), _alternatives(new))


def compare_operation_security(ctx: Context, a: Operation, b: Operation) -> None:
    """Report changes of what one operation requires, when it does not just inherit."""
    if "security" not in a.raw and "security" not in b.raw:
        return
    old = a.raw.get("security", a.side.doc.data.get("security"))
    new = b.raw.get("security", b.side.doc.data.get("security"))
    _requirements(ctx.at(b.where, b.pointer + "/security"), _alternatives(old), _alternatives(new))


def _alternatives(value: Any) -> Alternatives:
    """Each alternative (a set of scheme names) with the scopes it asks of each scheme."""
    found: Alternatives = {}
    for requirement in map(mapping, listing(value)):
        scopes = {name: frozenset(map(str, listing(s))) for name, s in requirement.items()}
        found[frozenset(requirement)] = scopes
    return found


def _requirements(say: Say, old: Alternatives, new: Alternatives) -> None:
    open_before = not old or frozenset() in old  # callable without credentials
    open_after = not new or frozenset() in new
    for key in sorted(old.keys() - new.keys(), key=sorted):
        state = "required" if open_after else "accepted"
        say(
            "security requirement removed",
            f"{_names(key)} no longer {state}",
            () if open_after else WIRE_ONLY,
        )
    for key in sorted(new.keys() - old.keys(), key=sorted):
        newly = open_before and not open_after
        state = "required" if newly else "accepted"
        say("security requirement added", f"{_names(key)} now {state}", WIRE_ONLY if newly else ())
    for key in sorted(old.keys() & new.keys(), key=sorted):
        _scopes(say, old[key], new[key])


def _scopes(say: Say, old: dict[str, frozenset[str]], new: dict[str, frozenset[str]]) -> None:
    for name in sorted(old):
        for scope in sorted(new[name] - old[name]):
            say("security scopes changed", f"`{name}` now needs scope `{scope}`", WIRE_ONLY)
        for scope in sorted(old[name] - new[name]):
            say("security scopes changed", f"`{name}` no longer needs scope `{scope}`", ())


def _names(key: frozenset[str]) -> str:
    return " + ".join(f"`{name}`" for name in sorted(key)) or "anonymous access"
