"""What the fault-injection tests share: a fake clock, the faults, and how to call any operation.

Each :class:`Fault` answers the n-th request of a call (or raises the httpx error a real
transport would raise) and says what the client must do about it, given what the spec says about
the operation (idempotent or not, what its 2xx body looks like, the API's default Retry-After).
"""

from __future__ import annotations

import email.utils
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.specs import APIS, Op, deref, operations, package

KEY = "sk-LEAKCHECK-0123456789"
BASE_URL = "https://api.test.invalid/v1"
ATTEMPTS = 3  # the default max_retries=2, plus the first attempt
START = 1_800_000_000.0
HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
BIG = 5 * 1024 * 1024


class FakeClock:
    """A clock whose sleeps return at once and are recorded."""

    def __init__(self) -> None:
        self.time = START
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass(frozen=True)
class OpInfo:
    """What the spec says about an operation that decides a fault's outcome."""

    op: Op
    idempotent: bool
    has_body: bool  # the 2xx answer has a JSON body to parse
    strict_shape: bool  # the 2xx schema requires fields, so an error-shaped body cannot pass
    success_status: int
    success_example: Any
    default_retry_after: float | None
    authenticated: bool  # the operation sends the key at all

    @property
    def id(self) -> str:
        return f"{self.op.api}.{self.op.operation_id}"


def op_info(op: Op) -> OpInfo:
    """The facts about ``op`` a fault needs, read from the spec."""
    status = op.success_status()
    response = deref(op.doc, op.raw["responses"][str(status)])
    media = (response.get("content") or {}).get("application/json")
    schema = deref(op.doc, (media or {}).get("schema") or {})
    examples = [v for s, _, v in op.response_examples() if s == status]
    declared = op.raw.get("x-idempotent")
    retry = op.doc.get("x-retry") or {}
    return OpInfo(
        op=op,
        idempotent=op.method in ("get", "put", "delete") if declared is None else declared,
        has_body=media is not None,
        strict_shape=bool(schema.get("required")),
        success_status=status,
        success_example=examples[0] if examples else None,
        default_retry_after=retry.get("default-retry-after"),
        authenticated=bool(op.raw.get("security", op.doc.get("security"))),
    )


def all_ops() -> list[OpInfo]:
    """Every operation of every API."""
    return [op_info(op) for api in APIS for op in operations(api)]


def success(info: OpInfo, **extra: Any) -> httpx.Response:
    """The operation's documented 2xx answer."""
    if not info.has_body:
        return httpx.Response(info.success_status)
    body = info.success_example
    if extra:
        body = {**body, **extra}
    return httpx.Response(info.success_status, json=body)


@dataclass(frozen=True)
class Expect:
    """The exact outcome of a call: the error class name (or None for a result) and requests."""

    error: str | None
    requests: int
    sleeps: Callable[[list[float]], bool] = field(default=lambda s: True)
    # The result is a model flagged as not matching the spec (lenient parsing of a drifted body).
    flagged: bool = False


Responder = Callable[[OpInfo, int, httpx.Request, FakeClock], httpx.Response]


@dataclass(frozen=True)
class Fault:
    """One way a call can go wrong, and what the client must do about it."""

    name: str
    respond: Responder
    expect: Callable[[OpInfo], Expect]
    # True when the server may have acted on the request: a non-idempotent op must not be re-sent.
    maybe_processed: bool = False
    # The client is built with strict_responses=True.
    strict: bool = False


def _raise(exc_type: type[httpx.TransportError], message: str) -> Responder:
    def respond(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
        raise exc_type(message, request=request)

    return respond


def _status(status: int, **kwargs: Any) -> Responder:
    def respond(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
        return httpx.Response(status, **kwargs)

    return respond


def _then_ok(first: Responder) -> Responder:
    def respond(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
        return first(info, n, request, clock) if n == 1 else success(info)

    return respond


def _retry_after_date(seconds: int) -> Responder:
    def respond(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
        date = email.utils.formatdate(clock.now() + seconds, usegmt=True)
        return httpx.Response(429, headers={"Retry-After": date}, json={"message": "slow down"})

    return respond


class _BrokenStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body whose connection drops halfway, as a truncated chunked response does."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"partial": '
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")

    async def __aiter__(self) -> Any:
        yield b'{"partial": '
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def _truncated_stream(
    info: OpInfo, n: int, request: httpx.Request, clock: FakeClock
) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=_BrokenStream())


def _body_ok(content: bytes, content_type: str = "application/json") -> Responder:
    def respond(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
        return httpx.Response(
            info.success_status, content=content, headers={"Content-Type": content_type}
        )

    return respond


def _truncated_json(
    info: OpInfo, n: int, request: httpx.Request, clock: FakeClock
) -> httpx.Response:
    text = json.dumps(info.success_example if info.has_body else {"id": 1})
    return httpx.Response(
        info.success_status,
        content=text[: len(text) // 2].encode(),
        headers={"Content-Type": "application/json"},
    )


def _wrong_content_type(
    info: OpInfo, n: int, request: httpx.Request, clock: FakeClock
) -> httpx.Response:
    content = json.dumps(info.success_example).encode() if info.has_body else b""
    return httpx.Response(
        info.success_status, content=content, headers={"Content-Type": "text/plain"}
    )


def _large_ok(info: OpInfo, n: int, request: httpx.Request, clock: FakeClock) -> httpx.Response:
    return (
        success(info, padding="x" * BIG)
        if info.has_body
        else httpx.Response(info.success_status, content=b" " * BIG)
    )


# Expectations, by the rule of _retry.py: never-sent and not-processed failures are retried for
# every operation; may-have-been-processed failures only for idempotent ones.
def _always(error: str) -> Callable[[OpInfo], Expect]:
    return lambda info: Expect(error, ATTEMPTS, _backoff)


def _if_idempotent(error: str) -> Callable[[OpInfo], Expect]:
    return lambda info: Expect(error, ATTEMPTS if info.idempotent else 1, _backoff)


def _once(error: str | None) -> Callable[[OpInfo], Expect]:
    return lambda info: Expect(error, 1)


def _recovers_if_idempotent(error: str) -> Callable[[OpInfo], Expect]:
    return lambda info: Expect(None, 2) if info.idempotent else Expect(error, 1)


def _parsed(info: OpInfo) -> Expect:
    """A bad 2xx body fails only where a body is parsed."""
    return Expect("APIResponseValidationError" if info.has_body else None, 1)


def _error_shaped(info: OpInfo) -> Expect:
    return Expect("APIResponseValidationError" if info.has_body and info.strict_shape else None, 1)


def _flagged(mismatched: Callable[[OpInfo], bool]) -> Callable[[OpInfo], Expect]:
    """Lenient: a JSON body that does not match comes back as its model, flagged."""
    return lambda info: Expect(None, 1, flagged=mismatched(info))


def _backoff(sleeps: list[float]) -> bool:
    """Exponential from 0.5 s, doubling, with up to 25 % jitter taken off."""
    return all(0.75 * 0.5 * 2**i <= s <= 0.5 * 2**i for i, s in enumerate(sleeps))


def _rate_limited(info: OpInfo) -> Expect:
    wait = info.default_retry_after
    check = _backoff if wait is None else (lambda s: s == [wait] * (ATTEMPTS - 1))
    return Expect("RateLimitError", ATTEMPTS, check)


def _waits(seconds: float) -> Callable[[OpInfo], Expect]:
    return lambda info: Expect(
        "RateLimitError", ATTEMPTS, lambda s: s == [seconds] * (ATTEMPTS - 1)
    )


_ERROR_SHAPED = b'{"message": "Internal error", "detail": "boom"}'
FAULTS = [
    Fault(
        "connect_refused",
        _raise(httpx.ConnectError, "[Errno 111] Connection refused"),
        _always("APIConnectionError"),
    ),
    Fault("connect_timeout", _raise(httpx.ConnectTimeout, "timed out"), _always("APITimeoutError")),
    Fault(
        "pool_timeout",
        _raise(httpx.PoolTimeout, "no connection available"),
        _always("APITimeoutError"),
    ),
    Fault(
        "read_timeout",
        _raise(httpx.ReadTimeout, "timed out"),
        _if_idempotent("APITimeoutError"),
        True,
    ),
    Fault(
        "write_timeout",
        _raise(httpx.WriteTimeout, "timed out"),
        _if_idempotent("APITimeoutError"),
        True,
    ),
    Fault(
        "reset_after_send",
        _raise(httpx.RemoteProtocolError, "Server disconnected without sending a response."),
        _if_idempotent("APIConnectionError"),
        True,
    ),
    Fault(
        "read_error",
        _raise(httpx.ReadError, "[Errno 104] Connection reset by peer"),
        _if_idempotent("APIConnectionError"),
        True,
    ),
    Fault("truncated_stream", _truncated_stream, _if_idempotent("APIConnectionError"), True),
    Fault("status_408", _status(408, json={"message": "timeout"}), _always("APIStatusError")),
    Fault("status_429", _status(429, json={"message": "Too many requests"}), _rate_limited),
    Fault(
        "status_429_retry_after_seconds", _status(429, headers={"Retry-After": "7"}), _waits(7.0)
    ),
    Fault("status_429_retry_after_date", _retry_after_date(30), _waits(30.0)),
    Fault(
        "status_429_retry_after_capped", _status(429, headers={"Retry-After": "3600"}), _waits(60.0)
    ),
    Fault(
        "status_429_retry_after_garbage",
        _status(429, headers={"Retry-After": "soon"}),
        _rate_limited,
    ),
    Fault(
        "status_500",
        _status(500, json={"message": "boom"}),
        _if_idempotent("InternalServerError"),
        True,
    ),
    Fault(
        "status_502_html",
        _status(502, content=HTML.encode(), headers={"Content-Type": "text/html"}),
        _if_idempotent("InternalServerError"),
        True,
    ),
    Fault("status_503", _status(503, text="Service Unavailable"), _always("InternalServerError")),
    Fault(
        "status_503_retry_after",
        _status(503, headers={"Retry-After": "2"}),
        lambda i: Expect("InternalServerError", ATTEMPTS, lambda s: s == [2.0, 2.0]),
    ),
    Fault("status_504", _status(504, text=""), _if_idempotent("InternalServerError"), True),
    Fault(
        "status_520",
        _status(520, text="Web server is returning an unknown error"),
        _once("InternalServerError"),
        True,
    ),
    Fault(
        "status_499",
        _status(499, json={"detail": "client closed request"}),
        _once("APIStatusError"),
    ),
    Fault("status_400", _status(400, json={"message": "bad"}), _once("BadRequestError")),
    Fault("status_401_text", _status(401, text="Unauthorized"), _once("AuthenticationError")),
    Fault(
        "status_403",
        _status(403, json={"error": "Invalid or expired API key"}),
        _once("PermissionDeniedError"),
    ),
    Fault("status_404", _status(404, json={"message": "Not found"}), _once("NotFoundError")),
    Fault("status_409", _status(409, json={"detail": "exists"}), _once("ConflictError")),
    Fault(
        "status_422",
        _status(422, json={"detail": [{"loc": ["body"], "msg": "bad"}]}),
        _once("UnprocessableEntityError"),
    ),
    Fault(
        "status_500_bad_charset",
        _status(
            500, content=b"\xff\xfe oops", headers={"Content-Type": "text/html; charset=bogus"}
        ),
        _if_idempotent("InternalServerError"),
        True,
    ),
    Fault(
        "status_500_huge_html",
        _status(500, content=b"<html>" + b"x" * BIG, headers={"Content-Type": "text/html"}),
        _if_idempotent("InternalServerError"),
        True,
    ),
    Fault("recovers_after_503", _then_ok(_status(503)), lambda i: Expect(None, 2)),
    Fault(
        "recovers_after_429",
        _then_ok(_status(429, headers={"Retry-After": "1"})),
        lambda i: Expect(None, 2, lambda s: s == [1.0]),
    ),
    Fault(
        "recovers_after_connect_error",
        _then_ok(_raise(httpx.ConnectError, "refused")),
        lambda i: Expect(None, 2),
    ),
    Fault(
        "recovers_after_500",
        _then_ok(_status(500)),
        _recovers_if_idempotent("InternalServerError"),
        True,
    ),
    Fault(
        "recovers_after_read_timeout",
        _then_ok(_raise(httpx.ReadTimeout, "timed out")),
        _recovers_if_idempotent("APITimeoutError"),
        True,
    ),
    Fault("ok_invalid_json", _body_ok(b"{not json"), _parsed),
    Fault("ok_truncated_json", _truncated_json, _parsed),
    Fault("ok_empty", _body_ok(b""), _parsed),
    Fault("ok_html", _body_ok(HTML.encode(), "text/html"), _parsed),
    Fault("ok_wrong_shape", _body_ok(b"[1, 2, 3]"), _flagged(lambda i: i.has_body)),
    Fault("ok_wrong_shape_strict", _body_ok(b"[1, 2, 3]"), _parsed, strict=True),
    Fault(
        "ok_error_shaped",
        _body_ok(_ERROR_SHAPED),
        _flagged(lambda i: i.has_body and i.strict_shape),
    ),
    Fault("ok_error_shaped_strict", _body_ok(_ERROR_SHAPED), _error_shaped, strict=True),
    Fault("ok_wrong_content_type", _wrong_content_type, _once(None)),
    Fault("ok_large", _large_ok, _once(None)),
]


def client_for(
    info: OpInfo,
    handler: Callable[[httpx.Request], httpx.Response],
    is_async: bool,
    clock: FakeClock,
    **options: Any,
) -> Any:
    """The API's sync or async client, sending through ``handler``, with the leak-check key."""
    pkg = package(info.op.api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    cls = getattr(pkg, ("Async" if is_async else "") + name)
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
    return cls(api_key=KEY, base_url=BASE_URL, http_client=http, clock=clock, **options)


def call_arguments(op: Op) -> tuple[list[Any], dict[str, Any]]:
    """Path arguments, required query arguments and the first request example's fields."""
    positional, keywords = op.args()
    examples = op.request_examples()
    if examples:
        model = getattr(package(op.api).models, op.request_model() or "")
        by_alias = {f.alias or n: n for n, f in model.model_fields.items()}
        keywords.update({by_alias[k]: v for k, v in next(iter(examples.values())).items()})
    return positional, keywords


async def call(info: OpInfo, client: Any, is_async: bool, **extra: Any) -> Any:
    """Call the operation through ``client``; return the result or the exception it raised."""
    positional, keywords = call_arguments(info.op)
    method = getattr(getattr(client, info.op.resource), info.op.method_name)
    try:
        if is_async:
            return await method(*positional, **keywords, **extra)
        return method(*positional, **keywords, **extra)
    except Exception as exc:  # noqa: BLE001 - the test asserts on exactly what came out
        return exc


def leaks(
    secret: str, exc: BaseException | None, client: Any, records: list[logging.LogRecord]
) -> list[str]:
    """Every place where ``secret`` shows: exception text, kept requests, reprs and log lines."""
    import traceback

    places: dict[str, str] = {"repr(client)": repr(client), "str(client)": str(client)}
    if exc is not None:
        places["traceback"] = "".join(traceback.format_exception(exc))
        chain: BaseException | None = exc
        depth = 0
        while chain is not None:
            places[f"exc[{depth}]"] = f"{chain!s} {chain!r} {chain.args!r} {vars(chain)!r}"
            request = getattr(chain, "_request", None) or getattr(chain, "request", None)
            if isinstance(request, httpx.Request):
                places[f"exc[{depth}].request"] = (
                    f"{request!r} {request.url} {request.headers.multi_items()!r}"
                )
            response = getattr(chain, "response", None)
            if isinstance(response, httpx.Response):
                kept = response.request
                places[f"exc[{depth}].response.request"] = (
                    f"{kept.url} {kept.headers.multi_items()!r}"
                )
            chain, depth = chain.__cause__ or chain.__context__, depth + 1
    for index, record in enumerate(records):
        places[f"log[{index}]"] = f"{record.getMessage()} {record.args!r}"
    return sorted(where for where, text in places.items() if secret in text)


CASES = [
    pytest.param(info, fault, id=f"{info.id}-{fault.name}")
    for info in all_ops()
    for fault in FAULTS
]
