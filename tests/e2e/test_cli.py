"""Every operation of the four APIs through the command line, over loopback HTTP against Prism.

Each command runs as a user runs it, ``python -m generated.<api> RESOURCE COMMAND ...`` in a
process of its own: path parameters positional, required query parameters as flags, the
documented request example as ``--json``. It must exit 0 with only the answer, as JSON, on stdout
and the key nowhere in its output; Prism (which fails requests that break the spec) must see
no violation. Each ``wait`` runs the same way, and with ``--junit`` where its spec maps the
status to JUnit XML (``iter`` needs pages that advance, which Prism
does not serve: tests/clients/test_cli.py covers it with a loopback server).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
import xmlschema

from generator.naming import identifier
from generator.runtime.junit.read import read_cases
from tests.e2e.prism import Prism
from tests.specs import APIS, ROOT, Op, operations

KEY = "prism-cli-key-5f3a"


def _program(api: str) -> Any:
    return importlib.import_module(f"generated.{api}.__main__").PROGRAM


def _kebab(name: str) -> str:
    return name.strip("_").replace("_", "-")


def _flag_values(flag: str, value: Any) -> list[str]:
    if isinstance(value, bool):
        return [flag if value else "--no-" + flag[2:]]
    if isinstance(value, list):
        return [flag, *(str(v) for v in value)]
    return [flag, str(value)]


def _argv(op: Op) -> list[str]:
    positional, keywords = op.args()
    argv = [_kebab(op.resource), _kebab(op.method_name), *(str(p) for p in positional)]
    for name, value in keywords.items():
        argv += _flag_values("--" + _kebab(identifier(name)), value)
    examples = op.request_examples()
    if examples:
        argv += ["--json", json.dumps(next(iter(examples.values())))]
    return argv


def run_cli(
    api: str, base_url: str, argv: list[str], **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m generated.<api> --base-url URL ARGV...`` with the key in the environment."""
    environment = {**os.environ, f"{api.upper()}_API_KEY": KEY, **env}
    command = [
        sys.executable,
        "-m",
        f"generated.{api}",
        "--base-url",
        base_url,
        "--max-retries",
        "0",
    ]
    return subprocess.run(
        [*command, *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _cases() -> list[Any]:
    return [
        pytest.param(op, id=f"{api}/{op.operation_id}") for api in APIS for op in operations(api)
    ]


@pytest.mark.parametrize("op", _cases())
def test_every_operation_runs_from_the_command_line(op: Op, prism: Callable[[str], Prism]) -> None:
    server = prism(op.api)
    done = run_cli(op.api, server.base_url, _argv(op))
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr
    if done.stdout.strip():
        json.loads(done.stdout)  # only the answer, as JSON
    assert "violation" not in done.stderr.lower()


def _helpers(mode: str) -> list[Any]:
    found = []
    for api in APIS:
        for command in _program(api).commands:
            if command.mode == mode:
                found.append(pytest.param(api, command, id=f"{api}/{command.group}-{command.name}"))
    return found


def _helped(api: str, command: Any) -> Op:
    """The operation whose ``x-polling`` or ``x-pagination`` declares ``command``."""
    key, default = ("x-polling", "wait") if command.mode == "wait" else ("x-pagination", "iter")
    return next(
        op
        for op in operations(api)
        if op.resource == command.resource
        and key in op.raw
        and op.raw[key].get("method-name", default) == command.method
    )


def _required(api: str, command: Any) -> list[str]:
    """Arguments for a helper command: the example of each required parameter it takes."""
    op = _helped(api, command)
    examples = {identifier(p["name"]): p["example"] for p in op.parameters() if "example" in p}
    argv: list[str] = []
    for option in command.options:
        if option.required and option.dest in examples:
            value = examples[option.dest]
            argv += _flag_values(option.flag, value) if option.flag else [str(value)]
    return argv


@pytest.mark.parametrize(("api", "command"), _helpers("wait"))
def test_wait_prints_the_final_status_and_judges_it(
    api: str, command: Any, prism: Callable[[str], Prism]
) -> None:
    server = prism(api)
    argv = [command.group, command.name, *_required(api, command), "--timeout", "30"]
    done = run_cli(api, server.base_url, argv)
    final = json.loads(done.stdout)
    failed = command.outcome is not None and command.outcome.failed(final)
    assert done.returncode == (5 if failed else 0), done.stderr
    assert "polled" in done.stderr


def _reported() -> list[Any]:
    return [p for p in _helpers("wait") if p.values[1].junit is not None]


@pytest.mark.parametrize(("api", "command"), _reported())
def test_wait_writes_the_final_status_as_junit(
    api: str, command: Any, prism: Callable[[str], Prism], tmp_path: Any
) -> None:
    server = prism(api)
    out = tmp_path / "report.xml"
    argv = [command.group, command.name, *_required(api, command), "--timeout", "30"]
    done = run_cli(api, server.base_url, [*argv, "--junit", str(out)])
    final = json.loads(done.stdout)
    failed = command.outcome is not None and command.outcome.failed(final)
    assert done.returncode == (5 if failed else 0), done.stderr
    xmlschema.XMLSchema(str(ROOT / "tests" / "junit" / "junit-10.xsd")).validate(str(out))
    expected = [case for _, cases in command.junit.suites(final) for case in cases]
    assert expected, "the example status holds no test to report"
    assert [(c.name, c.status) for c in read_cases([out])] == [(c.name, c.status) for c in expected]


JUNIT = sorted(str(p) for p in (ROOT / "tests" / "junit" / "fixtures").glob("*.xml"))


@pytest.mark.parametrize(("api", "command"), _helpers("submit"))
def test_submit_reports_junit_files_through_prism(
    api: str, command: Any, prism: Callable[[str], Prism]
) -> None:
    server = prism(api)
    create = next(op for op in operations(api) if "x-junit-submit" in op.raw)
    # The create call's documented arguments; submit takes its path parameters as flags too.
    group, _, *rest = _argv(create)
    positional, _ = create.args()
    names = [p["name"] for p in create.parameters() if p.get("in") == "path"]
    flags = [w for n, v in zip(names, positional, strict=True) for w in _flag_values(
        "--" + _kebab(identifier(n)), v)]  # fmt: skip
    rest = [*flags, *rest[len(positional) :]]
    done = run_cli(api, server.base_url, [group, command.name, *rest, "--results", *JUNIT])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the run's id is printed"
    cases = sum(1 for _ in read_cases(JUNIT))
    assert f"{cases} of {cases} tests sent" in done.stderr
    assert "violation" not in done.stderr.lower()
