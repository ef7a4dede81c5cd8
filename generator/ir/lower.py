"""Document -> IR: every naming, typing and ordering decision lives here.

The lowering reads the validated document and the classes datamodel-code-generator produced,
and decides the Python surface: resource per tag, method name from the operationId (the
``<tag>_`` prefix dropped), path parameters positional, everything else keyword-only and
named after the model fields, results typed by the 2xx response schema. Constructs it cannot
turn into code are reported as diagnostics; no operation is ever dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .. import extensions, ir
from ..diagnostics import Diagnostic, SpecError
from ..extensions import idempotency, retry
from ..load.config import ApiConfig
from ..load.document import Document
from ..load.spec import operations
from ..models import ModelsModule
from ..naming import class_name, identifier, literal, operation_method, unique
from . import arguments, commands, methods, runtime_facts, security
from .annotate import Annotator
from .bodies import Bodies
from .inputs import Inputs, words_of
from .results import Results, shape_import
from .runtime_facts import client_attributes, helper_errors, needed_modules


class _Lowering:
    def __init__(self, doc: Document, config: ApiConfig, models: ModelsModule) -> None:
        self.doc, self.config, self.models = doc, config, models
        self.problems: list[Diagnostic] = []
        self.inputs = Inputs(models)
        self.annotator = Annotator(doc, models, self.inputs)
        self.results = Results(doc, self.annotator)
        self.bodies = Bodies(doc, models, self.inputs, self.annotator)
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
                words |= ir.annotation_words(text)
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
            runtime_imports=("Endpoint", *shape_import(ops)),
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
        body = self.bodies.body(where, op)
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
            result=self.results.result(where, op),
            errors=self.results.errors(op),
            security=self.security.of(path, method),
            deprecated=bool(op.get("deprecated", False)),
            example_args=self._example_args(params, body, op, item),
            accept=self.results.accept(op),
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
                    annotation=self.inputs.of(self.annotator.annotation(param.get("schema") or {})),
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


def _idempotency_param(param: ir.Parameter) -> ir.Parameter:
    """The idempotency key header: optional, and its docs say who makes it."""
    made = (
        "Made by the client when not given: a new random key per call, the same on every"
        " retry of that call."
    )
    described = f"{param.description.rstrip()} {made}" if param.description else made
    return replace(param, required=False, description=described)


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
