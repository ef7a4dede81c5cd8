"""What a change is, and when it breaks: the policy every comparison in this package applies.

A change breaks the **wire** contract when a caller that worked against the base spec can fail
against the revision. Requests may widen but not narrow: a new required parameter or property, a
parameter that became required or moved, a removed property, parameter or enum value, a tighter
bound, pattern or type, a removed ``oneOf`` branch all break. Responses may narrow but not widen:
a response that became nullable, a required property that became optional or went away, a new
type or ``oneOf`` branch, a looser or dropped bound, pattern or format, a new or removed success
status all break (a caller relied on what was documented). A schema no operation uses is only
**strict** when it widens: nobody receives its values. A changed default of a request parameter
or property breaks the wire too: callers who leave the value out get another behaviour; so does a
default removed (the behaviour is no longer promised).

A change breaks the **client** when code written against the generated client stops working after
regeneration: a method is renamed (its name is the operationId without the ``<tag>_`` prefix) or
moves (its resource is the first tag), a model class disappears or is renamed (a component schema
removed or renamed), a keyword argument disappears or becomes required (a parameter or request
property removed, added as required, or made required), a model attribute disappears (a response
property removed) or becomes optional-typed (a response that became nullable: ``X | None``).

``breaking`` is true when the change breaks the wire or the client; **strict** alone is reported,
not counted. Our generated clients accept unknown enum
values and keep unknown fields, so a new enum value or a new property in a response is reported
but breaks nothing. A component schema is judged in every direction it is used in (requests,
responses or both, through any chain of ``$ref``) and breaks if either direction breaks; a schema no
operation uses is judged both ways, because its model class is public all the same. Descriptions,
summaries, response defaults, a default added and info fields are informational.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import split_pointer

CLIENT = "client"
WIRE = "wire"
STRICT = "strict"  # breaks only callers that validate responses strictly: not counted as breaking
REQUEST = "request"
RESPONSE = "response"

Breaks = tuple[str, ...]
Direction = frozenset[str]

NONE: Breaks = ()
BOTH: Breaks = (CLIENT, WIRE)
CLIENT_ONLY: Breaks = (CLIENT,)
WIRE_ONLY: Breaks = (WIRE,)
STRICT_ONLY: Breaks = (STRICT,)
REQUESTS: Direction = frozenset({REQUEST})
RESPONSES: Direction = frozenset({RESPONSE})
EVERYWHERE: Direction = frozenset({REQUEST, RESPONSE})

_OPERATION = re.compile(r"^([A-Z]+) (/.*)$")
_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


@dataclass(frozen=True)
class Rule:
    """What one change breaks when it happens in a request schema and in a response schema."""

    request: Breaks = NONE
    response: Breaks = NONE

    def judge(self, direction: Direction) -> Breaks:
        """The breaks for a schema used in ``direction`` (unused schemas: both ways)."""
        found: set[str] = set()
        if REQUEST in direction or not direction:
            found.update(self.request)
        if RESPONSE in direction:
            found.update(self.response)
        elif not direction:  # no operation returns it: nobody receives the wider values
            found.update(STRICT if item == WIRE else item for item in self.response)
        if found - {STRICT}:  # a real break fails strict callers too: "strict" stands alone
            found.discard(STRICT)
        return tuple(sorted(found))


@dataclass(frozen=True)
class Change:
    """One difference between two specs: what kind, where, and whom it breaks."""

    kind: str
    where: str
    detail: str
    breaks: Breaks = NONE
    pointer: str = field(default="#", compare=False)
    level: str = ""  # set by a project's severity policy: "error", "warning" or "info"

    @property
    def breaking(self) -> bool:
        """True when the change breaks the wire contract or the generated client, or when the
        project's policy raises its rule to ``error`` (and not when it lowers it)."""
        if self.level:
            return self.level == "error"
        return CLIENT in self.breaks or WIRE in self.breaks

    @property
    def strict_only(self) -> bool:
        """True when the change breaks only callers that validate responses strictly."""
        return self.breaks == STRICT_ONLY and not self.level

    def as_json(self) -> dict[str, object]:
        """The change as the JSON report spells it (``level`` only when a policy set it)."""
        found: dict[str, object] = {
            "kind": self.kind,
            "breaking": self.breaking,
            "breaks": list(self.breaks),
            "where": self.where,
            "detail": self.detail,
        }
        if self.level:
            found["level"] = self.level
        return found


@dataclass(frozen=True)
class Report:
    """Every change from a base spec to a revision, in a stable order."""

    changes: tuple[Change, ...]
    base: str = ""
    revision: str = ""

    @property
    def breaking(self) -> bool:
        """True when any change is breaking."""
        return any(change.breaking for change in self.changes)

    def as_json(self) -> dict[str, object]:
        """``{"breaking": bool, "changes": [...]}``."""
        return {"breaking": self.breaking, "changes": [c.as_json() for c in self.changes]}


def order(change: Change) -> tuple[object, ...]:
    """Sort key: document-level changes, then paths in path order, then component schemas."""
    where = change.where
    if where.startswith("#/paths/"):
        tokens = split_pointer(where)
        section: tuple[object, ...] = (1, tokens[1], _rank(tokens[2] if len(tokens) > 2 else ""))
    elif where.startswith("/"):
        section = (1, where, -1)
    elif match := _OPERATION.match(where):
        section = (1, match[2], _rank(match[1]))
    elif where.startswith("#/components/schemas/"):
        section = (2, "", 0)
    else:
        section = (0, "", 0)
    return (*section, where, change.kind, change.detail)


def _rank(method: str) -> int:
    upper = method.upper()
    return _METHODS.index(upper) if upper in _METHODS else len(_METHODS)
