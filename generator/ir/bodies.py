"""What a call sends: the request body's content type, encoding and fields.

JSON is preferred unless its fields hold files and multipart is offered; a form or multipart
body is sent field by field, its file parts typed as files; anything else is sent as content.
A model's read-only properties are the server's and not arguments; required write-only ones
are required here; a property the schema requires without declaring it is still an argument.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from ..load.document import Document
from ..load.spec import body_rank
from ..models import ModelsModule, fields_of
from ..naming import identifier
from .annotate import Annotator, format_of
from .inputs import Inputs

# The description of a body argument the spec requires without declaring it.
_UNDECLARED = "Required by the API; the spec does not describe this property."


class Bodies:
    """Lowers the request bodies of one document's operations."""

    def __init__(
        self, doc: Document, models: ModelsModule, inputs: Inputs, annotator: Annotator
    ) -> None:
        self.doc, self.models, self.inputs, self.annotator = doc, models, inputs, annotator

    def body(self, where: list[Any], op: dict[str, Any]) -> ir.Body | None:
        request = self.doc.deref(op.get("requestBody") or {})
        content = request.get("content") or {}
        if not content:
            return None
        ctype = self._content_type(content)
        schema = (content[ctype] or {}).get("schema") or {}
        encoding = _encoding(ctype, self.doc.deref(schema))
        model = self.annotator.model_name(schema)
        required = bool(request.get("required"))
        description = str(request.get("description", ""))
        if encoding == "content":
            binary = _is_binary(self.doc.deref(schema)) or not ctype.startswith("text/")
            kind = "FileContent" if binary else "str"
            field = ir.BodyField("body", "", kind, required, description)
            return ir.Body("", ctype, required, (field,), encoding)
        if model is None or self.models.classes[model].kind != "model":
            annotation = self.inputs.of(self.annotator.annotation(schema))
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
        files = any(format_of(self.doc.deref(p)) == "binary" for p in (props or {}).values())
        multipart = [c for c in content if c.startswith("multipart/")]
        return multipart[0] if "json" in ctype and files and multipart else ctype


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


def _file_annotation(annotation: str) -> str:
    """A file part's argument type: anything :data:`FileTypes` takes (and None if optional)."""
    return "FileTypes | None" if "None" in annotation else "FileTypes"


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") in ("binary", "byte")
