"""The state of one comparison: both sides, what was learned about them, the changes so far.

Comparisons are functions of a :class:`Context` rather than methods of one large class, so each
module covers one part of a spec (schemas, keywords, operations, bodies, security) and stays small.
:class:`Loc` carries where a schema sits, in which direction it is used, and how to name a spot
inside it in a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..diagnostics import escape_pointer_token
from ..load.document import Document
from ._change import EVERYWHERE, REQUEST, RESPONSE, Breaks, Change, Direction, Report, Rule, order
from ._norm import Side, mapping
from ._usage import Usage

_SHARED = ("parameters", "requestBodies", "responses", "headers", "securitySchemes")
Say = Callable[[str, str, Breaks], None]


@dataclass(frozen=True)
class Loc:
    """Where a schema is, which way it travels, and how changes inside it are named.

    Schemas in bodies and components are reported at a JSON pointer that grows with each step
    (``#/components/schemas/Run/properties/status``). A parameter's schema is reported at its
    operation (``GET /runs``), so ``label`` and ``path`` name the spot instead (query parameter
    ``filter.status``).
    """

    where: str
    pointer: str
    direction: Direction
    label: str = ""
    path: str = ""
    users: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # direction -> operations

    def child(self, *tokens: str) -> Loc:
        """The location one step (``properties``, ``name``) or (``items``) further in."""
        steps = "".join("/" + escape_pointer_token(token) for token in tokens)
        if self.label:
            return replace(self, pointer=self.pointer + steps, path=self.path + _label(tokens))
        return replace(self, where=self.where + steps, pointer=self.pointer + steps)

    def describe(self, text: str) -> str:
        """``text`` as the detail of a change found here."""
        if self.label:
            return f"{self.label} `{self.path}`: {text}"
        return f"{text}; {_users(self.users) or _directions(self.direction)}"


def _label(tokens: tuple[str, ...]) -> str:
    if tokens[0] == "properties":
        return "." + tokens[1]
    if tokens[0] == "items":
        return "[]"
    if tokens[0] == "additionalProperties":
        return "{}"
    return f" ({tokens[0]} #{tokens[1]})" if len(tokens) > 1 else f" ({tokens[0]})"


def _users(users: Mapping[str, tuple[str, ...]]) -> str:
    """``used in requests of POST /runs, responses of GET /runs``: whom a change in a component hits."""
    parts = []
    for direction in (REQUEST, RESPONSE):
        ops = users.get(direction, ())
        if ops:
            more = f" and {len(ops) - _NAMED} more" if len(ops) > _NAMED else ""
            parts.append(f"{direction}s of {', '.join(f'`{op}`' for op in ops[:_NAMED])}{more}")
    return f"used in {'; '.join(parts)}" if parts else ""


_NAMED = 3  # operations named per direction; the rest are counted


def _directions(direction: Direction) -> str:
    if direction == EVERYWHERE:
        return "used in requests and responses"
    if REQUEST in direction:
        return "used in requests"
    if RESPONSE in direction:
        return "used in responses"
    return "used by no operation (judged both ways)"


class Context:
    """Both documents, the facts derived from them, and the changes found so far."""

    def __init__(self, base: Document, revision: Document, today: dt.date) -> None:
        self.today = today  # what "has the sunset date passed" is judged against
        self.base = Side(base)
        self.rev = Side(revision)
        self.renames: dict[str, str] = {}
        self.usage: dict[str, Usage] = {}
        self.changes: list[Change] = []
        self.shared_equal = all(
            self.base.components.get(key) == self.rev.components.get(key) for key in _SHARED
        ) and mapping(base.data).get("security") == mapping(revision.data).get("security")

    def same_ref(self, old: str, new: str) -> bool:
        """True when component ``old`` of the base is component ``new`` of the revision."""
        return self.renames.get(old, old) == new

    def add(
        self, kind: str, where: str, detail: str, breaks: Breaks = (), pointer: str = "#"
    ) -> None:
        """Record a change."""
        self.changes.append(Change(kind, where, detail, tuple(sorted(breaks)), pointer))

    def at(self, where: str, pointer: str) -> Say:
        """A reporter bound to one place: ``say(kind, detail, breaks)``."""
        return lambda kind, detail, breaks: self.add(kind, where, detail, breaks, pointer)

    def add_schema(self, kind: str, loc: Loc, text: str, rule: Rule) -> None:
        """Record a change inside a schema, judged by the directions the schema is used in."""
        self.add(kind, loc.where, loc.describe(text), rule.judge(loc.direction), loc.pointer)

    def report(self) -> Report:
        """The changes found, de-duplicated and sorted."""
        unique = {(c.kind, c.where, c.detail, c.breaks): c for c in self.changes}
        changes = tuple(sorted(unique.values(), key=order))
        return Report(changes, self.base.doc.name, self.rev.doc.name)
