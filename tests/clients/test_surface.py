"""The public surface the foundation issue fixes: every row, sync and async, by exact name.

Each row is a call as users write it; the test checks the HTTP method and path that go out,
the query and body the keyword arguments turn into, and the type that comes back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.specs import operations, package

BASE = "https://api.test.invalid"


@dataclass(frozen=True)
class Row:
    """One call of the surface table and what must go over the wire."""

    api: str
    operation_id: str
    call: Callable[[Any], Any]
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    returns: str | None = None


ROWS = [
    Row(
        "autosana",
        "flows_run",
        lambda c: c.flows.run(
            app_id="web-1",
            flow_ids=["660e8400-e29b-41d4-a716-446655440001"],
            resolve_suite_context=False,
            variables={"A": "1"},
            web_browser="firefox",
        ),
        "POST",
        "/api/v1/flows/run",
        body={
            "app_id": "web-1",
            "flow_ids": ["660e8400-e29b-41d4-a716-446655440001"],
            "resolve_suite_context": False,
            "variables": {"A": "1"},
            "web_browser": "firefox",
        },
        returns="RunFlowsResponse",
    ),
    Row(
        "autosana",
        "runs_status",
        lambda c: c.runs.status(batch_id="b-1"),
        "GET",
        "/api/v1/runs/status",
        query={"batch_id": "b-1"},
        returns="RunStatusResponse",
    ),
    Row(
        "autosana",
        "runs_get",
        lambda c: c.runs.get("run-uuid-1"),
        "GET",
        "/api/v1/runs/run-uuid-1",
        returns="RunResult",
    ),
    Row(
        "automated_future",
        "status_get",
        lambda c: c.status.get(),
        "GET",
        "/status",
        returns="StatusResponse",
    ),
    Row(
        "automated_future",
        "projects_list",
        lambda c: c.projects.list(page_size=10, page_token="t1"),
        "GET",
        "/project/",
        query={"page_size": "10", "page_token": "t1"},
        returns="ProjectList",
    ),
    Row(
        "automated_future",
        "runs_create",
        lambda c: c.runs.create(project_id="p1", label="CI #42", metadata={"k": 1}),
        "POST",
        "/run/",
        body={"project_id": "p1", "label": "CI #42", "metadata": {"k": 1}},
        returns="CreateTestRunResponse",
    ),
    Row(
        "automated_future",
        "runs_update",
        lambda c: c.runs.update("run_1", label="L2", status="Completed", metadata={}),
        "POST",
        "/run/run_1",
        body={"label": "L2", "status": "Completed", "metadata": {}},
    ),
    Row(
        "automated_future",
        "results_create",
        lambda c: c.results.create(
            project_id="p1",
            test_name="test_login",
            status="Passed",
            test_run_id="r1",
            execution_time_ms=5,
        ),
        "POST",
        "/result/",
        body={
            "project_id": "p1",
            "test_name": "test_login",
            "status": "Passed",
            "test_run_id": "r1",
            "execution_time_ms": 5,
        },
        returns="CreateTestResultResponse",
    ),
    Row(
        "automated_future",
        "results_get",
        lambda c: c.results.get("res_1"),
        "GET",
        "/result/res_1",
        returns="GetTestResultResponse",
    ),
    Row(
        "automated_future",
        "results_update",
        lambda c: c.results.update("res_1", status="Failed", error_message="boom"),
        "POST",
        "/result/res_1",
        body={"status": "Failed", "error_message": "boom"},
    ),
    Row(
        "automated_future",
        "results_start",
        lambda c: c.results.start("res_1"),
        "POST",
        "/result/res_1/start",
    ),
    Row(
        "automated_future",
        "results_finish",
        lambda c: c.results.finish("res_1", status="Passed"),
        "POST",
        "/result/res_1/finish",
        body={"status": "Passed"},
    ),
    Row(
        "automated_future",
        "results_delete",
        lambda c: c.results.delete("res_1"),
        "DELETE",
        "/result/res_1",
    ),
    Row(
        "automated_future",
        "artifacts_list",
        lambda c: c.artifacts.list(test_result_id="res_1"),
        "GET",
        "/artifact/",
        query={"test_result_id": "res_1"},
        returns="ArtifactList",
    ),
    Row(
        "automated_future",
        "artifacts_create",
        lambda c: c.artifacts.create(
            test_result_id="res_1",
            label="a.log",
            kind="Log",
            content_type="text/plain",
            size_bytes=3,
        ),
        "POST",
        "/artifact/",
        body={
            "test_result_id": "res_1",
            "label": "a.log",
            "kind": "Log",
            "content_type": "text/plain",
            "size_bytes": 3,
        },
        returns="CreateArtifactResponse",
    ),
    Row(
        "automated_future",
        "artifacts_confirm",
        lambda c: c.artifacts.confirm("art_1"),
        "POST",
        "/artifact/art_1/confirm",
    ),
    Row(
        "automated_future",
        "artifacts_download",
        lambda c: c.artifacts.download("art_1"),
        "GET",
        "/artifact/art_1/download",
        returns="ArtifactDownload",
    ),
    Row(
        "automated_future",
        "artifacts_delete",
        lambda c: c.artifacts.delete("art_1"),
        "DELETE",
        "/artifact/art_1",
    ),
    Row(
        "testmo",
        "automation_runs_list",
        lambda c: c.automation_runs.list(
            5,
            page=2,
            per_page=25,
            status=[2, 3],
            expands=["users", "configs"],
            created_after=dt.datetime(2023, 2, 15, tzinfo=dt.UTC),
        ),
        "GET",
        "/projects/5/automation/runs",
        query={
            "page": "2",
            "per_page": "25",
            "status": "2,3",
            "expands": "users,configs",
            "created_after": "2023-02-15T00:00:00+00:00",
        },
        returns="AutomationRunList",
    ),
    Row(
        "testmo",
        "automation_runs_get",
        lambda c: c.automation_runs.get(1, expands=["users"]),
        "GET",
        "/automation/runs/1",
        query={"expands": "users"},
        returns="AutomationRunResponse",
    ),
    Row(
        "testmo",
        "automation_runs_list_tests",
        lambda c: c.automation_runs.list_tests(
            1, per_page=500, sort="automation_run_tests:elapsed", thread_id=5, status_id=[3, 4]
        ),
        "GET",
        "/automation/runs/1/tests",
        query={
            "per_page": "500",
            "sort": "automation_run_tests:elapsed",
            "thread_id": "5",
            "status_id": "3,4",
        },
        returns="AutomationRunTestList",
    ),
    Row(
        "testmo",
        "automation_runs_create",
        lambda c: c.automation_runs.create(1, name="Run 1", source="frontend", tags=["a"]),
        "POST",
        "/projects/1/automation/runs",
        body={"name": "Run 1", "source": "frontend", "tags": ["a"]},
        returns="CreatedId",
    ),
    Row(
        "testmo",
        "automation_runs_append",
        lambda c: c.automation_runs.append(1, links=[{"name": "L", "url": "https://example.com"}]),
        "POST",
        "/automation/runs/1/append",
        body={"links": [{"name": "L", "url": "https://example.com"}]},
    ),
    Row(
        "testmo",
        "automation_runs_complete",
        lambda c: c.automation_runs.complete(1, measure_elapsed=True),
        "POST",
        "/automation/runs/1/complete",
        body={"measure_elapsed": True},
    ),
    Row(
        "testmo",
        "automation_threads_create",
        lambda c: c.automation_threads.create(1, elapsed_observed=600000000),
        "POST",
        "/automation/runs/1/threads",
        body={"elapsed_observed": 600000000},
        returns="CreatedId",
    ),
    Row(
        "testmo",
        "automation_threads_append",
        lambda c: c.automation_threads.append(
            7,
            tests=[{"key": "k1", "name": "t1", "status": "passed", "folder": "f", "elapsed": 1000}],
        ),
        "POST",
        "/automation/runs/threads/7/append",
        body={
            "tests": [
                {"key": "k1", "name": "t1", "status": "passed", "folder": "f", "elapsed": 1000}
            ]
        },
    ),
    Row(
        "testmo",
        "automation_threads_complete",
        lambda c: c.automation_threads.complete(7, elapsed_computed=5),
        "POST",
        "/automation/runs/threads/7/complete",
        body={"elapsed_computed": 5},
    ),
    Row(
        "panto",
        "test_flows_trigger",
        lambda c: c.test_flows.trigger(
            app_id="b1",
            tags={"include": {"team": ["qa"]}},
            devices=[{"device_name": "Pixel 6", "platform_version": "14.0"}],
            env_name="staging",
            context_name="ctx",
        ),
        "POST",
        "/api/v1/qa/external/test-flow/trigger",
        body={
            "app_id": "b1",
            "tags": {"include": {"team": ["qa"]}},
            "devices": [{"device_name": "Pixel 6", "platform_version": "14.0"}],
            "env_name": "staging",
            "context_name": "ctx",
        },
        returns="TriggerTestFlowResponse",
    ),
    Row(
        "panto",
        "test_suites_trigger",
        lambda c: c.test_suites.trigger(
            app_id="b1",
            tags={"exclude_tags": {"_$NAME": ["Flaky flow"]}},
            devices=[{"device_name": "Pixel 6", "platform_version": "14.0", "platform": "android"}],
        ),
        "POST",
        "/api/v1/qa/external/testsuite/trigger",
        body={
            "app_id": "b1",
            "tags": {"exclude_tags": {"_$NAME": ["Flaky flow"]}},
            "devices": [
                {"device_name": "Pixel 6", "platform_version": "14.0", "platform": "android"}
            ],
        },
        returns="TriggerTestSuiteResponse",
    ),
    Row(
        "panto",
        "test_runs_get",
        lambda c: c.test_runs.get("testrun_01"),
        "GET",
        "/api/v1/qa/external/test-run/testrun_01",
        returns="TestRunResponse",
    ),
    Row(
        "panto",
        "test_runs_by_trigger",
        lambda c: c.test_runs.by_trigger("trigger_01"),
        "GET",
        "/api/v1/qa/external/test-runs-by-trigger/trigger_01",
        returns="TestRunsByTriggerResponse",
    ),
]


def test_every_operation_has_a_row() -> None:
    in_specs = {
        op.operation_id
        for api in ("autosana", "automated_future", "testmo", "panto")
        for op in operations(api)
    }
    assert {row.operation_id for row in ROWS} == in_specs


def _response_for(row: Row) -> httpx.Response:
    op = next(o for o in operations(row.api) if o.operation_id == row.operation_id)
    status = op.success_status()
    examples = [v for s, _, v in op.response_examples() if s == status]
    return httpx.Response(status, json=examples[0]) if examples else httpx.Response(status)


def _client(row: Row, sent: list[httpx.Request], is_async: bool) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return _response_for(row)

    pkg = package(row.api)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
    return getattr(pkg, ("Async" if is_async else "") + name)(
        api_key="k", base_url=BASE, http_client=http
    )


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("row", ROWS, ids=[r.operation_id for r in ROWS])
async def test_surface_row(row: Row, is_async: bool) -> None:
    sent: list[httpx.Request] = []
    client = _client(row, sent, is_async)
    result = row.call(client)
    if is_async:
        result = await result
    (request,) = sent
    assert (request.method, request.url.path) == (row.method, row.path)
    assert dict(request.url.params) == row.query
    assert (json.loads(request.content) if request.content else None) == row.body
    if row.returns is None:
        assert result is None
    else:
        assert type(result) is getattr(package(row.api).models, row.returns)
