"""Calling a generated client the way a user would, from what a spec or a recording says.

The contract tests (cassettes) and the end-to-end tests (Prism) both need to turn "this operation,
these parameter values, this body" into a real method call on the sync or async client, and to
know which typed error a status must raise. One place for that keeps the two suites honest about
the same client surface: ``client.<tag>.<method>(path params..., *, query and body fields...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import httpx

from tests.specs import Op, deref, package

# The typed error each status must raise, written out here rather than read from the runtime so
# that a runtime mapping gone wrong fails the tests instead of agreeing with itself.
ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


# Every generated package has its own error classes, so a test that reads an error's fields
# narrows to these shapes (a real ``isinstance`` check on the attributes) instead of a class.
@runtime_checkable
class APIErrorLike(Protocol):
    """What an ``APIError`` of any generated package carries."""

    method: str
    url: str
    attempts: int


@runtime_checkable
class APIStatusErrorLike(APIErrorLike, Protocol):
    """What an ``APIStatusError`` of any generated package carries besides."""

    status_code: int
    body: Any


def error_class(api: str, status: int) -> type[Exception]:
    """The exception class of ``api``'s package that a ``status`` answer must raise."""
    name = ERROR_CLASSES.get(status, "InternalServerError" if status >= 500 else "APIStatusError")
    cls: type[Exception] = getattr(package(api), name)
    return cls


def client_class(api: str, is_async: bool) -> Any:
    """The generated client class (sync or async) of ``api``."""
    pkg = package(api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    return getattr(pkg, ("Async" if is_async else "") + name)


def make_client(
    api: str, is_async: bool, base_url: str | None, api_key: str, **http_options: Any
) -> Any:
    """A client of ``api`` over its own ``httpx`` client built with ``http_options``."""
    http = httpx.AsyncClient(**http_options) if is_async else httpx.Client(**http_options)
    # One call, one exchange: a recorded interaction or a Prism answer is one attempt, and
    # retrying is the fault suite's subject (tests/faults), not the contract's.
    cls = client_class(api, is_async)
    return cls(api_key=api_key, base_url=base_url, http_client=http, max_retries=0)


async def close(client: Any, is_async: bool) -> None:
    """Close the ``httpx`` client a test handed to ``client``."""
    if is_async:
        await client._http.aclose()
    else:
        client._http.close()


def body_keywords(op: Op, body: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments of the method for a JSON request body given by wire names."""
    if body is None:
        return {}
    model = getattr(package(op.api).models, op.request_model() or "")
    by_alias = {f.alias or n: n for n, f in model.model_fields.items()}
    return {by_alias[k]: v for k, v in body.items()}


async def call(
    op: Op, client: Any, positional: list[Any], keywords: dict[str, Any], is_async: bool
) -> Any:
    """Call ``op`` on ``client`` and return what the method returns."""
    method = getattr(getattr(client, op.resource), op.method_name)
    return await method(*positional, **keywords) if is_async else method(*positional, **keywords)


def typed_value(op: Op, param: dict[str, Any], text: str) -> Any:
    """A parameter's value as a user would pass it, parsed from its URL text by its schema."""
    schema = deref(op.doc, param.get("schema") or {})
    kind = schema.get("type")
    if kind == "array":
        item = {**param, "schema": schema.get("items") or {}}
        return [typed_value(op, item, part) for part in text.split(",")]
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text == "true"
    if schema.get("format") == "date-time":
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return text


def sample_value(op: Op, param: dict[str, Any]) -> Any:
    """A valid value for an optional parameter: its example, default, first enum value, or one
    made up from its type (so every parameter is exercised, not only the documented ones)."""
    if "example" in param:
        return param["example"]
    schema = deref(op.doc, param.get("schema") or {})
    for key in ("default", "example"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "array":
        item = sample_value(op, {"schema": schema.get("items") or {}})
        return [item, item] if isinstance(item, int) and not isinstance(item, bool) else [item]
    if schema.get("format") == "date-time":
        return dt.datetime(2025, 1, 15, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return {"integer": 7, "boolean": True, "number": 1.5}.get(str(kind), "sample value")


def sample_schema_value(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A JSON value valid for ``schema`` with every property filled: example, default, first
    enum value, first ``oneOf`` variant, or one made up from the type and format."""
    schema = deref(doc, schema)
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches and not all(_presence_rule(b) for b in branches):
        return sample_schema_value(doc, branches[0], depth + 1)
    if schema.get("allOf"):
        return _all_of(doc, schema, depth)
    return _sample_of_type(doc, schema, depth)


def _presence_rule(branch: Any) -> bool:
    """A branch that only says which properties must be there (``{required: [id]}``, and
    ``anyOf`` / ``oneOf`` / ``allOf`` / ``not`` of such branches, as our specs' rules are)."""
    if not isinstance(branch, dict) or not set(branch) <= _RULE_KEYS:
        return False
    nested = [
        *(branch.get("anyOf") or []),
        *(branch.get("oneOf") or []),
        *(branch.get("allOf") or []),
    ]
    return all(_presence_rule(b) for b in nested) and (
        "not" not in branch or _presence_rule(branch["not"])
    )


_RULE_KEYS = frozenset(
    {"required", "title", "description", "anyOf", "oneOf", "allOf", "not", "dependentRequired"}
)


def _all_of(doc: dict[str, Any], schema: dict[str, Any], depth: int) -> Any:
    """An ``allOf``'s value: its parts' objects merged; parts that only annotate (a
    ``description`` beside a ``$ref``) or state presence rules add nothing, and a scalar part
    stands alone."""
    own = {k: v for k, v in schema.items() if k != "allOf"}
    parts = [deref(doc, p) for p in [*schema["allOf"], own]]
    wanted = [p for p in parts if _TYPED.intersection(p) and not _presence_rule(p)]
    # The same depth: the parts are one object, not a level of nesting.
    values = [sample_schema_value(doc, p, depth) for p in wanted]
    if values and not all(isinstance(v, dict) for v in values):
        return next(v for v in values if not isinstance(v, dict))
    return _one_of_required(schema, {k: v for value in values for k, v in value.items()})


# Keywords that say what a value is (a part with none of them only annotates, even with an
# `example`: Box gives a part of an object's allOf a list as its example).
_TYPED = frozenset({"type", "properties", "allOf", "anyOf", "oneOf", "enum", "const", "items"})


# Past this depth only required properties are filled and arrays are empty, so a schema that
# refers to itself (a tree of folders, a thread of replies) still gives a finite value.
_DEEP = 6


_FORMATS = {
    "date-time": "2025-01-15T10:30:00+01:00",
    "date": "2025-01-15",
    "uuid": "660e8400-e29b-41d4-a716-446655440001",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "email": "someone@example.com",
}


def _sample_of_type(doc: dict[str, Any], schema: dict[str, Any], depth: int) -> Any:
    kind = schema.get("type")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        if not props and depth < 3:
            extra = schema.get("additionalProperties")
            return {
                "key": sample_schema_value(doc, extra, depth + 1)
                if isinstance(extra, dict)
                else "value"
            }
        if depth > _DEEP:
            props = {k: v for k, v in props.items() if k in (schema.get("required") or ())}
        value = {name: sample_schema_value(doc, sub, depth + 1) for name, sub in props.items()}
        return _one_of_required(schema, value)
    if kind == "array":
        least = 0 if depth > _DEEP else max(1, int(schema.get("minItems") or 0))
        return [sample_schema_value(doc, schema.get("items") or {}, depth + 1)] * least
    if kind == "integer":
        return min(max(int(schema.get("minimum", 7)), 7), int(schema.get("maximum", 7)))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    text = _FORMATS.get(str(schema.get("format")), "sample value")
    if isinstance(schema.get("maxLength"), int):
        text = text[: schema["maxLength"]]
    return (
        text.ljust(schema["minLength"], "x") if isinstance(schema.get("minLength"), int) else text
    )


def _one_of_required(schema: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """``value`` without the fields a ``oneOf`` of ``required`` sets forbids together (the
    "send exactly one of" rules): the first alternative's fields are kept."""
    for rule in [schema, *(schema.get("allOf") or [])]:
        variants = rule.get("oneOf") or []
        if variants and all(set(v) == {"required"} for v in variants):
            others = {name for v in variants[1:] for name in v["required"]}
            value = {
                k: v for k, v in value.items() if k not in others - set(variants[0]["required"])
            }
    return value
