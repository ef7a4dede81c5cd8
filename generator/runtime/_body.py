"""A call's body: validated with the request model, then sent as its encoding says.

A JSON body sends only the fields the caller gave, by wire name; a form sends each field as
text; a multipart body sends its files as given (paths, bytes, file objects: see
``_files.py``) and its other fields as text; a raw body is sent as given. The caller's
``extra_body`` fields merge into an object body, and a body that cannot be read twice (a stream
that cannot seek back) tells the call it cannot be retried.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import Any

import pydantic

from ._files import RawUpload, file_part, replayable
from ._lenient import fields_of
from ._types import ExtraBody, NotGiven
from ._values import to_text

__all__ = [
    "any_adapter",
    "dump_body",
    "dump_parts",
    "encoded_body",
    "replayable_body",
    "validated",
    "with_extra_body",
]


def with_extra_body(
    body: object, has_body: bool, encoding: str, extra: ExtraBody
) -> tuple[object, bool]:
    """``body`` with the caller's ``extra`` fields merged in (theirs win); ``extra`` alone when
    the call has no body. Only an object body has fields to merge into."""
    if not has_body:
        return dict(extra), True
    fields = _json_data(body) if encoding == "json" else body
    if encoding == "content" or not isinstance(fields, Mapping):
        kind = "bytes or text" if encoding == "content" else type(fields).__name__
        raise TypeError(f"extra_body needs an object body to merge into, not {kind}")
    return {**fields, **extra}, True


def replayable_body(body: object) -> bool:
    """Whether ``body`` (raw, or a multipart body's values) can be sent again on a retry."""
    if isinstance(body, RawUpload):
        return body.replayable
    if isinstance(body, Mapping):
        return all(replayable(v) for value in body.values() for v in _items(value))
    return True


def dump_body(
    model: type[pydantic.BaseModel],
    values: Mapping[str, object],
    read_only: frozenset[str] = frozenset(),
) -> object:
    """Validate the given fields (wire names) with the request model and dump them as JSON.

    Only the fields the caller gave are sent: defaults stay with the server. The model's
    required ``read_only`` fields are the server's: the body is valid without them.
    """
    instance = validated(model, values, read_only)
    return instance.model_dump(mode="json", by_alias=True, exclude_unset=True)


def dump_parts(
    model: type[pydantic.BaseModel],
    values: Mapping[str, object],
    read_only: frozenset[str] = frozenset(),
) -> object:
    """Validate the given fields with the request model; keep bytes and files as they are.

    Used for multipart bodies, whose file parts must not be turned into JSON text.
    """
    instance = validated(model, values, read_only)
    return instance.model_dump(mode="python", by_alias=True, exclude_unset=True)


def validated(
    model: type[pydantic.BaseModel], values: Mapping[str, object], read_only: frozenset[str]
) -> pydantic.BaseModel:
    """The model of the given fields; when only required read-only fields are missing, each
    given field validated on its own (the model's own checks across fields do not run)."""
    given = {name: value for name, value in values.items() if not isinstance(value, NotGiven)}
    try:
        return model.model_validate(given)
    except pydantic.ValidationError as exc:
        if not read_only or any(
            error["type"] != "missing" or tuple(error["loc"]) not in {(n,) for n in read_only}
            for error in exc.errors()
        ):
            raise
    instance = model.model_construct()
    names = {field.alias or name: name for name, field in fields_of(model).items()}
    for wire, value in given.items():
        model.__pydantic_validator__.validate_assignment(instance, names.get(wire, wire), value)
    return instance


def _part_text(value: object) -> str:
    """A form field or multipart part as text: scalars as in URLs, anything else as JSON."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    try:
        return to_text(value)
    except TypeError:
        return json.dumps(any_adapter().dump_python(value, mode="json"))


def encoded_body(body: object, encoding: str, asynchronous: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``httpx.build_request`` that carry ``body`` as ``encoding``
    says (a file streamed in chunks, by an async iterator for an async client)."""
    if isinstance(body, RawUpload):
        return {"content": body.achunks() if asynchronous else body.chunks()}
    if encoding == "content":
        return {"content": body}
    if encoding == "form" and isinstance(body, Mapping):
        return {"data": {str(k): [_part_text(v) for v in _items(v)] for k, v in body.items()}}
    if encoding == "multipart" and isinstance(body, Mapping):
        return {"files": [(str(k), _part(v)) for k, value in body.items() for v in _items(value)]}
    return {"json": _json_data(body)}


def _json_data(body: object) -> object:
    """A JSON body as data httpx can encode: a model (also one inside a list or a mapping, as
    a body typed by a union of models is given) dumped by its wire names."""
    if body is None or isinstance(body, str | int | float | bool):
        return body
    if isinstance(body, pydantic.BaseModel):
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return any_adapter().dump_python(body, mode="json", by_alias=True, exclude_unset=True)


@functools.cache
def any_adapter() -> pydantic.TypeAdapter[Any]:
    """A validator of any value, made once: it dumps models inside lists and mappings."""
    return pydantic.TypeAdapter(Any)


def _items(value: object) -> list[object]:
    """A field's values: a list repeats the field, ``None`` (which the caller gave: fields left
    out never reach here) sends it empty, as forms have no null."""
    if value is None:
        return [""]
    return list(value) if isinstance(value, list) else [value]


def _part(value: object) -> object:
    """A multipart part: bytes, paths, binary file objects and ``(filename, content, ...)``
    tuples are files (see ``_files.py``), the rest text.

    A part whose filename is ``None`` is a plain field; sending every part this way keeps the
    body multipart even when no file is given.
    """
    if isinstance(value, bytes | tuple | os.PathLike) or hasattr(value, "read"):
        return file_part(value)
    return (None, _part_text(value))
