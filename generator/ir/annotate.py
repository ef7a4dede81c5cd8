"""The Python annotation of a schema, as parameters, bodies and results are typed.

Component schemas are the models' classes (an enum left open to values the docs do not list);
what wraps them (arrays, unions, maps, literals, formats) is typed here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

from ..load.document import Document
from ..models import ModelsModule, union_members
from ..naming import literal
from .inputs import Inputs

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
SHAPE = "_Shape"
_DEEPEST = 32
_VALUE_TYPES = {str: "str", int: "int", bool: "bool"}


class Annotator:
    """Types the schemas of one document against its models."""

    def __init__(self, doc: Document, models: ModelsModule, inputs: Inputs) -> None:
        self.doc, self.models, self.inputs = doc, models, inputs

    def model_name(self, schema: Any) -> str | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith(_COMPONENT):
            return self.models.names.get(ref[len(_COMPONENT) :])
        return None

    def json_type(self, schema: Any) -> tuple[str, str, str]:
        """How a JSON value of ``schema`` is read: (result kind, annotation, ``cast_to``)."""
        model = self.model_name(schema)
        if model is not None and self.models.classes[model].kind != "enum":
            return "model", model, model
        # Anything else the schema types (a list of models, a union, a map, a scalar) is
        # validated as its annotation; only a schema that says nothing is plain JSON.
        annotation = self.annotation(schema)
        if annotation == "Any":
            return "json", "Any", "object"
        return "typed", annotation, f"{SHAPE}[{annotation}]({annotation})"

    def annotation(self, schema: Any, depth: int = 0) -> str:
        """The Python annotation of a schema (a parameter's, a body's or a response's).

        Inline objects that need a class were made components beforehand (see
        :mod:`generator.models.hoist`); what wraps them is typed here: arrays, unions, maps.
        """
        if not isinstance(schema, dict) or depth > _DEEPEST:
            return "Any"
        model = self.model_name(schema)
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
        return union([text, "None"]) if schema.get("nullable") is True else text

    def _annotation(self, schema: dict[str, Any], depth: int) -> str:
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return union(self.annotation(s, depth) for s in schema[key])
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and not schema.get("properties"):
            return self.annotation(parts[0], depth)
        if "const" in schema:
            return _literal_type([schema["const"]])
        kinds = schema.get("type")
        if isinstance(kinds, list):
            return union(self.annotation({**schema, "type": k}, depth) for k in kinds)
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


def union(members: Iterable[str]) -> str:
    """``A | B | None``: each member once (of each union it is given), ``None`` last."""
    found = list(dict.fromkeys(m for text in members for m in _members(text)))
    return " | ".join([m for m in found if m != "None"] + (["None"] if "None" in found else []))


def _members(annotation: str) -> list[str]:
    """The members of the union ``annotation``, as written."""
    if " | " not in annotation:
        return [annotation]
    tree = ast.parse(annotation, mode="eval").body
    return [ast.get_source_segment(annotation, m) or ast.unparse(m) for m in union_members(tree)]


def _literal_type(values: list[Any]) -> str:
    """``Literal[...]`` of the values a ``Literal`` may hold (str, int, bool, None), else Any."""
    if not all(v is None or isinstance(v, str | int | bool) for v in values):
        return "Any"
    return "Literal[" + ", ".join(literal(v) for v in values) + "]"


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


def format_of(schema: Any) -> Any:
    return schema.get("format") if isinstance(schema, dict) else None
