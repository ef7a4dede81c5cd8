"""Compare the parameters of an operation: presence, requiredness, location, style and schema.

Parameters are keyed by location and name, except path parameters, which are keyed by their
position in the path template: generated clients take them positionally, so renaming one is not
breaking. Path-item parameters apply to every operation below them unless the operation redefines
them; ``components/parameters`` are followed, so a shared parameter's change shows on each
operation that uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import pointer
from ._change import BOTH, REQUESTS, WIRE_ONLY
from ._context import Context, Loc
from ._keywords import edit
from ._lifecycle import removal, why_breaking
from ._norm import ANY, listing, mapping
from ._schema import compare

if TYPE_CHECKING:
    from ._operation import Operation

_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})  # OpenAPI ignores them
_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation, its definition dereferenced."""

    name: str
    location: str
    raw: dict[str, Any]
    pointer: str

    @property
    def label(self) -> str:
        """``query parameter``."""
        return f"{self.location} parameter"

    @property
    def required(self) -> bool:
        """Whether a caller must send it."""
        return self.raw.get("required") is True

    def style(self) -> tuple[str, bool]:
        """(style, explode) with the OpenAPI defaults filled in."""
        style = str(self.raw.get("style") or _STYLE.get(self.location, "simple"))
        explode = self.raw.get("explode")
        return style, bool(style == "form" if explode is None else explode)

    def schema(self) -> Any:
        """The parameter's schema (or the schema of its first ``content`` entry)."""
        if "schema" in self.raw:
            return self.raw["schema"]
        media = next(iter(mapping(self.raw.get("content")).values()), None)
        return mapping(media).get("schema", ANY)


def compare_parameters(ctx: Context, a: Operation, b: Operation) -> None:
    """Report parameters added, removed, moved, renamed, or changed in place."""
    old, new = _parameters(a), _parameters(b)
    removed = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    for before, after in _moved(old, new, removed, added):
        text = f"`{old[before].name}` moved from {old[before].location} to {new[after].location}"
        ctx.add("parameter location changed", b.where, text, WIRE_ONLY, new[after].pointer)
        _compare(ctx, b, old[before], new[after])
    for key in removed:
        param = old[key]
        why = removal(ctx, a.side, param.raw)
        text = f"{param.label} `{param.name}` removed"
        text += f" ({why})" if why else why_breaking(param.raw, a.side)
        ctx.add("parameter removed", b.where, text, () if why else BOTH, b.pointer)
    for key in added:
        _added(ctx, b, new[key])
    for key in old.keys() & new.keys():
        _compare(ctx, b, old[key], new[key])


def _moved(
    old: dict[tuple[str, str], Parameter],
    new: dict[tuple[str, str], Parameter],
    removed: list[tuple[str, str]],
    added: list[tuple[str, str]],
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pairs of keys for a parameter that kept its name and changed location; taken off the lists."""
    pairs = []
    for before in list(removed):
        after = next((k for k in added if new[k].name == old[before].name), None)
        if after is not None and before[0] != "path" and after[0] != "path":
            pairs.append((before, after))
            removed.remove(before)
            added.remove(after)
    return pairs


def _added(ctx: Context, op: Operation, param: Parameter) -> None:
    required = "required" if param.required else "optional"
    text = f"{required} {param.label} `{param.name}` added"
    ctx.add("parameter added", op.where, text, BOTH if param.required else (), param.pointer)


def _compare(ctx: Context, op: Operation, old: Parameter, new: Parameter) -> None:
    if old.name != new.name:  # only path parameters match under another name
        text = f"`{old.name}` → `{new.name}` (path parameters are positional)"
        ctx.add("path parameter renamed", op.where, text, (), new.pointer)
    if old.required != new.required:
        kind = "parameter became required" if new.required else "parameter became optional"
        ctx.add(
            kind, op.where, f"{new.label} `{new.name}`", BOTH if new.required else (), new.pointer
        )
    if old.location == new.location and old.style() != new.style():
        text = f"{new.label} `{new.name}`: {_style(old)} → {_style(new)}"
        ctx.add("parameter style changed", op.where, text, WIRE_ONLY, new.pointer)
    _texts(ctx, op, old, new)
    loc = Loc(op.where, new.pointer + "/schema", REQUESTS, new.label, new.name)
    compare(ctx, old.schema(), new.schema(), loc)


def _style(param: Parameter) -> str:
    style, explode = param.style()
    return f"style `{style}`" + (", exploded" if explode else "")


def _texts(ctx: Context, op: Operation, old: Parameter, new: Parameter) -> None:
    if bool(old.raw.get("deprecated")) != bool(new.raw.get("deprecated")):
        state = "now deprecated" if new.raw.get("deprecated") else "no longer deprecated"
        ctx.add(
            "parameter deprecated", op.where, f"{new.label} `{new.name}` {state}", (), new.pointer
        )
    before, after = old.raw.get("description"), new.raw.get("description")
    if before != after:
        text = f"{new.label} `{new.name}`: {edit(before, after)}"
        ctx.add("description changed", op.where, text, (), new.pointer + "/description")


def _parameters(op: Operation) -> dict[tuple[str, str], Parameter]:
    """The operation's parameters by key; the operation's own override the path item's."""
    template = re.findall(r"{([^{}]*)}", op.path)
    found: dict[tuple[str, str], Parameter] = {}
    sources = ((op.item, pointer(op.section, op.path)), (op.raw, op.pointer))
    for holder, where in sources:
        for index, raw in enumerate(listing(holder.get("parameters"))):
            param = _parameter(op, raw, f"{where}/parameters/{index}")
            if param is not None:
                found[_key(param, template)] = param
    return found


def _parameter(op: Operation, raw: Any, where: str) -> Parameter | None:
    raw = mapping(op.side.deref(raw))
    name, location = raw.get("name"), raw.get("in")
    if not isinstance(name, str) or not isinstance(location, str):
        return None
    if location == "header" and name.lower() in _IGNORED_HEADERS:
        return None
    return Parameter(name, location, raw, where)


def _key(param: Parameter, template: list[str]) -> tuple[str, str]:
    if param.location == "path" and param.name in template:
        return ("path", f"#{template.index(param.name)}")
    if param.location == "header":
        return ("header", param.name.lower())
    return (param.location, param.name)
