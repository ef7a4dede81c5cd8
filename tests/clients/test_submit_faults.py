"""``submit`` under faults over real loopback HTTP: what landed, what is unknown, and resuming.

A loopback Automated Future records every result it applied. One request of the submit is hit by
a fault after the server acted on it (the connection dropped before the answer, a 2xx whose JSON
is cut short): the error must count the applied one as landed when a 2xx said so, as unknown when
no answer came, and a resume (``run_id`` and ``skip``) must send the rest without a duplicate.
"""

from __future__ import annotations

import _thread
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generated.automated_future import AutomatedFutureClient
from generated.automated_future import SubmitError as FutureSubmitError
from generated.testmo import APIError, TestmoClient
from tests.junit.reports import write_big_report
from tests.testmo_cli.server import LOST, RecordingTestmo


class Future:
    """Automated Future's run and result endpoints; the ``fault_at``-th result gets ``fault``."""

    def __init__(self, fault: str, fault_at: int) -> None:
        self.results: list[str] = []  # the test names the server applied, in order
        self.completed = 0
        self.fault, self.fault_at = fault, fault_at
        future = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                if self.path == "/run/":
                    return self._write(200, json.dumps({"test_run_id": "run_1"}).encode())
                if self.path == "/run/run_1":
                    future.completed += 1
                    return self._write(204, b"")
                future.results.append(body["test_name"])
                answer = json.dumps({"test_result_id": f"res_{len(future.results)}"}).encode()
                if len(future.results) == future.fault_at and future.fault == "lost":
                    self.close_connection = True  # applied, and no answer at all
                    return None
                if len(future.results) == future.fault_at and future.fault == "truncated":
                    answer = answer[: len(answer) // 2]  # a 2xx whose JSON is cut short
                return self._write(200, answer)

            def _write(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                """Quiet: the recorded results are the log."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def report(tmp_path: Path) -> str:
    path = tmp_path / "r.xml"
    write_big_report(path, 40)
    return str(path)


def _submit(server: Future, report: str, **resume: Any) -> Any:
    with AutomatedFutureClient(api_key="k", base_url=server.url, max_retries=2) as client:
        return client.runs.submit(results=report, project_id="p", **resume)


@pytest.mark.parametrize(
    ("fault", "landed", "unknown"),
    [("lost", 28, 1), ("truncated", 29, 0)],
)
def test_a_result_applied_without_an_answer_is_unknown_and_a_resume_sends_the_rest_once(
    report: str, fault: str, landed: int, unknown: int
) -> None:
    server = Future(fault, fault_at=29)
    with pytest.raises(FutureSubmitError) as raised:
        _submit(server, report)
    stopped = raised.value.report
    assert len(server.results) == 29  # the server holds 29 results
    assert (stopped.landed, stopped.unknown, stopped.completed) == (landed, unknown, False)
    assert str(raised.value).startswith(f"{landed} of 40 tests landed in run run_1")
    assert (f", {unknown} unknown" in str(raised.value)) == bool(unknown)
    if fault == "lost":  # a POST not re-sent says it may have applied and how to check
        assert "it may have been applied: check" in str(raised.value)
        assert "before sending it again" in str(raised.value)
    done = _submit(server, report, run_id=stopped.run, skip=stopped.sent)
    assert done.completed and server.completed == 1
    assert len(server.results) == 40 and len(set(server.results)) == 40  # none twice, none lost


def test_the_report_cases_are_read_in_the_same_order_every_time(report: str) -> None:
    """What ``skip`` relies on: a resumed submit skips exactly the cases sent before."""
    first, second = Future("none", 0), Future("none", 0)
    _submit(first, report)
    _submit(second, report)
    assert first.results == second.results and len(first.results) == 40


@pytest.mark.parametrize("fault", [LOST, 500, 502])
def test_a_post_not_resent_says_it_may_have_applied_and_which_method_checks(fault: int) -> None:
    with RecordingTestmo() as server, TestmoClient(api_key="k", base_url=server.base_url) as client:
        server.fail("complete_run", fault)
        with pytest.raises(APIError) as raised:
            client.automation_runs.complete(101)
        assert server.routes() == ["complete_run"]  # sent once
    error = raised.value
    assert str(error).endswith(
        "; it may have been applied: check with client.automation_runs.get()"
        " before sending it again"
    )
    assert error.maybe_applied and error.check == ("automation_runs", "get")


def test_a_post_refused_unprocessed_does_not_say_it_may_have_applied() -> None:
    with RecordingTestmo() as server, TestmoClient(api_key="k", base_url=server.base_url) as client:
        server.fail("complete_run", 422)
        with pytest.raises(APIError) as raised:
            client.automation_runs.complete(101)
    assert not raised.value.maybe_applied and "may have been applied" not in str(raised.value)


def test_ctrl_c_during_the_first_batch_leaves_its_report_on_the_interruption(
    tmp_path: Path,
) -> None:
    """The batch in flight is what the resume must skip: the interruption carries the report."""
    path = tmp_path / "r.xml"
    write_big_report(path, 300)
    with RecordingTestmo() as server, TestmoClient(api_key="k", base_url=server.base_url) as client:
        answer = server.answer

        def interrupting(method: str, target: str, headers: dict[str, str], raw: bytes) -> Any:
            if target.endswith("/append"):
                _thread.interrupt_main()  # Ctrl-C while the client waits for this answer
                time.sleep(0.3)
            return answer(method, target, headers, raw)

        server.answer = interrupting  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt) as stop:
            client.automation_runs.submit(1, results=str(path), name="CI", source="ci")
    report = stop.value.report  # type: ignore[attr-defined]
    assert (report.run, report.landed, report.sending, report.tests) == (101, 0, 250, 300)
