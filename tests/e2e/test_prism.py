"""Every operation of every generated client, sync and async, over real HTTP against Prism.

Prism serves each spec on 127.0.0.1 with request validation as errors (see prism.py). First pass:
each operation called with each documented request example, then with every body field and every
optional query parameter filled, must return the typed result equal to the example Prism serves. Second pass:
each documented error status, asked for with ``Prefer: code=...``, must raise the typed error of
that status carrying the documented body. No response may carry Prism's ``sl-violations`` header,
and each server's log must end with no request or response violation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.calls import (
    APIStatusErrorLike,
    body_keywords,
    call,
    close,
    error_class,
    make_client,
    sample_schema_value,
    sample_value,
)
from tests.e2e.prism import Prism
from tests.specs import APIS, Op, deref, instants, operations

KEY = "prism-test-key"
DEFAULT_ERROR_STATUS = 400  # the status asked for when the spec documents only `default`


def _json_examples(op: Op, key: str) -> dict[str, Any]:
    response = deref(op.doc, op.raw["responses"][key])
    media = (response.get("content") or {}).get("application/json") or {}
    return {name: deref(op.doc, ex)["value"] for name, ex in (media.get("examples") or {}).items()}


def _request_schema(op: Op) -> dict[str, Any] | None:
    body = deref(op.doc, op.raw.get("requestBody") or {})
    media = (body.get("content") or {}).get("application/json")
    return media["schema"] if media else None


def _success_cases() -> list[Any]:
    cases = []
    for api in APIS:
        for op in operations(api):
            bodies = op.request_examples() or {"no-body": None}
            for name, body in bodies.items():
                cases.append(pytest.param(op, body, False, id=f"{api}/{op.operation_id}-{name}"))
            schema = _request_schema(op)
            if schema is not None:
                body = sample_schema_value(op.doc, schema)
                cases.append(
                    pytest.param(op, body, False, id=f"{api}/{op.operation_id}-every-field")
                )
            if any(p["in"] == "query" and not p.get("required") for p in op.parameters()):
                body = next(iter(bodies.values()))
                cases.append(
                    pytest.param(op, body, True, id=f"{api}/{op.operation_id}-every-parameter")
                )
    return cases


def _error_cases() -> list[Any]:
    cases = []
    for api in APIS:
        for op in operations(api):
            for key in op.raw["responses"]:
                if str(key).startswith("2"):
                    continue
                status = DEFAULT_ERROR_STATUS if key == "default" else int(key)
                names: list[str | None] = [*_json_examples(op, str(key))] or [None]
                for name in names:
                    label = f"{api}/{op.operation_id}-{key}" + (f"-{name}" if name else "")
                    cases.append(pytest.param(ErrorCase(op, str(key), status, name), id=label))
    return cases


@dataclass(frozen=True)
class ErrorCase:
    """One documented error: the response key, the status asked for, the example asked for."""

    op: Op
    key: str
    status: int
    example: str | None


class Exchange:
    """httpx event hooks: add a ``Prefer`` header, and keep every response read in full."""

    def __init__(self, prefer: str | None = None) -> None:
        self.prefer = prefer
        self.responses: list[httpx.Response] = []

    def hooks(self, is_async: bool) -> dict[str, list[Callable[..., Any]]]:
        if is_async:
            return {"request": [self.async_request], "response": [self.async_response]}
        return {"request": [self.sync_request], "response": [self.sync_response]}

    def sync_request(self, request: httpx.Request) -> None:
        if self.prefer:
            request.headers["Prefer"] = self.prefer

    async def async_request(self, request: httpx.Request) -> None:
        self.sync_request(request)

    def sync_response(self, response: httpx.Response) -> None:
        response.read()
        self.responses.append(response)

    async def async_response(self, response: httpx.Response) -> None:
        await response.aread()
        self.responses.append(response)

    def single(self) -> httpx.Response:
        """The call's one response (retries are off), after checking Prism found nothing wrong."""
        assert len(self.responses) == 1, f"expected one exchange, saw {len(self.responses)}"
        for response in self.responses:
            violations = response.headers.get("sl-violations")
            request = response.request
            assert violations is None, f"Prism: {request.method} {request.url}: {violations}"
        return self.responses[-1]


def _arguments(
    op: Op, body: dict[str, Any] | None, every: bool
) -> tuple[list[Any], dict[str, Any]]:
    positional, keywords = op.args()
    if every:
        for param in op.parameters():
            if param["in"] == "query" and param["name"] not in keywords:
                keywords[param["name"]] = sample_value(op, param)
    keywords.update(body_keywords(op, body))
    return positional, keywords


async def _run(
    op: Op,
    server: Prism,
    exchange: Exchange,
    arguments: tuple[list[Any], dict[str, Any]],
    is_async: bool,
) -> Any:
    client = make_client(
        op.api, is_async, server.base_url, KEY, event_hooks=exchange.hooks(is_async)
    )
    try:
        return await call(op, client, *arguments, is_async)
    finally:
        await close(client, is_async)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("op", "body", "every"), _success_cases())
async def test_operation_returns_typed_result(
    op: Op, body: dict[str, Any] | None, every: bool, is_async: bool, prism: Callable[[str], Prism]
) -> None:
    exchange = Exchange()
    result = await _run(op, prism(op.api), exchange, _arguments(op, body, every), is_async)
    response = exchange.single()
    status = op.success_status()
    assert response.status_code == status
    examples = _json_examples(op, str(status))
    if examples:
        dumped = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
        assert instants(dumped) == instants(next(iter(examples.values())))
    else:
        assert result is None


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("case", _error_cases())
async def test_documented_error_raises_typed_error(
    case: ErrorCase, is_async: bool, prism: Callable[[str], Prism]
) -> None:
    op, status = case.op, case.status
    exchange = Exchange(f"code={status}" + (f", example={case.example}" if case.example else ""))
    bodies = op.request_examples()
    arguments = _arguments(op, next(iter(bodies.values())) if bodies else None, every=False)
    expected = error_class(op.api, status)
    with pytest.raises(expected) as caught:
        await _run(op, prism(op.api), exchange, arguments, is_async)
    error = caught.value
    assert type(error) is expected
    assert isinstance(error, APIStatusErrorLike)
    assert exchange.single().status_code == status == error.status_code
    documented = _json_examples(op, case.key)
    assert error.body == (documented[case.example] if case.example else "")


@pytest.mark.parametrize("api", APIS)
def test_prism_logged_no_violation(api: str, prism: Callable[[str], Prism]) -> None:
    """Runs after the calls above (file order): the whole log of the session, not one reply."""
    log = prism(api).log_text()
    assert "Request received" in log, f"no request reached Prism for {api}"
    violations = [line for line in log.splitlines() if "Violation" in line or "✖" in line]
    assert not violations, "\n".join(violations[:20])
