"""Document -> IR: every naming, typing and ordering decision lives here.

The lowering reads the validated document and the classes datamodel-code-generator produced,
and decides the Python surface: resource per tag, method name from the operationId (the
``<tag>_`` prefix dropped), path parameters positional, everything else keyword-only and
named after the model fields, results typed by the 2xx response schema. Constructs it cannot
turn into code are reported as diagnostics; no operation is ever dropped silently.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import replace
from functools import cache
from typing import Any

from . import ir, runtime, workflows
from .config import ApiConfig
from .diagnostics import Diagnostic, SpecError, pointer
from .load import Document
from .models import ModelsModule, fields_of, union_members
from .naming import RESERVED, class_name, identifier, literal, operation_method, unique
from .spec import RETRY_KEYS, operations

_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
_IMPORTS = {
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "datetime": "from datetime import datetime",
    "date": "from datetime import date",
    "UUID": "from uuid import UUID",
}
_COMPONENT = "#/components/schemas/"


class _Lowering:
    def __init__(self, doc: Document, config: ApiConfig, models: ModelsModule) -> None:
        self.doc, self.config, self.models = doc, config, models
        self.problems: list[Diagnostic] = []

    def api(self) -> ir.Api:
        data = self.doc.data
        info = data.get("info") or {}
        default_url, hint = self._server()
        resources = self._resources()
        if self.problems:
            raise SpecError(self.problems)
        return ir.Api(
            package=self.config.package,
            client_name=self.config.client_name,
            env_prefix=self.config.env_prefix,
            title=str(info.get("title", self.config.package)),
            version=str(info.get("version", "")),
            description=str(info.get("description", "")),
            spec_name=self.config.spec.name,
            spec_sha256=self.doc.sha256,
            default_base_url=default_url,
            base_url_hint=hint,
            security_schemes=self._security_schemes(),
            resources=resources,
            model_names=tuple(sorted(self.models.classes)),
            retry=self._retry(),
        )

    def _retry(self) -> tuple[tuple[str, float], ...]:
        """The spec's ``x-retry`` as RetryPolicy keyword arguments (validated beforehand)."""
        declared = self.doc.data.get("x-retry") or {}
        return tuple((RETRY_KEYS[k], float(declared[k])) for k in sorted(declared))

    def _server(self) -> tuple[str | None, str]:
        servers = self.doc.data.get("servers") or [{"url": ""}]
        server = servers[0]
        url = str(server.get("url", ""))
        variables = server.get("variables") or {}
        hint = re.sub(r"{([^{}]+)}", lambda m: f"<{m.group(1)}>", url)
        if variables or not url.startswith(("http://", "https://")):
            return None, hint or "https://api.example.com"
        return url, url

    def _security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        schemes = ((self.doc.data.get("components") or {}).get("securitySchemes")) or {}
        result = []
        for key in sorted(schemes):
            scheme = self.doc.deref(schemes[key])
            kind, name = self._scheme_kind(key, scheme)
            if kind:
                result.append(ir.SecurityScheme(key=key, kind=kind, name=name))
        return tuple(result)

    def _scheme_kind(self, key: str, scheme: dict[str, Any]) -> tuple[str, str]:
        kind = scheme.get("type")
        if kind == "apiKey":
            return str(scheme.get("in", "header")), str(scheme.get("name", "Authorization"))
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return "bearer", "Authorization"
        if kind in ("oauth2", "openIdConnect"):
            return "bearer", "Authorization"
        where = pointer("components", "securitySchemes", key)
        self.problems.append(
            self.doc.diagnostic(
                where, f"security scheme type {kind!r} {scheme.get('scheme', '')} is not supported"
            )
        )
        return "", ""

    def _resources(self) -> tuple[ir.Resource, ...]:
        grouped: dict[str, list[ir.Operation]] = {}
        for path, method, op, item in operations(self.doc):
            tag = _resource_name(str((op.get("tags") or ["default"])[0]))
            grouped.setdefault(tag, []).append(self._operation(path, method, op, item, tag))
        tag_docs = {
            _resource_name(str(t.get("name", ""))): str(t.get("description", ""))
            for t in self.doc.data.get("tags") or []
        }
        resources = []
        for tag in sorted(grouped):
            ops = sorted(grouped[tag], key=lambda o: o.name)
            names = unique([o.name for o in ops])
            ops = [_renamed(o, n) for o, n in zip(ops, names, strict=True)]
            ops = workflows.attach(self.doc, self.models, _unshadow(ops))  # iter/wait/upload
            resources.append(self._resource(tag, tag_docs.get(tag, ""), ops))
        return tuple(resources)

    def _resource(self, tag: str, description: str, ops: list[ir.Operation]) -> ir.Resource:
        words = set()
        for op in ops:
            for text in _annotations(op):
                words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", text))
        # Body and result models used at run time are imported inside each method, so the
        # module-level (type-checking only) import names just what annotations mention.
        return ir.Resource(
            name=tag,
            class_name=class_name(tag) + "Resource",
            module=tag,
            description=description,
            operations=tuple(ops),
            models_used=tuple(sorted(words & set(self.models.classes))),
            runtime_imports=_runtime_imports(ops),
            imports=self._imports(words),
            helper_imports=workflows.imports(ops),
        )

    def _imports(self, words: set[str]) -> tuple[str, ...]:
        """Import lines for the non-model names the annotations of a resource use."""
        lines = {_IMPORTS.get(w) or self.models.imports.get(w) for w in words}
        if any(w.startswith("builtins.") for w in words):
            lines.add("import builtins")
        return tuple(sorted(line for line in lines if line))

    def _operation(
        self, path: str, method: str, op: dict[str, Any], item: dict[str, Any], tag: str
    ) -> ir.Operation:
        where = ["paths", path, method]
        op_id = str(op.get("operationId") or f"{method}_{path}")
        name = operation_method(op_id, tag)
        params = self._parameters(where, op, item)
        body = self._body(where, op)
        taken = {p.name for p in params}
        if body is not None:
            body = _dedupe_body(body, taken)
        security = op.get("security", self.doc.data.get("security")) or []
        return ir.Operation(
            name=name,
            operation_id=op_id,
            http_method=method.upper(),
            path=path,
            summary=str(op.get("summary", "")),
            description=str(op.get("description", "")),
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            cookie_params=tuple(p for p in params if p.location == "cookie"),
            body=body,
            result=self._result(where, op),
            errors=self._errors(op),
            security=tuple(sorted({key for req in security for key in req})),
            deprecated=bool(op.get("deprecated", False)),
            example_args=self._example_args(params, body, op, item),
            **_idempotency(method, op),
        )

    def _example_args(
        self,
        params: list[ir.Parameter],
        body: ir.Body | None,
        op: dict[str, Any],
        item: dict[str, Any],
    ) -> tuple[str, ...]:
        """Arguments for the README's usage example, taken from the spec's own examples."""
        args = []
        declared = [*(item.get("parameters") or []), *(op.get("parameters") or [])]
        raw = {(p.get("in"), p.get("name")): p for p in (self.doc.deref(x) for x in declared)}
        for param in params:
            source = raw.get((param.location, param.wire_name), {})
            if "example" in source and (param.required or param.location == "query"):
                value = literal(source["example"])
            elif param.required:
                value = "..."
            else:
                continue
            args.append(value if param.location == "path" else f"{param.name}={value}")
        example = self._request_example(op)
        for field in body.fields if body else ():
            if isinstance(example, dict) and field.wire_name in example:
                args.append(f"{field.name}={literal(example[field.wire_name])}")
            elif field.required:
                args.append(f"{field.name}=...")
        return tuple(args)

    def _request_example(self, op: dict[str, Any]) -> Any:
        request = self.doc.deref(op.get("requestBody") or {})
        for media in (request.get("content") or {}).values():
            media = media or {}
            if "example" in media:
                return media["example"]
            for example in (media.get("examples") or {}).values():
                example = self.doc.deref(example)
                if isinstance(example, dict) and "value" in example:
                    return example["value"]
        return None

    def _parameters(
        self, where: list[Any], op: dict[str, Any], item: dict[str, Any]
    ) -> list[ir.Parameter]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = self.doc.deref(param)
            merged[(str(param.get("in")), str(param.get("name")))] = param
        result = []
        for (location, wire), param in merged.items():
            schema = self.doc.deref(param.get("schema") or {})
            result.append(
                ir.Parameter(
                    name=identifier(wire, "param"),
                    wire_name=wire,
                    location=location,
                    required=bool(param.get("required")) or location == "path",
                    annotation=self.annotation(param.get("schema") or {}),
                    description=str(param.get("description", "")),
                    default=schema.get("default") if isinstance(schema, dict) else None,
                    explode=bool(param.get("explode", param.get("style", "form") == "form")),
                    style=str(param.get("style") or _DEFAULT_STYLE.get(location, "form")),
                )
            )
        names = unique([p.name for p in result])
        result = [_param_named(p, n) for p, n in zip(result, names, strict=True)]
        order = {"path": 0, "query": 1, "header": 2}
        path_order = re.findall(r"{([^{}]+)}", where[1])
        return sorted(
            result,
            key=lambda p: (
                order.get(p.location, 3),
                path_order.index(p.wire_name) if p.wire_name in path_order else 0,
            ),
        )

    def _body(self, where: list[Any], op: dict[str, Any]) -> ir.Body | None:
        request = self.doc.deref(op.get("requestBody") or {})
        content = request.get("content") or {}
        if not content:
            return None
        ctype = self._content_type(content)
        schema = (content[ctype] or {}).get("schema") or {}
        encoding = _encoding(ctype, self.doc.deref(schema))
        model = self._model_name(schema)
        required = bool(request.get("required"))
        description = str(request.get("description", ""))
        if encoding == "content":
            binary = _is_binary(self.doc.deref(schema)) or not ctype.startswith("text/")
            field = ir.BodyField("body", "", "bytes" if binary else "str", required, description)
            return ir.Body("", ctype, required, (field,), encoding)
        if model is None or self.models.classes[model].kind != "model":
            field = ir.BodyField("body", "", self.annotation(schema), required, description)
            return ir.Body("", ctype, required, (field,), encoding)
        fields = tuple(
            ir.BodyField(
                f.name, f.wire_name, self._unwrapped_too(f.annotation), f.required, f.description
            )
            for f in fields_of(self.models.classes, model)
        )
        return ir.Body(model, ctype, required, fields, encoding)

    def _content_type(self, content: dict[str, Any]) -> str:
        """The request content type the method sends: JSON first, unless its fields hold
        files (binary in JSON cannot be sent) and multipart is offered too."""
        ctype = min(content, key=_content_rank)
        schema = self.doc.deref((content[ctype] or {}).get("schema") or {})
        props = schema.get("properties") if isinstance(schema, dict) else None
        files = any(_format(self.doc.deref(p)) == "binary" for p in (props or {}).values())
        multipart = [c for c in content if c.startswith("multipart/")]
        return multipart[0] if "json" in ctype and files and multipart else ctype

    def _unwrapped_too(self, annotation: str) -> str:
        """``annotation`` where a root model also takes the value it wraps, which pydantic wraps
        when the body is validated: ``ParallelToolCalls | None`` becomes
        ``ParallelToolCalls | bool | None``, so a caller need not write ``ParallelToolCalls(True)``.
        """
        try:
            tree = ast.parse(annotation, mode="eval").body
        except SyntaxError:
            return annotation
        given = [ast.unparse(member) for member in union_members(tree)]
        members: list[str] = []
        for text in given:
            members.append(text)
            found = self.models.classes.get(text)
            if found is not None and found.kind == "root" and found.fields:
                members.append(found.fields[0].annotation)
        if len(members) == len(given):
            return annotation
        unique_members = list(dict.fromkeys(members))
        tail = ["None"] if "None" in unique_members else []
        return " | ".join([m for m in unique_members if m != "None"] + tail)

    def _model_name(self, schema: Any) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(_COMPONENT):
            return self.models.names.get(ref[len(_COMPONENT) :])
        return None

    def _result(self, where: list[Any], op: dict[str, Any]) -> ir.Result:
        responses = op.get("responses") or {}
        for status in sorted(str(s) for s in responses):
            if not status.startswith("2"):
                continue
            response = self.doc.deref(
                responses.get(status, responses.get(int(status)) if status.isdigit() else None)
                or {}
            )
            content = response.get("content") or {}
            if content:
                return _or_empty(self._typed_result(status, response, content), self._empty(op))
        first_2xx = next((s for s in sorted(str(s) for s in responses) if s.startswith("2")), "2XX")
        return ir.Result("none", "None", None, first_2xx, "")

    def _empty(self, op: dict[str, Any]) -> tuple[int, ...]:
        """The numeric success statuses whose response declares no content."""
        responses = op.get("responses") or {}
        return tuple(
            int(status)
            for status in sorted(str(s) for s in responses)
            if status.startswith("2")
            and status.isdigit()
            and not (self.doc.deref(responses.get(status) or {}).get("content"))
        )

    def _typed_result(
        self, status: str, response: dict[str, Any], content: dict[str, Any]
    ) -> ir.Result:
        description = str(response.get("description", ""))
        json_type = next((c for c in content if "json" in c), None)
        if json_type is not None:
            schema = (content[json_type] or {}).get("schema") or {}
            model = self._model_name(schema)
            if model is not None and self.models.classes[model].kind != "enum":
                return ir.Result("model", model, model, status, description)
            return ir.Result("json", "Any", None, status, description)
        if any(c.startswith("text/") for c in content):
            return ir.Result("text", "str", None, status, description)
        return ir.Result("bytes", "bytes", None, status, description)

    def _errors(self, op: dict[str, Any]) -> tuple[ir.ErrorCase, ...]:
        cases = []
        for status, response in (op.get("responses") or {}).items():
            if not str(status).startswith("2"):
                cases.append(
                    ir.ErrorCase(
                        str(status),
                        str(self.doc.deref(response).get("description", "")),
                        status_exception(str(status)),
                    )
                )
        return tuple(sorted(cases, key=lambda c: c.status))

    def annotation(self, schema: Any) -> str:
        """The Python annotation for a parameter schema."""
        if not isinstance(schema, dict):
            return "Any"
        model = self._model_name(schema)
        if model is not None:
            return model
        schema = self.doc.deref(schema)
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return " | ".join(dict.fromkeys(self.annotation(s) for s in schema[key]))
        if "const" in schema:
            return _literal_type([schema["const"]])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return " | ".join(self.annotation({**schema, "type": k}) for k in kinds)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return _literal_type(schema["enum"])
        if kinds == "array":
            return f"list[{self.annotation(schema.get('items') or {})}]"
        if kinds == "object":
            return "dict[str, Any]"
        if kinds == "string" and schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        return _PRIMITIVES.get(str(kinds), "Any")


def _or_empty(result: ir.Result, empty: tuple[int, ...]) -> ir.Result:
    """``result``, returning None for the bodiless success statuses ``empty``."""
    if not empty:
        return result
    return replace(result, annotation=f"{result.annotation} | None", empty=empty)


def _content_rank(ctype: str) -> int:
    """Which of several request content types the method sends: JSON first."""
    kinds = ("json", "x-www-form-urlencoded", "multipart/", "text/")
    return next((rank for rank, kind in enumerate(kinds) if kind in ctype), len(kinds))


def _encoding(ctype: str, schema: Any) -> str:
    """How a body of this content type travels (see ``RequestOptions.body_encoding``)."""
    if "json" in ctype:
        return "json"
    if "x-www-form-urlencoded" in ctype:
        return "form"
    if ctype.startswith("multipart/"):
        return "multipart"
    is_object = isinstance(schema, dict) and (
        schema.get("type") == "object" or "properties" in schema
    )
    return "json" if is_object else "content"


def _format(schema: Any) -> Any:
    return schema.get("format") if isinstance(schema, dict) else None


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") in ("binary", "byte")


def status_exception(status: str) -> str:
    """The runtime's exception class for a documented status (``404`` -> ``NotFoundError``)."""
    if status.isdigit() and int(status) in _status_classes():
        return _status_classes()[int(status)]
    if status[:1] == "5" and (status.isdigit() or status.upper() == "5XX"):
        return "InternalServerError"
    return "APIStatusError"


@cache
def _status_classes() -> dict[int, str]:
    """The runtime's ``_BY_STATUS`` table, read from its source (as :func:`client_attributes`)."""
    for node in ast.parse(runtime.source("_exceptions.py")).body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_BY_STATUS":
            table = node.value
            if isinstance(table, ast.Dict):
                return {
                    int(ast.literal_eval(key)): ast.unparse(value)
                    for key, value in zip(table.keys, table.values, strict=True)
                    if key is not None
                }
    raise RuntimeError("the runtime's _BY_STATUS table is missing")


# OpenAPI's default ``style`` of a parameter by where it goes.
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _resource_name(tag: str) -> str:
    """The client attribute for a tag; never one the client itself has (``close``, ``base_url``)."""
    name = identifier(tag, "default")
    return name + "_" if name in client_attributes() else name


@cache
def client_attributes() -> frozenset[str]:
    """What ``dir()`` lists for the runtime's sync and async clients, plus their properties.

    Read from the runtime's source rather than by importing it: importing it (and httpx) cost
    a tenth of a second of every generation for a list of names.
    """
    classes = {
        node.name: node
        for node in ast.parse(runtime.source("_base_client.py")).body
        if isinstance(node, ast.ClassDef)
    }
    names = {*dir(object), "base_url", "timeout"}
    pending = ["SyncAPIClient", "AsyncAPIClient"]
    while pending:
        node = classes.get(pending.pop())
        if node is None:
            continue
        pending.extend(ast.unparse(base).split("[")[0] for base in node.bases)
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(stmt.name)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                names.add(ast.unparse(stmt.target))
            elif isinstance(stmt, ast.Assign):
                names.update(ast.unparse(target) for target in stmt.targets)
    return frozenset(names | {"__dict__", "__module__", "__weakref__", "__annotations__"})


def _literal_type(values: list[Any]) -> str:
    """``Literal[...]`` of the values a ``Literal`` may hold (str, int, bool, None), else Any."""
    if not all(v is None or isinstance(v, str | int | bool) for v in values):
        return "Any"
    return "Literal[" + ", ".join(literal(v) for v in values) + "]"


def _unshadow(ops: list[ir.Operation]) -> list[ir.Operation]:
    """Spell builtins as ``builtins.list`` where a method of the class is named ``list``.

    Inside a class body, a method called ``list`` would shadow the builtin in annotations.
    """
    shadowed = {op.name for op in ops} & set(dir(builtins))
    if not shadowed:
        return ops
    pattern = re.compile(r"(?<![\w.])(" + "|".join(sorted(shadowed)) + r")(?=\W|$)")

    def fix(text: str) -> str:
        return pattern.sub(r"builtins.\1", text)

    def fix_params(params: tuple[ir.Parameter, ...]) -> tuple[ir.Parameter, ...]:
        return tuple(replace(p, annotation=fix(p.annotation)) for p in params)

    result = []
    for op in ops:
        body = op.body and replace(
            op.body, fields=tuple(replace(f, annotation=fix(f.annotation)) for f in op.body.fields)
        )
        result.append(
            replace(
                op,
                path_params=fix_params(op.path_params),
                query_params=fix_params(op.query_params),
                header_params=fix_params(op.header_params),
                body=body,
                result=replace(op.result, annotation=fix(op.result.annotation)),
                cookie_params=fix_params(op.cookie_params),
            )
        )
    return result


_IDEMPOTENT_METHODS = frozenset({"get", "head", "put", "delete", "options", "trace"})


def _idempotency(method: str, op: dict[str, Any]) -> dict[str, Any]:
    """Whether repeating the call is harmless: HTTP semantics unless ``x-idempotent`` says."""
    declared = op.get("x-idempotent")
    idempotent = method in _IDEMPOTENT_METHODS if declared is None else bool(declared)
    if declared is not None and idempotent != (method in _IDEMPOTENT_METHODS):
        source = "the spec declares it (x-idempotent)"
    else:
        source = f"{method.upper()} is{'' if idempotent else ' not'} idempotent"
    if idempotent:
        note = f"Retried after any transient failure: {source}."
    else:
        note = (
            f"Not retried once the server may have received it ({source}): only failures that"
            " prove it was not processed (connect errors, 408, 429, 503) are retried."
        )
    return {"idempotent": idempotent, "retry_note": note}


def _runtime_imports(ops: list[ir.Operation]) -> tuple[str, ...]:
    needed = {"RequestOptions"}
    for op in ops:
        if op.body is not None and op.body.model:
            needed.add("dump_parts" if op.body.encoding == "multipart" else "dump_body")
        if op.result.kind in ("model", "json"):
            needed.add("parse_" + op.result.kind)
    return tuple(sorted(needed))


def _annotations(op: ir.Operation) -> list[str]:
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    texts = [p.annotation for p in params]
    texts += [f.annotation for f in op.body.fields] if op.body else []
    texts.append(op.result.annotation)
    return texts + workflows.helper_annotations(op)


def _renamed(op: ir.Operation, name: str) -> ir.Operation:
    return replace(op, name=name)


def _param_named(param: ir.Parameter, name: str) -> ir.Parameter:
    return replace(param, name=name)


def _dedupe_body(body: ir.Body, taken: set[str]) -> ir.Body:
    fields = []
    for field in body.fields:
        name = field.name + "_" if field.name in RESERVED else field.name
        while name in taken:
            name = f"body_{name}"
        taken.add(name)
        fields.append(replace(field, name=name))
    return replace(body, fields=tuple(fields))


def lower(doc: Document, config: ApiConfig, models: ModelsModule) -> ir.Api:
    """The IR of one API; :class:`SpecError` when a construct cannot become code."""
    return _Lowering(doc, config, models).api()
