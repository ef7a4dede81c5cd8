"""Compare request bodies and responses: presence, media types, status codes and schemas.

A request body is judged as a request (narrowing breaks), a response as a response (widening
breaks). Success statuses (2xx) are part of what a generated method returns, so adding or
removing one breaks; error statuses are reported but break nothing (they arrive as typed errors,
and an unknown one as the generic error). Schemas are compared at
``#/paths/<path>/<method>/.../schema`` unless they are references to a component, which is
compared once on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import escape_pointer_token, pointer
from ._change import BOTH, REQUESTS, RESPONSES, WIRE_ONLY, Breaks, Direction
from ._context import Context, Loc, Say
from ._keywords import edit
from ._norm import ANY, Side, mapping
from ._schema import compare

if TYPE_CHECKING:
    from ._operation import Operation


@dataclass(frozen=True)
class _Holder:
    """A request body or one response: where it is, what to call it, which way it travels."""

    tokens: tuple[str, ...]  # its JSON pointer below #/paths
    label: str
    direction: Direction
    removal: Breaks  # what removing one of its media types breaks


def compare_body(ctx: Context, a: Operation, b: Operation) -> None:
    """Report a request body added, removed, made required, or changed in content."""
    old, new = _body(a), _body(b)
    say = ctx.at(b.where, b.pointer + "/requestBody")
    if old is None or new is None:
        _presence(say, old, new)
        return
    before, after = old.get("required") is True, new.get("required") is True
    if before != after:
        state = "required" if after else "optional"
        say(
            f"request body became {state}",
            f"the request body is now {state}",
            BOTH if after else (),
        )
    holder = _Holder((b.path, b.method, "requestBody"), "request", REQUESTS, WIRE_ONLY)
    _content(ctx, b, holder, old, new)


def _body(op: Operation) -> dict[str, Any] | None:
    body = op.raw.get("requestBody")
    return None if body is None else mapping(op.side.deref(body))


def _presence(say: Say, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    if old is not None:
        say("request body removed", "the request body is gone", BOTH)
    elif new is not None:
        required = new.get("required") is True
        text = f"{'required' if required else 'optional'} request body added"
        say("request body added", text, BOTH if required else ())


def compare_responses(ctx: Context, a: Operation, b: Operation) -> None:
    """Report statuses added or removed, and changes inside the responses kept."""
    old, new = _responses(a.side, a.raw), _responses(b.side, b.raw)
    say = ctx.at(b.where, b.pointer + "/responses")
    for status in sorted(old.keys() ^ new.keys()):
        kind, breaks = _status(status)
        state = "removed" if status in old else "added"
        say(f"response status {state}", f"{kind} status `{status}` {state}", breaks)
    for status in sorted(old.keys() & new.keys()):
        _response(ctx, b, status, old[status], new[status])


def _responses(side: Side, op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    responses = mapping(op.get("responses"))
    return {status: mapping(side.deref(response)) for status, response in responses.items()}


def _status(status: str) -> tuple[str, Breaks]:
    """("success", breaks) for 2xx; ("error", nothing) for the rest."""
    return ("success", WIRE_ONLY) if status.upper().startswith("2") else ("error", ())


def _response(
    ctx: Context, op: Operation, status: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    holder = _Holder(
        (op.path, op.method, "responses", status),
        f"response `{status}`",
        RESPONSES,
        _status(status)[1],
    )
    if old.get("description") != new.get("description"):
        text = f"{holder.label}: {edit(old.get('description'), new.get('description'))}"
        ctx.add("description changed", op.where, text, (), pointer(op.section, *holder.tokens))
    _headers(ctx, op, holder, old, new)
    _content(ctx, op, holder, old, new)


def _headers(
    ctx: Context, op: Operation, holder: _Holder, old: dict[str, Any], new: dict[str, Any]
) -> None:
    """Response headers: a caller reading one breaks when it may no longer come (removed or
    optional now) or carries a wider value; a new header breaks nobody. Names ignore case."""
    before, after = _headers_of(ctx.base, old), _headers_of(ctx.rev, new)
    where = pointer(op.section, *holder.tokens, "headers")
    say = ctx.at(op.where, where)
    for key in sorted(before.keys() ^ after.keys()):
        name, header = before.get(key) or after[key]
        required = header.get("required") is True
        state = "removed" if key in before else "added"
        text = f"{holder.label}: {'required' if required else 'optional'} header `{name}` {state}"
        breaks = WIRE_ONLY if key in before and required else ()
        say(f"response header {state}", text, breaks)
    for key in sorted(before.keys() & after.keys()):
        (_, was), (name, now) = before[key], after[key]
        if (was.get("required") is True) != (now.get("required") is True):
            state = "required" if now.get("required") is True else "optional"
            breaks = () if state == "required" else WIRE_ONLY
            say(f"response header became {state}", f"{holder.label}: `{name}`", breaks)
        label = f"{holder.label} header"
        loc = Loc(op.where, f"{where}/{escape_pointer_token(name)}/schema", RESPONSES, label, name)
        compare(ctx, was.get("schema", ANY), now.get("schema", ANY), loc)


def _headers_of(side: Side, response: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Lower-cased name -> (name as written, the header dereferenced)."""
    headers = mapping(response.get("headers")).items()
    return {name.lower(): (name, mapping(side.deref(item))) for name, item in headers}


def _content(
    ctx: Context, op: Operation, holder: _Holder, old: dict[str, Any], new: dict[str, Any]
) -> None:
    """Media types removed (breaking as ``holder`` says) or added, and the schemas of those kept."""
    before, after = _media(old), _media(new)
    say = ctx.at(op.where, pointer(op.section, *holder.tokens))
    for media in sorted(before.keys() ^ after.keys()):
        state = "removed" if media in before else "added"
        breaks = holder.removal if media in before else ()
        say(f"media type {state}", f"{holder.label}: `{media}` {state}", breaks)
    for media in sorted(before.keys() & after.keys()):
        where = pointer(op.section, *holder.tokens, "content", media, "schema")
        schemas = before[media].get("schema", ANY), after[media].get("schema", ANY)
        compare(ctx, *schemas, Loc(where, where, holder.direction))


def _media(holder: dict[str, Any]) -> dict[str, dict[str, Any]]:
    content = mapping(holder.get("content"))
    return {media.lower(): mapping(value) for media, value in content.items()}
