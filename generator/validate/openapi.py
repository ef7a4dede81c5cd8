"""Document -> diagnostics: openapi-spec-validator, our own rules, and examples vs schemas.

Each check yields :class:`Diagnostic` values; :func:`validate` gathers them all so a user fixing a
spec sees every problem in one run. Style rules (snake_case operationIds, one tag, named bodies)
are errors for the specs this project maintains (``strict``) and warnings for specs users bring,
whose names the generator derives instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from .. import extensions
from ..diagnostics import Diagnostic, pointer, split_pointer
from ..load.document import Document
from ..load.spec import example_errors, operations
from . import rules

# The OpenAPI validator and its libraries are imported by the functions that use them.

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_TEMPLATE = re.compile(r"{([^{}]*)}")
# Semantic errors the OpenAPI validator reports without a location; our lint reports them with one.
_REPORTED_BY_LINT = {"UnresolvableParameterError", "DuplicateOperationIDError"}


def validate(doc: Document, *, strict: bool = True) -> list[Diagnostic]:
    """Every problem found in ``doc``, errors and warnings, sorted by place."""
    version = str(doc.data.get("openapi", ""))
    if "swagger" in doc.data or not version:
        found = doc.data.get("swagger", "none")
        msg = f"not an OpenAPI 3.x document (swagger/openapi version: {found}); convert it to 3.0 or 3.1"
        return [doc.diagnostic("#", msg)]
    if not version.startswith(("3.0.", "3.1.")):
        return [doc.diagnostic(pointer("openapi"), f"unsupported OpenAPI version {version!r}")]
    # Broken $refs first: the OpenAPI validator recurses forever or stops at the first one.
    found = list(_refs(doc))
    if not found:
        found = list(_spec_validator(doc, version, strict))
        found += _status_codes(doc)
        found += extensions.scan(doc, strict)
    if not any(d.severity == "error" for d in found):
        found += _lint(doc, strict)
        found += _examples(doc, version)
        found += extensions.check(doc) + rules.check(doc)
    return sorted(set(found), key=lambda d: (d.line or 0, d.pointer, d.message))


@cache
def _spec_validator_class(v31: bool) -> Any:
    """The library's validator, its OpenAPI meta-schema registry crawled once per process.

    Every Schema Object in a 3.1 document is checked through ``$dynamicRef: "#meta"``; with the
    registry as shipped (uncrawled), each such lookup re-crawls every meta-schema, which took
    half of all validation time. A crawled registry answers the same lookups from a table.
    """
    from jsonschema.validators import validator_for
    from jsonschema_specifications import REGISTRY as META_SCHEMAS
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from referencing.jsonschema import specification_with

    from .prevalidate import FastFirst, FastSchemaValidator, SchemaValidator30

    base = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    schema = dict(schema_v31 if v31 else schema_v30)
    resource = specification_with(schema["$schema"]).create_resource(schema)
    registry = META_SCHEMAS.with_resource(resource.id() or "", resource).crawl()
    checker = FastFirst(validator_for(schema)(schema, registry=registry), schema, formats=False)
    keywords = dict(base.keyword_validators)
    keywords["schema"] = FastSchemaValidator if v31 else SchemaValidator30
    return type(
        base.__name__, (base,), {"schema_validator": checker, "keyword_validators": keywords}
    )


def _spec_validator(doc: Document, version: str, strict: bool) -> Iterator[Diagnostic]:
    cls = _spec_validator_class(version.startswith("3.1."))
    try:
        errors = list(cls(doc.data).iter_errors())
    except Exception as exc:  # noqa: BLE001 - the validator itself chokes on some broken input
        yield doc.diagnostic("#", f"the OpenAPI validator could not check this document: {exc}")
        return
    for error in errors:
        if type(error).__name__ in _REPORTED_BY_LINT:
            continue
        path = list(getattr(error, "absolute_path", []) or [])
        message = _shortened(str(getattr(error, "message", error)).splitlines()[0])
        ptr = _absolute(doc, path, error) if path else _locate(doc, error, message)
        # Users' specs often carry keys OpenAPI does not define (`title` on an operation,
        # `const` in 3.0): the generator ignores them, so they only warrant a warning.
        if strict or not _ignorable(error, ptr):
            yield doc.diagnostic(ptr, message)
        else:
            yield replace(doc.diagnostic(ptr, f"{message} (ignored)", "warning"), kind="ignored")


def _shortened(message: str, limit: int = 240) -> str:
    """``message`` at most about ``limit`` characters: the validator quotes the value it
    rejects whole (an enum of hundreds of values), so the reason at its end is kept."""
    if len(message) <= limit:
        return message
    return f"{message[: limit * 2 // 3]} ... {message[-limit // 4 :]}"


def _ignorable(error: Any, ptr: str) -> bool:
    """Errors a lenient run may pass over because nothing generated depends on them.

    Unknown keys (`title` on an operation, `const` in 3.0) are not read; a parameter's
    ``default`` only appears in a docstring. A model's default would become code: not ignored.
    """
    tokens = split_pointer(ptr)
    if tokens[-1:] == ["default"] and "parameters" in tokens and "components" not in tokens:
        return True
    if tokens[-1:] and tokens[-1] in _LENIENT_KEYWORDS:
        return True
    return _only_unknown_keys(error) and "responses" not in tokens[-1:]


# Schema keywords whose mistakes generation survives: 3.0-style boolean exclusive bounds are
# converted (models.as_31), a repeated `required` entry means the same, and draft 2019
# `$recursiveAnchor` is not read.
_LENIENT_KEYWORDS = frozenset(
    {"exclusiveMinimum", "exclusiveMaximum", "required", "$recursiveAnchor"}
)


def _absolute(doc: Document, path: list[Any], error: Any) -> str:
    """The pointer of an error; for one inside a schema the validator reports its path
    relative to that schema, so the document is searched for where that path leads."""
    if _follow(doc.data, path) is not _MISSING:
        return pointer(*path)
    instance = getattr(error, "instance", _MISSING)
    # Where the schema checked is (prevalidate marks it), unless reached through a $ref.
    within = [*getattr(error, "schema_location", ()), *path]
    if len(within) > len(path) and _follow(doc.data, within) == instance:
        return pointer(*within)
    for prefix, node in _nodes(doc.data, []):
        if isinstance(node, dict) and _follow(node, path) == instance:
            return pointer(*prefix, *path)
    return pointer(*path)


_MISSING = object()


def _follow(node: Any, path: list[Any]) -> Any:
    for token in path:
        in_dict = isinstance(node, dict) and token in node
        in_list = isinstance(node, list) and isinstance(token, int) and token < len(node)
        if not (in_dict or in_list):
            return _MISSING
        node = node[token]
    return node


def _nodes(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, [*path, index])


_UNKNOWN_KEY_VALIDATORS = ("additionalProperties", "unevaluatedProperties")


_STATUS = re.compile(r"^(default|[1-5][0-9][0-9]|[1-5]XX)$")


def _status_codes(doc: Document) -> Iterator[Diagnostic]:
    """Every response key is a status code (``200``), a range (``4XX``) or ``default``."""
    for path, method, op, _ in operations(doc):
        responses = op.get("responses")
        for status in responses if isinstance(responses, dict) else ():
            if not _STATUS.match(str(status)):
                where = pointer("paths", path, method, "responses", str(status))
                msg = f"{status!r} is not an HTTP status code, a range like 4XX, or default"
                yield doc.diagnostic(where, msg)


def _only_unknown_keys(error: Any) -> bool:
    """True when the document would be valid without some keys the schema does not know."""
    if getattr(error, "validator", None) in _UNKNOWN_KEY_VALIDATORS:
        return True
    if getattr(error, "validator", None) in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        return any(all(_only_unknown_keys(e) for e in errs) for errs in branches.values())
    return False


_OPERATION_IN = re.compile(r"for '(\w+)' operation in '([^']+)'")


def _locate(doc: Document, error: Any, message: str) -> str:
    """A pointer for a validator error that carries no path of its own.

    Two kinds come without one: an unresolved path parameter (the message names the operation)
    and a ``default``/``example`` value that does not fit its schema (found by its value).
    """
    match = _OPERATION_IN.search(message)
    if match:
        return pointer("paths", match.group(2), match.group(1))
    instance = getattr(error, "instance", None)
    for path, key, value in _values(doc.data, []):
        if key in ("default", "example") and value == instance and type(value) is type(instance):
            return pointer(*path, key)
    return "#"


def _values(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from _values(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, [*path, index])


def _refs(doc: Document) -> Iterator[Diagnostic]:
    """Every ``$ref`` must be local and resolve; a ``$ref`` that only points at itself is a cycle."""
    for path, ref in _find_refs(doc.data, []):
        where = pointer(*path, "$ref")
        if not ref.startswith("#"):
            yield doc.diagnostic(where, f"external $ref {ref!r} is not supported; inline it")
            continue
        try:
            doc.deref({"$ref": ref})
        except (KeyError, IndexError, ValueError):
            yield doc.diagnostic(where, f"$ref {ref!r} cannot be resolved (missing or circular)")


def _find_refs(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str):
            yield path, ref
        for key, item in value.items():
            if key != "$ref":
                yield from _find_refs(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _find_refs(item, [*path, index])


def _lint(doc: Document, strict: bool) -> list[Diagnostic]:
    style = "error" if strict else "warning"
    found: list[Diagnostic] = []
    seen_ids: dict[str, str] = {}
    for path, method, op, item in operations(doc):
        where = pointer("paths", path, method)
        found += _lint_operation_id(doc, where, op, seen_ids, style)
        for field in ("summary", "description"):
            if not str(op.get(field) or "").strip():
                found.append(_styled(doc, where, f"operation has no {field}", style, field))
        tags = op.get("tags") or []
        if len(tags) != 1:
            message = f"an operation needs exactly one tag, has {len(tags)}"
            found.append(_styled(doc, where, message, style, "tag"))
        found += _lint_path_params(doc, where, path, op, item)
        if not op.get("responses"):
            found.append(
                doc.diagnostic(where, "operation declares no responses: its result has no type")
            )
        found += _lint_named_bodies(doc, where, op, style)
    return found


def _lint_operation_id(
    doc: Document, where: str, op: dict[str, Any], seen: dict[str, str], style: str
) -> Iterator[Diagnostic]:
    op_id = op.get("operationId")
    if not op_id:
        yield _styled(doc, where, "operation has no operationId", style, "no-operation-id")
        return
    if op_id in seen:
        yield doc.diagnostic(
            pointer(*_tokens(where), "operationId"),
            f"operationId {op_id!r} is also used at {seen[op_id]}",
        )
    seen[op_id] = where
    if not _SNAKE.match(op_id):
        at = pointer(*_tokens(where), "operationId")
        yield _styled(doc, at, f"operationId {op_id!r} is not snake_case", style, "snake-case")


def _styled(doc: Document, where: str, message: str, style: str, kind: str) -> Diagnostic:
    """A finding of a house rule, of its ``kind`` (see :data:`generator.validate.findings.LINT`)."""
    return replace(doc.diagnostic(where, message, style), kind=kind)


def _tokens(ptr: str) -> list[str]:
    return split_pointer(ptr)


def _lint_path_params(
    doc: Document, where: str, path: str, op: dict[str, Any], item: dict[str, Any]
) -> Iterator[Diagnostic]:
    declared: dict[str, dict[str, Any]] = {}
    for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = doc.deref(param)
        if param.get("in") == "path":
            declared[param.get("name", "")] = param
    in_template = _TEMPLATE.findall(path)
    for name in in_template:
        if name not in declared:
            yield doc.diagnostic(
                where, f"path parameter {name!r} ({{{name}}} in {path!r}) is not declared"
            )
    for name, param in declared.items():
        if name not in in_template:
            yield doc.diagnostic(where, f"path parameter {name!r} is declared but not in {path!r}")
        elif param.get("required") is not True:
            yield doc.diagnostic(where, f"path parameter {name!r} must be required: true")


def _lint_named_bodies(
    doc: Document, where: str, op: dict[str, Any], style: str
) -> Iterator[Diagnostic]:
    bodies: list[tuple[str, Any]] = []
    request = doc.deref(op.get("requestBody") or {})
    for ctype, media in (request.get("content") or {}).items():
        bodies.append((pointer(*_tokens(where), "requestBody", "content", ctype, "schema"), media))
    for status, response in (op.get("responses") or {}).items():
        if str(status).startswith("2"):
            for ctype, media in (doc.deref(response).get("content") or {}).items():
                bodies.append(
                    (
                        pointer(*_tokens(where), "responses", status, "content", ctype, "schema"),
                        media,
                    )
                )
    for ptr, media in bodies:
        schema = (media or {}).get("schema")
        if _is_json_ctype(ptr) and schema is not None and not _is_component_ref(schema):
            message = "JSON bodies must be a $ref to #/components/schemas/<Name>"
            yield _styled(doc, ptr, message, style, "named-body")


def _is_json_ctype(ptr: str) -> bool:
    return "json" in ptr.rsplit("/", 2)[-2]


def _is_component_ref(schema: Any) -> bool:
    ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
    return isinstance(ref, str) and ref.startswith("#/components/schemas/")


def _examples(doc: Document, version: str) -> list[Diagnostic]:
    return [doc.diagnostic(ptr, message) for ptr, message in example_errors(doc, version)]
