"""What several stages read from an OpenAPI document alike: its operations, mappings, examples.

The validator, the repairs and the models stage all walk a document the same way; they import
these walks from here rather than from one another, so no stage imports another's module (and
none pays for the OpenAPI validator it does not run).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..diagnostics import pointer
from .document import Document

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, operation, path item) for every operation, in document order."""
    for path, item in (doc.data.get("paths") or {}).items():
        item = doc.deref(item)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], item


def example_errors(doc: Document, version: str) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each way an example of ``doc`` does not fit its schema."""
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )

    if version.startswith("3.1."):
        root = OAS31Validator(doc.data, format_checker=oas31_format_checker)
    else:
        root = OAS30Validator(doc.data, format_checker=oas30_format_checker)
    for ptr, schema, value in _example_sites(doc):
        try:
            errors = list(root.evolve(schema=schema).iter_errors(value))
        except Exception as exc:  # noqa: BLE001 - a schema the validator cannot use
            yield ptr, f"example cannot be checked: {exc}"
            continue
        for error in errors[:5]:
            at = "/".join(str(p) for p in error.absolute_path) or "(root)"
            yield ptr, f"example does not match its schema at {at}: {error.message}"


def _example_sites(doc: Document) -> Iterator[tuple[str, Any, Any]]:
    """(pointer, schema, example value) for every example the document gives."""
    for path, method, op, _ in operations(doc):
        base = ["paths", path, method]
        for index, param in enumerate(op.get("parameters") or []):
            yield from _holder_examples(doc, [*base, "parameters", index], doc.deref(param))
        request = doc.deref(op.get("requestBody") or {})
        for ctype, media in (request.get("content") or {}).items():
            yield from _holder_examples(doc, [*base, "requestBody", "content", ctype], media)
        for status, response in (op.get("responses") or {}).items():
            for ctype, media in (doc.deref(response).get("content") or {}).items():
                yield from _holder_examples(
                    doc, [*base, "responses", status, "content", ctype], media
                )
    for name, schema in ((doc.data.get("components") or {}).get("schemas") or {}).items():
        if isinstance(schema, dict):
            for index, value in enumerate(schema.get("examples") or []):
                yield (
                    pointer("components", "schemas", name, "examples", index),
                    {"$ref": pointer("components", "schemas", name)},
                    value,
                )
    yield from _schema_examples(doc)


def _schema_examples(doc: Document) -> Iterator[tuple[str, Any, Any]]:
    """(pointer, schema, example) for the ``example`` of every schema (its own keywords, the
    example taken out): these become the ``examples`` of the models' fields."""
    for path, node in mappings(doc.data, []):
        if "example" in node and not {"schema", "in"} & set(node) and _SCHEMA_KEYS & set(node):
            schema = {k: v for k, v in node.items() if k not in ("example", "examples")}
            yield pointer(*path, "example"), schema, node["example"]


_SCHEMA_KEYS = frozenset(
    {"type", "properties", "items", "allOf", "anyOf", "oneOf", "$ref", "enum", "format"}
)


# Keys whose values are data (or vendor extensions), not schemas: never walked into.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Keys whose values map names to schemas: a name there is not a keyword.
# (``default`` is a schema keyword, but also the name of a response: hence ``responses``.)
_NAMED = frozenset(
    {
        *("properties", "patternProperties", "schemas", "$defs", "definitions", "paths"),
        *("responses", "parameters", "requestBodies", "headers", "content", "encoding"),
        *("securitySchemes", "links", "callbacks", "pathItems", "webhooks"),
    }
)


def mappings(
    value: Any, path: list[Any], named: bool = False
) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """(path, mapping) for every mapping of the document outside example and default values."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from mappings(item, [*path, index])
        return
    if not isinstance(value, dict):
        return
    if not named:
        yield path, value
    for key, item in list(value.items()):
        data = not named and (key in _DATA_KEYS or str(key).startswith("x-"))
        if not data:
            yield from mappings(item, [*path, key], named=not named and key in _NAMED)


def _holder_examples(
    doc: Document, path: list[str | int], holder: Any
) -> Iterable[tuple[str, Any, Any]]:
    if not isinstance(holder, dict) or "schema" not in holder:
        return
    schema = holder["schema"]
    if "example" in holder:
        yield pointer(*path, "example"), schema, holder["example"]
    for key, example in (holder.get("examples") or {}).items():
        example = doc.deref(example)
        if isinstance(example, dict) and "value" in example:
            yield pointer(*path, "examples", key, "value"), schema, example["value"]


def success(doc: Document, op: dict[str, Any]) -> tuple[str, Any] | None:
    """The success status a method returns the body of, and its response as written (maybe a
    ``$ref``): the first ``2xx`` in text order whose response declares content."""
    responses = op.get("responses") or {}
    if not isinstance(responses, dict):
        return None
    for status in sorted(str(s) for s in responses):
        if not status.startswith("2"):
            continue
        raw = responses.get(status, responses.get(int(status)) if status.isdigit() else None)
        response = doc.deref(raw or {})
        if isinstance(response, dict) and response.get("content"):
            return status, raw
    return None


def body_rank(ctype: str) -> int:
    """Which of several request content types a method sends (the lowest): JSON first, then
    forms, multipart, text, anything else."""
    kinds = ("json", "x-www-form-urlencoded", "multipart/", "text/")
    return next((rank for rank, kind in enumerate(kinds) if kind in ctype), len(kinds))


def form_media(content: dict[str, Any]) -> str | None:
    """The form or multipart media type of a request body without a JSON one: the one the
    method sends, whose object schema its arguments come from."""
    forms = [c for c in content if body_rank(c) in (1, 2)]
    return min(forms, key=body_rank) if forms else None


def json_media(content: dict[str, Any]) -> str | None:
    """The JSON media type of a ``content`` map, if it has one.

    A wildcard (``*/*``, ``application/*``) counts when no JSON type is listed and its schema
    is not a string: frameworks such as springdoc declare every JSON answer so.
    """
    found = next((c for c in content if "json" in c and not is_json_lines(c)), None)
    if found is not None:
        return found
    return next((c for c in content if c in WILDCARDS and _structured(content[c])), None)


WILDCARDS = ("*/*", "application/*")
EVENT_STREAM = "text/event-stream"


def bare_media(ctype: str) -> str:
    """A media type without its parameters, in lower case (``text/csv; charset=utf-8`` ->
    ``text/csv``)."""
    return ctype.split(";", 1)[0].strip().lower()


def is_json_lines(ctype: str) -> bool:
    """Whether a media type is one JSON value per line or record (JSON Lines, NDJSON, RFC 7464
    JSON text sequences), not one JSON document."""
    return bare_media(ctype).endswith(("jsonl", "ndjson", "json-seq", "jsonlines"))


def stream_media(content: dict[str, Any]) -> str | None:
    """The media type of a ``content`` map read item by item: server-sent events or JSON lines."""
    return next(
        (c for c in content if bare_media(c) == EVENT_STREAM or is_json_lines(c)),
        None,
    )


def item_schema(media: Any) -> Any:
    """The schema of one item of a streamed media type: OpenAPI 3.2's ``itemSchema``, else the
    ``schema`` (which specs before 3.2 give the item)."""
    if not isinstance(media, dict):
        return {}
    return media.get("itemSchema") or media.get("schema") or {}


def _structured(media: Any) -> bool:
    """Whether a media type's schema describes JSON rather than text or bytes: anything but a
    string (a string under a wildcard is the body's text, as servers send it)."""
    schema = media.get("schema") if isinstance(media, dict) else None
    return isinstance(schema, dict) and bool(schema) and schema.get("type") != "string"
