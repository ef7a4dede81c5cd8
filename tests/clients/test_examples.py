"""Every vendor example, request and response, through the generated clients (sync and async).

Responses: the example served by an ``httpx.MockTransport`` comes back as a model whose JSON dump
equals the example (datetimes compared as instants). Requests: calling the method with the
example's values sends exactly the example body.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.specs import APIS, Op, instants, operations, package

ENV_KEYS = {api: f"{api.upper()}_API_KEY" for api in APIS}
BASE_URL = "https://api.test.invalid/v1"


def _cases(kind: str) -> list[Any]:
    cases = []
    for api in APIS:
        for op in operations(api):
            if kind == "response":
                for status, name, value in op.response_examples():
                    if 200 <= status < 300:
                        cases.append(
                            pytest.param(op, status, value, id=f"{op.operation_id}-{name}")
                        )
            else:
                for name, value in op.request_examples().items():
                    cases.append(pytest.param(op, value, id=f"{op.operation_id}-{name}"))
    return cases


def _client(op: Op, handler: Any, is_async: bool) -> Any:
    pkg = package(op.api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    cls = getattr(pkg, ("Async" if is_async else "") + name)
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
    return cls(api_key="test-key", base_url=BASE_URL, http_client=http)


def _kwargs(op: Op, body: dict[str, Any] | None) -> tuple[list[Any], dict[str, Any]]:
    positional, keywords = op.args()
    if body is not None:
        model = getattr(package(op.api).models, op.request_model() or "")
        by_alias = {f.alias or n: n for n, f in model.model_fields.items()}
        keywords.update({by_alias[k]: v for k, v in body.items()})
    return positional, keywords


async def _call(op: Op, client: Any, body: dict[str, Any] | None, is_async: bool) -> Any:
    positional, keywords = _kwargs(op, body)
    method = getattr(getattr(client, op.resource), op.method_name)
    return await method(*positional, **keywords) if is_async else method(*positional, **keywords)


def _first_request_example(op: Op) -> dict[str, Any] | None:
    examples = op.request_examples()
    return next(iter(examples.values())) if examples else None


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("op", "status", "example"), _cases("response"))
async def test_response_example_round_trips(
    op: Op, status: int, example: Any, is_async: bool
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=example)

    client = _client(op, handler, is_async)
    result = await _call(op, client, _first_request_example(op), is_async)
    dumped = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert instants(dumped) == instants(example)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("op", "example"), _cases("request"))
async def test_request_example_is_sent_exactly(op: Op, example: Any, is_async: bool) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        status = op.success_status()
        examples = [v for s, _, v in op.response_examples() if s == status]
        return httpx.Response(status, json=examples[0]) if examples else httpx.Response(status)

    client = _client(op, handler, is_async)
    await _call(op, client, example, is_async)
    assert len(sent) == 1
    assert sent[0].method == op.method.upper()
    assert sent[0].headers["content-type"] == "application/json"
    assert json.loads(sent[0].content) == example
