"""Refuse documents the comparison cannot use, with located diagnostics instead of tracebacks.

The diff reads any shape defensively, so only what would make its answer meaningless is refused:
a document that is not OpenAPI 3, and ``$ref`` values that are external, dangling or circular
(a diff that silently skipped them would report a breaking change as nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document

_LIMIT = 20  # enough to show the pattern; locating each one re-reads the file


def problems(doc: Document) -> list[Diagnostic]:
    """Why ``doc`` cannot be compared (empty when it can)."""
    version = doc.data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = doc.data.get("swagger") or version or "none"
        return [doc.diagnostic("#", f"not an OpenAPI 3.x document (version: {found})")]
    for key in ("paths", "webhooks", "components"):
        if key in doc.data and not isinstance(doc.data[key], dict):
            return [doc.diagnostic(pointer(key), f"`{key}` must be a mapping")]
    bad = _bad_refs(doc)
    located = ((path, ref) for path, ref in _refs(doc.data, []) if ref in bad) if bad else ()
    return [
        doc.diagnostic(pointer(*path, "$ref"), bad[ref]) for path, ref in islice(located, _LIMIT)
    ]


def _bad_refs(doc: Document) -> dict[str, str]:
    """Each distinct ``$ref`` that cannot be followed, with the reason (one fast pass)."""
    bad: dict[str, str] = {}
    seen: set[str] = set()
    stack: list[Any] = [doc.data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                if (reason := _why_bad(doc, ref)) is not None:
                    bad[ref] = reason
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return bad


def _why_bad(doc: Document, ref: str) -> str | None:
    if not ref.startswith("#"):
        return f"external $ref {ref!r} is not supported"
    try:
        doc.deref({"$ref": ref})
    except (KeyError, IndexError, ValueError):
        return f"$ref {ref!r} cannot be resolved (missing or circular)"
    return None


def _refs(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Every ``$ref`` in ``value`` with the path to its holder (slow: only to locate problems)."""
    stack: list[tuple[Any, list[str | int]]] = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield where, ref
            stack += [(item, [*where, str(key)]) for key, item in node.items() if key != "$ref"]
        elif isinstance(node, list):
            stack += [(item, [*where, index]) for index, item in enumerate(node)]
