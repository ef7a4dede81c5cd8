"""Values as the wire writes them: a result as JSON data, the value at a path, a scalar as text.

The command line prints results as JSON by wire name, a ``wait`` reads the value that means
done from a status, the JUnit report reads a status's groups and cases by the paths its spec
declares, and a URL, a header or a report writes a scalar as text. Each of those is one
function here, so a boolean reads ``true`` and a path reads the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from typing import Any

import pydantic

__all__ = ["Path", "dump", "lookup", "to_text"]

# One step into a response: the attribute name on a model, and the wire name in plain JSON.
Path = tuple[tuple[str, str], ...]
_ABSENT = object()
_SCALARS = (str, int, float, bool)


def dump(value: object) -> object:
    """``value`` as JSON data by wire name, with nothing received left out."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    if value is None or isinstance(value, _SCALARS):
        return value
    return pydantic.TypeAdapter(Any).dump_python(value, mode="json")


def lookup(value: object, path: str | Path | None) -> object:
    """The value at ``path`` in ``value``; ``None`` where a step is missing or null.

    ``path`` is dotted wire names (``"stats.passed"``; ``""`` is ``value`` itself) or
    (attribute, wire name) steps; no path reads nothing. A step reads a mapping by wire name,
    every item of a list (a list of the values), and a model by attribute, then by wire name
    (a field the spec does not list, kept as received): each part of an answer may be a model
    or the plain JSON received.
    """
    if path is None:
        return None
    if isinstance(path, str):
        path = tuple((step, step) for step in path.split(".")) if path else ()
    for index, (attribute, wire) in enumerate(path):
        if isinstance(value, list):
            return [lookup(item, path[index:]) for item in value]
        if isinstance(value, Mapping):
            value = value.get(wire)
        elif value is None or isinstance(value, _SCALARS):
            return None
        else:
            found = getattr(value, attribute, _ABSENT)
            value = getattr(value, wire, None) if found is _ABSENT else found
    return value


def to_text(value: object, *, other: str | None = None) -> str:
    """A scalar as text: a bool as JSON writes it (``true``), an enum as its value, a date or
    time in ISO 8601, a number or a string as itself.

    Anything else (``None``, a list, an object) is ``other`` when given, and a ``TypeError``
    when not: a URL or a header has no spelling for it.
    """
    if type(value) is int or type(value) is str:  # the common case, before the subclass checks
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return to_text(value.value, other=other)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | int | float | str):
        return str(value)
    if isinstance(value, pydantic.RootModel):  # a component that wraps a scalar
        return to_text(value.root, other=other)
    if other is not None:
        return other
    raise TypeError(f"cannot send a {type(value).__name__} as a URL or header value")
