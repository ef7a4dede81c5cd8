"""Automated Future: a test run, its results and their artifacts."""

from __future__ import annotations

from datetime import UTC, datetime

from generated.automated_future import (
    AsyncAutomatedFutureClient,
    AutomatedFutureClient,
    SubmitError,
)
from generated.automated_future.models import TestResultStatus


def calls(client: AutomatedFutureClient) -> list[object]:
    """Every operation, sync, as the README and Automated Future's docs call them."""
    status = client.status.get()
    projects = client.projects.list(page_size=10)
    run = client.runs.create(
        project_id="project_abc123", label="CI #42", metadata={"branch": "main"}
    )
    result = client.results.create(
        project_id="project_abc123",
        test_run_id=run.test_run_id,
        test_name="test_login",
        status="Passed",
        execution_time_ms=420,
        started_at="2024-01-15T10:30:00Z",
    )
    client.results.start(result.test_result_id)
    client.results.update(
        result.test_result_id,
        status=TestResultStatus.FAILED,
        error_message="Assertion failed",
        started_at=datetime(2024, 1, 15, 10, 30, tzinfo=UTC),
        finished_at="2024-01-15T10:31:00Z",
    )
    client.results.finish(result.test_result_id, status="Passed")
    got = client.results.get(result.test_result_id)
    artifact = client.artifacts.create(
        test_result_id=result.test_result_id,
        label="server.log",
        kind="Log",
        content_type="text/plain",
        size_bytes=10240,
    )
    client.artifacts.confirm(artifact.artifact_id)
    listed = client.artifacts.list(test_result_id=result.test_result_id)
    download = client.artifacts.download(artifact.artifact_id)
    client.artifacts.delete(artifact.artifact_id)
    client.results.delete(result.test_result_id)
    client.runs.update(run.test_run_id, status="Completed")
    return [status, projects, run, result, got, artifact, listed, download]


async def async_calls(client: AsyncAutomatedFutureClient) -> list[object]:
    """The README's flow on the async client."""
    run = await client.runs.create(project_id="project_abc123", label="CI #42")
    result = await client.results.create(
        project_id="project_abc123",
        test_run_id=run.test_run_id,
        test_name="test_login",
        status="Passed",
    )
    await client.runs.update(run.test_run_id, status="Completed")
    return [run, result]


def report_junit(client: AutomatedFutureClient) -> int:
    """A CI step's report: every JUnit file's cases as results of one run; the failures."""
    try:
        report = client.runs.submit(
            results=["reports/**/*.xml"], project_id="project_abc123", label="CI #42"
        )
    except SubmitError as error:
        return error.report.landed
    return report.failed + report.errors
