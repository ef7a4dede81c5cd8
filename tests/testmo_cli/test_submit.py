"""``python -m testmo automation-runs submit`` against the recording Testmo, beside Testmo's CLI.

The same JUnit files go through Testmo's own CLI and through our command, against the same
loopback server: the same tests must land (key, name, folder, status, elapsed, file, line) with
no more requests. Then what only ours does: stop on a failed batch without re-sending it, say
what landed, leave the run open; refuse a broken file before anything is sent; exit 5 on
failures when asked.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.runtime.junit.read import read_cases
from tests.specs import ROOT
from tests.testmo_cli.fixtures import Certificate, VendorCli
from tests.testmo_cli.server import LOST, RecordingTestmo
from tests.testmo_cli.test_vendor_cli import FIXTURES, REPORTS, expected_test, write_report

IDENTITY = ("key", "name", "folder", "status", "elapsed", "file", "line")


def ours(
    server: RecordingTestmo,
    certificate: Certificate,
    results: list[str | Path],
    *extra: str,
) -> subprocess.CompletedProcess[str]:
    """Our submit command with the arguments the vendor's CLI is given."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(TESTMO_API_KEY="our-token-for-tests", SSL_CERT_FILE=str(certificate.cert))
    command = [sys.executable, "-m", "generated.testmo", "--base-url", server.base_url,
               "automation-runs", "submit", "--project-id", "1", "--name", "CI #42", "--source", "backend",
               "--results", *map(str, results), *extra]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def identity(tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: t[k] for k in IDENTITY if k in t} for t in tests]


def test_the_same_tests_land_with_no_more_requests(
    testmo_cli: VendorCli, testmo_server: RecordingTestmo, loopback_certificate: Certificate
) -> None:
    assert testmo_cli.submit(REPORTS).returncode == 0
    theirs = list(testmo_server.requests)
    testmo_server.requests.clear()
    done = ours(testmo_server, loopback_certificate, [*REPORTS])
    assert done.returncode == 0, done.stderr
    mine = testmo_server.requests
    assert len(mine) <= len(theirs)
    assert [r.route for r in mine] == [r.route for r in theirs]

    def landed(requests: list[Any]) -> list[dict[str, Any]]:
        tests = [t for r in requests if r.route == "append_thread" for t in r.body["tests"]]
        return sorted(identity(tests), key=lambda t: t["key"])

    assert landed(mine) == landed(theirs)
    assert done.stdout.strip() == "102"  # the id of the second run the server made
    assert mine[0].body == {"name": "CI #42", "source": "backend"}
    assert mine[-1].body == {"measure_elapsed": False}


def test_each_case_lands_field_by_field(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate
) -> None:
    assert ours(testmo_server, loopback_certificate, [*REPORTS]).returncode == 0
    cases = [case for report in sorted(map(str, REPORTS)) for case in read_cases([report])]
    sent = testmo_server.appended_tests()
    assert identity(sent) == [expected_test(c) for c in cases]
    by_name = {t["name"]: t for t in sent}
    failure = by_name["dividesByZero"]["fields"]
    assert [(f["type"], f["name"], f["is_highlight"]) for f in failure] == [
        (4, "Failure", True),
        (4, "Output", False),
    ]
    assert failure[0]["meta"]["message"] == "expected: <2> but was: <1>"
    assert failure[0]["value"].startswith("org.opentest4j.AssertionFailedError")
    assert by_name["readsConfig"]["fields"][1] == {
        "type": 4,
        "name": "Errors",
        "value": "SLF4J: No SLF4J providers were found.",
        "is_highlight": False,
    }
    assert by_name["multipliesLargeNumbers"]["fields"] == [
        {
            "type": 4,
            "name": "Skipped",
            "value": "Disabled until BigDecimal support lands",
            "meta": {"message": "Disabled until BigDecimal support lands"},
            "is_highlight": True,
        }
    ]
    assert by_name["test_passes"]["fields"] == [
        {
            "type": 1,
            "name": "dashboard",
            "value": "https://example.test/runs/1",
            "is_highlight": False,
        }
    ]
    # The thread carries the tests' total time, in microseconds.
    total = sum(round((c.time or 0) * 1e6) for c in cases)
    assert abs(testmo_server.requests[1].body["elapsed_computed"] - total) <= len(cases)


def test_tests_go_in_batches_of_250(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    report = write_report(tmp_path / "r.xml", 600)
    done = ours(testmo_server, loopback_certificate, [report])
    assert done.returncode == 0, done.stderr
    appends = [r for r in testmo_server.requests if r.route == "append_thread"]
    assert [len(r.body["tests"]) for r in appends] == [250, 250, 100]
    assert [t["name"] for r in appends for t in r.body["tests"]] == [f"t{i}" for i in range(600)]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_failed_batch_is_not_resent_and_leaves_the_run_open(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path, status: int
) -> None:
    # The second append fails with a status that does not prove the server did nothing.
    testmo_server.fail("append_thread", status, after=1)
    done = ours(testmo_server, loopback_certificate, [write_report(tmp_path / "r.xml", 600)])
    assert done.returncode == 1, done.stderr
    # The server answered, but a 5xx does not say the batch was not applied: it is unknown.
    assert (
        "250 of 600 tests landed in run 101, 250 unknown (sent, no answer that says whether they"
        " landed); the run is left open"
    ) in done.stderr
    assert "may have been applied: check" in done.stderr
    assert testmo_server.routes() == [
        "create_run",
        "create_thread",
        "append_thread",
        "append_thread",
    ]
    assert done.stdout == ""


def resumed(
    server: RecordingTestmo, certificate: Certificate, stopped: subprocess.CompletedProcess[str]
) -> subprocess.CompletedProcess[str]:
    """Run the command the stopped submit printed to send the rest."""
    line = next(x for x in stopped.stderr.splitlines() if ": to send the rest into run " in x)
    argv = shlex.split(line.split(": python -m generated.testmo ", 1)[1])
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(TESTMO_API_KEY="our-token-for-tests", SSL_CERT_FILE=str(certificate.cert))
    return subprocess.run(
        [sys.executable, "-m", "generated.testmo", *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_batch_applied_whose_answer_was_lost_is_unknown_and_resumes_without_duplicates(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    # The server applies the second append, then the connection drops before any answer.
    testmo_server.fail("append_thread", LOST, after=1)
    report = write_report(tmp_path / "r.xml", 600)
    done = ours(testmo_server, loopback_certificate, [report])
    assert done.returncode == 3, done.stderr
    assert "250 of 600 tests landed in run 101, 250 unknown" in done.stderr
    assert "may have been applied: check" in done.stderr
    assert len(testmo_server.appended_tests()) == 500  # what the run really holds
    again = resumed(testmo_server, loopback_certificate, done)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "101"
    names = [t["name"] for t in testmo_server.appended_tests()]
    assert names == [f"t{i}" for i in range(600)]  # each test once, none lost
    assert testmo_server.routes().count("create_run") == 1
    assert testmo_server.routes()[-1] == "complete_run"


def test_a_completion_whose_answer_was_lost_is_unknown_not_left_open(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    testmo_server.fail("complete_run", LOST)
    done = ours(testmo_server, loopback_certificate, [write_report(tmp_path / "r.xml", 10)])
    assert done.returncode == 3, done.stderr
    assert "10 of 10 tests landed in run 101; the run's completion is unknown" in done.stderr
    assert "left open" not in done.stderr
    # The command that reads the run is named, in the command line's words.
    assert (
        "may have been applied: check with `python -m generated.testmo automation-runs get`"
        " before sending it again"
    ) in done.stderr


def test_a_batch_the_server_refused_unprocessed_is_retried_once_it_may(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    # 503 proves the request was not processed: the client's retry sends it again, once.
    testmo_server.fail("append_thread", 503, after=1)
    done = ours(testmo_server, loopback_certificate, [write_report(tmp_path / "r.xml", 300)])
    assert done.returncode == 0, done.stderr
    appends = [r for r in testmo_server.requests if r.route == "append_thread"]
    assert [len(r.body["tests"]) for r in appends] == [250, 50, 50]
    assert len(testmo_server.appended_tests()) == 350  # the refused one is recorded too
    assert testmo_server.routes()[-1] == "complete_run"


def test_complete_on_error_completes_the_run_and_still_fails(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    testmo_server.fail("append_thread", 500)
    report = write_report(tmp_path / "r.xml", 10)
    done = ours(testmo_server, loopback_certificate, [report], "--complete-on-error")
    assert done.returncode == 1
    assert "0 of 10 tests landed in run 101, 10 unknown" in done.stderr  # a 500: maybe applied
    assert "; the run is completed" in done.stderr
    assert testmo_server.routes() == [
        "create_run",
        "create_thread",
        "append_thread",
        "complete_run",
    ]


def test_a_broken_file_stops_before_any_request_unless_ignored(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate
) -> None:
    truncated = FIXTURES / "hostile" / "truncated.xml"
    go = FIXTURES / "go-junit-report.xml"
    done = ours(testmo_server, loopback_certificate, [truncated, go])
    assert done.returncode == 2
    assert f"{truncated}, line 6: not well-formed XML" in done.stderr
    assert testmo_server.requests == []
    done = ours(testmo_server, loopback_certificate, [truncated, go], "--ignore-parse-errors")
    assert done.returncode == 0, done.stderr
    assert f"skipped {truncated}, line 6" in done.stderr
    # The case the broken file held before it broke is not sent: the file is skipped whole.
    assert identity(testmo_server.appended_tests()) == [expected_test(c) for c in read_cases([go])]


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml", "not-junit.xml"])
def test_hostile_files_are_refused_with_their_name(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, name: str
) -> None:
    done = ours(testmo_server, loopback_certificate, [FIXTURES / "hostile" / name])
    assert done.returncode == 2
    assert str(FIXTURES / "hostile" / name) in done.stderr
    assert "Traceback" not in done.stderr
    assert testmo_server.requests == []


def test_a_pattern_matching_nothing_is_not_an_empty_report(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    done = ours(testmo_server, loopback_certificate, [f"{tmp_path}/**/*.xml"])
    assert done.returncode == 2
    assert "no file matches this pattern" in done.stderr
    assert testmo_server.requests == []


def test_fail_on_failures_exits_5_only_when_a_test_failed(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    passing = write_report(tmp_path / "ok.xml", 3)
    assert (
        ours(testmo_server, loopback_certificate, [passing], "--fail-on-failures").returncode == 0
    )
    failing = FIXTURES / "go-junit-report.xml"
    done = ours(testmo_server, loopback_certificate, [failing])
    assert done.returncode == 0, done.stderr
    done = ours(testmo_server, loopback_certificate, [failing], "--fail-on-failures")
    assert done.returncode == 5
    assert done.stdout.strip() == "103"  # the run's id, still printed


def test_complete_on_error_says_when_completing_failed_too(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    testmo_server.fail("append_thread", 500)
    testmo_server.fail("complete_run", 500)
    report = write_report(tmp_path / "r.xml", 10)
    done = ours(testmo_server, loopback_certificate, [report], "--complete-on-error")
    assert done.returncode == 1
    # Both answers were 500s: neither the batch nor the completion is known not to have landed.
    assert "0 of 10 tests landed in run 101, 10 unknown" in done.stderr
    assert "; the run's completion is unknown (sent, no answer) (completing it failed too" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


def test_every_file_refused_is_not_an_empty_report(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate
) -> None:
    truncated = FIXTURES / "hostile" / "truncated.xml"
    done = ours(testmo_server, loopback_certificate, [truncated], "--ignore-parse-errors")
    assert done.returncode == 2
    assert "no readable JUnit report is left to send" in done.stderr
    assert testmo_server.requests == []


def test_a_file_named_twice_is_sent_once(
    testmo_server: RecordingTestmo, loopback_certificate: Certificate, tmp_path: Path
) -> None:
    report = write_report(tmp_path / "r.xml", 3)
    twice: list[str | Path] = [report, tmp_path / "." / "r.xml", f"{tmp_path}/*.xml"]
    assert ours(testmo_server, loopback_certificate, twice).returncode == 0
    assert [t["name"] for t in testmo_server.appended_tests()] == ["t0", "t1", "t2"]
