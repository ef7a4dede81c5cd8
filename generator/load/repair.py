"""Repairs: mistakes in a spec a user brings, mended before validation, each with a warning.

Our own specs are strict: every mistake is an error, and nothing here changes them. A spec
someone else wrote (``generate SPEC``, or ``strict = false`` in ``[tool.generator]``) often has
mistakes that would not stop a correct client from being made; :func:`repair` mends the ones it
can safely, on a copy of the document, and says what it did at the place it did it. With
``strict`` the same findings are errors and the document is left as it is.

Each repair is a function ``(data, doc) -> [(pointer, message)]`` that mends ``data`` (the
copy) in place (:mod:`.repairs_structure`, :mod:`.repairs_values`); ``doc`` is the document as
written, for lines and for what the repair needs to read. They run in the order of
:data:`REPAIRS`: structure first (status keys, ``$ref``\\ s,
path parameters), then the values checked against schemas (enums, patterns, defaults,
examples).
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostic, Severity
from ._repairs import Repair, copy_json
from .document import Document
from .repairs_structure import (
    duplicate_operation_ids,
    integer_status_keys,
    missing_schemas,
    path_parameters,
    refs_into_paths,
)
from .repairs_values import (
    bad_patterns,
    contradicting_types,
    duplicate_enum_values,
    mismatched_examples,
    mistyped_defaults,
)

# What a repair found, before it is located in the file: (kind, pointer, message, severity).
Finding = tuple[str, str, str, Severity]


def repair(doc: Document, strict: bool) -> tuple[Document, list[Diagnostic]]:
    """``doc`` with every repair applied and a warning for each; with ``strict``, ``doc``
    unchanged and an error for each finding of the repairs validation does not report itself."""
    mended, findings = mend(doc, strict)
    return mended, located(doc, findings)


def mend(doc: Document, strict: bool) -> tuple[Document, list[Finding]]:
    """:func:`repair`, its findings not yet located: the lines of a large document take
    longer to find than every repair, and the later stages only need the mended document."""
    data = copy_json(doc.data)
    severity: Severity = "error" if strict else "warning"
    found: list[Finding] = []
    for kind, fix in REPAIRS.items():
        if strict and kind in VALIDATED:
            continue
        current = replace(doc, data=data)  # later repairs read what earlier ones mended
        found += [(kind, ptr, message, severity) for ptr, message in fix(data, current)]
    return (doc if strict else replace(doc, data=data)), found


def located(doc: Document, findings: list[Finding]) -> list[Diagnostic]:
    """The diagnostics of :func:`mend`'s findings, at their files and lines in ``doc``."""
    return [
        replace(doc.diagnostic(ptr, message, severity), kind=kind)
        for kind, ptr, message, severity in findings
    ]


REPAIRS: dict[str, Repair] = {
    "status-key": integer_status_keys,
    "paths-ref": refs_into_paths,
    "missing-ref": missing_schemas,
    "path-parameter": path_parameters,
    "operation-id": duplicate_operation_ids,
    "enum": duplicate_enum_values,
    "pattern": bad_patterns,
    "type": contradicting_types,
    "default": mistyped_defaults,
    "example": mismatched_examples,
}
# Repairs whose findings validation reports as errors itself, in its own words: a strict run
# leaves them to it (and does not pay for checking examples twice).
VALIDATED = frozenset({"missing-ref", "path-parameter", "operation-id", "default", "example"})
