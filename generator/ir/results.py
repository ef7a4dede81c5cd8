"""What a call returns and raises: the result type of its success, the documented errors, and
the ``Accept`` header its responses call for.

A JSON success is read as its model (or validated as its annotation), a stream as server-sent
events or JSON lines of its item type, text as text and anything else as bytes; a success
status that declares no content makes the result optional.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import ir
from ..load.document import Document
from ..load.spec import EVENT_STREAM, bare_media, item_schema, json_media, stream_media, success
from .annotate import SHAPE, Annotator, union
from .runtime_facts import status_exception

# The runtime's types of non-JSON results, under private names for the same reason.
_BINARY = "_BinaryResponse"
_TEXT = "_TextResponse"
_STREAM = "_Stream"
_ASYNC_STREAM = "_AsyncStream"
_EVENT = "_ServerSentEvent"
_EVENTS = "_Events"
_LINES = "_Lines"


class Results:
    """Types the results and errors of one document's operations."""

    def __init__(self, doc: Document, annotator: Annotator) -> None:
        self.doc, self.annotator = doc, annotator

    def result(self, where: list[Any], op: dict[str, Any]) -> ir.Result:
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
            kind, annotation, cast_to = self.annotator.json_type(schema)
            model = annotation if kind == "model" else None
            return ir.Result(kind, annotation, model, status, description, cast_to)
        streamed = stream_media(content)
        if streamed is not None:
            return self._stream_result(status, description, streamed, content[streamed])
        if any(c.startswith("text/") for c in content):
            return ir.Result("text", _TEXT, None, status, description, _TEXT)
        return ir.Result("binary", _BINARY, None, status, description, _BINARY)

    def _stream_result(self, status: str, description: str, ctype: str, media: Any) -> ir.Result:
        """Server-sent events (each event's data read as the item schema, or as text when the
        schema is a string or absent) or JSON lines (each line read as the item schema)."""
        schema = self.doc.deref(item_schema(media))
        events = bare_media(ctype) == EVENT_STREAM
        raw = not schema or (isinstance(schema, dict) and schema.get("type") == "string")
        if events and raw:
            kind, item, cast_to = "text", "str", "str"
        else:
            kind, item, cast_to = self.annotator.json_type(item_schema(media))
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

    def errors(self, op: dict[str, Any]) -> tuple[ir.ErrorCase, ...]:
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

    def accept(self, op: dict[str, Any]) -> str:
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


def _or_empty(result: ir.Result, empty: tuple[int, ...]) -> ir.Result:
    """``result``, returning None for the bodiless success statuses ``empty``."""
    if not empty:
        return result
    return replace(result, annotation=union([result.annotation, "None"]), empty=empty)


def shape_import(ops: list[ir.Operation]) -> tuple[str, ...]:
    """The runtime's result wrappers, under their private names, where a method's result needs
    them."""
    kinds = {op.result.kind for op in ops}
    typed = any(op.result.kind == "typed" or f"{SHAPE}[" in op.result.cast_to for op in ops)
    names = [SHAPE] if typed else []
    names += [_BINARY] if "binary" in kinds else []
    names += [_TEXT] if "text" in kinds else []
    names += [_STREAM, _ASYNC_STREAM] if kinds & {"events", "lines"} else []
    names += [_EVENT, _EVENTS] if "events" in kinds else []
    names += [_LINES] if "lines" in kinds else []
    return tuple(f"{name.removeprefix('_')} as {name}" for name in names)
