"""Problems found in a spec, as values with a location.

Errors in specs are data (a :class:`Diagnostic` names file, line and JSON pointer); bugs in the
generator raise. A stage that finds problems collects them and raises :class:`SpecError` once, so
the user sees every problem of a file in one run rather than one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a URI-fragment JSON pointer (``#/paths/~1runs/get``) from raw tokens."""
    return "#" + "".join("/" + escape_pointer_token(token) for token in tokens)


def split_pointer(ptr: str) -> list[str]:
    """Split ``#/a/b~1c`` into raw tokens ``["a", "b/c"]``."""
    body = ptr[1:] if ptr.startswith("#") else ptr
    if not body:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in body.lstrip("/").split("/")]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a spec: where it is and what is wrong."""

    file: str
    line: int | None
    pointer: str
    message: str
    severity: Severity = "error"
    # Which repair made it, for reports that count warnings by kind ("" for other findings).
    kind: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        kind = f" [{self.kind}]" if self.kind else ""
        return f"{where}: {self.severity}: {self.pointer}: {self.message}{kind}"


class SpecError(Exception):
    """A spec cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.pointer))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[Diagnostic]]]:
        # Rebuilt from the diagnostics (not the message) when it crosses a process boundary.
        return (SpecError, (self.diagnostics,))
