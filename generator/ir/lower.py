"""Document -> IR: every naming, typing and ordering decision lives here.

The lowering reads the validated document and the classes datamodel-code-generator produced,
and decides the Python surface: resource per tag, method name from the operationId (the
``<tag>_`` prefix dropped), path parameters positional, everything else keyword-only and
named after the model fields, results typed by the 2xx response schema. Constructs it cannot
turn into code are reported as diagnostics; no operation is ever dropped silently.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .. import extensions, ir
from ..diagnostics import Diagnostic, SpecError
from ..extensions import idempotency, retry
from ..load.config import ApiConfig
from ..load.document import Document
from ..load.spec import (
    EVENT_STREAM,
    bare_media,
    body_rank,
    item_schema,
    json_media,
    operations,
    stream_media,
    success,
)
from ..models import ModelsModule, fields_of, union_members
from . import arguments, commands, methods, runtime_facts, security
from .inputs import Inputs, words_of
from .naming import class_name, identifier, literal, operation_method, unique
from .runtime_facts import client_attributes, helper_errors, needed_modules, status_exception

_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
_COMPONENT = "#/components/schemas/"
# The runtime's wrapper of a result type that is no single model class (resources import it
# under this name, which no model can take), and how deep a schema is typed.
_SHAPE = "_Shape"
# The runtime's types of non-JSON results, under private names for the same reason.
_BINARY = "_BinaryResponse"
_TEXT = "_TextResponse"
_STREAM = "_Stream"
_ASYNC_STREAM = "_AsyncStream"
_EVENT = "_ServerSentEvent"
_EVENTS = "_Events"
_LINES = "_Lines"
_DEEPEST = 32


class _Lowering:
    def __init__(self, doc: Document, config: ApiConfig, models: ModelsModule) -> None:
        self.doc, self.config, self.models = doc, config, models
        self.problems: list[Diagnostic] = []
        self.inputs = Inputs(models)
        self.security = security.lower(doc, config.env_prefix)

    def api(self) -> ir.Api:
        data = self.doc.data
        info = data.get("info") or {}
        default_url, hint = self._server()
        resources = self._resources()
        if self.problems:
            raise SpecError(self.problems)
        imports = self.models.imports.values()
        modules = needed_modules(
            resources,
            rules="check_rules" in self.models.imports,
            formats=any(line.startswith("from ._formats ") for line in imports),
            models=any(line.startswith("from ._model_base ") for line in imports),
            numbers=any(line.startswith("from ._numbers ") for line in imports),
        )
        param_types = self.inputs.types(self._descriptions())
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
            security_schemes=self.security.schemes,
            resources=resources,
            model_names=tuple(sorted(self.models.classes)),
            retry=retry.policy(self.doc),
            runtime_modules=modules,
            helper_errors=helper_errors(modules),
            param_types=param_types,
            param_imports=self.inputs.import_lines(
                words_of(param_types), package=".", inside="params"
            ),
            commands=commands.lower(resources, self.models),
            credentials_required=self.security.required,
            security_notes=self.security.notes,
            warnings=self.security.warnings,
        )

    def _descriptions(self) -> dict[str, str]:
        """Each model's component description, for the docstring of its request TypedDict."""
        schemas = (self.doc.data.get("components") or {}).get("schemas") or {}
        found = {}
        for component, model in self.models.names.items():
            schema = self.doc.deref(schemas.get(component) or {})
            found[model] = str(schema.get("description", "")) if isinstance(schema, dict) else ""
        return found

    def _server(self) -> tuple[str | None, str]:
        servers = self.doc.data.get("servers") or [{"url": ""}]
        server = servers[0]
        url = str(server.get("url", ""))
        variables = server.get("variables") or {}
        hint = re.sub(r"{([^{}]+)}", lambda m: f"<{m.group(1)}>", url)
        if variables or not url.startswith(("http://", "https://")):
            return None, hint or "https://api.example.com"
        return url, url

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
            ops = [methods.with_arguments(op) for op in methods.unshadow(ops)]
            ops = extensions.lower(self.doc, self.models, ops)  # iter/wait/upload
            ops = [arguments.with_helpers(op) for op in ops]
            resources.append(self._resource(tag, tag_docs.get(tag, ""), ops))
        resources = methods.with_checks(resources)
        return tuple(
            replace(r, helper_imports=runtime_facts.helper_imports(list(r.operations)))
            for r in extensions.lower_resources(self.doc, tuple(resources))
        )

    def _resource(self, tag: str, description: str, ops: list[ir.Operation]) -> ir.Resource:
        words = set()
        for op in ops:
            for text in _annotations(op):
                words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", text))
        # Models are imported at module level: the endpoints hold their body models, and
        # typing.get_type_hints() must resolve every annotation. The package stays cheap to
        # import because its client imports each resource module on first use.
        return ir.Resource(
            name=tag,
            class_name=class_name(tag) + "Resource",
            module=tag,
            description=description,
            operations=tuple(ops),
            models_used=tuple(sorted(words & set(self.models.classes))),
            runtime_imports=("Endpoint", *_shape_import(ops)),
            imports=self._imports(words),
            helper_imports=runtime_facts.helper_imports(ops),
        )

    def _imports(self, words: set[str]) -> tuple[str, ...]:
        """Import lines for the names the annotations of a resource use."""
        return self.inputs.import_lines(words, package="..")

    def _operation(
        self, path: str, method: str, op: dict[str, Any], item: dict[str, Any], tag: str
    ) -> ir.Operation:
        where = ["paths", path, method]
        op_id = str(op.get("operationId") or f"{method}_{path}")
        name = operation_method(op_id, tag)
        params = self._parameters(where, op, item)
        declared = [*(item.get("parameters") or []), *(op.get("parameters") or [])]
        key = idempotency.idempotency_key([self.doc.deref(p) for p in declared])
        # The client makes the key when the caller gives none: never a required argument.
        params = [_idempotency_param(p) if p.wire_name == key else p for p in params]
        body = self._body(where, op)
        taken = {p.name for p in params}
        if body is not None:
            body = methods.dedupe_body(body, taken)
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
            security=self.security.of(path, method),
            deprecated=bool(op.get("deprecated", False)),
            example_args=self._example_args(params, body, op, item),
            accept=self._accept(op),
            **idempotency.idempotency(method, op, key),
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
            if location == "header" and wire.lower() in _CLIENT_HEADERS:
                continue  # OpenAPI: such parameters are ignored; the client sets these headers
            schema = self.doc.deref(param.get("schema") or {})
            result.append(
                ir.Parameter(
                    name=identifier(wire, "param"),
                    wire_name=wire,
                    location=location,
                    required=bool(param.get("required")) or location == "path",
                    annotation=self.inputs.of(self.annotation(param.get("schema") or {})),
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
            kind = "FileContent" if binary else "str"
            field = ir.BodyField("body", "", kind, required, description)
            return ir.Body("", ctype, required, (field,), encoding)
        if model is None or self.models.classes[model].kind != "model":
            annotation = self.inputs.of(self.annotation(schema))
            field = ir.BodyField("body", "", annotation, required, description)
            return ir.Body("", ctype, required, (field,), encoding)
        # Read-only properties are the server's: not arguments, never sent (OpenAPI: their
        # `required` holds for responses only).
        read_only = self._read_only(schema)
        # Required write-only properties: the model leaves them optional (responses omit
        # them), the request does not.
        write_only = self._object_keys(schema, "writeOnly") & self._object_keys(schema, "required")
        every = fields_of(self.models.classes, model)
        files = self._file_parts(schema) if encoding == "multipart" else set()
        fields = tuple(
            ir.BodyField(
                f.name,
                f.wire_name,
                _file_annotation(f.annotation)
                if f.wire_name in files
                else self.inputs.of(f.annotation),
                f.required or f.wire_name in write_only,
                f.description,
            )
            for f in every
            if f.wire_name not in read_only
        )
        kept = tuple(f.wire_name for f in every if f.wire_name in read_only and f.required)
        # A property the schema requires without declaring it (Box: `required: [grant_type]`
        # beside other properties) must still be sent: a required argument of any value,
        # which the model keeps as an extra field.
        taken = {f.name for f in fields}
        names = {f.wire_name for f in every} | read_only
        for wire in self._object_keys(schema, "required") - names:
            name = identifier(wire, "field")
            name = name + "_" if name in taken else name
            taken.add(name)
            fields += (ir.BodyField(name, wire, "Any", True, _UNDECLARED),)
        parts = tuple(f.wire_name for f in fields if f.wire_name in files)
        return ir.Body(model, ctype, required, fields, encoding, kept, parts)

    def _file_parts(self, schema: Any) -> set[str]:
        """The properties of a multipart body schema that are files (``format: binary``)."""
        schema = self.doc.deref(schema)
        props = schema.get("properties") if isinstance(schema, dict) else None
        return {str(n) for n, p in (props or {}).items() if _is_binary(self.doc.deref(p))}

    def _read_only(self, schema: Any) -> set[str]:
        """The ``readOnly`` properties of an object schema, its ``allOf`` parts' included."""
        return self._object_keys(schema, "readOnly")

    def _object_keys(self, schema: Any, kind: str, seen: frozenset[int] = frozenset()) -> set[str]:
        """The names an object schema and its ``allOf`` parts list as ``required`` (``kind``
        "required"), or the properties they mark ``readOnly`` or ``writeOnly`` (``kind``)."""
        schema = self.doc.deref(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return set()
        if kind == "required":
            found = {str(n) for n in schema.get("required") or [] if isinstance(n, str)}
        else:
            found = {
                str(name)
                for name, prop in (schema.get("properties") or {}).items()
                if isinstance(self.doc.deref(prop), dict) and self.doc.deref(prop).get(kind)
            }
        for part in schema.get("allOf") or []:
            found |= self._object_keys(part, kind, seen | {id(schema)})
        return found

    def _content_type(self, content: dict[str, Any]) -> str:
        """The request content type the method sends: JSON first, unless its fields hold
        files (binary in JSON cannot be sent) and multipart is offered too."""
        ctype = min(content, key=body_rank)
        schema = self.doc.deref((content[ctype] or {}).get("schema") or {})
        props = schema.get("properties") if isinstance(schema, dict) else None
        files = any(_format(self.doc.deref(p)) == "binary" for p in (props or {}).values())
        multipart = [c for c in content if c.startswith("multipart/")]
        return multipart[0] if "json" in ctype and files and multipart else ctype

    def _accept(self, op: dict[str, Any]) -> str:
        """The ``Accept`` header: every media type the responses declare (successes first,
        then errors, by status), JSON first, then the others in spec order; JSON when none is
        declared."""
        responses = op.get("responses") or {}
        ordered = sorted(responses, key=lambda s: (not str(s).startswith("2"), str(s)))
        declared = dict.fromkeys(
            str(ctype)
            for status in ordered
            for ctype in (self.doc.deref(responses[status] or {}).get("content") or {})
        )
        kinds = sorted(declared, key=lambda c: "json" not in c.lower()) or ["application/json"]
        return ", ".join(kinds)

    def _model_name(self, schema: Any) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(_COMPONENT):
            return self.models.names.get(ref[len(_COMPONENT) :])
        return None

    def _result(self, where: list[Any], op: dict[str, Any]) -> ir.Result:
        found = success(self.doc, op)
        if found is not None:
            status, raw = found
            response = self.doc.deref(raw)
            typed = self._typed_result(status, response, response["content"])
            return _or_empty(typed, self._empty(op))
        responses = op.get("responses") or {}
        first_2xx = next((s for s in sorted(str(s) for s in responses) if s.startswith("2")), "2XX")
        raw = next((r for s, r in responses.items() if str(s) == first_2xx), None)
        description = str(self.doc.deref(raw or {}).get("description", ""))
        return ir.Result("none", "None", None, first_2xx, description, "NoneType")

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
        json_type = json_media(content)
        if json_type is not None:
            schema = (content[json_type] or {}).get("schema") or {}
            kind, annotation, cast_to = self._json_type(schema)
            model = annotation if kind == "model" else None
            return ir.Result(kind, annotation, model, status, description, cast_to)
        streamed = stream_media(content)
        if streamed is not None:
            return self._stream_result(status, description, streamed, content[streamed])
        if any(c.startswith("text/") for c in content):
            return ir.Result("text", _TEXT, None, status, description, _TEXT)
        return ir.Result("binary", _BINARY, None, status, description, _BINARY)

    def _json_type(self, schema: Any) -> tuple[str, str, str]:
        """How a JSON value of ``schema`` is read: (result kind, annotation, ``cast_to``)."""
        model = self._model_name(schema)
        if model is not None and self.models.classes[model].kind != "enum":
            return "model", model, model
        # Anything else the schema types (a list of models, a union, a map, a scalar) is
        # validated as its annotation; only a schema that says nothing is plain JSON.
        annotation = self.annotation(schema)
        if annotation == "Any":
            return "json", "Any", "object"
        return "typed", annotation, f"{_SHAPE}[{annotation}]({annotation})"

    def _stream_result(self, status: str, description: str, ctype: str, media: Any) -> ir.Result:
        """Server-sent events (each event's data read as the item schema, or as text when the
        schema is a string or absent) or JSON lines (each line read as the item schema)."""
        schema = self.doc.deref(item_schema(media))
        events = bare_media(ctype) == EVENT_STREAM
        raw = not schema or (isinstance(schema, dict) and schema.get("type") == "string")
        if events and raw:
            kind, item, cast_to = "text", "str", "str"
        else:
            kind, item, cast_to = self._json_type(item_schema(media))
        if events:
            item = f"{_EVENT}[{item}]"
            stream = f"{_EVENTS}({cast_to})"
        else:
            sequence = bare_media(ctype).endswith("json-seq")
            separator = ', separator="\\x1e"' if sequence else ""
            stream = f"{_LINES}({cast_to}{separator})"
        return ir.Result(
            "events" if events else "lines",
            f"{_STREAM}[{item}]",
            None,
            status,
            description,
            stream,
            async_annotation=f"{_ASYNC_STREAM}[{item}]",
            items_validated=kind in ("model", "typed"),
        )

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

    def annotation(self, schema: Any, depth: int = 0) -> str:
        """The Python annotation of a schema (a parameter's, a body's or a response's).

        Inline objects that need a class were made components beforehand (see
        :mod:`generator.models.hoist`); what wraps them is typed here: arrays, unions, maps.
        """
        if not isinstance(schema, dict) or depth > _DEEPEST:
            return "Any"
        model = self._model_name(schema)
        if model is not None:
            if self.models.classes[model].kind == "enum":  # open, as the models' fields are
                return f"{model} | {self.inputs.enum_value_type(model)}"
            return model
        try:
            schema = self.doc.deref(schema)
        except KeyError:  # a $ref cycle outside the components: nothing to type it with
            return "Any"
        if not isinstance(schema, dict):
            return "Any"
        text = self._annotation(schema, depth + 1)
        return _union([text, "None"]) if schema.get("nullable") is True else text

    def _annotation(self, schema: dict[str, Any], depth: int) -> str:
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return _union(self.annotation(s, depth) for s in schema[key])
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and not schema.get("properties"):
            return self.annotation(parts[0], depth)
        if "const" in schema:
            return _literal_type([schema["const"]])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return _union(self.annotation({**schema, "type": k}, depth) for k in kinds)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return _open_enum(schema["enum"])
        if kinds == "array" or (kinds is None and isinstance(schema.get("items"), dict)):
            return f"list[{self.annotation(schema.get('items') or {}, depth)}]"
        if kinds == "object" or (kinds is None and "additionalProperties" in schema):
            values = schema.get("additionalProperties")
            value = self.annotation(values, depth) if isinstance(values, dict) else "Any"
            return f"dict[str, {value}]"
        if kinds == "string" and schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        return _PRIMITIVES.get(str(kinds), "Any")


def _union(members: Iterable[str]) -> str:
    """``A | B | None``: each member once (of each union it is given), ``None`` last."""
    found = list(dict.fromkeys(m for text in members for m in _members(text)))
    return " | ".join([m for m in found if m != "None"] + (["None"] if "None" in found else []))


def _members(annotation: str) -> list[str]:
    """The members of the union ``annotation``, as written."""
    if " | " not in annotation:
        return [annotation]
    tree = ast.parse(annotation, mode="eval").body
    return [ast.get_source_segment(annotation, m) or ast.unparse(m) for m in union_members(tree)]


def _or_empty(result: ir.Result, empty: tuple[int, ...]) -> ir.Result:
    """``result``, returning None for the bodiless success statuses ``empty``."""
    if not empty:
        return result
    return replace(result, annotation=_union([result.annotation, "None"]), empty=empty)


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


def _idempotency_param(param: ir.Parameter) -> ir.Parameter:
    """The idempotency key header: optional, and its docs say who makes it."""
    made = (
        "Made by the client when not given: a new random key per call, the same on every"
        " retry of that call."
    )
    described = f"{param.description.rstrip()} {made}" if param.description else made
    return replace(param, required=False, description=described)


def _file_annotation(annotation: str) -> str:
    """A file part's argument type: anything :data:`FileTypes` takes (and None if optional)."""
    return "FileTypes | None" if "None" in annotation else "FileTypes"


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") in ("binary", "byte")


# The description of a body argument the spec requires without declaring it.
_UNDECLARED = "Required by the API; the spec does not describe this property."

# Header parameters that are not arguments: those OpenAPI says are ignored, as the client sets
# them (Accept from the responses, Content-Type from the body, Authorization from the security
# schemes), and those HTTP itself computes for each request (a caller's value would contradict
# the message: Content-Length beside a body of another length).
_CLIENT_HEADERS = frozenset(
    {"accept", "content-type", "authorization", "content-length", "host", "transfer-encoding"}
)

# OpenAPI's default ``style`` of a parameter by where it goes.
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _resource_name(tag: str) -> str:
    """The client attribute for a tag; never one the client itself has (``close``, ``base_url``)."""
    name = identifier(tag, "default")
    return name + "_" if name in client_attributes() else name


def _literal_type(values: list[Any]) -> str:
    """``Literal[...]`` of the values a ``Literal`` may hold (str, int, bool, None), else Any."""
    if not all(v is None or isinstance(v, str | int | bool) for v in values):
        return "Any"
    return "Literal[" + ", ".join(literal(v) for v in values) + "]"


_VALUE_TYPES = {str: "str", int: "int", bool: "bool"}


def _open_enum(values: list[Any]) -> str:
    """An inline enum of a parameter, open as the enums of models are: the listed values (shown
    to the caller), or any other of their type, since the server may accept values the docs do
    not list."""
    listed = [v for v in values if v is not None]
    closed = _literal_type(listed) if listed else "None"
    if closed in ("Any", "None"):
        return closed
    kinds = dict.fromkeys(_VALUE_TYPES[type(v)] for v in listed)
    return " | ".join([closed, *kinds, *(["None"] if None in values else [])])


def _shape_import(ops: list[ir.Operation]) -> tuple[str, ...]:
    """The runtime's result wrappers, under their private names, where a method's result needs
    them."""
    kinds = {op.result.kind for op in ops}
    typed = any(op.result.kind == "typed" or f"{_SHAPE}[" in op.result.cast_to for op in ops)
    names = [_SHAPE] if typed else []
    names += [_BINARY] if "binary" in kinds else []
    names += [_TEXT] if "text" in kinds else []
    names += [_STREAM, _ASYNC_STREAM] if kinds & {"events", "lines"} else []
    names += [_EVENT, _EVENTS] if "events" in kinds else []
    names += [_LINES] if "lines" in kinds else []
    return tuple(f"{name.removeprefix('_')} as {name}" for name in names)


def _annotations(op: ir.Operation) -> list[str]:
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    texts = [p.annotation for p in params]
    texts += [f.annotation for f in op.body.fields] if op.body else []
    texts += [op.result.annotation, op.result.cast_to, op.result.async_annotation or ""]
    texts += [op.body.model] if op.body and op.body.model else []
    return texts + runtime_facts.helper_annotations(op)


def _renamed(op: ir.Operation, name: str) -> ir.Operation:
    return replace(op, name=name)


def _param_named(param: ir.Parameter, name: str) -> ir.Parameter:
    return replace(param, name=name)


def lower(doc: Document, config: ApiConfig, models: ModelsModule) -> ir.Api:
    """The IR of one API; :class:`SpecError` when a construct cannot become code."""
    return _Lowering(doc, config, models).api()
