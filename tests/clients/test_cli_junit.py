"""``--junit FILE``: a wait's final status as JUnit XML, through the command line and the library.

The mapping comes from the spec (``x-polling`` ``junit`` on Autosana's ``runs_status``); the
file must validate against ``junit-10.xsd`` (what CI test views read), hold one testsuite per
run group and one testcase per run, and read back as the same cases. The exit code stays the
wait's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import xmlschema

from generated.autosana import AutosanaClient
from generated.autosana.__main__ import PROGRAM
from generated.autosana._junit.report import JUnitMap as GeneratedMap
from generator.runtime.junit.read import JUnitResult, read_cases
from generator.runtime.junit.report import JUnitMap, JUnitTime
from tests.clients.test_cli import FLOW_1, TRIGGERED, Server
from tests.e2e.test_cli import run_cli

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[1] / "junit" / "junit-10.xsd"))
STATUS_PATH = "/api/v1/runs/status"
GROUP_1, GROUP_2 = "https://autosana.ai/runs/groups/g-1", "https://autosana.ai/runs/groups/g-2"


def _run(run_id: str, name: str, status: str, summary: str | None = None) -> dict[str, Any]:
    run = {"id": run_id, "name": name, "status": status, "url": f"https://autosana.ai/r/{run_id}"}
    return run if summary is None else {**run, "summary": summary}


def _batch(groups: list[dict[str, Any]], complete: bool = True) -> dict[str, Any]:
    runs = [run for group in groups for run in group["runs"]]
    count = {s: sum(r["status"] == s for r in runs) for s in ("passed", "failed", "skipped")}
    summary = dict.fromkeys(("passed_groups", "failed_groups", "error_flows"), 0)
    summary |= {"total_groups": len(groups), "terminated_flows": 0, "total_flows": len(runs)}
    summary |= {f"{s}_flows": n for s, n in count.items()}
    return {
        "batch_id": "b-7",
        "is_complete": complete,
        "timestamp": "2025-01-31T12:34:56Z",
        "app": {"id": "com.app", "name": "App", "platform": "android", "url": "https://x.test/a"},
        "git": {"commit_sha": "abc123", "branch": "main"},
        "summary": summary,
        "run_groups": groups,
    }


LOGIN: dict[str, Any] = {
    "name": "Login Suite",
    "status": "failed",
    "url": GROUP_1,
    "runs": [
        _run("r-1", "Login with valid credentials", "passed", "Logged in."),
        _run("r-2", "Login with a bad password", "failed", "No error banner <shown> & kept"),
    ],
}
CHECKOUT: dict[str, Any] = {
    "name": "Checkout Suite",
    "status": "error",
    "url": GROUP_2,
    "runs": [
        _run("r-3", "Pay by card", "error", "Device disconnected."),
        _run("r-4", "Refund", "skipped", "Setup failed, run skipped."),
        _run("r-5", "Pay by voucher", "terminated"),
        _run("r-6", "Pay later", "exploded", "A status nobody documented."),
    ],
}


def _expected() -> list[tuple[str, str, str | None]]:
    """(name, JUnit status, message) of each run of LOGIN and CHECKOUT, in order."""
    return [
        ("Login with valid credentials", "passed", None),
        ("Login with a bad password", "failure", "No error banner <shown> & kept"),
        ("Pay by card", "error", "Device disconnected."),
        ("Refund", "skipped", "Setup failed, run skipped."),
        ("Pay by voucher", "error", "status: terminated"),
        ("Pay later", "error", "A status nobody documented."),
    ]


def _suites(path: Path) -> list[dict[str, Any]]:
    SCHEMA.validate(str(path))  # raises, naming the element, on anything CI views would refuse
    decoded = SCHEMA.to_dict(str(path))
    assert isinstance(decoded, dict)
    return list(decoded["testsuite"])


def test_a_finished_batch_becomes_a_valid_report(server: Server, tmp_path: Path) -> None:
    server.routes[STATUS_PATH] = [(200, _batch([LOGIN, CHECKOUT]))]
    out = tmp_path / "autosana.xml"
    done = run_cli("autosana", server.url, ["runs", "wait", "b-7", "--junit", str(out)])
    assert done.returncode == 5, done.stderr  # the wait's verdict, file or not
    assert json.loads(done.stdout)["batch_id"] == "b-7"
    suites = _suites(out)
    assert [s["@name"] for s in suites] == ["Login Suite", "Checkout Suite"]
    counts = [(s["@tests"], s["@failures"], s["@errors"], s["@skipped"]) for s in suites]
    assert counts == [("2", "1", "0", "0"), ("4", "0", "3", "1")]
    assert [len(s["testcase"]) for s in suites] == [2, 4]
    assert suites[0]["properties"][0]["property"][0] == {"@name": "url", "@value": GROUP_1}
    failed = suites[0]["testcase"][1]
    assert failed["failure"][0]["@message"] == "No error banner <shown> & kept"
    assert failed["failure"][0]["@type"] == "failed"
    assert failed["system-out"] == ["id: r-2\nurl: https://autosana.ai/r/r-2"]
    cases = list(read_cases([out]))
    assert [(c.name, c.status, c.message) for c in cases] == _expected()
    assert {c.classname for c in cases[:2]} == {"Login Suite"}
    assert cases[0].suite_path == ("b-7", "Login Suite")


def test_the_report_reads_back_as_the_cases_written(server: Server, tmp_path: Path) -> None:
    server.routes[STATUS_PATH] = [(200, _batch([LOGIN, CHECKOUT]))]
    out = tmp_path / "report.xml"
    run_cli("autosana", server.url, ["runs", "wait", "b-7", "--junit", str(out)])
    client = AutosanaClient("k", base_url=server.url)
    library = client.runs.junit(client.runs.status(batch_id="b-7"))
    assert library == out.read_text("utf-8")  # the helper and the command write the same bytes
    written = [c for _, group in _mapping().suites(_batch([LOGIN, CHECKOUT])) for c in group]
    read = [_comparable(c) for c in read_cases([out])]
    assert read == [_comparable(c) for c in written]


def _comparable(case: Any) -> tuple[object, ...]:
    results = tuple((r.kind, r.message, r.type, r.text) for r in case.results)
    return (case.name, case.classname, case.time, results, case.system_out)


def _mapping() -> GeneratedMap:
    """The mapping the generated command line holds (rendered from the spec)."""
    found = next(c.junit for c in PROGRAM.commands if c.junit is not None)
    assert isinstance(found, GeneratedMap)
    return found


def test_past_the_deadline_the_unfinished_runs_are_errors(server: Server, tmp_path: Path) -> None:
    running = {**LOGIN, "status": "running", "runs": [_run("r-1", "Login", "running")]}
    server.routes[STATUS_PATH] = [(200, _batch([running], complete=False))]
    out = tmp_path / "late.xml"
    argv = ["runs", "wait", "b-7", "--timeout", "0.2", "--junit", str(out)]
    done = run_cli("autosana", server.url, argv)
    assert done.returncode == 4, done.stderr
    [suite] = _suites(out)
    assert suite["@errors"] == "1"
    assert [(c.status, c.message) for c in read_cases([out])] == [("error", "status: running")]


def test_flows_run_wait_writes_the_batch_it_triggered(server: Server, tmp_path: Path) -> None:
    server.routes["/api/v1/flows/run"] = [(200, TRIGGERED)]
    server.routes[STATUS_PATH] = [(200, _batch([LOGIN]))]
    out = tmp_path / "ci.xml"
    argv = ["flows", "run", "--bundle-id", "com.app", "--platform", "android", "--wait"]
    done = run_cli("autosana", server.url, [*argv, "--flow-ids", FLOW_1, "--junit", str(out)])
    assert done.returncode == 5, done.stderr
    assert [c.name for c in read_cases([out])] == [r["name"] for r in LOGIN["runs"]]


def test_an_unwritable_file_is_said_and_the_exit_code_kept(server: Server, tmp_path: Path) -> None:
    passed = {**LOGIN, "runs": [_run("r-1", "Login", "passed")]}
    server.routes[STATUS_PATH] = [(200, _batch([passed]))]
    out = tmp_path / "missing-dir" / "x.xml"
    done = run_cli("autosana", server.url, ["runs", "wait", "b-7", "--junit", str(out)])
    assert done.returncode == 0
    assert f"cannot write {out}" in done.stderr and "Traceback" not in done.stderr


def test_junit_is_offered_only_where_a_wait_declares_it(server: Server) -> None:
    flows = run_cli("autosana", server.url, ["flows", "run", "--help"])
    assert "--junit FILE" in flows.stdout
    panto = run_cli("panto", server.url, ["test-runs", "wait", "--help"])
    assert panto.returncode == 0 and "--junit" not in panto.stdout


def test_the_library_helper_writes_to_a_path_or_an_open_file(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=_batch([LOGIN]))

    transport = httpx.MockTransport(answer)
    with AutosanaClient("k", http_client=httpx.Client(transport=transport)) as client:
        status = client.runs.wait(batch_id="b-7")
        text = client.runs.junit(status, tmp_path / "a.xml")
    assert (tmp_path / "a.xml").read_text("utf-8") == text
    _suites(tmp_path / "a.xml")


@pytest.mark.parametrize(
    ("time", "case", "seconds"),
    [
        (JUnitTime(duration="ms", unit=0.001), {"ms": 1500}, 1.5),
        (JUnitTime(duration="ms"), {"ms": "12"}, None),  # not a number: no time, no crash
        (
            JUnitTime(started="from", finished="to"),
            {"from": "2025-01-31T12:00:00Z", "to": "2025-01-31T12:01:02.5+00:00"},
            62.5,
        ),
        (
            JUnitTime(started="from", finished="to"),
            {"from": "2025-01-31T12:00:00", "to": "x"},
            None,
        ),
        (JUnitTime(started="from", finished="to"), {"from": "2025-01-31T12:00:00Z"}, None),
    ],
)
def test_a_declared_time_is_read_in_seconds(
    time: JUnitTime, case: dict[str, Any], seconds: float | None
) -> None:
    mapping = JUnitMap("groups", "name", "cases", "name", "status", (), time=time)
    written = mapping.case({"name": "t", "status": "ok", **case}, "G")
    assert written.time == seconds
    assert written.results == (JUnitResult("error", "status: ok", "ok"),)  # undeclared: error
