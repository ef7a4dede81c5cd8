"""What the repairs share: the type of a repair, and how they walk a document not yet validated.

A repair is a function ``(data, doc) -> [(pointer, message)]`` that mends ``data`` (a copy of
the document) in place; ``doc`` is the document as written, for lines and for what the repair
needs to read. Repairs run before validation, so a ``$ref`` may not resolve and any value may
have the wrong type: these walks never fail on that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .document import Document
from .spec import HTTP_METHODS

Found = list[tuple[str, str]]
Repair = Callable[[Any, Document], Found]


def operations_in(data: Any, doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    paths = data.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        item = deref_or_value(doc, item)
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict):
                yield str(path), method, op


def deref_or_value(doc: Document, value: Any) -> Any:
    """``doc.deref(value)``, or ``value`` itself when its ``$ref`` does not resolve: repairs
    run before validation, which reports broken references."""
    try:
        return doc.deref(value)
    except (KeyError, IndexError, ValueError):
        return value


def copy_json(value: Any) -> Any:
    """A copy of JSON-like data (much faster than ``copy.deepcopy``: no memo, no dispatch)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value
