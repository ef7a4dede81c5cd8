"""``submit`` as a library call: Automated Future one result per case, both APIs sync and async.

The requests are captured by an ``httpx`` transport and compared with the JUnit files' cases
field by field; the command line and Testmo's side by side are in tests/testmo_cli.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generated.automated_future import AsyncAutomatedFutureClient, AutomatedFutureClient
from generated.automated_future import JUnitError as FutureJUnitError
from generated.automated_future import SubmitError as FutureSubmitError
from generated.testmo import AsyncTestmoClient, SubmitError
from generator.runtime.junit.read import JUnitCase, read_cases
from tests.junit.reports import write_big_report
from tests.specs import ROOT

FIXTURES = Path(__file__).parents[1] / "junit" / "fixtures"
REPORTS = sorted(str(p) for p in FIXTURES.glob("*.xml"))
STATUS = {"passed": "Passed", "failure": "Failed", "error": "Failed", "skipped": "Skipped"}


class Recorder:
    """Answers like Automated Future (or Testmo) and keeps every request's method, path, body."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.fail_after = fail_after

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        path = request.url.path
        results = [r for r in self.requests if r[1].endswith("/result/")]
        if self.fail_after is not None and len(results) > self.fail_after:
            return httpx.Response(500, json={"error": "injected"})
        if path.endswith("/run/"):
            return httpx.Response(200, json={"test_run_id": "run_1"})
        if path.endswith("/result/"):
            return httpx.Response(200, json={"test_result_id": f"res_{len(results)}"})
        if path.endswith(("/automation/runs", "/threads")):
            return httpx.Response(201, json={"id": 7})
        return httpx.Response(204)


def expected_result(case: JUnitCase) -> dict[str, Any]:
    result: dict[str, Any] = {
        "project_id": "project_abc123",
        "test_run_id": "run_1",
        "test_name": case.name,
        "status": STATUS[case.status],
    }
    if case.time is not None:
        result["execution_time_ms"] = round(case.time * 1000)
    metadata = {
        "classname": case.classname,
        "file": case.file,
        "line": case.line,
        "message": case.message,
    }
    metadata = {k: v for k, v in metadata.items() if v is not None}
    if metadata:
        result["metadata"] = metadata
    return result


def _future(recorder: Recorder) -> AutomatedFutureClient:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return AutomatedFutureClient(api_key="k", base_url="https://af.test", http_client=http)


def test_automated_future_gets_one_result_per_case_then_completes() -> None:
    recorder = Recorder()
    with _future(recorder) as client:
        report = client.runs.submit(results=REPORTS, project_id="project_abc123", label="CI #42")
    cases = [case for path in REPORTS for case in read_cases([path])]
    assert report.run == "run_1" and report.completed
    assert (report.tests, report.landed) == (len(cases), len(cases))
    assert report.passed + report.failed + report.errors + report.skipped == len(cases)
    create, *results, complete = recorder.requests
    assert create == ("POST", "/run/", {"project_id": "project_abc123", "label": "CI #42"})
    assert [body for _, _, body in results] == [expected_result(c) for c in cases]
    assert complete == ("POST", "/run/run_1", {"status": "Completed"})


def test_a_failed_result_stops_with_what_landed_and_the_run_open() -> None:
    recorder = Recorder(fail_after=3)
    with _future(recorder) as client, pytest.raises(FutureSubmitError) as raised:
        client.runs.submit(results=REPORTS, project_id="project_abc123")
    report = raised.value.report
    assert (report.landed, report.completed, report.run) == (3, False, "run_1")
    assert str(raised.value).startswith(f"3 of {report.tests} tests landed in run run_1")
    assert recorder.requests[-1][1] == "/result/"  # stopped there: no completion


def test_a_broken_file_raises_before_any_request() -> None:
    recorder = Recorder()
    broken = str(FIXTURES / "hostile" / "truncated.xml")
    with (
        _future(recorder) as client,
        pytest.raises(FutureJUnitError, match=r"truncated\.xml, line 6"),
    ):
        client.runs.submit(results=[*REPORTS, broken], project_id="project_abc123")
    assert recorder.requests == []


def test_async_submits_match_the_sync_ones() -> None:
    sync, asynchronous = Recorder(), Recorder()
    with _future(sync) as client:
        client.runs.submit(results=REPORTS, project_id="project_abc123")

    async def go() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(asynchronous))
        async with AsyncAutomatedFutureClient(
            api_key="k", base_url="https://af.test", http_client=http
        ) as client:
            await client.runs.submit(results=REPORTS, project_id="project_abc123")

    asyncio.run(go())
    assert asynchronous.requests == sync.requests


def test_async_testmo_submit_batches_and_stops_on_failure(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        "<testsuite>"
        + "".join(f'<testcase classname="c" name="t{i}"/>' for i in range(260))
        + "</testsuite>"
    )
    calls: list[tuple[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, json.loads(request.content or b"null")))
        if request.url.path.endswith("/append") and len(calls) > 3:
            return httpx.Response(500, json={"message": "down"})
        if request.url.path.endswith(("/runs", "/threads")):
            return httpx.Response(201, json={"id": 7})
        return httpx.Response(204)

    async def go() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with AsyncTestmoClient(
            api_key="k", base_url="https://testmo.test/api/v1", http_client=http
        ) as client:
            with pytest.raises(SubmitError) as raised:
                await client.automation_runs.submit(
                    1, results=[report], name="n", source="s", tags=["x"]
                )
            assert raised.value.report.landed == 250

    asyncio.run(go())
    assert [path for path, _ in calls] == [
        "/api/v1/projects/1/automation/runs",
        "/api/v1/automation/runs/7/threads",
        "/api/v1/automation/runs/threads/7/append",
        "/api/v1/automation/runs/threads/7/append",
    ]
    assert calls[0][1] == {"name": "n", "source": "s", "tags": ["x"]}
    assert [len(body["tests"]) for path, body in calls[2:]] == [250, 10]


SUBMIT_RSS = """
import json, resource, sys
import httpx
from generated.testmo import TestmoClient

sent = 0
def answer(request):
    global sent
    if request.url.path.endswith("/append"):
        sent += len(json.loads(request.content)["tests"])
        return httpx.Response(204)
    if request.url.path.endswith(("/runs", "/threads")):
        return httpx.Response(201, json={"id": 7})
    return httpx.Response(204)

http = httpx.Client(transport=httpx.MockTransport(answer))
client = TestmoClient(api_key="k", base_url="https://t.test/api/v1", http_client=http)
report = client.automation_runs.submit(1, results=[sys.argv[1]], name="n", source="s")
print(report.landed, sent, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_100000_cases_are_submitted_in_bounded_memory(tmp_path: Path) -> None:
    def peak(cases: int) -> tuple[int, int, int]:
        path = tmp_path / f"{cases}.xml"
        write_big_report(path, cases)
        done = subprocess.run(
            [sys.executable, "-c", SUBMIT_RSS, str(path)],
            capture_output=True, text=True, check=True, timeout=600, cwd=ROOT,
        )  # fmt: skip
        landed, sent, rss = map(int, done.stdout.split())
        return landed, sent, rss

    small, big = peak(1_000), peak(100_000)
    assert small[:2] == (1_000, 1_000) and big[:2] == (100_000, 100_000)
    # Holding the cases, or their requests, would cost well over 100 MiB for 100,000.
    assert big[2] - small[2] < 16 * 1024, (small, big)


def test_an_interrupted_submit_says_what_landed_and_exits_130(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C part way: no traceback, the run and the count on stderr, the shell's code."""
    import argparse

    from generator.runtime.cli.submit import run_submit
    from generator.runtime.junit.submit import SubmitReport

    def interrupted(**arguments: Any) -> SubmitReport:
        report = SubmitReport(run=7, tests=500, landed=250)
        arguments["on_batch"](report)
        report.sending = 100  # the next batch is in flight when Ctrl-C comes
        raise KeyboardInterrupt

    namespace = argparse.Namespace(
        _results=["r.xml"],
        _ignore_parse_errors=False,
        _complete_on_error=False,
        _run_id=None,
        _skip=0,
        _argv=["runs", "submit", "--api-key", "secret", "--results", "r.xml"],
    )
    program: Any = argparse.Namespace(
        prog="prog", credentials=[argparse.Namespace(argument="api_key")]
    )
    assert run_submit(program, interrupted, {}, namespace) == 130
    err = capsys.readouterr().err
    assert (
        "interrupted: 250 of 500 tests landed in run 7, 100 unknown (being sent when"
        " interrupted); the run is left open"
    ) in err
    # The command that sends the rest, without the credential given as a flag, and without the
    # batch that may have landed (the next line says how to send it too).
    assert (
        "to send the rest into run 7: prog runs submit --results r.xml --run-id 7 --skip 350" in err
    )
    assert "use --skip 250" in err
    assert "secret" not in err


def test_ctrl_c_in_the_first_batch_says_it_is_unknown_and_how_to_resume(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import argparse

    from generator.runtime.cli.submit import run_submit
    from generator.runtime.junit.submit import SubmitReport

    def interrupted(**arguments: Any) -> SubmitReport:
        stop = KeyboardInterrupt()
        stop.report = SubmitReport(run=7, tests=500, sending=250)  # type: ignore[attr-defined]
        raise stop

    namespace = argparse.Namespace(
        _results=["r.xml"], _ignore_parse_errors=False, _complete_on_error=False,
        _run_id=None, _skip=0, _argv=["runs", "submit", "--results", "r.xml"],
    )  # fmt: skip
    program: Any = argparse.Namespace(prog="prog", credentials=[])
    assert run_submit(program, interrupted, {}, namespace) == 130
    err = capsys.readouterr().err
    assert "interrupted: 0 of 500 tests landed in run 7, 250 unknown" in err
    assert "--run-id 7 --skip 250" in err and "use --skip 0" in err
