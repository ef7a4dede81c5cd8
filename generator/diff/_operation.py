"""One operation of one side of a diff: the type every comparer takes.

Kept apart from ``_operations.py`` (which walks the paths and calls the comparers) so the
comparers of parameters, bodies and security can import it without importing their caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import pointer
from ..naming import identifier, operation_method
from ._norm import Side, listing

SECTIONS = ("paths", "webhooks")  # where operations live: 3.1 webhooks are operations too


def label(section: str, path: str) -> str:
    """How an operation's path is named in reports: ``/runs``, or ``webhook newRun``."""
    return path if section == "paths" else f"webhook {path}"


@dataclass(frozen=True)
class Operation:
    """One operation of one side, with the path item it belongs to."""

    side: Side
    path: str
    method: str
    raw: dict[str, Any]
    item: dict[str, Any]
    section: str = "paths"

    @property
    def where(self) -> str:
        """``GET /runs/{run_id}``; ``POST webhook newRun`` for a webhook."""
        return f"{self.method.upper()} {label(self.section, self.path)}"

    @property
    def pointer(self) -> str:
        """``#/paths/~1runs~1{run_id}/get``."""
        return pointer(self.section, self.path, self.method)

    def surface(self) -> tuple[str, str]:
        """(resource, method) of this operation in the generated client."""
        tags = listing(self.raw.get("tags"))
        tag = identifier(str(tags[0] if tags else "default"), "default")
        op_id = str(self.raw.get("operationId") or f"{self.method}_{self.path}")
        return tag, operation_method(op_id, tag)
