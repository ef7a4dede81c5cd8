"""``x-retry``: how long the client waits between attempts, as the API documents it.

Declared at the top of the document, in seconds: ``initial-delay`` and ``max-delay`` of the
exponential backoff, ``default-retry-after`` when a 429 or 503 gives no ``Retry-After``, and
``max-retry-after``, the longest ``Retry-After`` the client honours. The package's
``RetryPolicy`` defaults are these values.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ._base import Extension

# The document-level ``x-retry`` keys and the runtime RetryPolicy fields they set (seconds).
RETRY_KEYS = {
    "default-retry-after": "default_retry_after",
    "initial-delay": "initial_delay",
    "max-delay": "max_delay",
    "max-retry-after": "max_retry_after",
}


def scan(doc: Document, strict: bool) -> list[Diagnostic]:
    """A mapping of known keys to numbers of seconds, or a located problem for each that is not."""
    retry = doc.data.get("x-retry")
    if retry is None:
        return []
    if not isinstance(retry, dict):
        return [doc.diagnostic(pointer("x-retry"), "x-retry must be a mapping")]
    found = []
    for key, value in retry.items():
        where = pointer("x-retry", str(key))
        if key not in RETRY_KEYS:
            message = f"unknown x-retry key {key!r}; known: {sorted(RETRY_KEYS)}"
            found.append(doc.diagnostic(where, message))
        elif isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            found.append(doc.diagnostic(where, f"x-retry {key} must be a number of seconds >= 0"))
    return found


def policy(doc: Document) -> tuple[tuple[str, float], ...]:
    """The spec's ``x-retry`` as RetryPolicy keyword arguments (checked beforehand)."""
    declared = doc.data.get("x-retry") or {}
    return tuple((RETRY_KEYS[k], float(declared[k])) for k in sorted(declared))


EXTENSION = Extension(key="x-retry", on="document", scan=scan)
