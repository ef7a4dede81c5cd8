"""Real-world documents nobody on this project wrote: every operation generated, typed, callable.

The openapi-python-client baseline documents (3.0 and 3.1) are a tour of OpenAPI features; each
must generate without dropping an operation, import, pass mypy --strict, and answer calls
through a mock transport. The documents live in ``shared/realworld`` beside the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.load.document import load
from generator.load.spec import operations
from tests.generator.realworld import realworld_dir, require
from tests.generator.util import SMOKE, generate, mypy_strict, run_python

BASELINES = {
    "baseline30": "openapi-python-client/baseline_openapi_3.0.json",
    "baseline31": "openapi-python-client/baseline_openapi_3.1.yaml",
    "specific31": "openapi-python-client/3.1_specific.openapi.yaml",
    "enums31": "openapi-python-client/openapi_3.1_enums.yaml",
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every baseline document generated into one folder, one package each."""
    root = tmp_path_factory.mktemp("realworld")
    for package, relative in BASELINES.items():
        spec = require(realworld_dir() / relative)
        generate(spec, root, package)
    return root


@pytest.mark.parametrize("package", sorted(BASELINES))
def test_every_operation_is_generated_and_callable(packages: Path, package: str) -> None:
    doc = load(realworld_dir() / BASELINES[package])
    expected = len(list(operations(doc)))
    run = run_python(SMOKE.format(package=package), packages)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["methods"] == expected
    assert out["called"] >= expected * 0.6, out["skipped"]


def test_baselines_pass_mypy_strict(packages: Path) -> None:
    run = mypy_strict([packages / name for name in sorted(BASELINES)], packages)
    assert run.returncode == 0, run.stdout[-4000:]
