"""``x-presigned-upload``: upload a file in the three steps a presigned URL takes.

Declared on the operation that creates the record and answers with a presigned ``url`` and the
record's ``id``: the request fields that carry the file's ``size``, ``content-type`` and
``file-name`` (and fields derived from the content type, ``by-content-type``), the operations
that ``confirm`` or ``abort`` the upload (called with the id alone), and optionally the
operation that reads the record back (``result``). The resource gains ``upload``, which creates
the record, PUTs the file to the URL, confirms (or aborts on failure); the command line an
``upload`` command taking a ``PATH``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import ir
from ..naming import identifier
from ._base import NAME, Checks, Extension, Found, Lowering, params
from .schema_paths import request_schema, response_ref, response_schema, schema_of

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url", "id", "confirm", "abort", "size", "content-type"],
    "properties": {
        "method-name": NAME,
        "url": NAME,
        "id": NAME,
        "confirm": NAME,
        "abort": NAME,
        "size": NAME,
        "content-type": NAME,
        "file-name": NAME,
        "by-content-type": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "string"},
            },
        },
        "result": {
            "type": "object",
            "additionalProperties": False,
            "required": ["operation", "items", "key"],
            "properties": {"operation": NAME, "items": NAME, "key": NAME},
        },
    },
}


def check(checks: Checks, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
    """Every named property exists; confirm, abort and result name operations of the same tag."""
    at, tag = [*where, "x-presigned-upload"], (op.get("tags") or [None])[0]
    response, request = response_schema(checks.doc, op), request_schema(checks.doc, op)
    for key in ("url", "id"):
        checks.has_property([*at, key], response, ext[key], key)
    fields = [ext["size"], ext["content-type"], *filter(None, [ext.get("file-name")])]
    for name in [*fields, *(ext.get("by-content-type") or {})]:
        checks.has_property(at, request, name, "request field")
    for key in ("confirm", "abort"):
        if target := checks.operation([*at, key], ext[key], tag):
            _takes_id(checks, [*at, key], *target)
    if "result" in ext and (
        target := checks.operation([*at, "result", "operation"], ext["result"]["operation"], tag)
    ):
        _result(checks, [*at, "result"], ext["result"], target, request)


def _takes_id(checks: Checks, at: list[Any], where: list[str], op: dict[str, Any]) -> None:
    """confirm/abort are called with the record id alone: one path parameter, nothing else."""
    found = params(checks.doc, where, op).values()
    path = [p for p in found if p.get("in") == "path"]
    others = [p for p in found if p.get("in") != "path" and p.get("required")]
    if len(path) != 1 or others or schema_of(checks.doc, op.get("requestBody")).get("required"):
        checks.problem(at, f"{op.get('operationId')!r} must take the id as its only argument")


def _result(
    checks: Checks, at: list[Any], ext: dict[str, Any], target: Found, request: dict[str, Any]
) -> None:
    """The read-back operation lists the record; its required arguments are create fields."""
    found = response_schema(checks.doc, target[1])
    checks.has_property([*at, "items"], found, ext["items"], "items")
    for param in params(checks.doc, *target).values():
        if param.get("required") and param.get("name") not in (request.get("properties") or {}):
            checks.problem(
                [*at, "operation"],
                f"required parameter {param.get('name')!r} is not a field of the create request",
            )


def lower(lowering: Lowering, op: ir.Operation, ext: dict[str, Any]) -> ir.Operation:
    """``op`` with its :class:`ir.Upload`."""
    fields = {f.wire_name: f.name for f in (op.body.fields if op.body else ())}
    schema = request_schema(lowering.doc, lowering.raw[op.operation_id][1])
    size = schema_of(lowering.doc, (schema.get("properties") or {}).get(ext["size"]))
    model = op.result.model
    upload = ir.Upload(
        method=EXTENSION.helper_name(ext, op.name),
        size_field=fields.get(ext["size"], ext["size"]),
        minimum=size.get("minimum"),
        maximum=size.get("maximum"),
        content_type_field=fields.get(ext["content-type"], ext["content-type"]),
        name_field=fields.get(ext["file-name"]) if "file-name" in ext else None,
        derived=tuple(
            (fields.get(name, name), tuple(sorted(mapping.items())))
            for name, mapping in sorted((ext.get("by-content-type") or {}).items())
        ),
        url=lowering.field(model, ext["url"]),
        id=lowering.field(model, ext["id"]),
        confirm=lowering.names[ext["confirm"]],
        abort=lowering.names[ext["abort"]],
        read_back=_read_back(lowering, fields, ext.get("result")),
    )
    return replace(op, upload=upload)


def _read_back(
    lowering: Lowering, fields: dict[str, str], ext: dict[str, Any] | None
) -> ir.UploadReadBack | None:
    if ext is None:
        return None
    where, raw = lowering.raw[ext["operation"]]
    model = lowering.model_of(response_ref(lowering.doc, raw))
    required = [p for p in params(lowering.doc, where, raw).values() if p.get("required")]
    annotation = lowering.item_annotation(model, ext["items"])
    return ir.UploadReadBack(
        method=lowering.names[ext["operation"]],
        args=tuple(
            (identifier(str(p["name"]), "param"), fields.get(str(p["name"]), str(p["name"])))
            for p in required
        ),
        items=lowering.field(model, ext["items"]),
        key=lowering.field(annotation, ext["key"]),
        annotation=annotation,
    )


EXTENSION = Extension(
    key="x-presigned-upload",
    on="operation",
    schema=SCHEMA,
    check=check,
    lower=lower,
    helper=lambda _: "upload",
)
