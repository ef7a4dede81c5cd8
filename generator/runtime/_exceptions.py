"""Every error a client call can raise, so callers can catch exactly what they mean.

```
ClientError
 +-- ConfigurationError           no credential or base URL; an operation's credentials missing
 +-- WaitTimeoutError             a ``wait`` helper ran out of time (carries the last status)
 +-- UploadError                  a file cannot be uploaded as given (size, name, type)
 +-- PaginationError              the API sent a next-page marker that does not advance
 +-- APIError                     anything that went wrong talking to the API
      +-- APIConnectionError      the request got no answer
      |    +-- APITimeoutError
      +-- APIResponseValidationError   a 2xx whose body is not what the spec promises
      +-- APIStatusError          a non-2xx answer
           +-- BadRequestError (400), AuthenticationError (401),
           +-- PermissionDeniedError (403), NotFoundError (404), ConflictError (409),
           +-- UnprocessableEntityError (422), RateLimitError (429),
           +-- InternalServerError (>= 500)
```

The three helper errors live beside their helpers (``_polling.py``, ``_upload.py``,
``_pagination.py``), so a package has, and exports, only those its spec's helpers can raise.

Errors never carry credentials: the client hands every error a copy of the request with every
credential replaced (in headers and query), and redacts them from the message text as well. Every
error says how many attempts were made (``attempts``); the message ends with "after N attempts"
when the call was retried. A request that is not safe to repeat, and failed in a way that does not
prove the server did nothing (an answer lost, a 500), is not sent again: its error says it "may
have been applied" and which call checks (``maybe_applied`` and ``check``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

_MESSAGE_KEYS = ("message", "detail", "error", "error_description", "title")
# A 5 MB HTML error page must not become a 5 MB exception message in a build log.
_MAX_MESSAGE = 500


class ClientError(Exception):
    """Base of every exception this package raises."""


class ConfigurationError(ClientError, ValueError):
    """A credential or the base URL is missing or invalid: at construction, or (for an
    operation whose security requirements the credentials given do not meet) before sending."""


class APIError(ClientError):
    """A request to the API failed; ``method`` and ``url`` say which."""

    def __init__(self, message: str, *, request: httpx.Request, attempts: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.method = request.method
        self.url = str(request.url)
        self.attempts = attempts
        # Not re-sent because the server may have acted on it; ``check`` (resource, method)
        # names the call that reads what it did, when the API has one.
        self.maybe_applied = False
        self.check: tuple[str, str] | None = None


class APIConnectionError(APIError):
    """No response arrived: connection refused or dropped, DNS failure, TLS failure."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIResponseValidationError(APIError):
    """A 2xx response whose body does not match the spec (not JSON, empty, wrong shape)."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: object, attempts: int = 1
    ) -> None:
        super().__init__(message, request=response.request, attempts=attempts)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body


class APIStatusError(APIError):
    """The API answered with a non-2xx status."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: object, attempts: int = 1
    ) -> None:
        super().__init__(message, request=response.request, attempts=attempts)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized: the API key is missing or invalid."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden: the key may not do this."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity: the request was understood but is invalid."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """A 5xx answer."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def attempts_note(attempts: int) -> str:
    """The end of a final error's message: how many attempts the call took."""
    return f" (after {attempts} attempts)" if attempts > 1 else ""


def applied_note(check: str) -> str:
    """The end of the message of a call that was not re-sent because it may have been applied."""
    return f"; it may have been applied: check {check} before sending it again"


def library_check(check: tuple[str, str] | None) -> str:
    """How a caller of the library checks what the call did."""
    if check is None:
        return "what the API holds"
    return f"with client.{check[0]}.{check[1]}()"


def parse_error_body(response: httpx.Response, redact: Callable[[str], str] = str) -> object:
    """The error body as JSON when it is JSON, else as text ("" when empty); secrets redacted."""
    text = redact(response.text)
    try:
        return json.loads(text) if text else ""
    except ValueError:
        return text


def error_message(body: object) -> str | None:
    """The human message in an error body of any common shape, if there is one."""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            value: Any = body.get(key)
            if isinstance(value, str) and value:
                return value[:_MAX_MESSAGE]
            if value:
                return json.dumps(value, sort_keys=True)[:_MAX_MESSAGE]
    if isinstance(body, str) and body.strip():
        return body.strip()[:_MAX_MESSAGE]
    return None


def status_error(
    response: httpx.Response, attempts: int = 1, redact: Callable[[str], str] = str
) -> APIStatusError:
    """The typed exception for a non-2xx response (any status code, listed by IANA or not)."""
    body = parse_error_body(response, redact)
    status = response.status_code
    cls = _BY_STATUS.get(status, InternalServerError if status >= 500 else APIStatusError)
    detail = error_message(body)
    request = response.request
    message = f"{request.method} {request.url} -> {status}"
    if response.reason_phrase:
        message += f" {response.reason_phrase}"
    if detail:
        message += f": {detail}"
    if response.is_redirect:
        message += " (redirects are not followed unless the client has follow_redirects=True)"
    message = redact(message) + attempts_note(attempts)
    return cls(message, response=response, body=body, attempts=attempts)
