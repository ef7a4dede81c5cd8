"""Bearer tokens the client obtains itself: OAuth2 client credentials, or a caller's callable.

Both are ``httpx.Auth`` flows, so one implementation serves the sync and the async client and
the token is set on each request as it is sent (retries included). :class:`ClientCredentials`
fetches a token from the scheme's ``tokenUrl`` (RFC 6749 section 4.4, the client authenticated
with HTTP basic), keeps it until shortly before it expires, and fetches a new one once when
the API answers 401. :class:`TokenProvider` asks the caller's callable for the token of each
request (awaited when the async client is given a coroutine function), and once more after a
401. Every token is handed to the client's redactor before it
is sent, so none shows in errors, reprs or logs.
"""

from __future__ import annotations

import base64
import inspect
import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx

from ._exceptions import APIResponseValidationError, ConfigurationError, status_error
from ._secrets import Redactor

__all__ = ["ClientCredentials", "TokenProvider"]

# A token is renewed this many seconds before it expires (at most half its lifetime), so a
# request never leaves with a token that expires on the way.
_EARLY = 30.0
# How long a token without ``expires_in`` is kept (until a 401 says otherwise).
_UNTIMED = float("inf")


class _BearerFlow(httpx.Auth):
    """Sets ``Authorization: Bearer``; after a 401, renews the token and sends once more."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor

    def _bearer(self, request: httpx.Request, token: str) -> httpx.Request:
        self._redactor.add(token)
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def _flow(
        self, request: httpx.Request, renew: bool
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """The requests of one call: token requests (their answers read), then the call."""
        raise NotImplementedError

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        for renew in (False, True):
            flow = self._flow(request, renew)
            outgoing = next(flow)
            while True:
                response = yield outgoing
                if outgoing is not request:  # a token request: its answer is read here
                    response.read()
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    break
            if response.status_code != 401 or renew:
                return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        for renew in (False, True):
            flow = self._flow(request, renew)
            outgoing = next(flow)
            while True:
                response = yield outgoing
                if outgoing is not request:
                    await response.aread()
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    break
            if response.status_code != 401 or renew:
                return


class TokenProvider(_BearerFlow):
    """The bearer token the caller's callable returns (the async client may await it), asked
    for each request and once more after a 401."""

    def __init__(self, provider: Callable[[], str | Awaitable[str]], redactor: Redactor) -> None:
        super().__init__(redactor)
        self._provider = provider

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        for renew in (False, True):
            token = self._provider()
            if inspect.isawaitable(token):
                if inspect.iscoroutine(token):
                    token.close()  # never awaited: close it rather than leave a warning
                raise ConfigurationError(
                    "token_provider returned an awaitable: only the async client awaits it"
                )
            response = yield self._bearer(request, token)
            if response.status_code != 401 or renew:
                return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        for renew in (False, True):
            token = self._provider()
            if inspect.isawaitable(token):
                token = await token
            response = yield self._bearer(request, token)
            if response.status_code != 401 or renew:
                return


class ClientCredentials(_BearerFlow):
    """OAuth2's client-credentials flow: a token fetched with the client id and secret, cached."""

    def __init__(
        self,
        token_url: httpx.URL,
        client_id: str,
        client_secret: str,
        *,
        scopes: tuple[str, ...],
        redactor: Redactor,
        now: Callable[[], float],
    ) -> None:
        super().__init__(redactor)
        self._url = token_url
        pair = f"{client_id}:{client_secret}".encode()
        self._basic = base64.b64encode(pair).decode("ascii")
        redactor.add(self._basic)
        self._scopes = scopes
        self._now = now
        self._token: str | None = None
        self._expires = 0.0

    def _flow(
        self, request: httpx.Request, renew: bool
    ) -> Generator[httpx.Request, httpx.Response, None]:
        if renew or self._token is None or self._now() >= self._expires:
            answer = yield self._token_request()
            self._keep(answer)
        assert self._token is not None  # noqa: S101 - _keep sets it or raises
        yield self._bearer(request, self._token)

    def _token_request(self) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        if self._scopes:
            form["scope"] = " ".join(self._scopes)
        headers = {"Authorization": f"Basic {self._basic}", "Accept": "application/json"}
        return httpx.Request("POST", self._url, data=form, headers=headers)

    def _keep(self, answer: httpx.Response) -> None:
        """Take the token of ``answer``, or raise the error it is (without any secret)."""
        answer.request = self._redactor.request(answer.request)
        if not answer.is_success:
            raise status_error(answer, 1, self._redactor.text)
        try:
            body = json.loads(answer.content)
            token = body["access_token"]
            lifetime = float(body.get("expires_in", _UNTIMED))
        except (ValueError, TypeError, KeyError) as exc:
            message = f"POST {answer.request.url}: the token endpoint's answer has no access_token"
            raise APIResponseValidationError(message, response=answer, body=None) from exc
        if not isinstance(token, str) or not token:
            message = f"POST {answer.request.url}: the token endpoint's access_token is not text"
            raise APIResponseValidationError(message, response=answer, body=None)
        self._redactor.add(token)
        self._token = token
        self._expires = self._now() + lifetime - min(_EARLY, lifetime / 2)
