"""Testmo: create a run and a thread, append results, complete them, read the results back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from generated.testmo import AsyncTestmoClient, TestmoClient
from generated.testmo.models import Artifact, FieldModelType
from generated.testmo.params import FieldModelParam, TestResultParam


def calls(client: TestmoClient) -> list[object]:
    """Every operation, sync, as the README and Testmo's API docs call them."""
    run = client.automation_runs.create(
        1,
        name="Run 1",
        source="frontend",
        tags=("tag-a", "tag-b"),
        artifacts=[
            {"name": "Artifact 1.png", "url": "https://example.com/artifact1.png", "size": 1048576}
        ],
        fields=[{"name": "Field 1", "type": 4, "value": ".."}],
        links=[{"name": "Link 1", "url": "https://example.com"}],
    )
    client.automation_runs.append(
        run.id,
        artifacts=(Artifact(name="build-log.txt", url="https://ci.example.com/build-log.txt"),),
        fields=[FieldModelParam(name="Browser", type=FieldModelType.INTEGER_1, value="Chrome 124")],
    )
    thread = client.automation_threads.create(run.id, elapsed_observed=600000000)
    failed: TestResultParam = {
        "key": "56e581d3",
        "name": "rejects an invalid password",
        "status": "failed",
        "folder": "Login",
    }
    client.automation_threads.append(
        thread.id,
        elapsed_observed=1500000,
        tests=[
            {"key": "4f1c0d2a", "name": "test_login", "status": "passed", "folder": "LoginTests"},
            failed,
        ],
    )
    client.automation_threads.complete(
        thread.id, elapsed_observed=600000000, elapsed_computed=540000000
    )
    client.automation_runs.complete(run.id, measure_elapsed=True)
    runs = client.automation_runs.list(
        1,
        per_page=25,
        order="asc",
        status=(2, 3),
        created_after="2024-01-01T00:00:00Z",
        created_before=datetime(2024, 12, 31, tzinfo=UTC),
        expands=["users"],
    )
    got = client.automation_runs.get(
        run.id,
        expands=("users", "statuses"),
        extra_headers={"X-Request-Source": "ci"},
        extra_query={"beta": "true", "ids": [1, 2]},
    )
    client.automation_runs.complete(run.id, extra_body={"note": None, "beta": {"on": True}})
    tests = client.automation_runs.list_tests(
        run.id, status_id=[3], sort="automation_run_tests:name"
    )
    return [run, thread, runs, got, tests]


def failed_run_names(client: TestmoClient) -> list[str]:
    """Every failed run across pages: ``iter`` takes the arguments of ``list`` but the page."""
    runs = client.automation_runs.iter(1, per_page=100, status=[3], order="desc", timeout=30.0)
    return [run.name or "" for run in runs]


async def async_failed_run_names(client: AsyncTestmoClient) -> list[str]:
    """The same on the async client."""
    runs = client.automation_runs.iter(1, per_page=100, status=[3], max_retries=5)
    return [run.name or "" async for run in runs]


async def async_calls(client: AsyncTestmoClient) -> list[object]:
    """The README's report on the async client."""
    run = await client.automation_runs.create(1, name="Nightly", source="ci")
    thread = await client.automation_threads.create(run.id)
    await client.automation_threads.append(
        thread.id,
        tests=[
            {"key": "4f1c0d2a", "name": "test_login", "status": "passed", "folder": "LoginTests"},
        ],
    )
    await client.automation_runs.complete(run.id, extra_headers={"X-Request-Source": "ci"})
    return [run, thread, await client.automation_runs.list_tests(run.id, status_id=[3])]


def report_junit(client: TestmoClient, reports: Path) -> object:
    """``testmo automation:run:submit`` as one call: the run's id once every test landed."""
    report = client.automation_runs.submit(
        1, results=reports / "junit.xml", name="CI #42", source="backend", tags=["nightly"]
    )
    return report.run if not report.has_failures else None


async def async_report_junit(client: AsyncTestmoClient) -> list[str]:
    """The same from the async client, ignoring files that are not JUnit; those skipped."""
    report = await client.automation_runs.submit(
        1, results=("a.xml", "b/*.xml"), name="n", source="s", ignore_parse_errors=True
    )
    return [error.path for error in report.skipped_files]
