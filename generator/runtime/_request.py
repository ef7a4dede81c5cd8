"""One call as data, and the safe spelling of its parts on the wire.

Generated resources declare each operation's route once, as a module-level :class:`Endpoint`;
a call joins it with the arguments into a :class:`RequestOptions`, and the functions here turn
its values into URL and header text (its body is ``_body.py``'s). Hostile values stay where they
belong: a path parameter of ``../admin`` or ``a/b?c`` stays inside its own path segment, and a
header value with a line break is refused.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote

import pydantic

from ._body import (
    any_adapter,
    dump_body,
    dump_parts,
    encoded_body,
    replayable_body,
    validated,
    with_extra_body,
)
from ._files import raw_upload
from ._types import NOT_GIVEN, ExtraBody, ExtraHeaders, ExtraQuery, NotGiven, TimeoutTypes
from ._values import to_text

__all__ = [
    "Endpoint",
    "QueryPairs",
    "RequestOptions",
    "body_arguments",
    "build_cookies",
    "build_headers",
    "build_path",
    "build_query",
    "dump_body",
    "dump_parts",
    "path_segment",
    "to_text",
    "with_extra_headers",
    "with_extra_query",
]


# An empty location (shared, never written to).
_NONE: Mapping[str, object] = MappingProxyType({})
_NO_HEADERS: Mapping[str, str] = MappingProxyType({})


class RequestOptions(NamedTuple):
    """One call, as the generated resource method describes it."""

    method: str
    path: str
    path_params: Mapping[str, object] = _NONE
    query: Mapping[str, object] = _NONE
    unexploded: frozenset[str] = frozenset()
    # Object parameters sent as ``name[property]=value`` (``style: deepObject``).
    deep_objects: frozenset[str] = frozenset()
    headers: Mapping[str, object] = _NONE
    json_body: object = None
    has_body: bool = False
    # How the body travels: "json", "form" (urlencoded), "multipart", or "content" (bytes or
    # text as given); content_type overrides the header httpx would set.
    body_encoding: str = "json"
    content_type: str | None = None
    # The media types the operation's responses declare, JSON first.
    accept: str = "application/json"
    cookies: Mapping[str, object] = _NONE
    # Any one of these (OR) of schemes sent together (AND); () sends no credential.
    security: tuple[tuple[str, ...], ...] = ()
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    # Per call: raise on a 2xx body that does not match its model instead of keeping it.
    strict_responses: bool | NotGiven = NOT_GIVEN
    # True when the spec declares that repeating the call is harmless (see _retry.py).
    idempotent: bool = False
    # The (resource, method) that reads what the call did, for an error that may have applied.
    check: tuple[str, str] | None = None
    # The caller's own headers and query parameters, over those the spec declares.
    extra_headers: ExtraHeaders = _NO_HEADERS
    extra_query: ExtraQuery = _NONE


# The keyword arguments (Python name, wire name) one location of a request takes.
Names = tuple[tuple[str, str], ...]


class Endpoint(NamedTuple):
    """What the spec says about one operation, fixed when the resource module is imported.

    A call passes its arguments by Python name; each location lists the (Python name, wire
    name) pairs it takes. ``body_model`` validates and dumps the ``body_fields``; without one,
    ``body_argument`` names the argument that is the whole body (bytes, text or plain JSON).
    """

    method: str
    path: str
    # The spec's security requirements: any one of them (OR) of schemes sent together (AND).
    security: tuple[tuple[str, ...], ...] = ()
    # True when repeating the call is harmless (HTTP semantics or x-idempotent; see _retry.py).
    idempotent: bool = False
    # The header that carries an idempotency key: a new one per call unless the caller gives it.
    idempotency_key: str | None = None
    path_params: Names = ()
    query: Names = ()
    headers: Names = ()
    cookies: Names = ()
    unexploded: frozenset[str] = frozenset()
    deep_objects: frozenset[str] = frozenset()
    body_model: type[pydantic.BaseModel] | None = None
    body_fields: Names = ()
    # Wire names of the body model's required read-only fields, which are never sent.
    read_only: frozenset[str] = frozenset()
    # Wire names of a multipart body's file parts, sent as given rather than validated.
    files: frozenset[str] = frozenset()
    body_argument: str | None = None
    body_encoding: str = "json"
    content_type: str | None = None
    accept: str = "application/json"
    # Success statuses documented without a body beside one with a body (a 204 beside a 207):
    # the call returns None for them instead of parsing.
    empty: frozenset[int] = frozenset()
    # The (resource, method) that reads what a call that is not safe to repeat did.
    check: tuple[str, str] | None = None

    def options(
        self,
        args: Mapping[str, object],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        strict_responses: bool | NotGiven,
        *,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> RequestOptions:
        """One call of this endpoint with ``args`` (keyed by Python name), and the caller's
        ``extra_*`` headers, query parameters and body fields on top of the declared ones."""
        # Empty locations are skipped inline: this runs on every call (see tests/bench).
        sends_body = self.body_model is not None or self.body_argument is not None
        body, has_body = self._body(args) if sends_body else (None, False)
        if extra_body is not None:
            body, has_body = with_extra_body(body, has_body, self.body_encoding, extra_body)
        if (
            has_body
            and self.body_encoding in ("content", "multipart")
            and not replayable_body(body)
        ):
            max_retries = 0  # a stream that cannot seek back cannot be sent again
        return RequestOptions(
            method=self.method,
            path=self.path,
            path_params=_pick(self.path_params, args) if self.path_params else _NONE,
            query=_pick(self.query, args) if self.query else _NONE,
            unexploded=self.unexploded,
            deep_objects=self.deep_objects,
            headers=self._headers(args) if self.headers else _NONE,
            json_body=body,
            has_body=has_body,
            body_encoding=self.body_encoding,
            content_type=self.content_type,
            accept=self.accept,
            cookies=_pick(self.cookies, args) if self.cookies else _NONE,
            security=self.security,
            timeout=timeout,
            max_retries=max_retries,
            strict_responses=strict_responses,
            idempotent=self.idempotent,
            check=self.check,
            extra_headers=extra_headers or _NO_HEADERS,
            extra_query=extra_query or _NONE,
        )

    def _headers(self, args: Mapping[str, object]) -> Mapping[str, object]:
        """The header parameters; the idempotency key made here, once per call, so every
        attempt of the call sends the same one."""
        headers = _pick(self.headers, args)
        key = self.idempotency_key
        if key is not None and not _is_given(headers.get(key)):
            headers = {**headers, key: str(uuid.uuid4())}
        return headers

    def _body(self, args: Mapping[str, object]) -> tuple[object, bool]:
        if self.body_model is not None:
            values = _pick(self.body_fields, args)
            if self.files:
                return self._parts(self.body_model, values), True
            dump = dump_parts if self.body_encoding == "multipart" else dump_body
            return dump(self.body_model, values, self.read_only), True
        if self.body_argument is not None:
            body = args[self.body_argument]
            if self.body_encoding == "content":
                body = raw_upload(body)
            return body, not isinstance(body, NotGiven)
        return None, False

    def _parts(
        self, model: type[pydantic.BaseModel], values: Mapping[str, object]
    ) -> dict[str, object]:
        """A multipart body: the model validates the fields, the files go as given (in order)."""
        fields = {k: v for k, v in values.items() if k not in self.files}
        instance = validated(model, fields, self.read_only | self.files)
        dumped = instance.model_dump(mode="python", by_alias=True, exclude_unset=True)
        files = {k: v for k, v in values.items() if k in self.files and not isinstance(v, NotGiven)}
        return {
            k: dumped[k] if k in dumped else files[k] for k in values if k in dumped or k in files
        }


def _pick(names: Names, args: Mapping[str, object]) -> Mapping[str, object]:
    """``args`` of one location, keyed by wire name, in declaration order."""
    return {wire: args[name] for name, wire in names}


def _is_given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


QueryPairs = list[tuple[str, str | int | float | bool | None]]


def build_query(options: RequestOptions) -> QueryPairs:
    """Query pairs in declaration order, spelled as OpenAPI's ``style``/``explode`` say.

    Lists repeat the key (``ids=1&ids=2``), or join their items when declared unexploded
    (``ids=1,2``); a list of objects is sent as one JSON text. Objects (a model or a mapping) send each property as its own pair
    (``limit=1&sort=name``), as ``name=limit,1,sort,name`` when unexploded, or as
    ``name[limit]=1`` for ``deepObject`` (``name[a][b]=1`` and ``name[a][0]=1`` for an object
    or a list inside);
    properties the caller did not give are left out, and one given as ``None`` is sent empty
    (``owner=``): a URL has no null.
    """
    pairs: QueryPairs = []
    for name, value in options.query.items():
        if isinstance(value, pydantic.RootModel):  # a component that wraps a list or scalar
            value = value.root
        if not _is_given(value):
            continue
        if isinstance(value, pydantic.BaseModel | Mapping):
            pairs.extend(_object_pairs(name, _properties(value), options))
        elif isinstance(value, list | tuple) and any(_is_object(v) for v in value):
            pairs.append((name, _json_text(value)))
        elif isinstance(value, list | tuple):
            items = [to_text(v) for v in value]
            if name in options.unexploded:
                pairs.append((name, ",".join(items)))
            else:
                pairs.extend((name, item) for item in items)
        else:
            pairs.append((name, to_text(value)))
    return pairs


def _is_object(value: object) -> bool:
    return isinstance(value, pydantic.BaseModel | Mapping)


def _json_text(value: object) -> str:
    """A list of objects, which OpenAPI gives no spelling in a URL, as compact JSON (what
    APIs taking a list of filters there read: ``mdfilters=[{"scope":"enterprise"}]``)."""
    data = any_adapter().dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    return json.dumps(data, separators=(",", ":"))


def _properties(value: pydantic.BaseModel | Mapping[Any, Any]) -> dict[str, object]:
    if isinstance(value, pydantic.BaseModel):
        dumped: dict[str, object] = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return dumped
    return {str(key): item for key, item in value.items() if not isinstance(item, NotGiven)}


def _object_pairs(name: str, properties: dict[str, object], options: RequestOptions) -> QueryPairs:
    if name in options.deep_objects:
        return _deep_pairs(name, properties)
    texts = {key: _property_text(item) for key, item in properties.items()}
    if name in options.unexploded:
        return [(name, ",".join(part for pair in texts.items() for part in pair))]
    return list(texts.items())


def _deep_pairs(name: str, properties: Mapping[str, object]) -> QueryPairs:
    """``name[key]=value`` pairs; an object or a list inside goes one bracket deeper
    (``filter[service][id]=x``, ``filter[codes][0]=200``), as servers that take nested deep
    objects read them (OpenAPI leaves the spelling open)."""
    pairs: QueryPairs = []
    for key, item in properties.items():
        if isinstance(item, pydantic.BaseModel | Mapping):
            pairs.extend(_deep_pairs(f"{name}[{key}]", _properties(item)))
        elif isinstance(item, list | tuple):
            pairs.extend(_deep_pairs(f"{name}[{key}]", {str(i): v for i, v in enumerate(item)}))
        else:
            pairs.append((f"{name}[{key}]", _property_text(item)))
    return pairs


def _property_text(value: object) -> str:
    if value is None:
        return ""
    if _is_object(value) or (isinstance(value, list | tuple) and any(map(_is_object, value))):
        # OpenAPI defines no spelling for an object inside an object parameter: JSON, as for
        # a list of objects.
        return _json_text(value)
    if isinstance(value, list | tuple):
        return ",".join(to_text(item) for item in value)
    return to_text(value)


def path_segment(name: str, value: object) -> str:
    """``value`` percent-encoded as one path segment; empty values and dot segments refused."""
    text = to_text(value)
    if not text:
        # An empty id would silently address another endpoint (``/runs/`` instead of ``/runs/7``).
        raise ValueError(f"path parameter {name!r} must not be empty")
    # "." and ".." would be resolved away by URL normalisation; %2E keeps them a literal segment.
    if text in (".", ".."):
        return text.replace(".", "%2E")
    if text.isalnum() and text.isascii():  # nothing to escape (ids, mostly)
        return text
    return quote(text, safe="")


def build_path(options: RequestOptions) -> str:
    """The path with each parameter percent-encoded inside its own segment."""
    values = {name: path_segment(name, value) for name, value in options.path_params.items()}
    return options.path.format_map(values)


def build_headers(options: RequestOptions) -> dict[str, str]:
    """Header parameters as text; CR or LF in a value is refused (header injection)."""
    headers = {}
    for name, value in options.headers.items():
        if _is_given(value):
            text = to_text(value)
            if "\r" in text or "\n" in text:
                raise ValueError(f"header {name!r} contains a line break")
            headers[name] = text
    return headers


def with_extra_headers(headers: dict[str, str], extra: ExtraHeaders) -> None:
    """Put the caller's ``extra`` headers into ``headers``, replacing any of the same name in
    any case; CR or LF in a value is refused (header injection)."""
    for name, value in extra.items():
        if "\r" in value or "\n" in value:
            raise ValueError(f"header {name!r} contains a line break")
        for taken in [n for n in headers if n.lower() == name.lower()]:
            del headers[taken]
        headers[name] = value


def with_extra_query(pairs: QueryPairs, extra: ExtraQuery) -> QueryPairs:
    """``pairs`` without those named in ``extra``, then ``extra``'s own, spelled as declared
    parameters are (a list repeats the key, ``None`` sends nothing)."""
    kept = [(name, value) for name, value in pairs if name not in extra]
    return kept + build_query(RequestOptions("", "", query=extra))


def build_cookies(options: RequestOptions) -> dict[str, str]:
    """Cookie parameters as text; characters that would end the cookie are refused."""
    cookies = {}
    for name, value in options.cookies.items():
        if _is_given(value):
            text = to_text(value)
            if any(ch in text for ch in ";\r\n"):
                raise ValueError(f"cookie {name!r} contains a separator or line break")
            cookies[name] = text
    return cookies


def body_arguments(options: RequestOptions, asynchronous: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``httpx.build_request`` that carry the body (a file streamed
    in chunks, by an async iterator for an async client)."""
    if not options.has_body:
        return {}
    return encoded_body(options.json_body, options.body_encoding, asynchronous)
