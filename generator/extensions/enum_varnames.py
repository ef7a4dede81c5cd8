"""``x-enum-varnames``: the names of an enum class's members.

As openapi-generator and datamodel-code-generator read it: one name per non-null value of the
``enum`` beside it, where names derived from the values would collide or read badly. The models
stage hands it to the library; this module checks it, always as an error, since it becomes code.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ._base import Extension, spec_objects

SCHEMA: dict[str, Any] = {
    "type": "array",
    "uniqueItems": True,
    "items": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
}

_VARNAME = re.compile(SCHEMA["items"]["pattern"])
# Names an enum member cannot take: Enum's own attributes.
_ENUM_ATTRIBUTES = frozenset({"name", "value", "mro"})


def scan(doc: Document, strict: bool) -> list[Diagnostic]:
    """Every malformed ``x-enum-varnames``."""
    found: list[Diagnostic] = []
    for path, node in spec_objects(doc.data, []):
        if "x-enum-varnames" in node:
            found += _varname_problems(doc, path, node)
    return found


def _varname_problems(
    doc: Document, path: list[str | int], node: dict[str, Any]
) -> Iterator[Diagnostic]:
    names = node["x-enum-varnames"]
    where = pointer(*path, "x-enum-varnames")
    members = [v for v in node.get("enum") or [] if v is not None]
    if not isinstance(node.get("enum"), list):
        yield doc.diagnostic(where, "x-enum-varnames needs an enum beside it")
    elif not isinstance(names, list) or len(names) != len(members):
        message = f"x-enum-varnames must list one name per non-null enum value ({len(members)})"
        yield doc.diagnostic(where, message)
    else:
        for index, name in enumerate(names):
            if not (isinstance(name, str) and _VARNAME.match(name)) or _taken(name):
                message = f"{name!r} is not a usable enum member name (letters, digits, _)"
                yield doc.diagnostic(pointer(*path, "x-enum-varnames", index), message)
            elif name in names[:index]:
                yield doc.diagnostic(
                    pointer(*path, "x-enum-varnames", index), f"{name!r} is named twice"
                )


def _taken(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _ENUM_ATTRIBUTES


EXTENSION = Extension(key="x-enum-varnames", on="schema", schema=SCHEMA, scan=scan)
