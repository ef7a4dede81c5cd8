"""What the sync and async clients share: their configuration, how a call becomes an
``httpx.Request``, and what becomes of each attempt (logged, retried, or raised as a typed error
that carries no secret).

Sending is the clients' own (``_base_client.py``): one blocks, one awaits; everything here is
the same for both.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import httpx

from ._auth import AuthParts, Credentials
from ._config import ClientConfig, checked_retries, configure_logging, resolve_base_url
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    applied_note,
    attempts_note,
    library_check,
    status_error,
)
from ._files import RawUpload
from ._request import (
    RequestOptions,
    body_arguments,
    build_cookies,
    build_headers,
    build_path,
    build_query,
    with_extra_headers,
    with_extra_query,
)
from ._response import captured, streaming
from ._retry import Clock, SystemClock, is_retryable, may_have_applied, retry_delay
from ._types import NotGiven, TimeoutTypes
from ._url import append_path, joinable_parts, timeouts

if TYPE_CHECKING:
    from ._lenient import Mismatch

__all__ = ["BaseClient", "Outcome", "describe"]

Outcome = httpx.Response | httpx.RequestError
# Requests are built here rather than by httpx.Client.build_request unless a subclass changed it.
_BUILD = httpx.Client.build_request
_MERGED_HEADERS_KEPT = 64
# send()'s keyword arguments of a call whose credentials are fixed (shared, never written to).
_NO_AUTH: dict[str, httpx.Auth] = {}


class BaseClient:
    """Construction, auth, request building and retry decisions shared by both clients."""

    __test__ = False  # a client named Test... in a user's test module is no test class

    _config: ClientConfig

    def __init__(
        self,
        *,
        config: ClientConfig,
        credentials: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes,
        max_retries: int,
        follow_redirects: bool,
        clock: Clock | None,
        strict_responses: bool,
        token_provider: Callable[[], str | Awaitable[str]] | None = None,
    ) -> None:
        self._config = config
        self.base_url = resolve_base_url(config, base_url)
        self._clock: Clock = clock or SystemClock()
        self._credentials = Credentials(
            config,
            credentials,
            token_provider=token_provider,
            base_url=self.base_url,
            now=self._clock.now,
        )
        # Holds each credential, and each token the client obtains as it obtains it.
        self._redactor = self._credentials.redactor
        self.timeout = timeout
        self.max_retries = checked_retries(max_retries)
        self.follow_redirects = follow_redirects
        self.strict_responses = strict_responses
        self._log = logging.getLogger(config.package)
        configure_logging(config.env_prefix, self._log)
        # The httpx client's own headers merged with ours, as its build_request would merge
        # them, per set of our headers; valid while the httpx client's headers are unchanged.
        self._merged_headers: dict[tuple[tuple[str, str], ...], httpx.Headers] = {}
        self._merged_over: list[tuple[bytes, bytes]] = []
        # (operation, field path) pairs already logged: a poll loop warns once, not every poll.
        self._warned: set[tuple[str, str]] = set()

    @property
    def base_url(self) -> httpx.URL:
        """The URL every path is appended to; it ends in "/"."""
        return self._base_url

    @base_url.setter
    def base_url(self, url: httpx.URL) -> None:
        self._base_url = url
        self._base_text = str(url)
        self._base_parts = joinable_parts(url)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, options: RequestOptions
    ) -> httpx.Request:
        auth: AuthParts = self._credentials.for_call(options.security, options.method, options.path)
        auth_headers, auth_query, cookies = auth
        # The base URL ends in "/" and paths are percent-encoded per segment, so text
        # concatenation is exact; URL.join would parse twice more per call, and read a
        # path segment with a colon ("/v1:batch") as a scheme.
        url = append_path(self._base_text, self._base_parts, build_path(options).lstrip("/"))
        headers = {"User-Agent": self._config.user_agent, "Accept": options.accept}
        if options.headers:
            headers.update(build_headers(options))
        headers.update(auth_headers)
        if options.content_type and options.body_encoding != "multipart" and options.has_body:
            headers["Content-Type"] = options.content_type
        if isinstance(options.json_body, RawUpload) and options.json_body.length is not None:
            headers["Content-Length"] = str(options.json_body.length)  # else sent chunked
        if options.extra_headers:
            with_extra_headers(headers, options.extra_headers)
        if options.cookies:
            cookies = {**build_cookies(options), **cookies}
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        query = (build_query(options) if options.query else []) + auth_query
        if options.extra_query:
            query = with_extra_query(query, options.extra_query)
        # None, not an empty QueryParams: httpx re-parses the URL to merge any params.
        params = httpx.QueryParams(query) if query else None
        body = body_arguments(options, isinstance(http, httpx.AsyncClient))
        if cookies or http.cookies or http.params or type(http).build_request is not _BUILD:
            return http.build_request(
                options.method,
                url,
                params=params,
                headers=headers,
                cookies=cookies or None,
                timeout=timeout,
                **body,
            )
        # What http.build_request does when the client has no cookies or params to merge and
        # the URL is absolute, without merging the same headers again on every call.
        return httpx.Request(
            options.method,
            url,
            params=params,
            headers=self._merged(http, headers),
            extensions={"timeout": timeouts(timeout)},
            **body,
        )

    def _merged(
        self, http: httpx.Client | httpx.AsyncClient, headers: dict[str, str]
    ) -> httpx.Headers:
        """``http``'s headers with ``headers`` on top, exactly as ``http.build_request`` merges."""
        current = http.headers.raw
        if current != self._merged_over:
            self._merged_headers.clear()
            self._merged_over = current
        key = tuple(headers.items())
        merged = self._merged_headers.get(key)
        if merged is None:
            if len(self._merged_headers) >= _MERGED_HEADERS_KEPT:
                self._merged_headers.clear()  # per-call header values: do not grow forever
            merged = httpx.Headers(http.headers)
            merged.update(headers)
            self._merged_headers[key] = merged
        return merged

    def _flow(self, options: RequestOptions) -> dict[str, httpx.Auth]:
        """``send``'s ``auth`` argument when the call's token is obtained per request (OAuth2
        client credentials, a token provider); none otherwise, so an ``http_client``'s own
        ``auth`` still applies."""
        flow = self._credentials.flow(options.security)
        return _NO_AUTH if flow is None else {"auth": flow}

    def _total_attempts(self, options: RequestOptions) -> int:
        retries = options.max_retries
        return 1 + (self.max_retries if isinstance(retries, NotGiven) else checked_retries(retries))

    def _strict(self, options: RequestOptions) -> bool:
        strict = options.strict_responses
        return self.strict_responses if isinstance(strict, NotGiven) else strict

    def _warn_mismatches(self, options: RequestOptions, found: Sequence[Mismatch]) -> None:
        """Log what did not match in a leniently parsed body, once per operation and field."""
        from ._lenient import warn_once

        warn_once(self._log, self._warned, f"{options.method} {options.path}", found)

    def _scrub(self, request: httpx.Request, outcome: Outcome) -> httpx.Request:
        """Swap the request kept by ``outcome`` for a copy without the key; return that copy."""
        if isinstance(outcome, httpx.Response):
            request = outcome.request
        safe = self._redactor.request(request)
        outcome.request = safe
        return safe

    def _unsettled(
        self,
        options: RequestOptions,
        sent: tuple[httpx.Request, Outcome],
        attempt: int,
        total: int,
        started: float | None,
    ) -> float:
        """After a failed attempt: the seconds to wait before trying again, or the typed error.

        Only here is the request redacted: the error, the response it keeps and the log lines
        must not show the key; a successful call never needs the copy.
        """
        request, outcome = sent
        request = self._scrub(request, outcome)
        if started is not None:
            duration = time.perf_counter() - started
            self._log_attempt(request, outcome, duration, attempt, total)
        if attempt < total and is_retryable(outcome, options.idempotent):
            delay = retry_delay(self._config.retry, outcome, attempt, self._clock)
            self._log.info(
                "retrying %s %s in %.2fs after %s (attempt %d of %d)",
                *(request.method, request.url, delay, describe(outcome), attempt + 1, total),
            )
            return delay
        error = self._final_error(request, outcome, attempt)
        error.maybe_applied = may_have_applied(outcome)
        if error.maybe_applied and not options.idempotent:  # not re-sent: say how to check
            error.check = options.check
            error.message += applied_note(library_check(options.check))
            error.args = (error.message,)
        raise error from (outcome if isinstance(outcome, Exception) else None)

    def _settled(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """A 2xx answer; handed, without the key, to a ``with_raw_response`` call if one waits."""
        holder = captured.get()
        if holder is not None:
            self._scrub(request, response)
            holder.append(response)
        return response

    def _handed_over(self, response: httpx.Response) -> httpx.Response:
        """A streamed 2xx answer the caller keeps: its request without the key, and given to a
        ``with_streaming_response`` call if one waits."""
        self._scrub(response.request, response)
        holder = streaming.get()
        if holder is not None:
            holder.append(response)
        return response

    def _log_success(
        self, response: httpx.Response, started: float, attempt: int, total: int
    ) -> None:
        duration = time.perf_counter() - started
        shown = self._redactor.request(response.request)
        self._log_attempt(shown, response, duration, attempt, total)

    def _log_attempt(
        self, request: httpx.Request, outcome: Outcome, duration: float, attempt: int, total: int
    ) -> None:
        self._log.debug(
            "%s %s -> %s in %.3fs (attempt %d of %d)",
            *(request.method, request.url, describe(outcome), duration, attempt, total),
        )

    def _final_error(self, request: httpx.Request, outcome: Outcome, attempts: int) -> APIError:
        if isinstance(outcome, httpx.Response):
            return status_error(outcome, attempts, self._redactor.text)
        cls = APITimeoutError if isinstance(outcome, httpx.TimeoutException) else APIConnectionError
        detail = self._redactor.text(f"{type(outcome).__name__}: {outcome}")
        message = f"{request.method} {request.url}: {detail}{attempts_note(attempts)}"
        return cls(message, request=request, attempts=attempts)


def describe(outcome: Outcome) -> str:
    """An attempt's outcome in a log line: its status, or the error's name."""
    if isinstance(outcome, httpx.Response):
        return str(outcome.status_code)
    return type(outcome).__name__
