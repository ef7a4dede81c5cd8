"""``x-idempotent`` and ``x-idempotency-key``: whether a call may be repeated after a failure.

HTTP says which methods are idempotent; an API may say otherwise of one operation
(``x-idempotent: true`` on a POST that is safe to repeat, ``false`` on a PUT that is not). A
header parameter that carries an idempotency key (``Idempotency-Key``, ``X-Idempotency-Key``, or
one marked ``x-idempotency-key: true``; ``false`` unmarks one of those names) is filled once per
call by the client, so every attempt of the call sends the same key and the server acts once.
The lowering reads both into each operation's retry behaviour and its docstring's note.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ..load.spec import operations
from ._base import Extension


def scan_operations(doc: Document, strict: bool) -> list[Diagnostic]:
    """Every ``x-idempotent`` that is not a boolean."""
    found = []
    for path, method, op, _ in operations(doc):
        declared = op.get("x-idempotent")
        if declared is not None and not isinstance(declared, bool):
            where = pointer("paths", path, method, "x-idempotent")
            found.append(doc.diagnostic(where, "x-idempotent must be true or false"))
    return found


def scan_parameters(doc: Document, strict: bool) -> list[Diagnostic]:
    """Every ``x-idempotency-key`` of an operation's parameter that is not a boolean."""
    found = []
    for path, method, op, _ in operations(doc):
        for index, param in enumerate(op.get("parameters") or []):
            marked = doc.deref(param).get("x-idempotency-key") if isinstance(param, dict) else None
            if marked is not None and not isinstance(marked, bool):
                where = pointer(
                    "paths", path, method, "parameters", str(index), "x-idempotency-key"
                )
                found.append(doc.diagnostic(where, "x-idempotency-key must be true or false"))
    return found


_IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options", "trace"})


def idempotency(method: str, op: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    """Whether repeating the call is harmless: HTTP semantics unless ``x-idempotent`` says, or
    an idempotency ``key`` header the client fills once per call makes a repeat harmless."""
    declared = op.get("x-idempotent")
    if key is not None and declared is None:
        note = (
            "Retried after any transient failure: every attempt of one call sends the same"
            f" ``{key}`` header, so the server acts once."
        )
        return {"idempotent": True, "retry_note": note, "idempotency_key": key}
    idempotent = method in _IDEMPOTENT_METHODS if declared is None else bool(declared)
    if declared is not None and idempotent != (method in _IDEMPOTENT_METHODS):
        source = (
            "the API documents repeating it as harmless"
            if idempotent
            else "the API documents it as not safe to repeat"
        )
    else:
        source = f"{method.upper()} is{'' if idempotent else ' not'} idempotent"
    if idempotent:
        note = f"Retried after any transient failure: {source}."
    else:
        note = (
            f"Not retried once the server may have received it ({source}): only failures that"
            " prove it was not processed (connect errors, 408, 429, 503) are retried."
        )
    return {"idempotent": idempotent, "retry_note": note, "idempotency_key": key}


# The header the IETF's Idempotency-Key draft names, and its common X- spelling; any other
# carries x-idempotency-key: true.
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})


def idempotency_key(params: list[dict[str, Any]]) -> str | None:
    """The wire name of the header parameter (of the resolved ``params``) that carries an
    idempotency key: ``Idempotency-Key`` or ``X-Idempotency-Key`` in any case, or one marked
    ``x-idempotency-key: true``."""
    for param in params:
        if param.get("in") != "header" or param.get("x-idempotency-key") is False:
            continue
        name = str(param.get("name", ""))
        if name.lower() in IDEMPOTENCY_HEADERS or param.get("x-idempotency-key") is True:
            return name
    return None


EXTENSIONS = (
    Extension(key="x-idempotent", on="operation", scan=scan_operations),
    Extension(key="x-idempotency-key", on="parameter", scan=scan_parameters),
)
