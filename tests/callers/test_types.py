"""The caller modules pass ``mypy --strict``, and the annotations they pass are not ``Any``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.generator.util import mypy_strict
from tests.specs import ROOT

HERE = Path(__file__).parent


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    return mypy_strict(list(paths), ROOT)


def test_every_caller_module_passes_mypy_strict() -> None:
    modules = sorted(HERE.glob("uses_*.py"))
    assert len(modules) == 4
    result = _mypy(*modules)
    assert result.returncode == 0, result.stdout + result.stderr


WRONG = """
from generated.panto import PantoClient
from generated.testmo import TestmoClient


def wrong(panto: PantoClient, testmo: TestmoClient) -> None:
    panto.test_flows.trigger(app_id="a", tags={"include": ["not a map"]}, devices=[{}])
    testmo.automation_threads.append(1, tests=[{"key": "k", "name": "n", "status": 3}])
    testmo.automation_runs.list(1, status=("two",), created_after=20240101)
    run_id: str = testmo.automation_runs.create(1, name="n", source="s").id
    testmo.automation_runs.submit(1, results=["r.xml"], name="n")
    testmo.automation_runs.submit(1, results=[3], name="n", source="s")
    testmo.automation_runs.iter(1, per_page="many", page=2)
"""


def test_mypy_refuses_what_the_request_types_do_not_allow(tmp_path: Path) -> None:
    """Each wrong argument is its own error: the request types constrain, they are no ``Any``."""
    path = tmp_path / "wrong.py"
    path.write_text(WRONG, "utf-8")
    result = _mypy(path)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    lines = {line.split(":")[1] for line in errors}
    # the tag map and the empty device, the test without a folder and with an int status, the
    # status as text and the date as a number, the created id, an int, a submit without its
    # source and one given a number for a report, an iter given a page size as text and the
    # page it follows itself
    assert {"7", "8", "9", "10", "11", "12", "13"} <= lines, result.stdout
    assert len(errors) == 10, result.stdout
