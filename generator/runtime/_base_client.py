"""The HTTP machinery behind every generated client: auth, URLs, retries and typed errors.

Generated resources hand each call to :meth:`SyncAPIClient.call` (or its async twin) as the
operation's :class:`Endpoint`, the arguments and the result type; the client joins them into a
:class:`RequestOptions`, turns that into an ``httpx.Request`` (``_client_core.py``, what both
clients share), sends it through the injected or
owned ``httpx`` client, retries what is safe to retry (see ``_retry.py``), raises typed errors
that carry no secret (see ``_secrets.py``) and parses the answer as ``cast_to`` says (see
``_parse.py``). Everything that touches the network goes through ``httpx``'s transport, so
tests inject ``httpx.MockTransport`` instead of patching.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Self, TypeVar

import httpx

from ._client_core import BaseClient, Outcome
from ._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientConfig, SecurityScheme
from ._parse import Shape, cast, item_parser
from ._request import Endpoint, RequestOptions
from ._response import streaming
from ._retry import Clock, RetryPolicy
from ._secrets import MAX_REDIRECTS, redirect_request, too_many_redirects
from ._streaming import (
    AsyncStream,
    BinaryResponse,
    Events,
    Lines,
    ServerSentEvent,
    Stream,
    StreamOf,
    TextResponse,
)
from ._transport import AsyncSchemeTransport, SchemeTransport, owned_transports
from ._types import NOT_GIVEN, ExtraBody, ExtraHeaders, ExtraQuery, NotGiven, TimeoutTypes

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "AsyncStream",
    "BinaryResponse",
    "ClientConfig",
    "Clock",
    "Endpoint",
    "Events",
    "Lines",
    "RequestOptions",
    "RetryPolicy",
    "SecurityScheme",
    "ServerSentEvent",
    "Shape",
    "Stream",
    "SyncAPIClient",
    "TextResponse",
]

# What a call returns: a model, a Shape's type, str (text), bytes, object (plain JSON) or None.
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - an item of a streamed answer


class SyncAPIClient(BaseClient):
    """Sends requests with a blocking ``httpx.Client``."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        credentials: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
        http_client: httpx.Client | None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        follow_redirects: bool = False,
        clock: Clock | None = None,
        strict_responses: bool = False,
        token_provider: Callable[[], str | Awaitable[str]] | None = None,
    ) -> None:
        super().__init__(
            config=config,
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            follow_redirects=follow_redirects,
            clock=clock,
            strict_responses=strict_responses,
            token_provider=token_provider,
        )
        self._owns_http = http_client is None
        transport = SchemeTransport() if owned_transports() else None
        self._http = http_client or httpx.Client(follow_redirects=False, transport=transport)

    def call(
        self,
        endpoint: Endpoint,
        args: Mapping[str, object],
        *,
        cast_to: type[T] | Shape[T],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> T:
        """Call ``endpoint`` with ``args`` (by Python name); the result as ``cast_to``.

        ``cast_to`` is a model class or a :class:`Shape` of another type (the body parsed
        leniently, or strictly on request), ``str`` (the text), ``bytes`` (the raw body),
        ``object`` (plain JSON) or ``types.NoneType`` (no body). The ``extra_*`` headers,
        query parameters and body fields go on top of the declared ones and win.
        """
        options = endpoint.options(
            args,
            timeout,
            max_retries,
            strict_responses,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if streaming.get() is not None:  # with_streaming_response: the body stays unread
            self._handed_over(self.request(options, stream=True))
            return None  # type: ignore[return-value]  # the wrapper returns the response
        response = self.request(options)
        if endpoint.empty and response.status_code in endpoint.empty:
            return None  # type: ignore[return-value]  # the annotation allows None there
        result: T = cast(cast_to, response, self, options)
        return result

    def call_stream(
        self,
        endpoint: Endpoint,
        args: Mapping[str, object],
        *,
        cast_to: StreamOf[I],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> Stream[I]:
        """Call ``endpoint`` with ``args``; its items (events, lines) read as they arrive.

        The body is not read here: the returned stream reads it, and closes the connection
        when its items run out or it is closed. The ``extra_*`` arguments are as for
        :meth:`call`.
        """
        options = endpoint.options(
            args,
            timeout,
            max_retries,
            strict_responses,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        response = self._handed_over(self.request(options, stream=True))
        parse = item_parser(cast_to.cast_to, response, self, options)
        return Stream(response, cast_to.decoder(parse))

    def request(self, options: RequestOptions, *, stream: bool = False) -> httpx.Response:
        """Send one call, retrying what is safe to retry; the 2xx response or a typed error.

        With ``stream``, the body of the 2xx response is left unread (the caller closes it).
        """
        total = self._total_attempts(options)
        attempt = 1
        while True:
            request = self._build_request(self._http, options)
            auth = self._flow(options)
            started = time.perf_counter() if self._log.isEnabledFor(logging.DEBUG) else None
            outcome: Outcome
            try:
                outcome = self._http.send(request, follow_redirects=False, stream=stream, **auth)
                if self.follow_redirects and outcome.is_redirect:
                    outcome = self._follow(request, outcome, stream)
                if stream and not outcome.is_success:
                    outcome.read()  # the error keeps the body; reading it closes the connection
            except httpx.RequestError as exc:
                outcome = exc
            else:
                if outcome.is_success:
                    if started is not None:
                        self._log_success(outcome, started, attempt, total)
                    return self._settled(request, outcome)
            self._clock.sleep(self._unsettled(options, (request, outcome), attempt, total, started))
            attempt += 1

    def _follow(
        self, request: httpx.Request, response: httpx.Response, stream: bool = False
    ) -> httpx.Response:
        """Follow the redirect ``response`` answered to ``request``, hop by hop."""
        # httpx's own redirect following would carry an X-API-Key header to any host.
        for _ in range(MAX_REDIRECTS):
            request = redirect_request(request, response, self._redactor)
            response.close()  # a streamed redirect's connection (a no-op when read)
            response = self._http.send(request, follow_redirects=False, stream=stream)
            if not response.is_redirect:
                return response
        raise too_many_redirects(redirect_request(request, response, self._redactor))

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


class AsyncAPIClient(BaseClient):
    """Sends requests with an ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        config: ClientConfig,
        credentials: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
        http_client: httpx.AsyncClient | None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        follow_redirects: bool = False,
        clock: Clock | None = None,
        strict_responses: bool = False,
        token_provider: Callable[[], str | Awaitable[str]] | None = None,
    ) -> None:
        super().__init__(
            config=config,
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            follow_redirects=follow_redirects,
            clock=clock,
            strict_responses=strict_responses,
            token_provider=token_provider,
        )
        self._owns_http = http_client is None
        transport = AsyncSchemeTransport() if owned_transports() else None
        self._http = http_client or httpx.AsyncClient(follow_redirects=False, transport=transport)

    async def call(
        self,
        endpoint: Endpoint,
        args: Mapping[str, object],
        *,
        cast_to: type[T] | Shape[T],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> T:
        """Call ``endpoint`` with ``args`` (by Python name); the result as ``cast_to``.

        ``cast_to`` is a model class or a :class:`Shape` of another type (the body parsed
        leniently, or strictly on request), ``str`` (the text), ``bytes`` (the raw body),
        ``object`` (plain JSON) or ``types.NoneType`` (no body). The ``extra_*`` headers,
        query parameters and body fields go on top of the declared ones and win.
        """
        options = endpoint.options(
            args,
            timeout,
            max_retries,
            strict_responses,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if streaming.get() is not None:  # with_streaming_response: the body stays unread
            self._handed_over(await self.request(options, stream=True))
            return None  # type: ignore[return-value]  # the wrapper returns the response
        response = await self.request(options)
        if endpoint.empty and response.status_code in endpoint.empty:
            return None  # type: ignore[return-value]  # the annotation allows None there
        result: T = cast(cast_to, response, self, options)
        return result

    async def call_stream(
        self,
        endpoint: Endpoint,
        args: Mapping[str, object],
        *,
        cast_to: StreamOf[I],
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        strict_responses: bool | NotGiven = NOT_GIVEN,
        extra_headers: ExtraHeaders | None = None,
        extra_query: ExtraQuery | None = None,
        extra_body: ExtraBody | None = None,
    ) -> AsyncStream[I]:
        """Call ``endpoint`` with ``args``; its items (events, lines) read as they arrive.

        The body is not read here: the returned stream reads it, and closes the connection
        when its items run out or it is closed. The ``extra_*`` arguments are as for
        :meth:`call`.
        """
        options = endpoint.options(
            args,
            timeout,
            max_retries,
            strict_responses,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        response = self._handed_over(await self.request(options, stream=True))
        parse = item_parser(cast_to.cast_to, response, self, options)
        return AsyncStream(response, cast_to.decoder(parse))

    async def request(self, options: RequestOptions, *, stream: bool = False) -> httpx.Response:
        """Send one call, retrying what is safe to retry; the 2xx response or a typed error.

        With ``stream``, the body of the 2xx response is left unread (the caller closes it).
        """
        total = self._total_attempts(options)
        attempt = 1
        while True:
            request = self._build_request(self._http, options)
            auth = self._flow(options)
            started = time.perf_counter() if self._log.isEnabledFor(logging.DEBUG) else None
            outcome: Outcome
            try:
                outcome = await self._http.send(
                    request, follow_redirects=False, stream=stream, **auth
                )
                if self.follow_redirects and outcome.is_redirect:
                    outcome = await self._follow(request, outcome, stream)
                if stream and not outcome.is_success:
                    await (
                        outcome.aread()
                    )  # the error keeps the body; reading it closes the connection
            except httpx.RequestError as exc:
                outcome = exc
            else:
                if outcome.is_success:
                    if started is not None:
                        self._log_success(outcome, started, attempt, total)
                    return self._settled(request, outcome)
            delay = self._unsettled(options, (request, outcome), attempt, total, started)
            await self._clock.asleep(delay)
            attempt += 1

    async def _follow(
        self, request: httpx.Request, response: httpx.Response, stream: bool = False
    ) -> httpx.Response:
        """Follow the redirect ``response`` answered to ``request``, hop by hop."""
        # httpx's own redirect following would carry an X-API-Key header to any host.
        for _ in range(MAX_REDIRECTS):
            request = redirect_request(request, response, self._redactor)
            await response.aclose()  # a streamed redirect's connection (a no-op when read)
            response = await self._http.send(request, follow_redirects=False, stream=stream)
            if not response.is_redirect:
                return response
        raise too_many_redirects(redirect_request(request, response, self._redactor))

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
