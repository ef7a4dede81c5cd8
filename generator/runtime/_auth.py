"""Credentials: where each one comes from, which ones a call sends, and the error when none fits.

The package's :class:`ClientConfig` lists the spec's security schemes (how each travels and the
client arguments holding its credentials); each operation's ``Endpoint`` lists its
requirements as the spec does: any one of them (OR) authorises the call, and the schemes of a
requirement are sent together (AND). A call sends the first requirement the client has every
credential for; a requirement of no scheme (``{}`` in the spec) makes the credentials optional,
and an operation with no requirement (``security: []``) sends none. When none can be met the
call raises :class:`ConfigurationError` before anything is sent, naming the arguments and
environment variables that would meet one.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

import httpx

from ._config import ClientConfig, SecurityScheme
from ._exceptions import ConfigurationError
from ._request import QueryPairs
from ._secrets import Redactor
from ._tokens import ClientCredentials, TokenProvider

__all__ = ["AuthParts", "Credentials", "Requirements"]

# What a call adds to its request: headers, query pairs and cookies.
AuthParts = tuple[dict[str, str], QueryPairs, dict[str, str]]
Requirements = tuple[tuple[str, ...], ...]
_ONE_KEY = ("api_key",)


class Credentials:
    """The credentials a client was given (or found in the environment), and what they send."""

    def __init__(
        self,
        config: ClientConfig,
        given: Mapping[str, str | None],
        *,
        token_provider: Callable[[], str | Awaitable[str]] | None = None,
        base_url: httpx.URL | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._values = {
            name: _checked(name, _given(config, name, value)) for name, value in given.items()
        }
        self._sent: dict[Requirements, AuthParts] = {}
        if (
            config.credentials_required
            and not any(self._values.values())
            and token_provider is None
        ):
            raise ConfigurationError(_nothing_given(config))
        # Every value the client must never show: each credential, and how basic sends them
        # (tokens the client obtains are added as it obtains them).
        self.secrets: tuple[str, ...] = tuple(v for v in self._values.values() if v)
        self.redactor = Redactor(*self.secrets)
        self._provider = token_provider
        self._base_url = base_url
        self._now = now
        # The flows that obtain a scheme's token, by scheme key; and by requirements, the
        # flow a call sends (at most one bearer token goes in the Authorization header).
        self._flows: dict[str, httpx.Auth] = {}
        self._flow_of: dict[Requirements, httpx.Auth | None] = {}
        parts = {key: self._parts(key, scheme) for key, scheme in config.security_schemes.items()}
        self._parts_of = {key: found for key, found in parts.items() if found is not None}

    def for_call(self, requirements: Requirements, method: str, path: str) -> AuthParts:
        """What a call of ``method path`` with ``requirements`` sends; else the error."""
        found = self._sent.get(requirements)
        if found is None:
            found = self._sent[requirements] = self._chosen(requirements, method, path)
        return found

    def flow(self, requirements: Requirements) -> httpx.Auth | None:
        """The flow that sets the token of a call with ``requirements`` (after
        :meth:`for_call`), or ``None`` when its credentials are all fixed."""
        return self._flow_of.get(requirements)

    def _chosen(self, requirements: Requirements, method: str, path: str) -> AuthParts:
        headers: dict[str, str] = {}
        query: QueryPairs = []
        cookies: dict[str, str] = {}
        for requirement in requirements:
            if requirement and all(key in self._parts_of for key in requirement):
                flows = [self._flows[key] for key in requirement if key in self._flows]
                self._flow_of[requirements] = flows[0] if flows else None
                for key in requirement:
                    more_headers, more_query, more_cookies = self._parts_of[key]
                    headers.update(more_headers)
                    query += more_query
                    cookies.update(more_cookies)
                return headers, query, cookies
        if not requirements or () in requirements:
            return headers, query, cookies
        ways = " or ".join(_how(self._config, req) for req in requirements)
        raise ConfigurationError(
            f"{method} {path} needs credentials the client was not given: {ways}"
        )

    def _parts(self, key: str, scheme: SecurityScheme) -> AuthParts | None:
        """What ``scheme`` sends with the credentials given; ``None`` without them."""
        values = [self._values.get(name) for name in scheme.credentials]
        if values and values[0] is None and scheme.kind in ("bearer", "oauth2"):
            flow = self._token_flow(scheme, values[1:])
            if flow is None:
                return None
            self._flows[key] = flow
            return {}, [], {}
        if not values or values[0] is None:
            return None
        value = values[0]
        if scheme.kind == "query":
            return {}, [(scheme.name, value)], {}
        if scheme.kind == "cookie":
            return {}, [], {scheme.name: value}
        if scheme.kind in ("bearer", "oauth2"):
            return {"Authorization": f"Bearer {value}"}, [], {}
        if scheme.kind == "basic":
            if ":" in value:
                raise ConfigurationError(
                    f"{scheme.credentials[0]} must not contain ':' (HTTP basic)"
                )
            pair = f"{value}:{values[1] if len(values) > 1 and values[1] else ''}"
            encoded = base64.b64encode(pair.encode()).decode("ascii")
            self.secrets += (encoded,)
            self.redactor.add(encoded)
            return {"Authorization": f"Basic {encoded}"}, [], {}
        if scheme.kind == "http":
            return {"Authorization": f"{scheme.name} {value}"}, [], {}
        return {scheme.name: value}, [], {}

    def _token_flow(
        self, scheme: SecurityScheme, client: Sequence[str | None]
    ) -> httpx.Auth | None:
        """How a bearer scheme given no token obtains one: OAuth2 client credentials when both
        are given, else the caller's ``token_provider``; ``None`` when neither is there."""
        if scheme.kind == "oauth2" and len(client) == 2 and client[0] and client[1]:
            base = self._base_url or httpx.URL("/")
            return ClientCredentials(
                base.join(scheme.token_url),
                client[0],
                client[1],
                scopes=scheme.scopes,
                redactor=self.redactor,
                now=self._now,
            )
        if self._provider is not None:
            return TokenProvider(self._provider, self.redactor)
        return None


def _given(config: ClientConfig, name: str, value: str | None) -> str | None:
    """``value``, else the environment's ``<PREFIX>_<NAME>``; ``None`` when empty."""
    found = value if value is not None else os.environ.get(_env(config, name))
    return found or None


def _checked(name: str, value: str | None) -> str | None:
    if value is not None and ("\r" in value or "\n" in value):
        what = "the API key" if name == _ONE_KEY[0] else name
        raise ConfigurationError(f"{what} contains a line break")
    return value


def _env(config: ClientConfig, name: str) -> str:
    return f"{config.env_prefix}_{name.upper()}"


def _schemes(config: ClientConfig, keys: Sequence[str]) -> list[SecurityScheme]:
    return [config.security_schemes[k] for k in keys if k in config.security_schemes]


def _arguments(config: ClientConfig, keys: Sequence[str]) -> list[str]:
    """The arguments that meet the schemes ``keys``: for OAuth2, its token (the client id and
    secret, which fetch one, are the alternative :func:`_how` adds)."""
    return [
        name
        for scheme in _schemes(config, keys)
        for name in (scheme.credentials[:1] if scheme.kind == "oauth2" else scheme.credentials)
    ]


def _how(config: ClientConfig, keys: Sequence[str]) -> str:
    """``pass a=... and b=... or set P_A and P_B``: how to meet one requirement."""
    names = _arguments(config, keys)
    passed = " and ".join(f"{name}=..." for name in names)
    how = f"pass {passed} or set {' and '.join(_env(config, name) for name in names)}"
    for scheme in _schemes(config, keys):
        if scheme.kind == "oauth2" and len(scheme.credentials) == 3:
            client_id, secret = scheme.credentials[1:]
            how += (
                f" (or {client_id}=... and {secret}=..., {_env(config, client_id)} and"
                f" {_env(config, secret)}, to fetch the token)"
            )
    return how


def _nothing_given(config: ClientConfig) -> str:
    keys = list(config.security_schemes)
    if _arguments(config, keys) == list(_ONE_KEY):
        return f"no API key: {_how(config, keys)}"
    return "no credentials: " + "; or ".join(_how(config, [key]) for key in keys)
