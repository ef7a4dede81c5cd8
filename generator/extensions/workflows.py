"""Workflow extensions: ``x-pagination``, ``x-polling``, ``x-presigned-upload``, ``x-junit-submit``.

Vendors describe some behaviour only in words: follow a cursor, poll until done, upload in three
steps. A spec declares it on the operation with one of these extensions, and this module both
checks the declaration (shape and references, as located diagnostics) and lowers it into the IR
(:class:`ir.Pagination`, :class:`ir.Polling`, :class:`ir.Upload`) that the resource template
renders as ``iter``, ``wait`` and ``upload`` methods (``submit``: see :mod:`.submits`). Nothing
here knows any particular API.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from .. import ir
from ..diagnostics import Diagnostic, pointer
from ..ir import commands
from ..ir.naming import class_name, identifier, method_name, operation_method
from ..load.document import Document
from ..models import ModelsModule, fields_of, split_rules
from . import junit_report as reports
from . import junit_submit as submits
from . import schema_paths
from .schema_paths import request_schema, response_ref, response_schema, schema_of

_NAME = {"type": "string", "minLength": 1}
_NUMBER = {"type": "number", "minimum": 0}

SCHEMAS: dict[str, dict[str, Any]] = {
    "x-pagination": {
        "type": "object",
        "additionalProperties": False,
        "required": ["style", "param", "next", "items"],
        "properties": {
            "style": {"enum": ["cursor", "page"]},
            "param": _NAME,
            "next": _NAME,
            "items": _NAME,
            "method-name": _NAME,
        },
    },
    "x-polling": {
        "type": "object",
        "additionalProperties": False,
        "required": ["until", "interval"],
        "properties": {
            "method-name": _NAME,
            "until": {
                "type": "object",
                "additionalProperties": False,
                "required": ["property"],
                "oneOf": [{"required": ["equals"]}, {"required": ["is-set"]}],
                "properties": {
                    "property": _NAME,
                    "equals": {},
                    "is-set": {"const": True},
                    "every": _NAME,
                },
            },
            "interval": {
                "type": "object",
                "additionalProperties": False,
                "required": ["default"],
                "properties": {"default": _NUMBER, "minimum": _NUMBER, "maximum": _NUMBER},
            },
            # What the command line reads: see generator/ir/commands.py.
            **commands.POLLING_KEYS,
        },
    },
    "x-presigned-upload": {
        "type": "object",
        "additionalProperties": False,
        "required": ["url", "id", "confirm", "abort", "size", "content-type"],
        "properties": {
            "method-name": _NAME,
            "url": _NAME,
            "id": _NAME,
            "confirm": _NAME,
            "abort": _NAME,
            "size": _NAME,
            "content-type": _NAME,
            "file-name": _NAME,
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
                "properties": {"operation": _NAME, "items": _NAME, "key": _NAME},
            },
        },
    },
    "x-junit-submit": submits.SCHEMA,
}


# ------------------------------------------------------------------------------ checking


def _ops(doc: Document) -> Iterator[tuple[list[str], dict[str, Any]]]:
    for path, item in (doc.data.get("paths") or {}).items():
        item = doc.deref(item)
        for method, op in item.items() if isinstance(item, dict) else ():
            if isinstance(op, dict) and "responses" in op:
                yield ["paths", path, method], op


def _params(doc: Document, where: list[str], op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    item = doc.deref(doc.data["paths"][where[1]])
    params = [*(item.get("parameters") or []), *(op.get("parameters") or [])]
    return {str(p.get("name")): p for p in (schema_of(doc, p) for p in params)}


def _arguments(doc: Document, where: list[str], op: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(every parameter and body field, the required ones) of ``op``, by wire name."""
    params = _params(doc, where, op)
    body = request_schema(doc, op)
    names = set(params) | set(body.get("properties") or {})
    required = {n for n, p in params.items() if p.get("required")} | set(body.get("required") or ())
    return names, required


def _tag(op: dict[str, Any]) -> str:
    return identifier(str((op.get("tags") or ["default"])[0]), "default")


def _op_name(op: dict[str, Any]) -> str:
    """The method name the lowering gives ``op`` (the operationId less its ``<tag>_``)."""
    return operation_method(str(op.get("operationId", "")), _tag(op))


def helper_name(key: str, ext: dict[str, Any], op_name: str) -> str:
    """The helper's method name: ``method-name``, else ``iter``/``iter_<op>``, ``wait``, ``upload``."""
    defaults = {
        "x-pagination": "iter" if op_name == "list" else f"iter_{op_name}",
        "x-polling": "wait",
        "x-presigned-upload": "upload",
        "x-junit-submit": "submit",
    }
    return method_name(str(ext.get("method-name") or defaults[key]))


def _message(error: Any) -> str:
    """The validator's message, except a ``oneOf`` of ``required`` keys: name the keys instead."""
    options = error.validator_value if error.validator == "oneOf" else None
    keys = [o.get("required") for o in options or () if set(o) == {"required"}]
    if options and len(keys) == len(options):
        return "give exactly one of " + ", ".join(repr(k) for ks in keys for k in ks)
    return str(error.message)


class _Checker:
    """Collects the diagnostics of every workflow extension of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.found: list[Diagnostic] = []
        self.by_id = {str(op.get("operationId")): (w, op) for w, op in _ops(doc)}

    def problem(self, where: list[Any], message: str) -> None:
        self.found.append(self.doc.diagnostic(pointer(*where), message))

    def run(self) -> list[Diagnostic]:
        taken: dict[str, set[str]] = {}
        for _, op in _ops(self.doc):
            taken.setdefault(_tag(op), set()).add(_op_name(op))
        for where, op in _ops(self.doc):
            for key, schema in SCHEMAS.items():
                if key in op and self.shape([*where, key], op[key], schema):
                    getattr(self, "check_" + key[2:].replace("-", "_"))(where, op, op[key])
                    self.check_name(
                        [*where, key], op, helper_name(key, op[key], _op_name(op)), taken
                    )
                    if key == "x-polling" and op[key].get("junit"):
                        self.check_name([*where, key, "junit"], op, "junit", taken)
        return self.found

    def check_name(
        self, where: list[Any], op: dict[str, Any], name: str, taken: dict[str, set[str]]
    ) -> None:
        names = taken.setdefault(_tag(op), set())
        if name in names:
            self.problem(
                where,
                f"helper method {name!r} clashes with another method of {_tag(op)!r}; set method-name",
            )
        names.add(name)

    def shape(self, where: list[Any], value: Any, schema: dict[str, Any]) -> bool:
        # Imported here: only validation checks shapes, and lowering should not pay for it.
        from openapi_schema_validator import OAS31Validator

        errors = list(OAS31Validator(schema).iter_errors(value))
        for error in errors:
            self.problem([*where, *error.absolute_path], f"{where[-1]}: {_message(error)}")
        return not errors

    def has_property(self, where: list[Any], schema: dict[str, Any], name: str, what: str) -> bool:
        if name in (schema.get("properties") or {}):
            return True
        self.problem(where, f"{what} {name!r} is not a property of the schema")
        return False

    def operation(
        self, where: list[Any], op_id: str, tag: object
    ) -> tuple[list[str], dict[str, Any]] | None:
        target = self.by_id.get(op_id)
        if target is None:
            self.problem(where, f"operationId {op_id!r} does not exist")
            return None
        if (target[1].get("tags") or [None])[0] != tag:
            self.problem(where, f"operation {op_id!r} must have the same tag ({tag!r})")
            return None
        return target

    def check_pagination(self, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
        at = [*where, "x-pagination"]
        param = _params(self.doc, where, op).get(ext["param"])
        if param is None or param.get("in") != "query":
            self.problem(
                [*at, "param"], f"{ext['param']!r} is not a query parameter of the operation"
            )
        schema = response_schema(self.doc, op)
        self.has_property([*at, "next"], schema, ext["next"], "next")
        if self.has_property([*at, "items"], schema, ext["items"], "items"):
            kind = schema_of(self.doc, schema["properties"][ext["items"]]).get("type")
            if "array" not in (kind if isinstance(kind, list) else [kind]):
                self.problem([*at, "items"], f"items {ext['items']!r} is not an array property")

    def check_polling(self, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
        at, until = [*where, "x-polling"], ext["until"]
        root, owner = response_schema(self.doc, op), "the response"
        if "every" in until:
            root = self.path([*at, "until", "every"], root, until["every"], "every", owner)
            owner = f"each item of {until['every']!r}"
        if root is not None:
            self.path([*at, "until", "property"], root, until["property"], "until", owner)
        interval = ext["interval"]
        low, high = interval.get("minimum", 0), interval.get("maximum", float("inf"))
        if not low <= interval["default"] <= high:
            self.problem([*at, "interval"], "default must lie between minimum and maximum")
        taken = set(_params(self.doc, where, op))
        commands.check(self.doc, self.problem, self.by_id, where, op, taken=taken)

    def path(self, where: list[Any], root: Any, path: str, what: str, owner: str) -> Any:
        """The schema at dotted ``path`` from ``root`` (for ``every``: its items), else a problem."""
        steps, problem = schema_paths.walk(self.doc, root, path)
        if problem is not None:
            self.problem(where, f"{what} {path!r} is not a property path of {owner}: {problem}")
            return None
        if what != "every":
            return steps[-1].raw
        if not schema_paths.is_array(self.doc, steps[-1].raw):
            self.problem(where, f"every {path!r} is not an array property")
            return None
        return schema_paths.items_of(self.doc, steps[-1].raw)

    def check_presigned_upload(
        self, where: list[str], op: dict[str, Any], ext: dict[str, Any]
    ) -> None:
        at, tag = [*where, "x-presigned-upload"], (op.get("tags") or [None])[0]
        response, request = response_schema(self.doc, op), request_schema(self.doc, op)
        for key in ("url", "id"):
            self.has_property([*at, key], response, ext[key], key)
        fields = [ext["size"], ext["content-type"], *filter(None, [ext.get("file-name")])]
        for name in [*fields, *(ext.get("by-content-type") or {})]:
            self.has_property(at, request, name, "request field")
        for key in ("confirm", "abort"):
            if target := self.operation([*at, key], ext[key], tag):
                self.check_takes_id([*at, key], *target)
        if "result" in ext and (
            target := self.operation([*at, "result", "operation"], ext["result"]["operation"], tag)
        ):
            self.check_result([*at, "result"], ext["result"], target, request)

    def check_junit_submit(self, where: list[str], op: dict[str, Any], _: dict[str, Any]) -> None:
        submits.check(
            self.doc,
            self.problem,
            self.by_id,
            where,
            op,
            arguments_of=lambda w, o: _arguments(self.doc, w, o),
        )

    def check_takes_id(self, at: list[Any], where: list[str], op: dict[str, Any]) -> None:
        """confirm/abort are called with the record id alone: one path parameter, nothing else."""
        params = _params(self.doc, where, op).values()
        path = [p for p in params if p.get("in") == "path"]
        others = [p for p in params if p.get("in") != "path" and p.get("required")]
        if len(path) != 1 or others or schema_of(self.doc, op.get("requestBody")).get("required"):
            self.problem(at, f"{op.get('operationId')!r} must take the id as its only argument")

    def check_result(
        self,
        at: list[Any],
        ext: dict[str, Any],
        target: tuple[list[str], dict[str, Any]],
        request: dict[str, Any],
    ) -> None:
        """The read-back operation lists the record; its required arguments are create fields."""
        found = response_schema(self.doc, target[1])
        self.has_property([*at, "items"], found, ext["items"], "items")
        for param in _params(self.doc, *target).values():
            if param.get("required") and param.get("name") not in (request.get("properties") or {}):
                self.problem(
                    [*at, "operation"],
                    f"required parameter {param.get('name')!r} is not a field of the create request",
                )


def _rule_names(rule: Any) -> Iterator[str]:
    """Every property name a presence rule mentions."""
    if not isinstance(rule, dict):
        return
    yield from (str(n) for n in rule.get("required") or ())
    for name, needs in (rule.get("dependentRequired") or {}).items():
        yield from (str(name), *(str(n) for n in needs))
    for sub in [*rule.get("anyOf", ()), *rule.get("oneOf", ()), *rule.get("allOf", ())]:
        yield from _rule_names(sub)
    yield from _rule_names(rule.get("not"))


def check_rules(doc: Document) -> list[Diagnostic]:
    """Cross-field rules that name a property the schema does not have (a likely typo)."""
    found = []
    for name, schema in ((doc.data.get("components") or {}).get("schemas") or {}).items():
        if not isinstance(schema, dict) or not schema.get("properties"):
            continue
        for unknown in sorted(
            set(_rule_names(split_rules({name: schema})[1].get(name))) - set(schema["properties"])
        ):
            where = pointer("components", "schemas", name)
            message = f"a cross-field rule names {unknown!r}, which is not a property"
            found.append(replace(doc.diagnostic(where, message, "warning"), kind="rule-name"))
    return found


def check(doc: Document) -> list[Diagnostic]:
    """Every problem with the workflow extensions and cross-field rules of ``doc``."""
    return _Checker(doc).run() + check_rules(doc)


# ------------------------------------------------------------------------------ lowering


def _field(models: ModelsModule, model: str | None, wire: str) -> str:
    """The attribute name of property ``wire`` on ``model`` (the wire name if unknown)."""
    for field in fields_of(models.classes, model or ""):
        if field.wire_name == wire:
            return field.name
    return wire


def _item_annotation(models: ModelsModule, model: str | None, wire: str) -> str:
    """``X`` for a property annotated ``list[X]`` (or ``list[X] | None``)."""
    fields = fields_of(models.classes, model or "")
    annotation = next((f.annotation for f in fields if f.wire_name == wire), "")
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return "Any"
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("list", "builtins.list"):
            return ast.unparse(node.slice)
    return "Any"


def _model_of(models: ModelsModule, ref_holder: dict[str, Any]) -> str | None:
    ref = ref_holder.get("$ref", "") if isinstance(ref_holder, dict) else ""
    name = ref.rsplit("/", 1)[-1]
    return name if name in models.classes else (class_name(name) if name else None)


class _Lowerer:
    """Attaches the helpers declared on the operations of one resource."""

    def __init__(self, doc: Document, models: ModelsModule, ops: list[ir.Operation]) -> None:
        self.doc, self.models = doc, models
        self.raw = {str(op.get("operationId")): (w, op) for w, op in _ops(doc)}
        self.names = {op.operation_id: op.name for op in ops}

    def attach(self, op: ir.Operation) -> ir.Operation:
        where, raw = self.raw.get(op.operation_id, ([], {}))
        if "x-pagination" in raw:
            op = replace(op, pagination=self.pagination(where, op, raw["x-pagination"]))
        if "x-polling" in raw:
            op = replace(op, polling=self.polling(op, raw["x-polling"]))
        if "x-presigned-upload" in raw:
            op = replace(op, upload=self.upload(op, raw["x-presigned-upload"]))
        return op

    def pagination(self, where: list[str], op: ir.Operation, ext: dict[str, Any]) -> ir.Pagination:
        param = next(p for p in op.query_params if p.wire_name == ext["param"])
        raw_param = _params(self.doc, where, self.raw[op.operation_id][1]).get(ext["param"], {})
        default = schema_of(self.doc, raw_param.get("schema")).get("default")
        return ir.Pagination(
            method=helper_name("x-pagination", ext, op.name),
            style=ext["style"],
            param=param.name,
            first=default if ext["style"] == "page" else None,
            items=_field(self.models, op.result.model, ext["items"]),
            next=_field(self.models, op.result.model, ext["next"]),
            item_annotation=_item_annotation(self.models, op.result.model, ext["items"]),
        )

    def polling(self, op: ir.Operation, ext: dict[str, Any]) -> ir.Polling:
        interval, until = ext["interval"], ext["until"]
        root, every = response_ref(self.doc, self.raw[op.operation_id][1]), None
        if "every" in until:
            every, last = self.steps(root, until["every"])
            root = schema_paths.items_of(self.doc, last)
        return ir.Polling(
            method=helper_name("x-polling", ext, op.name),
            path=self.steps(root, until["property"])[0],
            equals=until.get("equals"),
            is_set="is-set" in until,
            every=every,
            interval=float(interval["default"]),
            minimum=interval.get("minimum"),
            maximum=interval.get("maximum"),
            junit=reports.lower(ext.get("junit")),
        )

    def steps(self, holder: Any, path: str) -> tuple[tuple[tuple[str, str], ...], Any]:
        """(attribute, wire name) of each step of ``path`` from ``holder``; the last step's schema."""
        found = []
        for step in schema_paths.walk(self.doc, holder, path)[0]:
            model = _model_of(self.models, schema_paths.branch(self.doc, holder))
            found.append((_field(self.models, model, step.wire), step.wire))
            holder = step.raw
        return tuple(found), holder

    def upload(self, op: ir.Operation, ext: dict[str, Any]) -> ir.Upload:
        fields = {f.wire_name: f.name for f in (op.body.fields if op.body else ())}
        schema = request_schema(self.doc, self.raw[op.operation_id][1])
        size = schema_of(self.doc, (schema.get("properties") or {}).get(ext["size"]))
        model = op.result.model
        return ir.Upload(
            method=helper_name("x-presigned-upload", ext, op.name),
            size_field=fields.get(ext["size"], ext["size"]),
            minimum=size.get("minimum"),
            maximum=size.get("maximum"),
            content_type_field=fields.get(ext["content-type"], ext["content-type"]),
            name_field=fields.get(ext["file-name"]) if "file-name" in ext else None,
            derived=tuple(
                (fields.get(name, name), tuple(sorted(mapping.items())))
                for name, mapping in sorted((ext.get("by-content-type") or {}).items())
            ),
            url=_field(self.models, model, ext["url"]),
            id=_field(self.models, model, ext["id"]),
            confirm=self.names[ext["confirm"]],
            abort=self.names[ext["abort"]],
            read_back=self.read_back(fields, ext.get("result")),
        )

    def read_back(
        self, fields: dict[str, str], ext: dict[str, Any] | None
    ) -> ir.UploadReadBack | None:
        if ext is None:
            return None
        where, raw = self.raw[ext["operation"]]
        model = _model_of(self.models, response_ref(self.doc, raw))
        required = [p for p in _params(self.doc, where, raw).values() if p.get("required")]
        return ir.UploadReadBack(
            method=self.names[ext["operation"]],
            args=tuple(
                (identifier(str(p["name"]), "param"), fields.get(str(p["name"]), str(p["name"])))
                for p in required
            ),
            items=_field(self.models, model, ext["items"]),
            key=_field(self.models, _item_annotation(self.models, model, ext["items"]), ext["key"]),
            annotation=_item_annotation(self.models, model, ext["items"]),
        )


def attach(doc: Document, models: ModelsModule, ops: list[ir.Operation]) -> list[ir.Operation]:
    """``ops`` (one resource) with the helpers their extensions declare."""
    lowerer = _Lowerer(doc, models, ops)
    return [lowerer.attach(op) for op in ops]
