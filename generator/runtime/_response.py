"""The HTTP response of a successful call, for callers who need more than the parsed body.

Every resource has ``with_raw_response``: the same methods, returning an :class:`APIResponse`
that carries the status, the headers (request ids for a support ticket, rate-limit headers)
and the parsed result. A method called through it asks the client, through a context variable,
to hand over the 2xx response it got; the request kept on that response has the API key
replaced, like the requests kept on errors.

``with_streaming_response`` does the same for a body read in chunks: the method, called when its
``with`` block is entered, sends the request and hands over the answer with its body unread (see
``_streaming.py``); leaving the block closes the connection.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Generic, ParamSpec, TypeVar

import httpx

from ._streaming import Answer, AsyncStreamedResponse, StreamedResponse

__all__ = [
    "APIResponse",
    "AsyncStreamedResponseManager",
    "StreamedResponseManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "captured",
    "streaming",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")

# Set while a method runs through ``with_raw_response``: the 2xx responses of its call.
captured: ContextVar[list[httpx.Response] | None] = ContextVar("captured", default=None)
# Set while a method runs through ``with_streaming_response``: its 2xx response, body unread.
streaming: ContextVar[list[httpx.Response] | None] = ContextVar("streaming", default=None)


class APIResponse(Answer, Generic[R]):
    """A successful call: its HTTP response, and the result the method returns."""

    def __init__(self, http_response: httpx.Response, parsed: R) -> None:
        super().__init__(http_response)
        self._parsed = parsed

    @property
    def request(self) -> httpx.Request:
        """The request that got this answer (the API key replaced)."""
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        """The URL that was called."""
        return self.http_response.request.url

    def parse(self) -> R:
        """The result the method itself returns (a model, a list or union of them, JSON, ``None``,
        text or bytes), typed as the method's."""
        return self._parsed

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.request.method} {self.url}>"


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """``method``, returning an :class:`APIResponse` of its result instead of the result."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        holder: list[httpx.Response] = []
        token = captured.set(holder)
        try:
            parsed = method(*args, **kwargs)
        finally:
            captured.reset(token)
        return APIResponse(holder[-1], parsed)

    return wrapped


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """The async twin of :func:`to_raw_response_wrapper`."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        holder: list[httpx.Response] = []
        token = captured.set(holder)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            captured.reset(token)
        return APIResponse(holder[-1], parsed)

    return wrapped


class StreamedResponseManager:
    """A call made when its ``with`` block is entered; the block gets a :class:`StreamedResponse`
    and leaving it closes the connection."""

    def __init__(self, call: Callable[[], object]) -> None:
        self._call = call
        self._response: StreamedResponse | None = None

    def __enter__(self) -> StreamedResponse:
        holder: list[httpx.Response] = []
        token = streaming.set(holder)
        try:
            self._call()
        finally:
            streaming.reset(token)
        self._response = StreamedResponse(holder[-1])
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedResponseManager:
    """The async twin of :class:`StreamedResponseManager` (``async with``)."""

    def __init__(self, call: Callable[[], Awaitable[object]]) -> None:
        self._call = call
        self._response: AsyncStreamedResponse | None = None

    async def __aenter__(self) -> AsyncStreamedResponse:
        holder: list[httpx.Response] = []
        token = streaming.set(holder)
        try:
            await self._call()
        finally:
            streaming.reset(token)
        self._response = AsyncStreamedResponse(holder[-1])
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(
    method: Callable[P, object],
) -> Callable[P, StreamedResponseManager]:
    """``method``, returning a context manager of its answer with the body unread."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamedResponseManager:
        return StreamedResponseManager(functools.partial(method, *args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    method: Callable[P, Awaitable[object]],
) -> Callable[P, AsyncStreamedResponseManager]:
    """The async twin of :func:`to_streamed_response_wrapper`."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedResponseManager:
        return AsyncStreamedResponseManager(functools.partial(method, *args, **kwargs))

    return wrapped
