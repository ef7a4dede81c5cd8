"""Secrets and hostile input: redirects, path and header injection, reprs, logs, overrides.

The matrix covers what the network does to a call; these cover what a caller, a server's
redirect or a hostile value does, for every API, sync and async where the client differs.
"""

from __future__ import annotations

import http.server
import logging
import re
import socket
import ssl
import threading
from typing import Any

import httpx
import pytest

from tests.faults.harness import (
    BASE_URL,
    KEY,
    FakeClock,
    OpInfo,
    all_ops,
    call,
    client_for,
    leaks,
    success,
)
from tests.specs import APIS, package

PATH_APIS = sorted({i.op.api for i in all_ops() if "{" in i.op.path})
ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


def _first(api: str, with_path_param: bool = False) -> OpInfo:
    """The first authenticated operation of ``api`` (with a path parameter if asked)."""
    return next(
        i
        for i in all_ops()
        if i.op.api == api and i.authenticated and (not with_path_param or "{" in i.op.path)
    )


def _recorder(info: OpInfo, sent: list[httpx.Request], answer: Any = None) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer(request) if answer else success(info)

    return handler


@ASYNC
@pytest.mark.parametrize("api", APIS)
async def test_redirects_are_not_followed_by_default(api: str, is_async: bool) -> None:
    info = _first(api)
    sent: list[httpx.Request] = []
    handler = _recorder(
        info, sent, lambda r: httpx.Response(302, headers={"Location": "https://evil.invalid/x"})
    )
    # Even an httpx client configured to follow redirects must not carry the key away.
    transport = httpx.MockTransport(handler)
    http_cls = httpx.AsyncClient if is_async else httpx.Client
    pkg = package(api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    cls = getattr(pkg, ("Async" if is_async else "") + name)
    client = cls(
        KEY, base_url=BASE_URL, http_client=http_cls(transport=transport, follow_redirects=True)
    )
    outcome = await call(info, client, is_async)
    assert isinstance(outcome, pkg.APIStatusError) and outcome.status_code == 302
    assert "follow_redirects=True" in str(outcome)
    assert [r.url.host for r in sent] == ["api.test.invalid"]


def _hop(target: str) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.test.invalid" and "hop" not in request.url.params:
            return httpx.Response(307, headers={"Location": target})
        return httpx.Response(599)  # the test reads the request, not this answer

    return answer


@ASYNC
@pytest.mark.parametrize("api", APIS)
async def test_cross_origin_redirect_drops_the_key(api: str, is_async: bool) -> None:
    info = _first(api)
    sent: list[httpx.Request] = []
    clock = FakeClock()
    client = client_for(
        info,
        _recorder(info, sent, _hop("https://elsewhere.invalid/x")),
        is_async,
        clock,
        follow_redirects=True,
    )
    await call(info, client, is_async)
    assert [r.url.host for r in sent] == ["api.test.invalid", "elsewhere.invalid"]
    assert KEY in str(sent[0].headers.multi_items())
    assert KEY not in f"{sent[1].url} {sent[1].headers.multi_items()}"
    assert sent[1].method == sent[0].method and sent[1].content == sent[0].content  # 307 keeps both


@ASYNC
@pytest.mark.parametrize("api", APIS)
async def test_same_origin_redirect_keeps_the_key(api: str, is_async: bool) -> None:
    info = _first(api)
    sent: list[httpx.Request] = []
    client = client_for(
        info,
        _recorder(info, sent, _hop(BASE_URL + "/moved?hop=1")),
        is_async,
        FakeClock(),
        follow_redirects=True,
    )
    await call(info, client, is_async)
    assert len(sent) == 2
    assert KEY in str(sent[1].headers.multi_items())


def test_303_turns_a_post_into_a_bodiless_get() -> None:
    info = _first("panto")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if len(sent) == 1:
            return httpx.Response(303, headers={"Location": "/status"})
        return success(info)

    client = client_for(
        info, _recorder(info, sent, answer), False, FakeClock(), follow_redirects=True
    )
    assert not isinstance(call_sync(info, client), Exception)
    assert (sent[0].method, sent[1].method, sent[1].content) == ("POST", "GET", b"")
    assert "content-type" not in sent[1].headers


def call_sync(info: OpInfo, client: Any) -> Any:
    import asyncio

    return asyncio.run(call(info, client, False))


def test_redirect_loops_end_in_a_typed_error() -> None:
    info = _first("autosana")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": f"/loop/{len(sent)}"})

    pkg = package("autosana")
    client = client_for(
        info, _recorder(info, sent, answer), False, FakeClock(), follow_redirects=True
    )
    outcome = call_sync(info, client)
    assert isinstance(outcome, pkg.APIConnectionError) and "redirects" in str(outcome)
    assert len(sent) == 21


HOSTILE = {
    "../admin": "..%2Fadmin",
    "a/b?c": "a%2Fb%3Fc",
    "..": "%2E%2E",
    ".": "%2E",
    "x#frag": "x%23frag",
    "%2e%2e": "%252e%252e",
    "sp ace": "sp%20ace",
}


@pytest.mark.parametrize("api", PATH_APIS)
@pytest.mark.parametrize("value", sorted(HOSTILE))
def test_path_parameters_stay_in_their_segment(api: str, value: str) -> None:
    info = _first(api, with_path_param=True)
    sent: list[httpx.Request] = []
    client = client_for(info, _recorder(info, sent), False, FakeClock())
    positional, keywords = _args(info)
    getattr(getattr(client, info.op.resource), info.op.method_name)(
        value, *positional[1:], **keywords
    )
    expected = "/v1" + re.sub(r"{[^{}]+}", HOSTILE[value], info.op.path, count=1)
    assert sent[0].url.raw_path.decode().split("?")[0] == expected, sent[0].url
    assert sent[0].url.host == "api.test.invalid" and not sent[0].url.fragment


def _args(info: OpInfo) -> tuple[list[Any], dict[str, Any]]:
    from tests.faults.harness import call_arguments

    return call_arguments(info.op)


@pytest.mark.parametrize("api", PATH_APIS)
def test_an_empty_path_parameter_is_refused_before_sending(api: str) -> None:
    info = _first(api, with_path_param=True)
    sent: list[httpx.Request] = []
    client = client_for(info, _recorder(info, sent), False, FakeClock())
    positional, keywords = _args(info)
    with pytest.raises(ValueError, match="must not be empty"):
        getattr(getattr(client, info.op.resource), info.op.method_name)(
            "", *positional[1:], **keywords
        )
    assert sent == []


@pytest.mark.parametrize("api", APIS)
def test_header_values_with_line_breaks_are_refused(api: str) -> None:
    runtime = package(api)._request
    options = runtime.RequestOptions(method="GET", path="/x", headers={"X-Trace": "a\r\nX-Evil: 1"})
    with pytest.raises(ValueError, match="line break"):
        runtime.build_headers(options)
    pkg = package(api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    with pytest.raises(pkg.ConfigurationError, match="line break"):
        getattr(pkg, name)("key\r\nX-Evil: 1", base_url=BASE_URL)


@pytest.mark.parametrize("api", APIS)
def test_client_repr_and_vars_of_errors_hide_the_key(api: str) -> None:
    info = _first(api)
    client = client_for(info, lambda r: success(info), False, FakeClock())
    assert KEY not in repr(client) and KEY not in str(client)


@ASYNC
@pytest.mark.parametrize("api", APIS)
async def test_a_server_echoing_the_key_does_not_leak_it(api: str, is_async: bool) -> None:
    info = _first(api)
    sent: list[httpx.Request] = []
    body = {"message": f"invalid key {KEY}", "detail": f"invalid key {KEY}"}
    client = client_for(
        info, _recorder(info, sent, lambda r: httpx.Response(401, json=body)), is_async, FakeClock()
    )
    outcome = await call(info, client, is_async)
    assert isinstance(outcome, package(api).AuthenticationError)
    assert leaks(KEY, outcome, client, []) == []
    assert KEY not in repr(outcome.body)
    assert "invalid key [REDACTED]" in outcome.message


@ASYNC
async def test_max_retries_per_client_and_per_call(is_async: bool) -> None:
    info = _first("autosana")
    sent: list[httpx.Request] = []
    handler = _recorder(info, sent, lambda r: httpx.Response(503))
    client = client_for(info, handler, is_async, FakeClock(), max_retries=5)
    await call(info, client, is_async)
    assert len(sent) == 6
    sent.clear()
    await call(info, client, is_async, max_retries=0)
    assert len(sent) == 1


def test_max_retries_must_be_a_non_negative_int() -> None:
    info = _first("autosana")
    with pytest.raises(ValueError, match="max_retries"):
        client_for(info, lambda r: success(info), False, FakeClock(), max_retries=-1)


@ASYNC
async def test_timeouts_are_finite_by_default_and_overridable_per_call(is_async: bool) -> None:
    info = _first("autosana")
    sent: list[httpx.Request] = []
    client = client_for(info, _recorder(info, sent), is_async, FakeClock())
    await call(info, client, is_async)
    await call(info, client, is_async, timeout=3.0)
    default, override = (r.extensions["timeout"] for r in sent)
    assert default == {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    assert override == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}


@pytest.mark.parametrize("api", APIS)
def test_tls_verification_is_on_for_the_owned_http_client(api: str) -> None:
    pkg = package(api)
    options = {"api_key": KEY, "base_url": "https://api.test.invalid"}
    name = _client_name(pkg)
    for client in (getattr(pkg, name)(**options), getattr(pkg, "Async" + name)(**options)):
        transport = client._http._transport
        # No public accessor for a transport's SSL context: its pool's.
        tls = transport.transport_for("https")._pool._ssl_context
        assert tls.check_hostname is True and tls.verify_mode == ssl.CERT_REQUIRED
        assert tls.cert_store_stats()["x509_ca"] > 0
        # Plain HTTP never does TLS; its context could not trust a server if it did.
        plain = transport.transport_for("http")._pool._ssl_context
        assert plain.verify_mode == ssl.CERT_REQUIRED and plain.cert_store_stats()["x509_ca"] == 0


def _client_name(pkg: Any) -> str:
    name: str = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    return name


def test_a_server_with_an_untrusted_certificate_is_refused_until_trusted(
    testmo_server: Any, loopback_certificate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = package("testmo")
    options = {"api_key": KEY, "base_url": testmo_server.base_url, "max_retries": 0}
    with (
        pkg.TestmoClient(**options) as client,
        pytest.raises(pkg.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.automation_runs.get(1)
    monkeypatch.setenv("SSL_CERT_FILE", str(loopback_certificate.cert))
    with pkg.TestmoClient(**options) as trusted:
        assert trusted.automation_runs.get(7).result.id == 7


@pytest.mark.parametrize("api", APIS)
def test_log_env_var_turns_on_debug_lines(
    api: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = package(api)
    prefix = api.upper()
    monkeypatch.setenv(f"{prefix}_LOG", "debug")
    logger = logging.getLogger(api)
    try:
        info = _first(api)
        client = client_for(info, lambda r: httpx.Response(503), False, FakeClock())
        assert logger.level == logging.DEBUG
        call_sync(info, client)
    finally:
        for handler in logger.handlers[:]:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    err = capsys.readouterr().err
    assert f"{info.op.method.upper()} https://api.test.invalid/v1/" in err
    assert "-> 503 in" in err and "(attempt 3 of 3)" in err and "retrying" in err
    assert KEY not in err
    assert pkg is not None


@ASYNC
async def test_a_real_refused_connection_is_retried_then_typed(is_async: bool) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bind, read it, close
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    info = _first("autosana")
    pkg = package("autosana")
    cls = pkg.AsyncAutosanaClient if is_async else pkg.AutosanaClient
    clock = FakeClock()
    client = cls(KEY, base_url=f"http://127.0.0.1:{port}", clock=clock)
    outcome = await call(info, client, is_async)
    assert type(outcome) is pkg.APIConnectionError
    assert outcome.attempts == 3 and len(clock.sleeps) == 2
    assert leaks(KEY, outcome, client, []) == []


def test_a_redirect_to_an_invalid_url_is_a_typed_error() -> None:
    # httpx itself refuses the Location (a protocol error), before the client could follow it.
    info = _first("autosana")
    sent: list[httpx.Request] = []
    answer = lambda r: httpx.Response(302, headers={"Location": "http://[::1"})  # noqa: E731
    client = client_for(
        info, _recorder(info, sent, answer), False, FakeClock(), follow_redirects=True
    )
    outcome = call_sync(info, client)
    assert type(outcome) is package("autosana").APIConnectionError
    assert "location" in str(outcome).lower() and len(sent) == 1


def test_a_proxy_from_the_environment_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx reads proxies only for a transport it makes: behind one, the client lets it."""
    seen: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)  # a proxy is asked for the absolute URL
            body = b'{"result": {"id": 3, "status": 2}, "expands": {}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        pkg = package("testmo")
        options = {"api_key": KEY, "base_url": "http://testmo.invalid/api/v1", "max_retries": 0}
        with pkg.TestmoClient(**options) as client:
            assert client.automation_runs.get(3).result.id == 3
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["http://testmo.invalid/api/v1/automation/runs/3"]
