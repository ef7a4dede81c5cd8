"""The per-call options every generated method takes, checked on the wire over loopback HTTP.

``extra_headers``, ``extra_query`` and ``extra_body`` carry what the spec forgot (a header, a
beta flag, a field the vendor added yesterday): each goes on top of what the method sends and
replaces a value of the same name, sync and async alike.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.generator.conftest import Generate
from tests.generator.loopback import MARKED, SPEC, Server, package, serve


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serve()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from package(SPEC, "calls_api", tmp_path_factory.mktemp("calls"))


def _sync(pkg: ModuleType, server: Server, **options: Any) -> Any:
    return pkg.CallsApiClient(base_url=server.url, **{"max_retries": 0, **options})


def _async(pkg: ModuleType, server: Server, **options: Any) -> Any:
    return pkg.AsyncCallsApiClient(base_url=server.url, **{"max_retries": 0, **options})


def test_extra_headers_are_sent_and_replace_any_of_the_same_name(
    pkg: ModuleType, server: Server
) -> None:
    with _sync(pkg, server) as client:
        client.items.create(
            name="n",
            x_trace="declared",
            extra_headers={"x-trace": "mine", "X-Beta": "on", "user-agent": "probe/1"},
        )
    (seen,) = server.seen
    assert seen.headers["x-trace"] == "mine"
    assert seen.headers["x-beta"] == "on"
    assert seen.headers["user-agent"] == "probe/1"
    assert seen.headers["content-type"] == "application/json"


def test_extra_query_is_added_and_replaces_every_pair_of_the_same_name(
    pkg: ModuleType, server: Server
) -> None:
    with _sync(pkg, server) as client:
        client.items.list(q="declared", extra_query={"q": "mine", "tag": ["a", "b"], "n": 3})
        client.items.list(q="declared", extra_query={"q": None})
    first, second = server.seen
    assert first.query == [("q", "mine"), ("tag", "a"), ("tag", "b"), ("n", "3")]
    assert second.query == []


def test_extra_body_merges_into_the_json_object_and_wins(pkg: ModuleType, server: Server) -> None:
    with _sync(pkg, server) as client:
        client.items.create(name="n", note="x", extra_body={"note": "mine", "beta": {"on": True}})
        client.items.delete("7", extra_body={"reason": "gone"})
    created, deleted = server.seen
    assert created.json() == {"name": "n", "note": "mine", "beta": {"on": True}}
    assert deleted.json() == {"reason": "gone"}  # no body declared: the extra fields are it
    assert deleted.headers["content-type"] == "application/json"


def test_extra_body_merges_into_a_form(pkg: ModuleType, server: Server) -> None:
    with _sync(pkg, server) as client:
        client.forms.send(title="t", extra_body={"count": 2, "flag": "y"})
    (seen,) = server.seen
    assert seen.body == b"title=t&count=2&flag=y"


def test_extra_body_on_a_bytes_body_is_refused_before_sending(
    pkg: ModuleType, server: Server
) -> None:
    with _sync(pkg, server) as client, pytest.raises(TypeError, match="object body"):
        client.blobs.put("b", body=b"raw", extra_body={"x": 1})
    assert server.seen == []


def test_a_line_break_in_an_extra_header_is_refused(pkg: ModuleType, server: Server) -> None:
    with _sync(pkg, server) as client, pytest.raises(ValueError, match="line break"):
        client.items.list(extra_headers={"X-Evil": "a\r\nHost: elsewhere"})
    assert server.seen == []


def test_async_methods_take_the_same_extras(pkg: ModuleType, server: Server) -> None:
    async def run() -> None:
        async with _async(pkg, server) as client:
            await client.items.update(
                "7",
                name="n",
                size=1,
                extra_headers={"X-Beta": "on"},
                extra_query={"dry_run": True},
                extra_body={"size": 2},
            )

    asyncio.run(run())
    (seen,) = server.seen
    assert (seen.method, seen.path, seen.query) == ("PATCH", "/items/7", [("dry_run", "true")])
    assert seen.headers["x-beta"] == "on"
    assert seen.json() == {"name": "n", "size": 2}


def test_with_raw_response_passes_the_extras_through(pkg: ModuleType, server: Server) -> None:
    with _sync(pkg, server) as client:
        raw = client.items.with_raw_response.list(extra_headers={"X-Beta": "on"})
    assert raw.request.headers["x-beta"] == "on"


def test_a_json_field_is_null_only_when_given_as_none(pkg: ModuleType, server: Server) -> None:
    with _sync(pkg, server) as client:
        client.items.update("7", name="n", note=None)
        client.items.update("7", name="n")
        client.items.update("7", name="n", note=pkg.NOT_GIVEN, size=None)
    assert [seen.json() for seen in server.seen] == [
        {"name": "n", "note": None},
        {"name": "n"},
        {"name": "n", "size": None},
    ]


def test_a_query_object_sends_a_none_property_empty_and_leaves_out_the_rest(
    pkg: ModuleType, server: Server
) -> None:
    with _sync(pkg, server) as client:
        client.items.list(filter_={"owner": None, "state": "open"})
        client.items.list(filter_=pkg.models.Filter(owner=None, state="open"))
        client.items.list(filter_=pkg.models.Filter(state="open"))
    assert [seen.query for seen in server.seen] == [
        [("owner", ""), ("state", "open")],
        [("owner", ""), ("state", "open")],
        [("state", "open")],
    ]


def test_form_and_multipart_fields_given_as_none_are_sent_empty(
    pkg: ModuleType, server: Server
) -> None:
    with _sync(pkg, server) as client:
        client.forms.send(title=None, count=1)
        client.forms.send(count=1)
        client.uploads.create(file=b"x", description=None)
        client.uploads.create(file=b"x")
    with_none, without = server.seen[:2]
    assert (with_none.body, without.body) == (b"title=&count=1", b"count=1")
    parts = [_part_names(seen) for seen in server.seen[2:]]
    assert parts == [{"file": b"x", "description": b""}, {"file": b"x"}]


def _part_names(seen: Any) -> dict[str, bytes]:
    """The multipart parts of a request: name -> content."""
    from email.parser import BytesParser
    from email.policy import HTTP

    head = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + seen.body)
    found = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(content, bytes), part
        found[name] = content
    return found


def test_a_response_tells_null_from_absent(pkg: ModuleType, server: Server) -> None:
    server.answer = b'{"name": "n", "note": null}'
    with _sync(pkg, server) as client:
        item = client.items.create(name="n")
        strict = client.items.create(name="n", strict_responses=True)
        server.answer = b'{"name": 5, "note": null}'  # off the spec: parsed leniently
        lenient = client.items.create(name="n")
    for model in (item, strict, lenient):
        assert model.note is None and model.size is None
        assert model.model_fields_set == {"name", "note"}


def test_an_idempotency_key_is_made_once_per_call_and_kept_across_its_retries(
    pkg: ModuleType, server: Server
) -> None:
    server.statuses = [500, 502]  # a POST the server may have acted on: retried, with its key
    with _sync(pkg, server, max_retries=2) as client:
        client.items.create(name="n")
        client.items.create(name="n")
        client.items.create(name="n", idempotency_key="mine")
    keys = [seen.headers["idempotency-key"] for seen in server.seen]
    assert len(keys) == 5
    assert keys[0] == keys[1] == keys[2] != keys[3]
    assert str(uuid.UUID(keys[0])) == keys[0] and keys[4] == "mine"


def test_async_calls_make_their_own_idempotency_key_too(pkg: ModuleType, server: Server) -> None:
    server.statuses = [500]

    async def run() -> None:
        async with _async(pkg, server) as client:
            await client.items.create(name="n", max_retries=1)

    asyncio.run(run())
    first, retry = (seen.headers["idempotency-key"] for seen in server.seen)
    assert first == retry


def test_an_operation_without_an_idempotency_header_sends_none(
    pkg: ModuleType, server: Server
) -> None:
    server.statuses = [500]
    with _sync(pkg, server, max_retries=2) as client, pytest.raises(pkg.InternalServerError):
        client.forms.send(title="t")  # a POST without a key: not retried after a 500
    (seen,) = server.seen
    assert "idempotency-key" not in seen.headers


def test_event_hooks_of_an_injected_client_sign_and_count_every_attempt(
    pkg: ModuleType, server: Server
) -> None:
    statuses: list[int] = []

    def sign(request: httpx.Request) -> None:
        digest = hashlib.sha256(request.method.encode() + request.content).hexdigest()
        request.headers["X-Signature"] = digest

    def record(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    hooks: dict[str, list[Any]] = {"request": [sign], "response": [record]}
    server.statuses = [503]
    http = httpx.Client(event_hooks=hooks)
    with _sync(pkg, server, http_client=http, max_retries=1) as client:
        client.items.create(name="n")
    http.close()
    assert statuses == [503, 200]
    for seen in server.seen:
        assert seen.headers["x-signature"] == hashlib.sha256(b"POST" + seen.body).hexdigest()


def test_async_event_hooks_run_on_every_attempt(pkg: ModuleType, server: Server) -> None:
    paths: list[str] = []

    async def trace(request: httpx.Request) -> None:
        request.headers["traceparent"] = "00-" + "1" * 32 + "-" + "2" * 16 + "-01"

    async def record(response: httpx.Response) -> None:
        paths.append(f"{response.request.url.path} {response.status_code}")

    async def run() -> None:
        hooks: dict[str, list[Any]] = {"request": [trace], "response": [record]}
        async with httpx.AsyncClient(event_hooks=hooks) as http:
            client = _async(pkg, server, http_client=http, max_retries=1)
            await client.items.list()

    server.statuses = [503]
    asyncio.run(run())
    assert paths == ["/items 503", "/items 200"]
    assert all(seen.headers["traceparent"].startswith("00-111") for seen in server.seen)


CALLER = """
from __future__ import annotations

import io
from pathlib import Path

import httpx

from calls_api import AsyncCallsApiClient, CallsApiClient, NOT_GIVEN
from calls_api.models import Filter, Item


def sync_calls(client: CallsApiClient, report: Path) -> list[object]:
    item: Item = client.items.create(
        name="n",
        note=None,
        extra_headers={"X-Beta": "on"},
        extra_query={"dry_run": True, "ids": [1, 2]},
        extra_body={"beta": {"on": True}},
    )
    client.items.update("7", name="n", size=None, note=NOT_GIVEN)
    client.items.create(name="n", idempotency_key="order-42", max_retries=3)
    client.items.list(filter_=Filter(owner=None), extra_query={"q": None})
    client.forms.send(title=None)
    client.uploads.create(file=report, description="d")
    client.uploads.create(file=b"raw", extra=("notes.txt", io.BytesIO(b"hi"), "text/plain"))
    with report.open("rb") as handle:
        client.uploads.create(file=handle)
        client.blobs.put("b", body=handle)
    client.blobs.put("b", body=report)
    sent: set[str] = item.model_fields_set
    return [item, sent]


def sign(request: httpx.Request) -> None:
    request.headers["X-Signature"] = "..."


def record(response: httpx.Response) -> None:
    print(response.request.method, response.request.url.path, response.status_code)


def hooked() -> CallsApiClient:
    return CallsApiClient(
        http_client=httpx.Client(event_hooks={"request": [sign], "response": [record]})
    )


async def async_calls(client: AsyncCallsApiClient, report: Path) -> Item:
    await client.blobs.put("b", body=report, extra_headers={"X-Beta": "on"})
    await client.uploads.create(file=("a.png", b"x", "image/png"))
    return await client.items.create(name="n", extra_body={"beta": 1})
"""


def test_caller_code_as_the_readme_shows_passes_mypy_strict(pkg: ModuleType) -> None:
    from tests.generator.util import mypy_strict

    assert pkg.__file__ is not None
    root = Path(pkg.__file__).parent.parent
    (root / "caller.py").write_text(CALLER, "utf-8")
    result = mypy_strict([root / "caller.py", root / "calls_api"], root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_header_marked_x_idempotency_key_carries_the_key(
    generate: Generate, server: Server
) -> None:
    pkg = generate(MARKED, "marked_api")
    server.statuses = [502]
    with pkg.MarkedApiClient(base_url=server.url, max_retries=1) as client:
        client.charges.create()  # required in the spec, made by the client
    first, retry = (seen.headers["x-request-token"] for seen in server.seen)
    assert first == retry and uuid.UUID(first)
