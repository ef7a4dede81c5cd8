"""Shared by the generator tests: build a package from a spec in memory, and look at the result."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.config import api_config
from generator.diagnostics import Diagnostic
from generator.emit import write
from generator.pipeline import build

ROOT = Path(__file__).resolve().parents[2]

# Calls the templates and datamodel-code-generator write; anything else in a generated module
# came from somewhere it should not have.
ALLOWED_CALL = re.compile(
    r"(RequestOptions|dump_body|parse_model|parse_json|self\._client\.request|frozenset|Field"
    r"|ConfigDict|ClientConfig|SecurityScheme|super|super\(\)\.__init__|\w+\.model_rebuild"
    r"|\w+Resource|float|httpx\.Timeout)"
)
RUNTIME = ("_base_client.py", "_exceptions.py", "_resource.py", "_types.py")


def write_spec(spec: dict[str, Any], directory: Path, name: str = "spec.json") -> Path:
    """``spec`` as a JSON file (JSON can hold NUL and control characters; YAML cannot)."""
    path = directory / name
    path.write_text(json.dumps(spec), "utf-8")
    return path


def generate(spec_path: Path, out: Path, package: str) -> list[Diagnostic]:
    """Generate ``package`` from ``spec_path`` into ``out/package`` as a user would (lenient)."""
    config = api_config(spec_path, package, out / package, strict=False)
    files, warnings = build(config, spec_path.name)
    write(config.output, files)
    return warnings


def foreign_code(package_dir: Path) -> list[str]:
    """Calls and statements in the generated modules that no template or model writes."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        if path.name in RUNTIME:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and not ALLOWED_CALL.fullmatch(ast.unparse(node.func)):
                found.append(f"{path.name}: call {ast.unparse(node)[:120]}")
            elif isinstance(node, ast.Expr) and not _harmless(node.value):
                found.append(f"{path.name}: statement {ast.unparse(node)[:120]}")
            elif isinstance(node, ast.Name) and node.id in ("__import__", "eval", "exec", "open"):
                found.append(f"{path.name}: name {node.id}")
    return found


def _harmless(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return True  # a docstring
    return isinstance(value, ast.Call) and (
        ast.unparse(value.func) in ("super().__init__",)
        or ast.unparse(value.func).endswith(".model_rebuild")
    )


def run_python(code: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with ``cwd`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def mypy_strict(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over generated packages, outside this repository's configuration."""
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-version",
        "3.11",
        "--no-incremental",
        "--config-file",
        os.devnull,
        *map(str, paths),
    ]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
