"""Client behaviour the foundation promises: configuration, auth, errors, lenient parsing."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from generated import testmo
from generated.automated_future import AsyncAutomatedFutureClient, AutomatedFutureClient
from generated.autosana import AutosanaClient
from generated.panto import PantoClient
from generated.testmo._url import append_path
from tests.specs import package

RUN_RESULT = {"result": {"id": 1, "project_id": 1, "name": "Run 1", "status": 2}, "expands": {}}


def _recording(sent: list[httpx.Request], response: httpx.Response) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return response

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_key_and_base_url_fall_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESTMO_API_KEY", "env-key")
    monkeypatch.setenv("TESTMO_BASE_URL", "https://acme.testmo.net/api/v1")
    sent: list[httpx.Request] = []
    client = testmo.TestmoClient(http_client=_recording(sent, httpx.Response(200, json=RUN_RESULT)))
    client.automation_runs.get(1)
    assert str(sent[0].url) == "https://acme.testmo.net/api/v1/automation/runs/1"
    assert sent[0].headers["authorization"] == "Bearer env-key"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOSANA_API_KEY", "env-key")
    monkeypatch.setenv("AUTOSANA_BASE_URL", "https://env.invalid")
    client = AutosanaClient("arg-key", base_url="https://arg.invalid/")
    assert client.base_url == httpx.URL("https://arg.invalid/")
    assert client._credentials.secrets == ("arg-key",)


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANTO_API_KEY", raising=False)
    with pytest.raises(package("panto").ConfigurationError, match="PANTO_API_KEY"):
        PantoClient()


def test_testmo_has_no_default_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TESTMO_BASE_URL", raising=False)
    with pytest.raises(package("testmo").ConfigurationError, match=r"TESTMO_BASE_URL.*testmo\.net"):
        testmo.TestmoClient("k")


def test_default_server_comes_from_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOMATED_FUTURE_BASE_URL", raising=False)
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(200, json={"status": "ok", "version": "0.1.0"}))
    AutomatedFutureClient("k", http_client=http).status.get()
    assert str(sent[0].url) == "https://api.automatedfuture.co/v1/test/status"


@pytest.mark.parametrize(
    ("client_cls", "call", "header", "value"),
    [
        (AutosanaClient, lambda c: c.runs.status(batch_id="b"), "x-api-key", "sekrit"),
        (
            PantoClient,
            lambda c: c.test_flows.trigger(app_id="a", tags={"include": {}}, devices=[]),
            "x-panto-api-key",
            "sekrit",
        ),
        (AutomatedFutureClient, lambda c: c.results.start("r"), "authorization", "sekrit"),
        (
            testmo.TestmoClient,
            lambda c: c.automation_runs.complete(1),
            "authorization",
            "Bearer sekrit",
        ),
    ],
)
def test_each_api_sends_its_documented_auth(
    client_cls: Any, call: Any, header: str, value: str
) -> None:
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(500, json={"message": "stop here"}))
    client = client_cls("sekrit", base_url="https://h.invalid", http_client=http)
    with pytest.raises(Exception, match="stop here"):
        call(client)
    assert sent[0].headers[header] == value


def test_an_unauthenticated_operation_sends_no_key() -> None:
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(200, json={"status": "ok", "version": "1"}))
    AutomatedFutureClient("sekrit", http_client=http).status.get()
    assert "authorization" not in sent[0].headers


def test_repr_never_shows_the_key() -> None:
    client = AutosanaClient("sk-very-secret")
    assert "sk-very-secret" not in repr(client)
    assert "sk-very-secret" not in str(client)


def test_error_carries_status_body_message_and_response() -> None:
    pkg = package("automated_future")
    http = _recording([], httpx.Response(404, json={"message": "no such result"}))
    client = AutomatedFutureClient("k", http_client=http)
    with pytest.raises(pkg.NotFoundError) as caught:
        client.results.get("res_x")
    error = caught.value
    assert isinstance(error, pkg.APIStatusError)
    assert error.status_code == 404
    assert error.body == {"message": "no such result"}
    assert "no such result" in str(error)
    assert error.response.status_code == 404
    assert (error.method, error.url) == (
        "GET",
        "https://api.automatedfuture.co/v1/test/result/res_x",
    )


@pytest.mark.parametrize("status", [418, 499, 520])
def test_any_status_code_is_a_typed_error(status: int) -> None:
    pkg = package("panto")
    http = _recording([], httpx.Response(status, text="<html>oops</html>"))
    with pytest.raises(pkg.APIStatusError) as caught:
        PantoClient("k", http_client=http).test_flows.trigger(
            app_id="a", tags={"include": {}}, devices=[]
        )
    assert caught.value.status_code == status
    assert caught.value.body == "<html>oops</html>"
    assert isinstance(caught.value, pkg.InternalServerError) == (status >= 500)


def test_a_2xx_body_of_the_wrong_shape_is_a_typed_error() -> None:
    pkg = package("autosana")
    http = _recording([], httpx.Response(200, text="not json"))
    with pytest.raises(pkg.APIResponseValidationError) as caught:
        AutosanaClient("k", http_client=http).runs.get("r")
    assert caught.value.body == "not json"


def test_unknown_fields_and_enum_values_are_kept() -> None:
    body = {"result": {"id": 1, "name": "R", "status": 9, "brand_new": {"x": [1]}}, "expands": {}}
    http = _recording([], httpx.Response(200, json=body))
    run = testmo.TestmoClient(
        "k", base_url="https://h.invalid", http_client=http
    ).automation_runs.get(1)
    assert run.model_dump(mode="json", exclude_unset=True) == body
    project = {
        "project_id": "p",
        "name": "Pp",
        "description": None,
        "status": "archived",
        "created_at": "2025-01-15T10:30:00Z",
    }
    http = _recording([], httpx.Response(200, json={"projects": [project], "page_token": None}))
    page = AutomatedFutureClient("k", http_client=http).projects.list()
    assert page.projects[0].status == "archived"


def test_the_client_is_a_context_manager_and_leaves_an_injected_client_open() -> None:
    http = _recording([], httpx.Response(204))
    with AutomatedFutureClient("k", http_client=http) as client:
        client.runs.update("r1", status="Completed")
    assert not http.is_closed
    with AutomatedFutureClient("k") as owned:
        pass
    assert owned._http.is_closed


async def test_the_async_client_closes_what_it_owns() -> None:
    async with AsyncAutomatedFutureClient("k") as client:
        pass
    assert client._http.is_closed


def test_path_parameters_stay_inside_their_segment() -> None:
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(200, json={"test_result": {}}))
    client = AutomatedFutureClient("k", http_client=http)
    client.results.get("../admin?x=1")
    assert sent[0].url.raw_path == b"/v1/test/result/..%2Fadmin%3Fx%3D1"


def test_only_given_fields_are_sent() -> None:
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(200))
    AutomatedFutureClient("k", http_client=http).results.update("r", error_message=None)
    assert json.loads(sent[0].content) == {"error_message": None}


@pytest.mark.parametrize(
    "base",
    [
        "https://acme.testmo.net/api/v1",
        "http://127.0.0.1:8080",
        "https://[::1]:8443/x/",
        "https://Bücher.example:443/API",
        "https://user:p%40ss@host.example/a%20b",
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "automation/runs/1",
        "a%2Fb/c",
        "~a:b@c;d=e!$&'()*+,",
        "a b",
        "x/./y",
        "x/../y",
        ".hidden",
        "%zz",
        "%2e%2E",
        "é",
        "q?x=1",
        "f#g",
        "",
    ],
)
def test_request_urls_are_what_httpx_parses(base: str, path: str) -> None:
    client = testmo.TestmoClient("k", base_url=base)
    # What the client sends a path to: its base URL's parsed parts with the path appended.
    built = append_path(client._base_text, client._base_parts, path)
    parsed = httpx.URL(str(client.base_url) + path)
    assert (built, built.raw_path, str(built)) == (parsed, parsed.raw_path, str(parsed))


def test_headers_of_an_injected_client_are_merged_as_httpx_merges_them() -> None:
    sent: list[httpx.Request] = []
    http = _recording(sent, httpx.Response(200, json=RUN_RESULT))
    http.headers["X-Team"] = "qa"
    http.headers["Accept"] = "text/plain"  # ours wins, as with http.build_request(headers=...)
    client = testmo.TestmoClient("k", base_url="https://acme.testmo.net/api/v1", http_client=http)
    client.automation_runs.get(1)
    http.headers["X-Team"] = "ops"
    http.cookies.set("session", "s1")
    http.params = {"tenant": "t1"}
    client.automation_runs.get(1)
    expected = http.build_request(
        "GET",
        "https://acme.testmo.net/api/v1/automation/runs/1",
        headers={"User-Agent": "testmo-python/1.0.0", "Accept": "application/json"}
        | {"Authorization": "Bearer k"},
    )
    assert sent[0].headers["x-team"] == "qa"
    assert sent[0].headers["accept"] == "application/json"
    assert sent[1].headers.multi_items() == expected.headers.multi_items()
    assert sent[1].headers["cookie"] == "session=s1"
    assert str(sent[1].url) == "https://acme.testmo.net/api/v1/automation/runs/1?tenant=t1"
