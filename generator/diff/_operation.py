"""One operation of one side of a diff, as the comparisons of its parts take it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import pointer
from ..naming import identifier, operation_method
from ._norm import Side, listing


@dataclass(frozen=True)
class Operation:
    """One operation of one side, with the path item it belongs to."""

    side: Side
    path: str
    method: str
    raw: dict[str, Any]
    item: dict[str, Any]

    @property
    def where(self) -> str:
        """``GET /runs/{run_id}``."""
        return f"{self.method.upper()} {self.path}"

    @property
    def pointer(self) -> str:
        """``#/paths/~1runs~1{run_id}/get``."""
        return pointer("paths", self.path, self.method)

    def surface(self) -> tuple[str, str]:
        """(resource, method) of this operation in the generated client."""
        tags = listing(self.raw.get("tags"))
        tag = identifier(str(tags[0] if tags else "default"), "default")
        op_id = str(self.raw.get("operationId") or f"{self.method}_{self.path}")
        return tag, operation_method(op_id, tag)
