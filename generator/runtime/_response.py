"""The HTTP response of a successful call, for callers who need more than the parsed body.

Every resource has ``with_raw_response``: the same methods, returning an :class:`APIResponse`
that carries the status, the headers (request ids for a support ticket, rate-limit headers)
and the parsed result. A method called through it asks the client, through a context variable,
to hand over the 2xx response it got; the request kept on that response has the API key
replaced, like the requests kept on errors.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Generic, ParamSpec, TypeVar

import httpx

__all__ = ["APIResponse", "async_to_raw_response_wrapper", "captured", "to_raw_response_wrapper"]

P = ParamSpec("P")
R = TypeVar("R")

# Set while a method runs through ``with_raw_response``: the 2xx responses of its call.
captured: ContextVar[list[httpx.Response] | None] = ContextVar("captured", default=None)


class APIResponse(Generic[R]):
    """A successful call: its HTTP response, and the result the method returns."""

    def __init__(self, http_response: httpx.Response, parsed: R) -> None:
        self.http_response = http_response
        self._parsed = parsed

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

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
