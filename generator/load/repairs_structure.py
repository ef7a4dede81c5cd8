"""Repairs of a spec's structure: status keys, ``$ref`` s, path parameters, operationIds.

Each mends the copy of a user's document in place and says what it did (see
:mod:`generator.load.repair`).
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import pointer
from ._repairs import Found, copy_json, deref_or_value, operations_in
from .document import Document
from .spec import mappings

_TEMPLATE = re.compile(r"{([^{}]*)}")


def integer_status_keys(data: Any, doc: Document) -> Found:
    """YAML reads ``200:`` as an integer: each such response key becomes its string."""
    found: Found = []
    for path, method, op in operations_in(data, doc):
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
            target = copy_json(doc.deref({"$ref": ref}))
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
    for path, method, op in operations_in(data, doc):
        in_path = _TEMPLATE.findall(path)
        item = deref_or_value(doc, data["paths"][path])
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
        param = deref_or_value(doc, params[index])
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
    params = [deref_or_value(doc, p) for p in owner.get("parameters") or []]
    return [p for p in params if isinstance(p, dict) and p.get("in") == "path"]


def duplicate_operation_ids(data: Any, doc: Document) -> Found:
    """An ``operationId`` already used by an earlier operation gets a number (``list_2``), so
    every operation keeps a method of its own."""
    found: Found = []
    ops = list(operations_in(data, doc))
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
