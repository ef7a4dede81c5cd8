"""The comparison as a list of stages, and the document-level parts: servers, info, components.

:func:`diff` is the whole tool as a library call. Component schemas are compared first because
what is learned there (renames, the directions each schema travels in) decides how every schema
reached from an operation is judged.
"""

from __future__ import annotations

import datetime as dt

from ..diagnostics import SpecError, pointer
from ..load.document import Document
from ._change import CLIENT_ONLY, WIRE_ONLY, Report
from ._check import problems
from ._context import Context, Loc
from ._keywords import brief, edit
from ._norm import listing, mapping, shape
from ._operations import compare_paths
from ._schema import compare
from ._security import compare_root_security, compare_schemes
from ._usage import Usage, usage

_UNUSED = Usage(frozenset(), {})
_INFO = ("title", "version", "termsOfService", "contact", "license", "summary")


def diff(base: Document, revision: Document, *, today: dt.date | None = None) -> Report:
    """Every change from ``base`` to ``revision``; :class:`SpecError` if either is unusable.

    ``today`` (default: the date now) decides whether a sunset date has passed.
    """
    found = problems(base) + problems(revision)
    if found:
        raise SpecError(list(dict.fromkeys(found)))  # a file given twice: say it once
    ctx = Context(base, revision, today or dt.date.today())
    _servers(ctx)
    _info(ctx)
    compare_schemes(ctx)
    compare_root_security(ctx)
    _components(ctx)
    compare_paths(ctx)
    return ctx.report()


def _servers(ctx: Context) -> None:
    old, new = _urls(ctx.base.doc), _urls(ctx.rev.doc)
    for url in [u for u in old if u not in new]:
        ctx.add("server removed", "#/servers", f"`{url}` removed", WIRE_ONLY, "#/servers")
    for url in [u for u in new if u not in old]:
        ctx.add("server added", "#/servers", f"`{url}` added", (), "#/servers")


def _urls(doc: Document) -> list[str]:
    return [str(mapping(s).get("url")) for s in listing(doc.data.get("servers"))]


def _info(ctx: Context) -> None:
    old, new = mapping(ctx.base.doc.data.get("info")), mapping(ctx.rev.doc.data.get("info"))
    for key in _INFO:
        if old.get(key) != new.get(key):
            text = f"`{key}` {brief(old.get(key))} → {brief(new.get(key))}"
            ctx.add("info changed", "#/info", text, (), pointer("info", key))
    if old.get("description") != new.get("description"):
        text = edit(old.get("description"), new.get("description"))
        ctx.add("description changed", "#/info", text, (), "#/info/description")


def _components(ctx: Context) -> None:
    """Schemas added, removed and renamed; then each kept schema compared in its directions."""
    old, new = ctx.base.schemas, ctx.rev.schemas
    _renames(ctx, sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys()))
    for name in sorted(old.keys() ^ new.keys()):
        if name not in ctx.renames and name not in ctx.renames.values():
            _presence(ctx, name, removed=name in old)
    changed = [name for name in sorted(old.keys() & new.keys()) if old[name] != new[name]]
    ctx.usage = usage((ctx.base, ctx.rev)) if changed else {}
    for name in changed:
        where = pointer("components", "schemas", name)
        used = ctx.usage.get(name, _UNUSED)
        compare(ctx, old[name], new[name], Loc(where, where, used.direction, users=used.operations))


def _presence(ctx: Context, name: str, *, removed: bool) -> None:
    where = pointer("components", "schemas", name)
    if removed:
        ctx.add(
            "schema removed", where, f"model `{name}` removed", CLIENT_ONLY, "#/components/schemas"
        )
    else:
        ctx.add("schema added", where, f"model `{name}` added", (), where)


def _renames(ctx: Context, removed: list[str], added: list[str]) -> None:
    """A removed schema and an added one that accept the same values: a rename."""
    shapes: dict[str, list[str]] = {}
    for name in added:
        shapes.setdefault(shape(ctx.rev, name), []).append(name)
    for name in removed:
        candidates = shapes.get(shape(ctx.base, name))
        if candidates:
            new = candidates.pop(0)
            ctx.renames[name] = new
            where = pointer("components", "schemas", new)
            text = f"`{name}` → `{new}` (same shape; the model class is renamed)"
            ctx.add("schema renamed", where, text, CLIENT_ONLY, where)
