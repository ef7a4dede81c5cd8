"""Hostile specs: every string position of an OpenAPI document holds text that attacks codegen.

A generator that pastes spec text into templates would let these payloads close a string or a
docstring and run code at import time; each payload below tries one way of doing that.
"""

from __future__ import annotations

from typing import Any

ATTACK = "__import__('os').system('touch PWNED')"

PAYLOADS = (
    f'"""; {ATTACK}; """',
    f"'''; {ATTACK}; '''",
    f'"; {ATTACK}; "',
    f"'; {ATTACK}; '",
    f"\\\n{ATTACK}\n#",
    f"\n{ATTACK}\n",
    f"{{{{ {ATTACK} }}}} {{% if True %}}x{{% endif %}} {{# c #}}",
    f"# {ATTACK}",
    f"nul\x00bell\x07esc\x1b\r\n\t{ATTACK}",
    f"ünïcödé 中文 \u2028\u2029 \ufeff {ATTACK}",
    f'\\"""{ATTACK}',
    f"{ATTACK})#",
)


def _text(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def _component_name(text: str) -> str:
    """Component keys must match ``^[a-zA-Z0-9._-]+$``: keep the payload's allowed characters."""
    return "x" + "".join(c for c in text if c.isascii() and (c.isalnum() or c in "._-"))


def hostile_spec(index: int, openapi: str = "3.1.0") -> dict[str, Any]:
    """A valid OpenAPI document whose every free-text position holds payload ``index``."""
    p = _text(index)
    schema_name = "Thing"
    enum_values = [p, p + "2", "add", "Add"]
    return {
        "openapi": openapi,
        "info": {"title": p, "version": p, "description": p},
        "servers": [{"url": "https://api.example.com/" + p.replace("\n", "")}],
        "tags": [{"name": p, "description": p}],
        "paths": {
            "/things/{thing}": {
                "post": {
                    "operationId": p,
                    "tags": [p],
                    "summary": p,
                    "description": p,
                    "parameters": [
                        {
                            "name": "thing",
                            "in": "path",
                            "required": True,
                            "description": p,
                            "schema": {"type": "string", "example": p},
                        },
                        {
                            "name": p,
                            "in": "query",
                            "description": p,
                            "schema": {"type": "string", "default": p, "enum": enum_values},
                        },
                        {
                            "name": p,
                            "in": "header",
                            "description": p,
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "description": p,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema_name}"},
                                "example": {p: p},
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": p,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{schema_name}"},
                                }
                            },
                        },
                        "default": {"description": p},
                    },
                }
            }
        },
        "security": [{_component_name(p): []}],
        "components": {
            "securitySchemes": {_component_name(p): {"type": "apiKey", "in": "query", "name": p}},
            "schemas": {
                schema_name: {
                    "type": "object",
                    "title": p,
                    "description": p,
                    "properties": {
                        p: {"type": "string", "description": p, "default": p, "examples": [p]},
                        "kind": {"type": "string", "enum": enum_values, "description": p},
                        "model_config": {"type": "string", "title": p},
                        "class": {"type": "integer", "const": 1},
                    },
                },
                _component_name(p): {"type": "string", "enum": enum_values, "description": p},
            },
        },
    }
