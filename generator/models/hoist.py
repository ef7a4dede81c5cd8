"""A document transform before the models stage: inline schemas that need a class become components.

A schema written inline in an operation has no component name, so no model: a method would take
and return ``dict[str, Any]``. Each inline object (one with ``properties``, or an ``allOf``) in a
request body, a parameter or the success response a method returns becomes a component named
after the operation, as openapi-python-client and the Stainless generator name them:
``<OperationId>Request``, ``<OperationId><Parameter>``, ``<OperationId>Response``. What wraps
those objects (arrays, ``oneOf``/``anyOf``, maps) stays inline, since the lowering types it as
``list[...]``, a union or ``dict[str, ...]``; an object nested in one is named after its place
(``...ResponseItem``, ``...ResponseOption2``, ``...ResponseValue``). A response or a parameter
declared once under ``components`` is named after its key, and shared by its operations.

It runs on the whole document (the lowering reads the same ``$ref`` the models are made of),
before any other stage looks at bodies, parameters or responses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..load.document import Document
from ..load.spec import HTTP_METHODS, form_media, json_media, stream_media, success
from ..naming import class_name
from .names import class_names

_COMPONENT = "#/components/"
# A class name, made only when a class is: most inline schemas need none, and names cost.
Wanted = Callable[[], str]


def hoist_inline_schemas(doc: Document) -> Document:
    """``doc`` where each inline schema that needs a class is a component of its own.

    A ``$ref`` body becomes a model whose fields are the method's keyword arguments; an inline
    one would be a bare ``dict[str, Any]``. So do an inline parameter object and an inline
    response: each is named from its operation (a number appended if a component has the name).
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    hoister = _Hoister(doc, (data.get("components") or {}).get("schemas") or {})
    paths: dict[str, Any] = {}
    for path, item in (data.get("paths") or {}).items():
        paths[path] = hoister.path_item(path, item) if isinstance(item, dict) else item
    if not hoister.changed:
        return doc
    components = {**(data.get("components") or {}), **hoister.shared, "schemas": hoister.schemas}
    return replace(doc, data={**data, "paths": paths, "components": components})


def needs_class(schema: dict[str, Any]) -> bool:
    """Whether an inline schema can only be typed by a class of its own: an object with
    properties, or an ``allOf`` merging more than one schema."""
    if schema.get("properties") and isinstance(schema["properties"], dict):
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and len(parts) > 1


class _Hoister:
    """The schemas as they grow, and the names taken."""

    def __init__(self, doc: Document, schemas: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas = dict(schemas)
        self.taken = {n.lower() for n in schemas} | {n.lower() for n in class_names(list(schemas))}
        self.changed = False
        # components/parameters, requestBodies and responses as rewritten, each once.
        self.shared: dict[str, dict[str, Any]] = {}
        self.seen: set[tuple[str, str]] = set()

    def path_item(self, path: str, item: dict[str, Any]) -> dict[str, Any]:
        item = dict(item)
        first: Wanted | None = None
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = _operation_name(str(op.get("operationId") or f"{method}_{path}"))
            first = first or base
            op = {**op, "parameters": self._parameters(op.get("parameters"), base)}
            if not op["parameters"]:
                del op["parameters"]
            if isinstance(op.get("requestBody"), dict):
                self._shared(op["requestBody"], "requestBodies")
                wanted = _then(base, "Request")
                op["requestBody"] = self._content(op["requestBody"], wanted, body=True)
            item[method] = self._responses(op, base)
        if first is not None and item.get("parameters"):
            item["parameters"] = self._parameters(item["parameters"], first)
        return item

    def _name(self, wanted: str) -> str:
        name, counter = wanted, 2
        while name.lower() in self.taken:
            name, counter = f"{wanted}{counter}", counter + 1
        self.taken.add(name.lower())
        return name

    def _component(self, schema: dict[str, Any], wanted: str) -> dict[str, str]:
        name = self._name(wanted)
        self.schemas[name] = schema
        self.changed = True
        return {"$ref": f"#/components/schemas/{name}"}

    def lift(self, schema: Any, wanted: Wanted) -> Any:
        """``schema`` with each inline part that needs a class made a component (``wanted()``
        names the whole; the parts inside arrays, unions and maps are named after it)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return schema
        if needs_class(schema):
            plain, nullable = _without_null(schema)
            ref = self._component(plain, wanted())
            return {"anyOf": [ref, {"type": "null"}]} if nullable else ref
        result = dict(schema)
        if isinstance(schema.get("items"), dict):
            result["items"] = self.lift(schema["items"], _then(wanted, "Item"))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                members = schema[key]
                result[key] = [
                    self.lift(m, wanted if len(members) == 1 else _then(wanted, f"Option{i + 1}"))
                    for i, m in enumerate(members)
                ]
        if isinstance(schema.get("allOf"), list):  # one part, as needs_class() says
            result["allOf"] = [self.lift(part, wanted) for part in schema["allOf"]]
        if isinstance(schema.get("additionalProperties"), dict):
            value = schema["additionalProperties"]
            result["additionalProperties"] = self.lift(value, _then(wanted, "Value"))
        return result

    def _content(self, holder: Any, wanted: Wanted, *, body: bool = False) -> Any:
        """A request body or a response with the inline schema of its first JSON media type (the
        one the method sends or reads) lifted, ``wanted()`` naming it; the other media types
        that share that schema share its class."""
        content = holder.get("content") if isinstance(holder, dict) else None
        if not isinstance(content, dict):
            return holder
        media_type = json_media(content)
        if media_type is None and body:  # a form or multipart body: its fields are arguments
            media_type = form_media(content)
        key = "schema"
        if media_type is None and not body:  # events or JSON lines: the schema of one item
            media_type = stream_media(content)
            found = content.get(media_type) if media_type else None
            key = "itemSchema" if isinstance(found, dict) and found.get("itemSchema") else key
        media = content.get(media_type) if media_type else None
        schema = media.get(key) if isinstance(media, dict) else None
        if not isinstance(schema, dict) or "$ref" in schema:
            return holder
        if body and _object_body(schema):
            lifted = self._component(schema, wanted())
        else:
            lifted = self.lift(schema, wanted)
        return {
            **holder,
            "content": {
                ctype: {**m, key: lifted} if isinstance(m, dict) and m.get(key) is schema else m
                for ctype, m in content.items()
            },
        }

    def _parameters(self, params: Any, base: Wanted) -> Any:
        if not isinstance(params, list):
            return params
        result = []
        for param in params:
            if isinstance(param, dict) and "$ref" in param:
                self._shared(param, "parameters")
            elif isinstance(param, dict) and isinstance(param.get("schema"), dict):
                named = functools.partial(_param_name, base, str(param.get("name", "")))
                param = {**param, "schema": self.lift(param["schema"], named)}
            result.append(param)
        return result

    def _responses(self, op: dict[str, Any], base: Wanted) -> dict[str, Any]:
        """``op`` with the inline JSON schema of the response its method returns lifted."""
        found = success(self.doc, op)
        if found is None:
            return op
        status, response = found
        if isinstance(response, dict) and "$ref" in response:
            self._shared(response, "responses")
            return op
        responses = dict(op["responses"])
        key = status if status in responses else int(status)
        responses[key] = self._content(response, _then(base, "Response"))
        return {**op, "responses": responses}

    def _shared(self, ref: dict[str, Any], kind: str) -> None:
        """Lift the component a ``$ref`` to ``components/<kind>/<key>`` names, once (anything
        else, an inline object or a ``$ref`` elsewhere, is left to the caller)."""
        target = ref.get("$ref")
        prefix = f"{_COMPONENT}{kind}/"
        if not isinstance(target, str) or not target.startswith(prefix):
            return
        key = target[len(prefix) :]
        if "/" in key or (kind, key) in self.seen:
            return
        self.seen.add((kind, key))
        declared = (self.doc.data.get("components") or {}).get(kind) or {}
        value = declared.get(key)
        if not isinstance(value, dict) or "$ref" in value:
            return
        name = class_name(key, "Shared").rstrip("_")
        if kind == "parameters":
            schema = value.get("schema")
            lifted = {**value, "schema": self.lift(schema, lambda: name)} if schema else value
        else:
            suffix = "Response" if kind == "responses" else "Request"
            name += "" if name.endswith(suffix) else suffix
            lifted = self._content(value, lambda: name, body=kind == "requestBodies")
        self.shared.setdefault(kind, dict(declared))[key] = lifted


def _without_null(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``schema`` without ``null`` among its types (3.0's ``nullable``, or 3.1's type list), and
    whether it had it: the class is of the object, the reference to it says it may be null."""
    kinds = schema.get("type")
    if schema.get("nullable") is True:
        return {k: v for k, v in schema.items() if k != "nullable"}, True
    if isinstance(kinds, list) and "null" in kinds:
        rest = [k for k in kinds if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}, True
    return schema, False


def _operation_name(operation_id: str) -> Wanted:
    """The class name an operation's schemas start with, made when first asked for."""
    return functools.cache(lambda: class_name(operation_id).rstrip("_"))


def _then(wanted: Wanted, suffix: str) -> Wanted:
    return lambda: wanted() + suffix


def _param_name(base: Wanted, param: str) -> str:
    return base() + class_name(param, "Param")


def _object_body(schema: dict[str, Any]) -> bool:
    """Whether a JSON body is an object whose properties become the method's keyword arguments
    (hoisted whole even without a property, so its fields stay the model's)."""
    return schema.get("type", "object") == "object" and isinstance(schema.get("properties"), dict)
