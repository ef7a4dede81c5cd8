"""A document transform before the models stage: inline JSON request bodies become components.

It runs on the whole document (the lowering reads the same ``$ref`` the models are made of),
before any other stage looks at request bodies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..load import Document
from ..naming import class_name
from ..spec import HTTP_METHODS
from .names import class_names


def hoist_request_bodies(doc: Document) -> Document:
    """``doc`` where each inline JSON object request body is a component of its own.

    A ``$ref`` body becomes a model whose fields are the method's keyword arguments; an inline
    one would be a bare ``dict[str, Any]``. Each is named ``<OperationId>Request`` (a number
    appended if a component has the name), so it gets the same typed arguments.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    schemas = dict((data.get("components") or {}).get("schemas") or {})
    taken = {name.lower() for name in schemas} | {n.lower() for n in class_names(list(schemas))}
    paths: dict[str, Any] = {}
    changed = False
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        item = dict(item)
        for method in HTTP_METHODS:
            op = item.get(method)
            body = op.get("requestBody") if isinstance(op, dict) else None
            if not isinstance(op, dict) or not isinstance(body, dict):
                continue
            content = body.get("content")
            if not isinstance(content, dict):
                continue
            media = {k: v for k, v in content.items() if "json" in k and isinstance(v, dict)}
            inline = {
                k: v
                for k, v in media.items()
                if isinstance(v.get("schema"), dict)
                and "$ref" not in v["schema"]
                and v["schema"].get("type", "object") == "object"
                and isinstance(v["schema"].get("properties"), dict)
            }
            if not inline:
                continue
            base = class_name(str(op.get("operationId") or f"{method}_{path}")).rstrip("_")
            wanted = name = base + "Request"
            counter = 2
            while name.lower() in taken:
                name, counter = f"{wanted}{counter}", counter + 1
            taken.add(name.lower())
            ref = {"$ref": f"#/components/schemas/{name}"}
            schemas[name] = next(iter(inline.values()))["schema"]
            content = {
                k: ({**v, "schema": ref} if k in inline and v["schema"] is schemas[name] else v)
                for k, v in content.items()
            }
            item[method] = {**op, "requestBody": {**body, "content": content}}
            changed = True
        paths[path] = item
    if not changed:
        return doc
    components = {**(data.get("components") or {}), "schemas": schemas}
    return replace(doc, data={**data, "paths": paths, "components": components})
