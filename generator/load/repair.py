"""Repairs: mistakes in a spec a user brings, mended before validation, each with a warning.

Our own specs are strict: every mistake is an error, and nothing here changes them. A spec
someone else wrote (``generate SPEC``, or ``strict = false`` in ``[tool.generator]``) often has
mistakes that would not stop a correct client from being made; :func:`repair` mends the ones it
can safely, on a copy of the document, and says what it did at the place it did it. With
``strict`` the same findings are errors and the document is left as it is.

Each repair is a function ``(data, doc) -> [(pointer, message)]`` that mends ``data`` (the
copy) in place; ``doc`` is the document as written, for lines and for what the repair needs to
read. They run in the order of :data:`REPAIRS`: structure first (status keys, ``$ref``\\ s,
path parameters), then the values checked against schemas (enums, patterns, defaults,
examples).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, Severity, pointer, split_pointer
from .document import Document
from .spec import HTTP_METHODS, WILDCARDS, example_errors, mappings

Found = list[tuple[str, str]]
Repair = Callable[[Any, Document], Found]
# What a repair found, before it is located in the file: (kind, pointer, message, severity).
Finding = tuple[str, str, str, Severity]
_TEMPLATE = re.compile(r"{([^{}]*)}")


def repair(doc: Document, strict: bool) -> tuple[Document, list[Diagnostic]]:
    """``doc`` with every repair applied and a warning for each; with ``strict``, ``doc``
    unchanged and an error for each finding of the repairs validation does not report itself."""
    mended, findings = mend(doc, strict)
    return mended, located(doc, findings)


def mend(doc: Document, strict: bool) -> tuple[Document, list[Finding]]:
    """:func:`repair`, its findings not yet located: the lines of a large document take
    longer to find than every repair, and the later stages only need the mended document."""
    data = _copy(doc.data)
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


def integer_status_keys(data: Any, doc: Document) -> Found:
    """YAML reads ``200:`` as an integer: each such response key becomes its string."""
    found: Found = []
    for path, method, op in _operations(data, doc):
        responses = op.get("responses")
        if not isinstance(responses, dict):
            continue
        numbers = [k for k in responses if isinstance(k, int) and not isinstance(k, bool)]
        if any(str(k) in responses for k in numbers):
            continue  # both spellings: a duplicate, which validation reports
        for key in numbers:
            where = pointer("paths", path, method, "responses", key)
            found.append((where, f"status code {key} is a number; read as '{key}'"))
        op["responses"] = {str(k) if k in numbers else k: v for k, v in responses.items()}
    return found


def refs_into_paths(data: Any, doc: Document) -> Found:
    """A ``$ref`` to something under ``#/paths/`` (a parameter, a body of another operation)
    is replaced by a copy of what it points at, when that resolves."""
    found: Found = []
    for path, holder in list(mappings(data, [])):
        ref = holder.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/paths/")):
            continue
        try:
            target = _copy(doc.deref({"$ref": ref}))
        except (KeyError, IndexError, ValueError):
            continue  # unresolvable: validation reports it
        holder.clear()
        holder.update(target if isinstance(target, dict) else {})
        found.append((pointer(*path, "$ref"), f"$ref {ref!r} points into #/paths; inlined"))
    return found


def missing_schemas(data: Any, doc: Document) -> Found:
    """A ``$ref`` to a component schema that does not exist is dropped: the value it types is
    then any JSON value (``Any``), which is all the document says about it. Its other keys
    (a ``description``) stay."""
    found: Found = []
    for path, holder in list(mappings(data, [])):
        ref = holder.get("$ref")
        if not (isinstance(ref, str) and ref.startswith(_SCHEMAS)):
            continue
        try:
            doc.resolve(ref)
        except (KeyError, IndexError, ValueError):
            del holder["$ref"]
            found.append(
                (pointer(*path, "$ref"), f"$ref {ref!r}: no such schema; typed as any value")
            )
    return found


_SCHEMAS = "#/components/schemas/"


def path_parameters(data: Any, doc: Document) -> Found:
    """A path parameter declared but not in the path is ignored (removed); one in the path but
    not declared is declared, as a required string."""
    found: Found = []
    for path, method, op in _operations(data, doc):
        in_path = _TEMPLATE.findall(path)
        item = _deref(doc, data["paths"][path])
        for owner, at in ((item, ["paths", path]), (op, ["paths", path, method])):
            found += _drop_unused(owner, at, in_path, doc)
        declared = {p.get("name") for p in _path_params(item, doc) + _path_params(op, doc)}
        for name in (n for n in in_path if n not in declared):
            op.setdefault("parameters", []).append(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            )
            where = pointer("paths", path, method)
            found.append(
                (where, f"path parameter {name!r} is not declared; made a required string")
            )
    return found


def _drop_unused(
    owner: dict[str, Any], where: list[Any], in_path: list[str], doc: Document
) -> Found:
    params = owner.get("parameters")
    if not isinstance(params, list):
        return []
    found: Found = []
    for index in reversed(range(len(params))):
        param = _deref(doc, params[index])
        if (
            isinstance(param, dict)
            and param.get("in") == "path"
            and param.get("name") not in in_path
        ):
            del params[index]
            message = f"path parameter {param.get('name')!r} is not in the path; ignored"
            found.append((pointer(*where, "parameters", index), message))
    return found[::-1]


def _path_params(owner: dict[str, Any], doc: Document) -> list[dict[str, Any]]:
    params = [_deref(doc, p) for p in owner.get("parameters") or []]
    return [p for p in params if isinstance(p, dict) and p.get("in") == "path"]


def duplicate_operation_ids(data: Any, doc: Document) -> Found:
    """An ``operationId`` already used by an earlier operation gets a number (``list_2``), so
    every operation keeps a method of its own."""
    found: Found = []
    ops = list(_operations(data, doc))
    taken = {str(op["operationId"]) for _, _, op in ops if op.get("operationId")}
    seen: dict[str, str] = {}
    for path, method, op in ops:
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            continue
        where = pointer("paths", path, method)
        if op_id not in seen:
            seen[op_id] = where
            continue
        number = 2
        while f"{op_id}_{number}" in taken:
            number += 1
        op["operationId"] = renamed = f"{op_id}_{number}"
        taken.add(renamed)
        message = f"operationId {op_id!r} is also used at {seen[op_id]}; renamed {renamed!r}"
        found.append((pointer("paths", path, method, "operationId"), message))
    return found


def duplicate_enum_values(data: Any, doc: Document) -> Found:
    """A value an ``enum`` lists again is dropped: the enum allows the same values, and an
    enum class cannot have two members of one value."""
    found: Found = []
    for path, schema in mappings(data, []):
        values = schema.get("enum")
        if not isinstance(values, list):
            continue
        seen: set[str] = set()
        kept = []
        for index, value in enumerate(values):
            key = json.dumps(value, sort_keys=True, default=str)
            if key in seen:
                message = f"enum value {_short(value)} is listed twice; the second dropped"
                found.append((pointer(*path, "enum", index), message))
                continue
            seen.add(key)
            kept.append(value)
        if len(kept) < len(values):
            schema["enum"] = kept
    return found


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bad_patterns(data: Any, doc: Document) -> Found:
    """A ``pattern`` Python's ``re`` cannot compile is dropped: no client could check it."""
    found: Found = []
    for path, schema in mappings(data, []):
        value = schema.get("pattern")
        if not isinstance(value, str):
            continue
        try:
            re.compile(value)
        except re.error as exc:
            del schema["pattern"]
            found.append(
                (
                    pointer(*path, "pattern"),
                    f"pattern {value!r} is not a regular expression ({exc}); dropped",
                )
            )
    return found


def mistyped_defaults(data: Any, doc: Document) -> Found:
    """A ``default`` whose JSON type the schema's ``type`` does not allow is dropped."""
    found: Found = []
    for path, schema in mappings(data, []):
        if "default" not in schema or not _types(schema):
            continue
        value = schema["default"]
        if not any(_is(value, kind) for kind in _types(schema)):
            del schema["default"]
            allowed = " or ".join(_types(schema))
            found.append(
                (pointer(*path, "default"), f"default {value!r} is not {allowed}; dropped")
            )
    return found


# The keywords that belong to an object, or to an array, whatever ``type`` says.
_SHAPE_KEYWORDS = {
    "object": ("properties", "required", "additionalProperties", "minProperties", "maxProperties"),
    "array": ("items", "minItems", "maxItems", "uniqueItems"),
}
_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})


def contradicting_types(data: Any, doc: Document) -> Found:
    """A scalar ``type`` beside ``properties`` or ``items`` contradicts itself: which the
    server sends cannot be told (Webex declares a paged list ``type: string`` with ``items``,
    and gives its example as a string). The value may be either: ``anyOf`` an object (or
    array) of those keywords and a value of the type, each with its own keywords.

    A string that is a whole body under a wildcard media type (``*/*``) is left: the client
    gives that body's text, which holds either."""
    found: Found = []
    for path, schema in mappings(data, []):
        if path[-2:-1] and path[-1] == "schema" and path[-2] in WILDCARDS:
            continue
        kind = schema.get("type")
        shapes = [
            shape
            for shape in _SHAPE_KEYWORDS
            if isinstance(schema.get(_SHAPE_KEYWORDS[shape][0]), dict)
        ]
        if not isinstance(kind, str) or kind not in _SCALAR_TYPES or not shapes:
            continue
        if "anyOf" in schema:
            continue  # the union would be lost: left as it is (rare; none in the corpus)
        nullable = {"nullable": True} if schema.pop("nullable", None) is True else {}
        branches = [
            {"type": shape, **nullable}
            | {k: schema.pop(k) for k in _SHAPE_KEYWORDS[shape] if k in schema}
            for shape in shapes
        ]
        scalar = {"type": schema.pop("type"), **nullable}
        scalar |= {k: schema.pop(k) for k in _SCALAR_KEYWORDS if k in schema}
        schema["anyOf"] = [*branches, scalar]
        written = " and ".join(f"'{_SHAPE_KEYWORDS[shape][0]}'" for shape in shapes)
        message = f"type {kind!r} beside {written} contradicts itself; read as either"
        found.append((pointer(*path, "type"), message))
    return found


# What a scalar value's own keywords are, kept beside its type.
_SCALAR_KEYWORDS = (
    "format",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    if not all(isinstance(k, str) for k in kinds):
        return []
    return [*kinds, "null"] if kinds and schema.get("nullable") is True else kinds


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _is(value: Any, kind: str) -> bool:
    check = _JSON_TYPES.get(kind)
    return check is None or check(value)  # an unknown type name: the validator's to report


def mismatched_examples(data: Any, doc: Document) -> Found:
    """An example that does not fit its schema is removed, so no generated docstring or README
    shows it; the client is the same without it."""
    found: Found = []
    version = str(data.get("openapi", ""))
    if not version.startswith(("3.0.", "3.1.")):
        return found
    wrong: dict[str, str] = {}
    try:
        for ptr, message in example_errors(doc, version):
            wrong.setdefault(ptr, message)
    except (KeyError, IndexError, ValueError):
        return found  # a broken $ref on the way: validation reports it, and the spec fails
    # Deepest first, and the later index of a list first, so no removal moves another's place.
    for ptr in sorted(wrong, key=_removal_order, reverse=True):
        if _remove(data, doc, split_pointer(ptr)):
            found.append((ptr, f"{wrong[ptr]}; kept out of the generated docs"))
    return found[::-1]


def _removal_order(ptr: str) -> tuple[Any, ...]:
    return tuple((int(t), "") if t.isdigit() else (-1, t) for t in split_pointer(ptr))


def _remove(data: Any, doc: Document, tokens: list[str]) -> bool:
    """Remove what ``tokens`` point at, following ``$ref``\\ s on the way; True if removed.

    An example's pointer ends in ``example``, ``examples/<key>/value`` or ``examples/<index>``:
    the whole entry of ``examples`` goes.
    """
    if len(tokens) >= 3 and tokens[-1] == "value" and tokens[-3] == "examples":
        tokens = tokens[:-1]
    node = data
    for token in tokens[:-1]:
        node = _child(_holding(node, token, doc), token)
        if node is _MISSING:
            return False
    node, last = _holding(node, tokens[-1], doc), tokens[-1]
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]
        return True
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    return False


def _holding(node: Any, token: str, doc: Document) -> Any:
    """``node``, or what its ``$ref`` points at when ``token`` is not its own (an example
    beside a ``$ref`` is the node's own; a parameter's, behind its ``$ref``, is not)."""
    return node if _child(node, token) is not _MISSING else _deref(doc, node)


_MISSING = object()


def _child(node: Any, token: str) -> Any:
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    if isinstance(node, dict) and token in node:
        return node[token]
    return _MISSING


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


def _operations(data: Any, doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    paths = data.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        item = _deref(doc, item)
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict):
                yield str(path), method, op


def _copy(value: Any) -> Any:
    """A copy of JSON-like data (much faster than ``copy.deepcopy``: no memo, no dispatch)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _deref(doc: Document, value: Any) -> Any:
    """``doc.deref(value)``, or ``value`` itself when its ``$ref`` does not resolve: repairs
    run before validation, which reports broken references."""
    try:
        return doc.deref(value)
    except (KeyError, IndexError, ValueError):
        return value
