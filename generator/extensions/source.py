"""``x-source``: where a fact beyond the vendor's main docs comes from.

It is for the people who maintain a spec: it names the doc page, CLI or GitHub Action a fact
comes from, so the ``description`` beside it can read as documentation for a user of the
client. It changes nothing sent or received, and nothing generated ever shows it. A malformed
one is an error in our specs and a warning in a user's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ._base import Extension, spec_objects

SCHEMA: dict[str, Any] = {"type": "string", "pattern": r"\S"}


def scan(doc: Document, strict: bool) -> list[Diagnostic]:
    """Every ``x-source`` that is not a non-empty string."""
    found = []
    severity = "error" if strict else "warning"
    for path, node in spec_objects(doc.data, []):
        value = node.get("x-source")
        if "x-source" in node and not (isinstance(value, str) and value.strip()):
            where = pointer(*path, "x-source")
            message = "x-source must be a non-empty string naming where the fact comes from"
            found.append(replace(doc.diagnostic(where, message, severity), kind="x-source"))
    return found


EXTENSION = Extension(key="x-source", on="any", schema=SCHEMA, scan=scan)
