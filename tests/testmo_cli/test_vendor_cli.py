"""What Testmo's own CLI sends for JUnit files, pinned against the recording server.

Our submit command is to land the same tests as ``testmo automation:run:submit``; these tests
hold down what that is (the request sequence, batching, each test's fields, errors), so a change
in the vendor's CLI, or in our reading of it, shows here first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from generator.runtime.junit.read import JUnitCase, read_cases
from tests.testmo_cli.fixtures import TOKEN, VendorCli
from tests.testmo_cli.server import RecordingTestmo

FIXTURES = Path(__file__).parents[1] / "junit" / "fixtures"
REPORTS = [
    FIXTURES / name
    for name in (
        "surefire-junit5.xml",
        "pytest-xunit1.xml",
        "jest-junit.xml",
        "go-junit-report.xml",
    )
]


def expected_test(case: JUnitCase) -> dict[str, Any]:
    """The identity fields Testmo's CLI derives from one JUnit case."""
    key = f"{case.classname}.{case.name}" if case.classname else case.name
    test: dict[str, Any] = {
        "key": hashlib.sha256(key.encode()).hexdigest(),
        "name": case.name,
        "folder": case.classname or "Unnamed folder",
        "status": case.status,
    }
    if case.time is not None:
        test["elapsed"] = round(case.time * 1_000_000)
    if case.file is not None:
        test["file"] = case.file
    if case.line is not None:
        test["line"] = case.line
    return test


def write_report(path: Path, cases: int) -> Path:
    """A report of ``cases`` passing cases of half a second each."""
    body = "".join(f'<testcase classname="c" name="t{i}" time="0.5"/>' for i in range(cases))
    path.write_text(f'<testsuite name="s">{body}</testsuite>')
    return path


def test_the_request_sequence_and_the_run(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo
) -> None:
    done = testmo_cli.submit(
        REPORTS, "--tags", "nightly", "ci", "--config", "Chrome", "--milestone", "R1"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert testmo_server.routes() == [
        "create_run",
        "create_thread",
        "append_thread",
        "complete_run",
    ]
    create, thread, append, complete = testmo_server.requests
    assert create.path == "/api/v1/projects/1/automation/runs"
    assert create.body == {
        "name": "CI #42",
        "source": "backend",
        "fields": [],
        "links": [],
        "artifacts": [],
        "tags": ["nightly", "ci"],
        "config": "Chrome",
        "milestone": "R1",
    }
    # Per file, the time of its outermost suite, else (Go's two packages, and Surefire's
    # "1,234.5", which it does not read) the sum of its tests' times; in microseconds.
    assert thread.body == {"fields": [], "artifacts": [], "elapsed_computed": 2_529_000}
    assert set(append.body) == {"tests"}
    assert complete.path == "/api/v1/automation/runs/101/complete"
    assert complete.body == {"measure_elapsed": False}
    assert create.headers["authorization"] == f"Bearer {TOKEN}"
    assert create.headers["user-agent"] == "Testmo CLI/1.4.5 (www.testmo.com)"
    assert "Created new test automation run (ID: 101)" in done.stdout


def test_each_case_lands_as_a_test(testmo_cli: VendorCli, testmo_server: RecordingTestmo) -> None:
    assert testmo_cli.submit(REPORTS).returncode == 0
    sent = testmo_server.appended_tests()
    # Files in the order given (only a single pattern is globbed, in glob's order).
    cases = [case for report in REPORTS for case in read_cases([report])]
    identity = ("key", "name", "folder", "status", "elapsed", "file", "line")
    assert [{k: t[k] for k in identity if k in t} for t in sent] == [
        expected_test(c) for c in cases
    ]
    assert all(t["artifacts"] == [] for t in sent)


def test_results_and_output_become_console_fields(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo
) -> None:
    assert testmo_cli.submit(REPORTS[:2]).returncode == 0
    tests = {t["name"]: t for t in testmo_server.appended_tests()}
    assert tests["dividesByZero"]["fields"] == [
        {
            "type": 4,
            "name": "Failure",
            "meta": {
                "message": "expected: <2> but was: <1>",
                "type": "org.opentest4j.AssertionFailedError",
            },
            "value": "org.opentest4j.AssertionFailedError: expected: <2> but was: <1>\n"
            "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)\n"
            "\tat com.example.CalculatorTest.dividesByZero(CalculatorTest.java:27)\n",
            "is_highlight": True,
        },
        {"type": 4, "name": "Output", "value": "dividing 2 by 0", "is_highlight": False},
    ]
    assert tests["readsConfig"]["fields"][1] == {
        "type": 4,
        "name": "Errors",
        "value": "SLF4J: No SLF4J providers were found.",
        "is_highlight": False,
    }
    # A skip with only a message: the message is the value, no meta.
    assert tests["multipliesLargeNumbers"]["fields"] == [
        {
            "type": 4,
            "name": "Skipped",
            "value": "Disabled until BigDecimal support lands",
            "is_highlight": True,
        }
    ]
    # xfail: no text, so the message is the value and the type stays in meta.
    assert tests["test_xfail"]["fields"] == [
        {
            "type": 4,
            "name": "Skipped",
            "meta": {"type": "pytest.xfail"},
            "value": "known bug #12",
            "is_highlight": True,
        }
    ]
    # A case property is a string field; the numeric reference in a message is not decoded.
    assert tests["test_passes"]["fields"] == [
        {
            "type": 1,
            "name": "dashboard",
            "value": "https://example.test/runs/1",
            "is_highlight": False,
        }
    ]
    assert tests["test_fails"]["fields"][0]["meta"] == {
        "message": "AssertionError: arithmetic is broken&#10;assert (1 + 1) == 3"
    }


def test_suite_output_and_properties_are_not_sent(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo
) -> None:
    assert testmo_cli.submit([FIXTURES / "jest-junit.xml"]).returncode == 0
    login = [t for t in testmo_server.appended_tests() if t["name"].startswith("Login")]
    assert [t["fields"] for t in login] == [[], []]
    assert all("elapsed" not in t for t in login)  # time="" and no time
    assert testmo_server.requests[1].body["fields"] == []


def test_tests_go_in_batches_of_250(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo, tmp_path: Path
) -> None:
    assert testmo_cli.submit([write_report(tmp_path / "r.xml", 600)]).returncode == 0
    appends = [r for r in testmo_server.requests if r.route == "append_thread"]
    assert [len(r.body["tests"]) for r in appends] == [250, 250, 100]
    assert testmo_server.requests[1].body["elapsed_computed"] == 300_000_000


def test_a_failed_append_stops_without_retry_and_leaves_the_run_open(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo, tmp_path: Path
) -> None:
    testmo_server.fail("append_thread", 503)
    done = testmo_cli.submit([write_report(tmp_path / "r.xml", 600)])
    assert done.returncode == 1
    assert "Server response (503): Injected failure" in done.stdout + done.stderr
    assert testmo_server.routes() == ["create_run", "create_thread", "append_thread"]


def test_a_single_pattern_is_globbed_and_an_empty_match_makes_an_empty_run(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo, tmp_path: Path
) -> None:
    done = testmo_cli.submit([f"{tmp_path}/**/*.xml"])
    assert done.returncode == 0
    assert "Could not find any valid result files or tests" in done.stdout + done.stderr
    assert testmo_server.routes() == ["create_run", "create_thread", "complete_run"]


def test_parse_errors_stop_before_any_request_unless_ignored(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo
) -> None:
    truncated = FIXTURES / "hostile" / "truncated.xml"
    done = testmo_cli.submit([truncated, FIXTURES / "go-junit-report.xml"])
    assert done.returncode == 1
    assert f"Failed to parse file: {truncated}" in done.stdout + done.stderr
    assert testmo_server.requests == []
    done = testmo_cli.submit([truncated, FIXTURES / "go-junit-report.xml"], "--ignore-parse-error")
    assert done.returncode == 0
    assert len(testmo_server.appended_tests()) == 5
