"""The IR of a call's pieces: parameters, body fields, arguments, the result and the documented
errors.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter of an operation."""

    name: str
    wire_name: str
    location: str
    required: bool
    annotation: str
    description: str
    default: object = None
    explode: bool = True
    # OpenAPI's ``style`` ("form", "deepObject", "simple", ...) as the spec declares it.
    style: str = "form"


@dataclass(frozen=True)
class BodyField:
    """One keyword argument that fills a property of the JSON request body."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    description: str


@dataclass(frozen=True)
class Body:
    """The request body: the model that validates it, its keyword arguments, its encoding."""

    model: str
    content_type: str
    required: bool
    fields: tuple[BodyField, ...]
    # "json", "form" (urlencoded), "multipart" or "content" (bytes/text sent as given).
    encoding: str = "json"
    # Wire names of the model's required ``readOnly`` properties: the server's, never sent,
    # so the body is validated without them.
    read_only: tuple[str, ...] = ()
    # Wire names of a multipart body's file parts (``format: binary``): sent as given (a path,
    # bytes, a file object or a tuple), never validated by the model.
    files: tuple[str, ...] = ()


def annotation_words(annotation: str) -> set[str]:
    """The names (dotted ones whole) an annotation's text uses."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", annotation))


@dataclass(frozen=True)
class Argument:
    """One argument of a generated method, in the order the signature lists it.

    ``location`` is where the value goes: ``path``, ``query``, ``header``, ``cookie``,
    ``body`` (a property of the body model) or ``content`` (the whole body). An optional
    argument left out is ``omitted`` (``NOT_GIVEN``: not sent; ``None``: a helper fills it);
    ``default`` is the server's default, for the docs.
    """

    name: str
    annotation: str
    required: bool
    wire_name: str
    location: str
    description: str
    positional: bool = False
    default: object = None
    omitted: str = "NOT_GIVEN"
    # The ``Args:`` entry: the description (or wire name) and the server default, if any.
    doc: str = ""

    @property
    def parameter(self) -> str:
        """The argument as the signature spells it: ``name: annotation[ | omitted = ...]``."""
        default = "" if self.required else f" = {self.omitted}"
        return f"{self.name}: {self.accepted}{default}"

    @property
    def accepted(self) -> str:
        """What the argument accepts: its annotation, and what leaves an optional one out."""
        if self.required:
            return self.annotation
        kind = "NotGiven" if self.omitted == "NOT_GIVEN" else self.omitted
        return f"{self.annotation} | {kind}"

    @property
    def passed(self) -> str:
        """The argument passed on to the method of the same signature."""
        return self.name if self.positional else f"{self.name}={self.name}"


@dataclass(frozen=True)
class ParamKey:
    """One key of a request TypedDict: its wire name and what a caller may give for it."""

    wire_name: str
    annotation: str
    required: bool
    description: str

    @property
    def declared(self) -> str:
        """The key's annotation as the TypedDict (``total=False``) declares it."""
        return f"Required[{self.annotation}]" if self.required else self.annotation


@dataclass(frozen=True)
class ParamType:
    """The TypedDict a caller may pass for a nested request model (``TagSelectorParam``).

    ``functional`` when some key cannot be a class attribute (not an identifier, a keyword, or a
    name its annotations use): ``TypedDict("XParam", {...})`` then.
    """

    name: str
    model: str
    description: str
    keys: tuple[ParamKey, ...]
    functional: bool = False

    @classmethod
    def of(cls, name: str, model: str, description: str, keys: tuple[ParamKey, ...]) -> ParamType:
        """The TypedDict of ``keys``, functional when some key cannot be a class attribute."""
        words = {w for k in keys for w in annotation_words(k.annotation)} | {"Required"}
        plain = all(
            k.wire_name.isidentifier()
            and not keyword.iskeyword(k.wire_name)
            and k.wire_name not in words
            for k in keys
        )
        return cls(name, model, description, keys, functional=not plain)

    @property
    def collectable(self) -> bool:
        """Whether pytest would take the class for a test class (its name starts with Test)."""
        return self.name.startswith("Test")


@dataclass(frozen=True)
class Result:
    """What a successful call returns.

    ``kind`` is ``model`` (one model class), ``typed`` (JSON of another type: ``list[Task]``, a
    union, a map, a scalar), ``json`` (JSON the spec does not type), ``text`` or ``binary`` (a
    body that is not JSON, in the runtime's wrapper with its media type and headers),
    ``events`` (server-sent events), ``lines`` (one JSON item per line) or ``none``.
    """

    kind: str
    annotation: str
    model: str | None
    status: str
    description: str
    # What the runtime parses the body as: the model, the runtime's ``Shape`` of the annotation
    # (``typed``), ``str``, ``bytes``, ``object`` (plain JSON) or ``NoneType`` (no body).
    cast_to: str = "NoneType"
    # Other documented success statuses that carry no body (a 204 beside a 207): the call
    # returns None for them, so the annotation allows None.
    empty: tuple[int, ...] = ()
    # The annotation of the async method when it differs (an async stream of the same items).
    async_annotation: str | None = None
    # Whether a stream's items are validated against a schema (not text or plain JSON).
    items_validated: bool = False

    @property
    def validated(self) -> bool:
        """Whether the body is validated against the spec (so ``strict_responses`` applies)."""
        return self.kind in ("model", "typed") or self.items_validated

    @property
    def streamed(self) -> bool:
        """Whether the call returns a stream of items read as they arrive."""
        return self.kind in STREAMED

    @property
    def call(self) -> str:
        """The client method the resource method hands the call to."""
        return "call_stream" if self.streamed else "call"

    def annotation_of(self, asynchronous: bool) -> str:
        """The method's return annotation, sync or async."""
        return (self.async_annotation or self.annotation) if asynchronous else self.annotation

    def shown(self, asynchronous: bool = False) -> str:
        """The return type as docs show it: the runtime's types by their exported names
        (``Stream[Tick]``), not the private aliases the resource module imports them as."""
        return _PRIVATE_ALIAS.sub(r"\1", self.annotation_of(asynchronous))


STREAMED = ("events", "lines")
# The runtime's result types, as resource modules import them (see lower.py).
_PRIVATE_ALIAS = re.compile(
    r"\b_(AsyncStream|BinaryResponse|ServerSentEvent|Stream|TextResponse)\b"
)


@dataclass(frozen=True)
class ErrorCase:
    """A documented non-2xx answer (``status`` may be ``4XX`` or ``default``)."""

    status: str
    description: str
    # The runtime's exception class raised for it (``NotFoundError``; ``APIStatusError`` when
    # the status names no single class, as ``4XX`` or ``default``).
    exception: str = "APIStatusError"
