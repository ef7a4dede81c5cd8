"""Operation schemas and dotted property paths into them, for the workflow extensions.

``x-polling`` names the value that means done by a path such as ``run.ended_at``, and may name a
list whose every item must meet the condition. This module walks such a path through the
schema, following ``$ref`` and nullable unions (``anyOf: [X, {type: null}]``), for the checker
(the first step that names no property) and for the lowering (each step's schema, so the step's
attribute name can be looked up on its model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..load.document import Document


@dataclass(frozen=True)
class Step:
    """One step of a path: the property's wire name and its schema as written ($ref kept)."""

    wire: str
    raw: Any


def schema_of(doc: Document, schema: Any) -> dict[str, Any]:
    """``schema`` with its ``$ref`` chain followed ({} if it is broken or not a mapping)."""
    try:
        found = doc.deref(schema or {})
    except (KeyError, IndexError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def response_ref(doc: Document, op: dict[str, Any]) -> dict[str, Any]:
    """The schema of the first 2xx response with a JSON body, as written ({} if none)."""
    for status in sorted(str(s) for s in op.get("responses") or {}):
        if status.startswith("2"):
            for ctype, media in (
                schema_of(doc, op["responses"][status]).get("content") or {}
            ).items():
                if "json" in ctype:
                    return dict((media or {}).get("schema") or {})
    return {}


def response_schema(doc: Document, op: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of the first 2xx response with a JSON body ({} if none)."""
    return schema_of(doc, response_ref(doc, op))


def request_schema(doc: Document, op: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of the request body ({} if none)."""
    for ctype, media in (schema_of(doc, op.get("requestBody")).get("content") or {}).items():
        if "json" in ctype:
            return schema_of(doc, (media or {}).get("schema"))
    return {}


def _types(schema: dict[str, Any]) -> list[Any]:
    kind = schema.get("type")
    return kind if isinstance(kind, list) else [kind]


def branch(doc: Document, raw: Any) -> Any:
    """``raw`` less a null alternative: the one non-null branch of an ``anyOf``/``oneOf``."""
    for key in ("anyOf", "oneOf"):
        options = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(options, list):
            kept = [o for o in options if _types(schema_of(doc, o)) != ["null"]]
            if len(kept) == 1:
                return kept[0]
    return raw


def resolved(doc: Document, raw: Any) -> dict[str, Any]:
    """The schema ``raw`` stands for, its ``$ref`` followed and a null alternative dropped."""
    return schema_of(doc, branch(doc, schema_of(doc, raw) or raw))


def is_array(doc: Document, raw: Any) -> bool:
    """Whether the schema is an array (possibly nullable)."""
    return "array" in _types(resolved(doc, raw))


def items_of(doc: Document, raw: Any) -> Any:
    """The item schema of an array schema, as written."""
    return resolved(doc, raw).get("items") or {}


def walk(
    doc: Document, root: Any, path: str, *, through_lists: bool = False
) -> tuple[list[Step], str | None]:
    """The steps of dotted ``path`` from schema ``root``, and what stops it (``None`` if nothing).

    With ``through_lists`` a step into a list reads its items (the command line's paths);
    otherwise it stops the walk.
    """
    steps: list[Step] = []
    current = root
    for name in path.split("."):
        while through_lists and is_array(doc, current):
            current = items_of(doc, current)
        if steps and is_array(doc, current):
            # Which items would a step into a list read? The declaration must say (``every``).
            return steps, f"{steps[-1].wire!r} is an array, so the path cannot step into it"
        properties = resolved(doc, current).get("properties") or {}
        if name not in properties:
            owner = f"{steps[-1].wire!r}" if steps else "the schema"
            return steps, f"{name!r} is not a property of {owner}"
        current = properties[name]
        steps.append(Step(name, current))
    return steps, None
