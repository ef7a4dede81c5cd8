"""Lenient responses: a 2xx body that drifts from the spec still becomes its model, flagged.

A CI job that polls a batch must not die because the vendor left out a field it never reads.
When a body does not validate, :func:`build` makes the model anyway, field by field: a field that
validates is typed as usual, a nested object that does not is built the same way, and anything
else that does not validate is kept as received. A required field that is missing reads as
``None``; fields the spec does not list stay in the model's extras. Nothing received is lost:
``model.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)`` gives back
the body (``warnings=False`` because a kept value may not have the field's type).

What did not match is never silent: :func:`mismatches` returns it for any model built here (the
top one lists every path; each nested one its own), and the client logs one warning per
operation and path. Valid bodies never come here: they are validated once, as before.

A result that is not one model (``list[Task]``, ``Task | Project``, ``dict[str, Tag]``) is built
the same way by :func:`build_value`: each model in it leniently, and of a union's models the
one the body is nearest to. Such results are validated by the :func:`adapter` kept here.
"""

from __future__ import annotations

import logging
import re
import types
import typing
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pydantic

if typing.TYPE_CHECKING:
    from pydantic.fields import FieldInfo

__all__ = [
    "MISSING",
    "Mismatch",
    "adapter",
    "build",
    "build_value",
    "describe",
    "fields_of",
    "mismatches",
    "warn_once",
]

# A string bound: reading pydantic.BaseModel here would import pydantic.main on first use.
M = TypeVar("M", bound="pydantic.BaseModel")
_INDEX = re.compile(r"\[\d+\]")


class _Missing:
    """The type of :data:`MISSING`: what a :class:`Mismatch` holds for a field not received."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Mismatch:
    """One place where a response body does not match the spec.

    ``path`` is where, in wire names (``run_groups[0].runs[1].source``; ``""`` for the whole
    body); ``message`` what pydantic found; ``received`` the value kept (:data:`MISSING` when a
    required field was absent, in which case the model reads ``None`` there).
    """

    path: str
    message: str
    received: object

    @property
    def pattern(self) -> str:
        """``path`` without list indexes (``run_groups[].runs[].source``): one per field."""
        return _INDEX.sub("[]", self.path)


# Models built here -> what did not match in them. Keyed by id() and emptied when the model is
# collected: pydantic models are unhashable, and a private attribute would slow every valid parse.
_FLAGGED: dict[int, tuple[Mismatch, ...]] = {}


def mismatches(model: pydantic.BaseModel) -> tuple[Mismatch, ...]:
    """What did not match the spec in ``model``, a response model; ``()`` when it all did."""
    return _FLAGGED.get(id(model), ())


def _flag(model: pydantic.BaseModel, found: list[Mismatch]) -> None:
    if found:
        _FLAGGED[id(model)] = tuple(found)
        weakref.finalize(model, _FLAGGED.pop, id(model), None)


def fields_of(model: type[pydantic.BaseModel]) -> dict[str, FieldInfo]:
    """``model.model_fields``, every annotation resolved.

    The models build their schema on first use (``_model_base.py``), and a class built only as
    a part of another class's schema keeps the fields it was defined with, which may still
    name classes defined after it: building it here resolves them.
    """
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model.model_fields


def build(model: type[M], data: object) -> tuple[M, tuple[Mismatch, ...]]:
    """``data`` as ``model`` whatever it holds, and what did not match (``()`` if it is valid)."""
    found: list[Mismatch] = []
    instance: M
    if issubclass(model, pydantic.RootModel):
        root = _value(_annotation(fields_of(model)["root"]), data, "", found)
        instance = model.model_construct(root)
    elif isinstance(data, dict):
        instance = _model(model, data, "", found)
    else:
        found.append(Mismatch("", f"expected an object, got {type(data).__name__}", data))
        instance = _model(model, {}, "", found)
    _flag(instance, found)
    return instance, tuple(found)


def build_value(annotation: Any, data: object) -> tuple[Any, tuple[Mismatch, ...]]:
    """``data`` as ``annotation`` (``list[Task]``, a union, a map ...) whatever it holds, and
    what did not match (``()`` if it is valid). Each model inside is flagged as :func:`build`
    flags one."""
    found: list[Mismatch] = []
    return _value(annotation, data, "", found), tuple(found)


def _model(model: type[M], data: dict[str, Any], path: str, found: list[Mismatch]) -> M:
    """``model`` from the object ``data``, field by field; ``found`` gets what did not match."""
    values: dict[str, object] = {}
    fields_set: set[str] = set()
    rest = dict(data)
    mine: list[Mismatch] = []
    for name, info in fields_of(model).items():
        key = info.alias if info.alias is not None and info.alias in rest else name
        if key not in rest:
            if info.is_required():
                values[name] = None
                mine.append(Mismatch(_join(path, info.alias or name), "field required", MISSING))
            continue
        raw = rest.pop(key)
        values[name] = _value(_annotation(info), raw, _join(path, key), mine)
        fields_set.add(name)
    instance = model.model_construct(_fields_set=fields_set, **values)
    if model.model_config.get("extra") == "allow":
        object.__setattr__(instance, "__pydantic_extra__", rest)
    _flag(instance, [_relative(m, path) for m in mine])
    found.extend(mine)
    return instance


def _value(annotation: Any, raw: object, path: str, found: list[Mismatch]) -> object:
    """``raw`` validated as ``annotation``; if it is not, the nearest thing that keeps it whole."""
    try:
        return adapter(annotation).validate_python(raw)
    except pydantic.ValidationError as exc:
        error = exc.errors(include_url=False, include_input=False)[0]["msg"]
    target = _unwrapped(annotation)
    origin = typing.get_origin(target)
    if origin in (typing.Union, types.UnionType):
        return _closest(typing.get_args(target), raw, path, found, error)
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        if isinstance(raw, dict) and not issubclass(target, pydantic.RootModel):
            return _model(target, raw, path, found)
    elif origin is list and isinstance(raw, list):
        (item,) = typing.get_args(target) or (Any,)
        return [_value(item, v, f"{path}[{i}]", found) for i, v in enumerate(raw)]
    elif origin is dict and isinstance(raw, dict):
        value = (typing.get_args(target) or (str, Any))[-1]
        return {k: _value(value, v, _join(path, str(k)), found) for k, v in raw.items()}
    found.append(Mismatch(path, error, raw))
    return raw


def _closest(
    members: tuple[Any, ...], raw: object, path: str, found: list[Mismatch], error: str
) -> object:
    """``raw`` as the member of a union it is nearest to: of the models (and lists, maps) that
    take its kind of value, the one built with the fewest mismatches, the first on a tie."""
    best: tuple[object, list[Mismatch]] | None = None
    for member in members:
        if not _takes(_unwrapped(member), raw):
            continue
        mine: list[Mismatch] = []
        value = _value(member, raw, path, mine)
        if best is None or len(mine) < len(best[1]):
            best = (value, mine)
    if best is None:
        found.append(Mismatch(path, error, raw))
        return raw
    found.extend(best[1])
    return best[0]


def _takes(target: Any, raw: object) -> bool:
    """Whether the lenient build can make ``target`` of ``raw`` (an object, a list, a map)."""
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        return isinstance(raw, dict) and not issubclass(target, pydantic.RootModel)
    origin = typing.get_origin(target)
    return (origin is list and isinstance(raw, list)) or (origin is dict and isinstance(raw, dict))


def _unwrapped(annotation: Any) -> Any:
    """``annotation`` without ``Annotated[...]`` and without ``None`` in a two-member union."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrapped(members[0])
    return annotation


def _annotation(info: Any) -> Any:
    """A field's type with its constraints (``Field(max_length=...)``), as one annotation."""
    if not info.metadata:
        return info.annotation
    return typing.Annotated[(info.annotation, *info.metadata)]


_ADAPTERS: dict[object, pydantic.TypeAdapter[Any]] = {}


def adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    """The validator of ``annotation``, made once (a call's result type, a field's type)."""
    try:
        found = _ADAPTERS.get(annotation)
    except TypeError:  # an unhashable annotation: build it each time (drift is rare)
        return pydantic.TypeAdapter(annotation)
    if found is None:
        found = _ADAPTERS[annotation] = pydantic.TypeAdapter(annotation)
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _relative(mismatch: Mismatch, prefix: str) -> Mismatch:
    if not prefix:
        return mismatch
    rest = mismatch.path[len(prefix) :].lstrip(".")
    return Mismatch(rest, mismatch.message, mismatch.received)


def warn_once(
    log: logging.Logger, warned: set[tuple[str, str]], operation: str, found: Iterable[Mismatch]
) -> None:
    """One warning per ``operation`` and field path (list indexes folded) not yet in ``warned``."""
    for mismatch in found:
        key = (operation, mismatch.pattern)
        if key in warned:
            continue
        warned.add(key)
        log.warning(
            "%s: the response does not match the spec at %s; kept as received"
            " (strict_responses=True raises instead)",
            operation,
            next(describe((mismatch,))),
        )


def describe(found: Iterable[Mismatch]) -> Iterator[str]:
    """One line per mismatch, for a log or an error message."""
    for m in found:
        shown = "missing" if m.received is MISSING else f"got {_short(m.received)}"
        yield f"{m.path or '(body)'}: {m.message} ({shown})"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
