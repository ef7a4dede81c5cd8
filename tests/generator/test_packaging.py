"""Properties of the output as a whole: deterministic bytes, headers, self-contained packages."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load.config import api_config
from generator.pipeline import build
from generator.render.emit import write
from tests.specs import APIS

ROOT = Path(__file__).resolve().parents[2]


def _tree(path: Path) -> dict[str, bytes]:
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(spec: Path, out: Path, cwd: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    argv = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(spec),
        "-o",
        str(out),
        "--package",
        "pkg",
    ]
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_output_is_byte_identical_across_hash_seeds_and_directories(tmp_path: Path) -> None:
    spec = ROOT / "specs" / "testmo.yaml"
    (tmp_path / "elsewhere").mkdir()
    _generate(spec, tmp_path / "a", ROOT, "1")
    _generate(spec, tmp_path / "b", tmp_path / "elsewhere", "987654")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert len(_tree(tmp_path / "a")) > 5


def test_check_reports_drift_and_write_removes_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    spec = ROOT / "specs" / "panto.yaml"
    _generate(spec, out, ROOT, "0")
    (out / "resources" / "stale.py").write_text("x = 1\n")
    (out / "models.py").write_text((out / "models.py").read_text() + "# edited by hand\n")
    argv = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(spec),
        "-o",
        str(out),
        "--package",
        "pkg",
        "--check",
    ]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "-# edited by hand" in proc.stdout
    assert "pkg/resources/stale.py" in proc.stdout
    assert "stale, edited by hand" in proc.stderr  # _version.py says the spec is the same
    _generate(spec, out, ROOT, "0")
    assert not (out / "resources" / "stale.py").exists()


@pytest.mark.parametrize("api", APIS)
def test_every_file_says_do_not_edit_with_spec_and_only_version_has_hash(api: str) -> None:
    import hashlib

    digest = hashlib.sha256((ROOT / "specs" / f"{api}.yaml").read_bytes()).hexdigest()
    for rel, data in _tree(ROOT / "generated" / api).items():
        first = data.decode().splitlines()[0]
        assert "DO NOT EDIT" in first and f"specs/{api}.yaml" in first, rel
        assert (digest in data.decode()) == (rel == "_version.py"), rel


_CRUD = ROOT / "tests" / "generator" / "cases" / "crud" / "spec.yaml"


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        # an optional field added to a response model
        (
            '        note: {type: [string, "null"]}\n',
            '        note: {type: [string, "null"]}\n        color: {type: string}\n',
            "color: str | None = None",
        ),
        # a field of the error model described
        (
            "        message: {type: string}",
            "        message: {type: string, description: What went wrong.}",
            '"""What went wrong."""',
        ),
    ],
)
def test_a_one_field_spec_edit_rewrites_only_the_files_it_reaches(
    tmp_path: Path, old: str, new: str, shown: str
) -> None:
    spec = tmp_path / "spec.yaml"
    text = _CRUD.read_text("utf-8")
    spec.write_text(text, "utf-8")
    config = api_config(spec, "pkg", tmp_path / "pkg")
    write(config.output, build(config, "spec.yaml").finalized())
    assert text.count(old) == 1
    spec.write_text(text.replace(old, new), "utf-8")
    changed = write(config.output, build(config, "spec.yaml").finalized())
    assert changed == ["_version.py", "models.py"]
    assert shown in (config.output / "models.py").read_text("utf-8")


@pytest.mark.parametrize("api", APIS)
def test_package_works_when_copied_alone(api: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "generated" / api, tmp_path / api)
    for path in (tmp_path / api).rglob("*.py"):
        assert _absolute_imports(path) <= {
            "__future__",
            "httpx",
            "pydantic",
            *sys.stdlib_module_names,
        }, path
    code = f"""
import sys, httpx
assert not any(p.rstrip('/').endswith('main') for p in sys.path if p), sys.path
import {api} as pkg
name = [n for n in pkg.__all__ if n.endswith('Client') and not n.startswith('Async')][0]
client = getattr(pkg, name)('k', base_url='https://h.invalid', http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500))))
assert pkg.models.__name__ == '{api}.models'
print('ok', name)
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok ")


def _absolute_imports(path: Path) -> set[str]:
    """Top-level names of every absolute import in a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_generator_holds_nothing_specific_to_one_api() -> None:
    names = ("autosana", "automated_future", "automatedfuture", "testmo", "panto")
    for path in (ROOT / "generator").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".jinja", ".md"):
            text = path.read_text().lower()
            assert not [n for n in names if n in text], path
