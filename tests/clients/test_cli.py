"""The command line of every package, run as a user runs it, against a loopback server.

Each exit code is provoked for real: 0 success, 1 an error status, 2 a usage mistake or a rule
broken before sending (the server sees nothing), 3 no answer (a closed port), 4 a wait past its
deadline, 5 tests that failed. The key appears in no output, even with ``-v``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.runtime.cli.argv import build_parser
from tests.e2e.test_cli import KEY, run_cli
from tests.specs import APIS, ROOT


def _body(raw: bytes) -> Any:
    """A request's body as JSON, or the bytes sent when it is not JSON (an uploaded file)."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw


# A canned "status": the request is taken, and the connection closes without an answer.
LOST = 0


class Server:
    """Answers each path with its next canned (status, body), the last one repeating."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, Any]]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                server.requests.append((self.command, self.path, _body(raw)))
                answers = server.routes.get(path) or [(404, {"detail": "Not found"})]
                status, body = answers.pop(0) if len(answers) > 1 else answers[0]
                if status == LOST:  # taken, then the connection drops without an answer
                    self.close_connection = True
                    return
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


def _status(passed: int, total: int, complete: bool = True) -> dict[str, Any]:
    return {
        "batch_id": "b-1",
        "is_complete": complete,
        "timestamp": "2025-01-31T12:34:56Z",
        "summary": {"total_flows": total, "passed_flows": passed, "skipped_flows": 0},
    }


FLOW_1, FLOW_2 = "660e8400-e29b-41d4-a716-446655440001", "660e8400-e29b-41d4-a716-446655440002"
TRIGGERED = {"status": "success", "batch_id": "b-1", "flow_group_run_ids": [], "flow_run_count": 2}


def test_0_a_call_prints_only_the_answer(server: Server) -> None:
    server.routes["/api/v1/runs/status"] = [(200, _status(2, 2))]
    done = run_cli("autosana", server.url, ["runs", "status", "--batch-id", "b-1"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["batch_id"] == "b-1"
    assert server.requests[0][1] == "/api/v1/runs/status?batch_id=b-1"


def test_flags_and_json_merge_into_the_body(server: Server, tmp_path: Path) -> None:
    server.routes["/api/v1/flows/run"] = [(200, TRIGGERED)]
    body = tmp_path / "body.json"
    body.write_text(json.dumps({"bundle_id": "com.app", "platform": "android", "flow_ids": ["x"]}))
    argv = ["flows", "run", "--json", f"@{body}", "--flow-ids", FLOW_1, FLOW_2, "--platform", "ios"]
    done = run_cli("autosana", server.url, argv)
    assert done.returncode == 0, done.stderr
    assert server.requests[0][2] == {
        "bundle_id": "com.app",
        "platform": "ios",
        "flow_ids": [FLOW_1, FLOW_2],
    }


def test_2_a_rule_broken_is_refused_before_sending(server: Server) -> None:
    argv = [
        "test-flows",
        "trigger",
        "--json",
        json.dumps({"app_id": "a", "devices": [], "tags": {}}),
    ]
    done = run_cli("panto", server.url, argv)
    assert done.returncode == 2, done.stderr
    assert "tags" in done.stderr
    assert server.requests == []


def test_2_a_usage_mistake_prints_the_usage(server: Server) -> None:
    done = run_cli("autosana", server.url, ["runs", "status"])
    assert done.returncode == 2
    assert "usage:" in done.stderr and "--batch-id" in done.stderr
    unknown = run_cli("autosana", server.url, ["flows", "run", "--json", '{"nope": 1}'])
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert server.requests == []


def test_1_an_error_status_says_message_status_and_body(server: Server) -> None:
    server.routes["/api/v1/runs/r-9"] = [(404, {"detail": "Run not found"})]
    done = run_cli("autosana", server.url, ["runs", "get", "r-9"])
    assert done.returncode == 1
    assert "Run not found" in done.stderr and "status: 404" in done.stderr
    assert done.stdout == ""


def test_3_no_answer() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_cli("autosana", f"http://127.0.0.1:{port}", ["runs", "get", "r-1"])
    assert done.returncode == 3, done.stderr
    assert "APIConnectionError" in done.stderr or "refused" in done.stderr.lower()


def test_4_a_wait_past_its_deadline_prints_the_last_status(server: Server) -> None:
    server.routes["/api/v1/runs/status"] = [(200, _status(0, 2, complete=False))]
    done = run_cli("autosana", server.url, ["runs", "wait", "b-1", "--timeout", "0.2"])
    assert done.returncode == 4, done.stderr
    assert json.loads(done.stdout)["is_complete"] is False
    assert "polled" in done.stderr


def test_a_wait_rides_out_a_burst_of_503s_until_its_deadline(server: Server) -> None:
    # Three 503s use up one poll's retries (max_retries=2): the wait polls again after a pause.
    busy = (503, {"detail": "busy"})
    server.routes["/api/v1/runs/status"] = [busy, busy, busy, (200, _status(2, 2))]
    argv = ["--max-retries", "2", "runs", "wait", "b-1", "--timeout", "1800"]
    done = run_cli("autosana", server.url, argv)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["is_complete"] is True
    assert "503" in done.stderr and "polling again" in done.stderr  # each failure is said
    assert len(server.requests) == 4


def test_a_wait_ends_at_once_on_an_answer_that_will_not_change(server: Server) -> None:
    server.routes["/api/v1/runs/status"] = [(404, {"detail": "Batch not found"})]
    done = run_cli("autosana", server.url, ["runs", "wait", "b-1", "--timeout", "1800"])
    assert done.returncode == 1, done.stderr
    assert len(server.requests) == 1


@pytest.mark.parametrize(("passed", "total", "code"), [(2, 2, 0), (1, 2, 5), (0, 0, 5)])
def test_5_a_finished_batch_whose_tests_failed(
    server: Server, passed: int, total: int, code: int
) -> None:
    server.routes["/api/v1/flows/run"] = [(200, TRIGGERED)]
    server.routes["/api/v1/runs/status"] = [(200, _status(passed, total))]
    argv = ["flows", "run", "--bundle-id", "com.app", "--platform", "android", "--wait"]
    argv += ["--flow-ids", FLOW_1]
    done = run_cli("autosana", server.url, argv)
    assert done.returncode == code, done.stderr
    assert json.loads(done.stdout)["summary"]["total_flows"] == total
    assert "summary.passed_flows" in done.stderr  # the progress line names the declared counts


def _test_run(run_id: str, ended: bool) -> dict[str, Any]:
    ended_at = "2025-01-31T12:34:56Z" if ended else None
    return {"test_run": {"id": run_id, "runner_end_timestamp": ended_at, "runner_status": "x"}}


def test_a_panto_trigger_waits_for_every_run_it_started(server: Server) -> None:
    trigger = {"message": "Triggered 2 test flow(s) matched.", "test_runs": ["t1", "t2"]}
    server.routes["/api/v1/qa/external/test-flow/trigger"] = [(200, trigger)]
    server.routes["/api/v1/qa/external/test-run/t1"] = [(200, _test_run("t1", True))]
    server.routes["/api/v1/qa/external/test-run/t2"] = [(200, _test_run("t2", True))]
    body = {
        "app_id": "a",
        "devices": [{"device_name": "Pixel", "platform_version": "14"}],
        "tags": {"include": {"k": ["v"]}},
    }
    argv = ["test-flows", "trigger", "--json", json.dumps(body)]
    ids = run_cli("panto", server.url, [*argv, "--output", "ids"])
    assert ids.returncode == 0, ids.stderr
    assert ids.stdout.split() == ["t1", "t2"]
    waited = run_cli("panto", server.url, [*argv, "--wait", "--timeout", "60"])
    assert waited.returncode == 0, waited.stderr
    assert [s["test_run"]["id"] for s in json.loads(waited.stdout)] == ["t1", "t2"]


@pytest.mark.parametrize(
    ("api", "path", "argv"),
    [
        (
            "autosana",
            "/api/v1/flows/run",
            ["flows", "run", "--bundle-id", "a", "--platform", "ios", "--flow-ids", FLOW_1],
        ),
        (
            "panto",
            "/api/v1/qa/external/test-flow/trigger",
            [
                "test-flows",
                "trigger",
                "--json",
                '{"app_id": "a", "devices": [], "tags": {"include": {}}}',
            ],
        ),
    ],
)
def test_a_trigger_whose_answer_was_lost_is_not_resent_and_says_it_may_have_applied(
    server: Server, api: str, path: str, argv: list[str]
) -> None:
    server.routes[path] = [(LOST, None)]
    done = run_cli(api, server.url, argv)
    assert done.returncode == 3, done.stderr
    assert [r[1] for r in server.requests] == [path]  # sent once
    assert "may have been applied: check " in done.stderr
    assert "before sending it again" in done.stderr


@pytest.mark.parametrize("api", APIS)
def test_the_exit_code_tables_list_what_the_commands_can_return(api: str) -> None:
    program = importlib.import_module(f"generated.{api}.__main__").PROGRAM
    modes = {c.mode for c in program.commands} | {"wait" for c in program.commands if c.starts}
    can = {0, 1, 2, 3}
    can |= {4} if "wait" in modes else set()
    can |= {5} if "submit" in modes or any(c.outcome for c in program.commands) else set()
    can |= {130} if "submit" in modes else set()
    readme = ROOT / "generated" / api / "README.md"
    table = re.findall(r"^\| (\d+) \| ", readme.read_text(), flags=re.MULTILINE)
    assert {int(code) for code in table} == can
    shown = run_cli(api, "http://127.0.0.1:9", ["--help"]).stdout.split("exit codes:")[1]
    assert {int(line.split()[0]) for line in shown.strip().splitlines()} == can


def test_iter_prints_json_lines_across_pages(server: Server) -> None:
    def page(n: int, last: bool) -> dict[str, Any]:
        run = {"id": n, "project_id": 1, "name": f"Run {n}", "status": 2}
        return {"page": n, "next_page": None if last else n + 1, "result": [run]}

    path = "/automation/runs"
    server.routes[f"/api/v1/projects/1{path}"] = [(200, page(1, False)), (200, page(2, True))]
    done = run_cli("testmo", server.url + "/api/v1", ["automation-runs", "iter", "1"])
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [1, 2]


def test_the_key_appears_in_no_output_even_when_verbose(server: Server) -> None:
    server.routes["/api/v1/runs/r-1"] = [(500, {"detail": f"echo {KEY}"})]
    done = run_cli("autosana", server.url, ["-v", "runs", "get", "r-1"])
    assert done.returncode == 1
    # The debug log ran (the error message alone also holds "GET": it proves nothing).
    assert re.search(r"^autosana DEBUG GET \S+/runs/r-1 -> 500 ", done.stderr, re.MULTILINE)
    assert KEY not in done.stdout + done.stderr


def test_help_at_every_level_from_the_spec(server: Server) -> None:
    top = run_cli("testmo", server.url, ["--help"])
    assert top.returncode == 0 and "automation-runs" in top.stdout and "exit codes" in top.stdout
    group = run_cli("testmo", server.url, ["automation-runs", "--help"])
    assert "list-tests" in group.stdout
    command = run_cli("testmo", server.url, ["automation-runs", "list-tests", "--help"])
    assert "--per-page" in command.stdout


def _readme_commands() -> list[Any]:
    """Each ``python -m <package> ...`` line of the README's command-line recipes."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    joined = text.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        words = shlex.split(line.split(" | ")[0]) if line.startswith("python -m ") else []
        if len(words) > 3 and words[2] in APIS:
            found.append(pytest.param(words[2], words[3:], id=" ".join(words[2:5])))
    return found


@pytest.mark.parametrize(("api", "argv"), _readme_commands())
def test_the_readme_recipes_are_valid_commands(api: str, argv: list[str]) -> None:
    program = importlib.import_module(f"generated.{api}.__main__").PROGRAM
    parsed = build_parser(program).parse_args(argv)  # exits 2 on a flag that does not exist
    assert parsed._command.group == argv[0]


def test_upload_sends_the_file_to_the_presigned_url_and_prints_the_record(
    server: Server, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    log.write_bytes(b"line 1\nline 2\n")
    created = {"artifact_id": "art_1", "upload_url": f"{server.url}/storage/art_1?sig=x"}
    artifact = {
        "artifact_id": "art_1",
        "test_result_id": "res_1",
        "project_id": "p1",
        "label": "server.log",
        "kind": "Log",
        "content_type": "text/plain",
        "size_bytes": 14,
        "test_step": None,
        "metadata": None,
        "expires_at": "2025-02-14T10:31:00Z",
        "created_at": "2025-01-15T10:31:00Z",
    }
    server.routes["/artifact/"] = [(200, created), (200, {"artifacts": [artifact]})]
    server.routes["/storage/art_1"] = [(200, {})]
    server.routes["/artifact/art_1/confirm"] = [(200, {})]
    argv = ["artifacts", "upload", str(log), "--test-result-id", "res_1"]
    done = run_cli("automated_future", server.url, argv)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["artifact_id"] == "art_1"
    steps = [(method, path.split("?")[0]) for method, path, _ in server.requests]
    assert steps == [
        ("POST", "/artifact/"),
        ("PUT", "/storage/art_1"),
        ("POST", "/artifact/art_1/confirm"),
        ("GET", "/artifact/"),
    ]
    assert server.requests[1][2] == b"line 1\nline 2\n"


RUN = {"id": "r-1", "status": "completed"}


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_work_before_or_after_the_command(server: Server, where: str) -> None:
    server.routes["/api/v1/runs/r-1"] = [(200, RUN)]
    argv = ["runs", "get", "r-1"]
    argv = (
        ["-v", "--request-timeout", "7", *argv]
        if where == "before"
        else [*argv, "-v", "--request-timeout", "7"]
    )
    done = run_cli("autosana", server.url, argv)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^autosana DEBUG GET \S+/runs/r-1 -> 200 ", done.stderr, re.MULTILINE)
    assert json.loads(done.stdout)["id"] == "r-1"


def test_every_command_help_lists_the_global_options(server: Server) -> None:
    shown = run_cli("autosana", server.url, ["runs", "wait", "--help"]).stdout
    assert "global options (before or after the command):" in shown
    for flag in ("--base-url", "--request-timeout", "--max-retries", "--verbose", "--api-key"):
        assert flag in shown.split("global options (before or after the command):")[1], flag
    # The wait's deadline and the per-request timeout have different names.
    assert (
        "--wait-timeout SECONDS" in shown.split("global options (before or after the command):")[0]
    )


@pytest.mark.parametrize("given", ["{bad", "@missing.json", "-"])
def test_a_bad_json_body_is_a_usage_error(server: Server, given: str) -> None:
    argv = ["--base-url", server.url, "flows", "run", "--bundle-id", "a", "--platform", "ios"]
    done = subprocess.run(
        [sys.executable, "-m", "generated.autosana", *argv, "--json", given],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, input="{bad stdin",
        env={**os.environ, "AUTOSANA_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "error: argument --json: not JSON" in done.stderr
    assert "Traceback" not in done.stderr
    assert server.requests == []


def test_a_reader_that_stops_early_ends_the_command_quietly(server: Server) -> None:
    def page(n: int, last: bool) -> dict[str, Any]:
        runs = [{"id": n * 1000 + i, "project_id": 1, "name": "x" * 100} for i in range(500)]
        return {"page": n, "next_page": None if last else n + 1, "result": runs}

    server.routes["/api/v1/projects/1/automation/runs"] = [
        (200, page(n, n == 6)) for n in range(1, 7)
    ]
    command = [sys.executable, "-m", "generated.testmo", "--base-url", server.url + "/api/v1"]
    # What `| head -1` does: read one line, then close the pipe while the command still writes.
    with subprocess.Popen(
        [*command, "automation-runs", "iter", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "TESTMO_API_KEY": KEY},
    ) as process:  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        code = process.wait(timeout=120)
        stderr = process.stderr.read().decode()
    assert json.loads(first)["id"] == 1000
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert code == 0, stderr


def test_messages_name_the_flag_and_the_variable_not_the_argument(server: Server) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTMO_")}
    done = subprocess.run(
        [sys.executable, "-m", "generated.testmo", "automation-runs", "get", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={**env, "TESTMO_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == 2
    assert "pass --base-url or set TESTMO_BASE_URL" in done.stderr
    assert "base_url=" not in done.stderr


def test_required_options_are_shown_as_required(server: Server) -> None:
    shown = run_cli("testmo", server.url, ["automation-runs", "create", "--help"]).stdout
    required = shown.split("required options:")[1].split(
        "global options (before or after the command):"
    )[0]
    assert "--name NAME" in required and "--source SOURCE" in required
    assert "--config CONFIG" not in required
    missing = run_cli("testmo", server.url, ["automation-runs", "create", "1", "--name", "x"])
    assert missing.returncode == 2 and "missing --source" in missing.stderr


def test_a_number_where_a_date_time_is_declared_is_kept_as_received_and_flagged(
    server: Server,
) -> None:
    run = {"id": 1, "project_id": 1, "name": "CI", "status": 2, "created_at": 12345}
    server.routes["/api/v1/automation/runs/1"] = [(200, {"result": run, "expands": {}})]
    done = run_cli("testmo", server.url + "/api/v1", ["automation-runs", "get", "1"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"]["created_at"] == 12345  # not 1970-01-01T03:25:45Z
    assert "result.created_at" in done.stderr  # flagged, as any other mismatch
    assert "(--strict-responses raises instead)" in done.stderr  # in the command line's words
    pkg = importlib.import_module("generated.testmo")
    with pkg.TestmoClient(api_key=KEY, base_url=server.url + "/api/v1") as client:
        answer = client.automation_runs.get(1)
    assert answer.result.created_at == 12345
    assert [m.path for m in pkg.mismatches(answer)] == ["result.created_at"]


def test_an_upload_rides_out_a_storage_hiccup_and_never_prints_the_signature(
    server: Server, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    log.write_bytes(b"line 1\n")
    signed = f"{server.url}/storage/art_1?X-Amz-Signature=s3cr3tsig&X-Amz-Credential=AKIAX"
    server.routes["/artifact/"] = [(200, {"artifact_id": "art_1", "upload_url": signed})]
    server.routes["/storage/art_1"] = [(LOST, None), (200, {})]  # a reset, then the bytes land
    server.routes["/artifact/art_1/confirm"] = [(200, {})]
    argv = ["--max-retries", "2", "artifacts", "upload", str(log), "--test-result-id", "res_1"]
    done = run_cli("automated_future", server.url, argv)
    assert done.returncode == 0, done.stderr
    paths = [path.split("?")[0] for _, path, _ in server.requests]
    assert paths[:4] == [
        "/artifact/",
        "/storage/art_1",
        "/storage/art_1",
        "/artifact/art_1/confirm",
    ]
    assert "DELETE" not in [method for method, _, _ in server.requests]
    # A storage host that keeps failing: the error names the URL without its signature.
    server.requests.clear()
    server.routes["/artifact/"] = [(200, {"artifact_id": "art_1", "upload_url": signed})]
    server.routes["/storage/art_1"] = [(500, {"message": f"bad signature in {signed}"})]
    server.routes["/artifact/art_1"] = [(204, {})]
    done = run_cli("automated_future", server.url, ["-v", *argv])
    assert done.returncode == 1, done.stderr
    assert "s3cr3tsig" not in done.stderr and "AKIAX" not in done.stderr
    assert "X-Amz-Signature=%5BREDACTED%5D" in done.stderr
    assert [m for m, _, _ in server.requests][-1] == "DELETE"  # undone once the retries ran out
