"""The HTTP machinery behind every generated client: one place for auth, URLs and errors.

Generated resources describe a call (method, path template, parameters, body) as a
:class:`RequestOptions`; :class:`SyncAPIClient` and :class:`AsyncAPIClient` turn it into an
``httpx.Request``, send it through the injected or owned ``httpx`` client, and raise typed
errors. Everything that touches the network goes through ``httpx``'s transport, so tests inject
``httpx.MockTransport`` instead of patching.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ConfigurationError,
    status_error,
)
from ._types import NotGiven, TimeoutTypes

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "ClientConfig",
    "RequestOptions",
    "SecurityScheme",
    "SyncAPIClient",
]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
M = TypeVar("M", bound=pydantic.BaseModel)


@dataclass(frozen=True)
class SecurityScheme:
    """How the API key travels: ``kind`` is ``header``, ``query``, ``cookie`` or ``bearer``."""

    kind: str
    name: str = "Authorization"


@dataclass(frozen=True)
class ClientConfig:
    """What the spec says about the API as a whole; rendered once per package."""

    package: str
    env_prefix: str
    default_base_url: str | None
    base_url_hint: str
    security_schemes: Mapping[str, SecurityScheme]
    user_agent: str


@dataclass(frozen=True)
class RequestOptions:
    """One call, as the generated resource method describes it."""

    method: str
    path: str
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    unexploded: frozenset[str] = frozenset()
    headers: Mapping[str, object] = field(default_factory=dict)
    json_body: object = None
    has_body: bool = False
    # How the body travels: "json", "form" (urlencoded), "multipart", or "content" (bytes or
    # text as given); content_type overrides the header httpx would set.
    body_encoding: str = "json"
    content_type: str | None = None
    cookies: Mapping[str, object] = field(default_factory=dict)
    security: Sequence[str] = ()
    timeout: TimeoutTypes | NotGiven = field(default_factory=NotGiven)


def to_text(value: object) -> str:
    """How a parameter value is written in a URL or header."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return to_text(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | int | float | str):
        return str(value)
    raise TypeError(f"cannot send a {type(value).__name__} as a URL or header value")


def _is_given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


QueryPairs = list[tuple[str, str | int | float | bool | None]]


def build_query(options: RequestOptions) -> QueryPairs:
    """Query pairs in declaration order; lists repeat the key unless declared unexploded."""
    pairs: QueryPairs = []
    for name, value in options.query.items():
        if not _is_given(value):
            continue
        if isinstance(value, list | tuple):
            items = [to_text(v) for v in value]
            if name in options.unexploded:
                pairs.append((name, ",".join(items)))
            else:
                pairs.extend((name, item) for item in items)
        else:
            pairs.append((name, to_text(value)))
    return pairs


def build_path(options: RequestOptions) -> str:
    """The path with each parameter percent-encoded inside its own segment."""
    values = {name: quote(to_text(value), safe="") for name, value in options.path_params.items()}
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


def dump_body(model: type[pydantic.BaseModel], values: Mapping[str, object]) -> object:
    """Validate the given fields (wire names) with the request model and dump them as JSON.

    Only the fields the caller gave are sent: defaults stay with the server.
    """
    given = {name: value for name, value in values.items() if not isinstance(value, NotGiven)}
    instance = model.model_validate(given)
    return instance.model_dump(mode="json", by_alias=True, exclude_unset=True)


def dump_parts(model: type[pydantic.BaseModel], values: Mapping[str, object]) -> object:
    """Validate the given fields with the request model; keep bytes and files as they are.

    Used for multipart bodies, whose file parts must not be turned into JSON text.
    """
    given = {name: value for name, value in values.items() if not isinstance(value, NotGiven)}
    instance = model.model_validate(given)
    return instance.model_dump(mode="python", by_alias=True, exclude_unset=True)


def _part_text(value: object) -> str:
    """A form field or multipart part as text: scalars as in URLs, anything else as JSON."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    try:
        return to_text(value)
    except TypeError:
        return json.dumps(pydantic.TypeAdapter(Any).dump_python(value, mode="json"))


def body_arguments(options: RequestOptions) -> dict[str, Any]:
    """The keyword arguments of ``httpx.build_request`` that carry the body."""
    if not options.has_body:
        return {}
    body = options.json_body
    if options.body_encoding == "content":
        return {"content": body}
    if options.body_encoding == "form" and isinstance(body, Mapping):
        return {"data": {str(k): [_part_text(v) for v in _items(v)] for k, v in body.items()}}
    if options.body_encoding == "multipart" and isinstance(body, Mapping):
        return {"files": [(str(k), _part(v)) for k, value in body.items() for v in _items(value)]}
    return {"json": body}


def _items(value: object) -> list[object]:
    """A field's values: a list repeats the field, ``None`` leaves it out."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _part(value: object) -> object:
    """A multipart part: bytes and ``(filename, content, ...)`` tuples are files, the rest text.

    A part whose filename is ``None`` is a plain field; sending every part this way keeps the
    body multipart even when no file is given.
    """
    if isinstance(value, bytes):
        return ("upload", value)
    if isinstance(value, tuple):
        return value
    return (None, _part_text(value))


class _BaseClient:
    """Construction, auth and request building shared by the sync and async clients."""

    _config: ClientConfig

    def __init__(
        self,
        *,
        config: ClientConfig,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
    ) -> None:
        self._config = config
        self._api_key = self._resolve_api_key(api_key)
        self.base_url = self._resolve_base_url(base_url)
        self.timeout = timeout

    def _resolve_api_key(self, api_key: str | None) -> str | None:
        key = (
            api_key if api_key is not None else os.environ.get(f"{self._config.env_prefix}_API_KEY")
        )
        if not key and self._config.security_schemes:
            raise ConfigurationError(
                f"no API key: pass api_key=... or set {self._config.env_prefix}_API_KEY"
            )
        if key and ("\r" in key or "\n" in key):
            raise ConfigurationError("the API key contains a line break")
        return key or None

    def _resolve_base_url(self, base_url: str | httpx.URL | None) -> httpx.URL:
        chosen = (
            base_url
            or os.environ.get(f"{self._config.env_prefix}_BASE_URL")
            or self._config.default_base_url
        )
        if not chosen:
            raise ConfigurationError(
                f"no base URL: pass base_url=... or set {self._config.env_prefix}_BASE_URL"
                f" (for example {self._config.base_url_hint})"
            )
        url = httpx.URL(str(chosen))
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(
                f"base URL must be an absolute http(s) URL, got {str(chosen)!r}"
            )
        return url.copy_with(raw_path=url.raw_path.rstrip(b"/") + b"/")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _auth(self, security: Sequence[str]) -> tuple[dict[str, str], QueryPairs, dict[str, str]]:
        """(headers, query pairs, cookies) carrying the key for the first usable scheme."""
        for name in security:
            scheme = self._config.security_schemes.get(name)
            if scheme is None or self._api_key is None:
                continue
            if scheme.kind == "bearer":
                return {"Authorization": f"Bearer {self._api_key}"}, [], {}
            if scheme.kind == "query":
                return {}, [(scheme.name, self._api_key)], {}
            if scheme.kind == "cookie":
                return {}, [], {scheme.name: self._api_key}
            return {scheme.name: self._api_key}, [], {}
        return {}, [], {}

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, options: RequestOptions
    ) -> httpx.Request:
        auth_headers, auth_query, cookies = self._auth(options.security)
        url = self.base_url.join(build_path(options).lstrip("/"))
        headers = {"User-Agent": self._config.user_agent, "Accept": "application/json"}
        headers.update(build_headers(options))
        headers.update(auth_headers)
        if options.content_type and options.body_encoding != "multipart" and options.has_body:
            headers["Content-Type"] = options.content_type
        cookies = {**build_cookies(options), **cookies}
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        return http.build_request(
            options.method,
            url,
            params=httpx.QueryParams(build_query(options) + auth_query),
            headers=headers,
            cookies=cookies or None,
            timeout=timeout,
            **body_arguments(options),
        )


def _check(response: httpx.Response) -> httpx.Response:
    if not response.is_success:
        raise status_error(response)
    return response


def parse_model(model: type[M], response: httpx.Response) -> M:
    """The response body as ``model``; a body that is not what the spec says is a typed error."""
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        body = response.text
        request = response.request
        message = f"{request.method} {request.url}: the {response.status_code} body is not a valid {model.__name__}: {exc.errors(include_url=False)[:3]}"
        raise APIResponseValidationError(message, response=response, body=body) from exc


def parse_json(response: httpx.Response) -> Any:
    """The response body as plain JSON."""
    try:
        return response.json()
    except ValueError as exc:
        request = response.request
        message = f"{request.method} {request.url}: the {response.status_code} body is not JSON"
        raise APIResponseValidationError(message, response=response, body=response.text) from exc


def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(f"{request.method} {request.url}: {type(exc).__name__}: {exc}", request=request)


class SyncAPIClient(_BaseClient):
    """Sends requests with a blocking ``httpx.Client``."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(config=config, api_key=api_key, base_url=base_url, timeout=timeout)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(follow_redirects=False)

    def request(self, options: RequestOptions) -> httpx.Response:
        """Send one call; return the 2xx response or raise a typed error."""
        request = self._build_request(self._http, options)
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise _connection_error(exc, request) from exc
        response.read()
        return _check(response)

    def close(self) -> None:
        """Close the underlying ``httpx.Client`` if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient):
    """Sends requests with an ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(config=config, api_key=api_key, base_url=base_url, timeout=timeout)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(follow_redirects=False)

    async def request(self, options: RequestOptions) -> httpx.Response:
        """Send one call; return the 2xx response or raise a typed error."""
        request = self._build_request(self._http, options)
        try:
            response = await self._http.send(request)
        except httpx.TransportError as exc:
            raise _connection_error(exc, request) from exc
        await response.aread()
        return _check(response)

    async def aclose(self) -> None:
        """Close the underlying ``httpx.AsyncClient`` if this client created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
