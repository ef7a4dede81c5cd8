"""The ``x-`` extensions: behaviour a vendor describes in words, declared in the spec.

Each extension is one module of this package holding everything about its key: the JSON Schema
of its value, its checks (located problems), its lowering into the IR and what it adds to the
command line. The module declares an :class:`Extension` (``EXTENSION``, or ``EXTENSIONS`` for
keys that only make sense together) and this registry finds it; nothing else lists the keys.
``specs/EXTENSIONS.md`` documents each with an example.

The stages call the registry: :func:`scan` with the validator's first pass (keys that may sit
anywhere), :func:`check` once the document is valid (operation keys: their shape, then what
they reference), :func:`lower` while an operation's resource is lowered and
:func:`lower_resources` once every resource is.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..load.document import Document
from ._base import Checks, Extension, Lowering, op_name, operations_of

if TYPE_CHECKING:
    from .. import ir
    from ..models import ModelsModule

__all__ = ["Extension", "check", "extensions", "lower", "lower_resources", "scan"]


@cache
def extensions() -> tuple[Extension, ...]:
    """Every extension of this package's modules, by key."""
    found: list[Extension] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        one = getattr(loaded, "EXTENSION", None)
        found += [one] if isinstance(one, Extension) else getattr(loaded, "EXTENSIONS", ())
    return tuple(sorted(found, key=lambda e: e.key))


def scan(doc: Document, strict: bool) -> list[Diagnostic]:
    """The problems of every key an extension scans for wherever it sits."""
    return [d for e in extensions() if e.scan for d in e.scan(doc, strict)]


def check(doc: Document) -> list[Diagnostic]:
    """The problems of every operation-level declaration of ``doc``: shape, then references,
    then a helper method whose name clashes with another method of the resource."""
    checks = Checks(doc)
    for where, op in operations_of(doc):
        for extension in extensions():
            value = op.get(extension.key)
            if extension.schema is None or extension.on != "operation" or value is None:
                continue
            at = [*where, extension.key]
            if not checks.shape(at, value, extension.schema):
                continue
            if extension.check:
                extension.check(checks, where, op, value)
            if extension.helper:
                checks.name(at, op, extension.helper_name(value, op_name(op)))
    return checks.found


def lower(doc: Document, models: ModelsModule, ops: list[ir.Operation]) -> list[ir.Operation]:
    """The operations of one resource with the helpers their extensions declare."""
    lowering = Lowering(doc, models, ops)
    done = []
    for op in ops:
        raw = lowering.raw.get(op.operation_id, ([], {}))[1]
        for extension in extensions():
            if extension.lower and extension.key in raw:
                op = extension.lower(lowering, op, raw[extension.key])
        done.append(op)
    return done


def lower_resources(doc: Document, resources: tuple[ir.Resource, ...]) -> tuple[ir.Resource, ...]:
    """Every resource with the helpers that span resources (lowered once all are named)."""
    for extension in extensions():
        if extension.lower_resources:
            resources = extension.lower_resources(doc, resources)
    return resources
