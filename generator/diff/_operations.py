"""Compare paths and operations: what exists, what each is called, and what the client calls it.

Paths are matched by their template with parameter names erased, so ``/runs/{id}`` and
``/runs/{run_id}`` are one path (path parameters are positional in generated clients). An
operation's client surface is ``client.<resource>.<method>``: the resource is its first tag and
the method its operationId without the ``<tag>_`` prefix, the same rule ``lower.py`` applies.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import pointer
from ..load.spec import HTTP_METHODS
from ._bodies import compare_body, compare_responses
from ._change import BOTH, CLIENT_ONLY
from ._context import Context
from ._keywords import brief, edit
from ._lifecycle import compare_lifecycle, removal, why_breaking
from ._norm import Side, mapping
from ._operation import SECTIONS, Operation, label
from ._parameters import compare_parameters
from ._security import compare_operation_security

_PARAMETER = re.compile(r"{[^{}]*}")


def compare_paths(ctx: Context) -> None:
    """Report added, removed and changed paths, webhooks and their operations."""
    for section in SECTIONS:
        old, new = _paths(ctx.base, section), _paths(ctx.rev, section)
        pairs = _match(old, new) if section == "paths" else [(p, p) for p in old if p in new]
        noun = "path" if section == "paths" else "webhook"
        for path in sorted(old.keys() - {a for a, _ in pairs}):
            text = f"`{path}` removed with its operations {_methods(old[path])}"
            ops = [_operation(ctx.base, section, path, m, old[path]) for m in HTTP_METHODS]
            why = [removal(ctx, op.side, op.raw, op) for op in ops if op is not None]
            breaks = () if why and all(why) else BOTH
            text += f" ({'; '.join(map(str, dict.fromkeys(why)))})" if not breaks else ""
            ctx.add(f"{noun} removed", label(section, path), text, breaks, pointer(section))
        for path in sorted(new.keys() - {b for _, b in pairs}):
            text = f"`{path}` added with operations {_methods(new[path])}"
            ctx.add(f"{noun} added", label(section, path), text, (), pointer(section, path))
        for a, b in pairs:
            if a != b or not ctx.shared_equal or old[a] != new[b]:
                for method in HTTP_METHODS:
                    _compare_method(
                        ctx,
                        _operation(ctx.base, section, a, method, old[a]),
                        _operation(ctx.rev, section, b, method, new[b]),
                    )


def _paths(side: Side, section: str) -> dict[str, dict[str, Any]]:
    paths = mapping(side.doc.data.get(section))
    return {path: mapping(side.deref(item)) for path, item in paths.items()}


def _operation(
    side: Side, section: str, path: str, method: str, item: dict[str, Any]
) -> Operation | None:
    raw = item.get(method)
    return Operation(side, path, method, raw, item, section) if isinstance(raw, dict) else None


def _match(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of the same path: equal, or equal once parameter names are erased (if unique)."""
    pairs = [(path, path) for path in old if path in new]
    left = _by_template([p for p in old if p not in new])
    right = _by_template([p for p in new if p not in old])
    pairs += [(left[t], right[t]) for t in sorted(left.keys() & right.keys())]
    return pairs


def _by_template(paths: list[str]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for path in paths:
        found.setdefault(_PARAMETER.sub("{}", path), []).append(path)
    return {template: group[0] for template, group in found.items() if len(group) == 1}


def _methods(item: dict[str, Any]) -> str:
    methods = [m.upper() for m in HTTP_METHODS if isinstance(item.get(m), dict)]
    return ", ".join(methods) or "(none)"


def _compare_method(ctx: Context, a: Operation | None, b: Operation | None) -> None:
    if a is not None and b is not None:
        compare_operation(ctx, a, b)
    elif a is not None:
        why = removal(ctx, a.side, a.raw, a)
        text = f"`{a.where}` removed" + (f" ({why})" if why else why_breaking(a.raw, a.side, a))
        ctx.add("operation removed", a.where, text, () if why else BOTH, pointer(a.section, a.path))
    elif b is not None:
        ctx.add("operation added", b.where, f"`{b.where}` added", (), b.pointer)


def compare_operation(ctx: Context, a: Operation, b: Operation) -> None:
    """Report every change of one operation present on both sides."""
    _identity(ctx, a, b)
    _texts(ctx, a, b)
    compare_parameters(ctx, a, b)
    compare_body(ctx, a, b)
    compare_responses(ctx, a, b)
    compare_operation_security(ctx, a, b)
    compare_lifecycle(ctx, a, b)


def _identity(ctx: Context, a: Operation, b: Operation) -> None:
    (old_resource, old_method), (new_resource, new_method) = a.surface(), b.surface()
    old_id, new_id = a.raw.get("operationId"), b.raw.get("operationId")
    if old_id != new_id:
        text = f"{brief(old_id)} → {brief(new_id)}"
        if old_method != new_method:
            text += f"; method `{old_method}` becomes `{new_method}`"
        breaks = CLIENT_ONLY if old_method != new_method else ()
        ctx.add("operationId changed", b.where, text, breaks, b.pointer + "/operationId")
    if old_resource != new_resource:
        text = f"method moves from `client.{old_resource}.{old_method}` to `client.{new_resource}.{new_method}`"
        ctx.add("tag changed", b.where, text, CLIENT_ONLY, b.pointer + "/tags")


def _texts(ctx: Context, a: Operation, b: Operation) -> None:
    for key in ("summary", "description"):
        old, new = a.raw.get(key), b.raw.get(key)
        if old != new:
            ctx.add(f"{key} changed", b.where, edit(old, new), (), b.pointer + "/" + key)
    if bool(a.raw.get("deprecated")) != bool(b.raw.get("deprecated")):
        text = "now deprecated" if b.raw.get("deprecated") else "no longer deprecated"
        ctx.add("operation deprecated", b.where, text, (), b.pointer + "/deprecated")
