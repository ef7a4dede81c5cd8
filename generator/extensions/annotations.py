"""Annotation extensions: ``x-source`` (where a fact comes from) and ``x-enum-varnames``.

Neither changes what is sent or received. ``x-source`` is for the people who maintain a spec:
it names where a fact beyond the vendor's main docs comes from, so the ``description`` beside it
can read as documentation for a user of the client; nothing generated ever shows it.
``x-enum-varnames`` names the members of an enum class (as openapi-generator and
datamodel-code-generator read it) where names derived from the values would collide or read
badly. This module checks both; the models step hands ``x-enum-varnames`` to the library.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document

SCHEMAS: dict[str, dict[str, Any]] = {
    "x-source": {"type": "string", "pattern": r"\S"},
    "x-enum-varnames": {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
    },
}

_VARNAME = re.compile(SCHEMAS["x-enum-varnames"]["items"]["pattern"])
# Keys whose values are data (examples, defaults) or names (properties), not spec objects: an
# ``x-source`` key inside them is a property called so, or part of an example.
_NOT_OBJECTS = frozenset({"example", "const", "enum", "value"})
_NAME_MAPS = frozenset({"properties", "patternProperties"})
# Names an enum member cannot take: Enum's own attributes.
_ENUM_ATTRIBUTES = frozenset({"name", "value", "mro"})


def check(doc: Document, *, strict: bool) -> list[Diagnostic]:
    """Every malformed ``x-source`` or ``x-enum-varnames`` of ``doc``.

    A bad ``x-source`` is an error in our specs and a warning in a user's (nothing generated
    reads it); a bad ``x-enum-varnames`` is always an error, since it would become code.
    """
    found: list[Diagnostic] = []
    source_severity = "error" if strict else "warning"
    for path, node in _objects(doc.data, []):
        if "x-source" in node and not _is_text(node["x-source"]):
            where = pointer(*path, "x-source")
            message = "x-source must be a non-empty string naming where the fact comes from"
            found.append(replace(doc.diagnostic(where, message, source_severity), kind="x-source"))
        if "x-enum-varnames" in node:
            found += _varname_problems(doc, path, node)
    return found


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


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


def _objects(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """Every mapping of the document that is a spec object (not example data, not a name map)."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if _is_data(path, key, item):
                continue
            if key in _NAME_MAPS and isinstance(item, dict):
                for name, sub in item.items():
                    yield from _objects(sub, [*path, key, name])
            else:
                yield from _objects(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, [*path, index])


def _is_data(path: list[str | int], key: str, item: Any) -> bool:
    """Whether ``item`` under ``key`` holds values rather than spec objects.

    A schema's ``examples`` is a list of values, a media type's a map of Example Objects; a
    ``default`` under ``responses`` is a Response Object, elsewhere a value.
    """
    if key == "examples":
        return not isinstance(item, dict)
    if key == "default":
        return path[-1:] != ["responses"]
    return key in _NOT_OBJECTS
