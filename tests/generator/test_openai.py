"""The OpenAI document (2.9 MB, 288 operations, ~1,400 schemas): scale and deep unions.

Generating all of it takes about 130 s on a 2-core machine (40 s OpenAPI validation, 47 s
datamodel-code-generator, 41 s black on a 50,000-line models.py) and importing it 12 s, so the
full run is in CI (``CI=true``) or on request (``OPENAI_FULL=1``). Every run generates a sample:
every 15th operation with every component it reaches, which keeps the document's unions,
discriminators and name collisions, and checks that sample with mypy --strict too. The full
run checks the whole generated package with mypy --strict (about 30 s more).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator.load.document import load
from generator.load.spec import HTTP_METHODS
from tests.generator.realworld import realworld_dir, require
from tests.generator.util import SMOKE, generate, mypy_strict, run_python, write_spec

EVERY = 15


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def sample(data: dict[str, Any], every: int) -> tuple[dict[str, Any], int]:
    """Every ``every``-th operation of ``data`` and the components they reach."""
    paths: dict[str, Any] = {}
    index = 0
    for path, item in data["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                if index % every == 0:
                    kept = {k: v for k, v in item.items() if k not in HTTP_METHODS}
                    paths.setdefault(path, kept)[method] = item[method]
                index += 1
    components: dict[str, dict[str, Any]] = {}
    todo = _refs(paths)
    while todo:
        ref = todo.pop()
        _, _, kind, name = ref.split("/", 3)
        if name in components.get(kind, {}):
            continue
        value = data["components"][kind][name]
        components.setdefault(kind, {})[name] = value
        todo |= _refs(value)
    if "securitySchemes" in data.get("components", {}):
        components["securitySchemes"] = data["components"]["securitySchemes"]
    count = sum(len([m for m in item if m in HTTP_METHODS]) for item in paths.values())
    doc = {k: v for k, v in data.items() if k not in ("paths", "components", "webhooks")}
    return {**doc, "paths": paths, "components": components}, count


def _document() -> Path:
    return require(realworld_dir() / "openai" / "openai-openapi.yml")


@pytest.fixture(scope="module")
def openai_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("openai")
    spec, count = sample(load(_document()).data, EVERY)
    generate(write_spec(spec, root, "openai_sample.json"), root, "openai_sample")
    return root, count


def test_openai_sample_generates_every_operation_and_answers_calls(
    openai_sample: tuple[Path, int],
) -> None:
    root, count = openai_sample
    run = run_python(SMOKE.format(package="openai_sample"), root)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["methods"] == count
    assert out["called"] >= count * 0.6, out["skipped"]


def test_openai_sample_passes_mypy_strict(openai_sample: tuple[Path, int]) -> None:
    root, _ = openai_sample
    run = mypy_strict([root / "openai_sample"], root)
    assert run.returncode == 0, run.stdout[-4000:]


_FULL = os.environ.get("CI") == "true" or os.environ.get("OPENAI_FULL") == "1"


_SKIP_FULL = pytest.mark.skipif(not _FULL, reason="about 3 min: runs in CI, or with OPENAI_FULL=1")


@pytest.fixture(scope="module")
def openai_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("openai_full")
    generate(_document(), root, "openai_full")
    return root


@_SKIP_FULL
def test_openai_full_document_generates_every_operation(openai_full: Path) -> None:
    doc = load(_document())
    expected = sum(len([m for m in i if m in HTTP_METHODS]) for i in doc.data["paths"].values())
    run = run_python(SMOKE.format(package="openai_full"), openai_full, timeout=600)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["methods"] == expected == 288
    assert out["called"] >= expected * 0.8, out["skipped"]


@_SKIP_FULL
def test_openai_full_package_passes_mypy_strict(openai_full: Path) -> None:
    run = mypy_strict([openai_full / "openai_full"], openai_full)
    assert run.returncode == 0, run.stdout[-4000:]
