"""Broken specs give located diagnostics (file, line, JSON pointer) and exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load.document import load
from generator.validate.openapi import validate

ROOT = Path(__file__).resolve().parents[2]
HEAD = """\
openapi: 3.1.0
info: {title: T, version: "1"}
"""
OK_OP = """\
paths:
  /runs/{run_id}:
    get:
      operationId: runs_get
      tags: [runs]
      parameters:
        - {name: run_id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok}
"""

CASES = {
    "duplicate-key": (
        HEAD + OK_OP.replace("      tags: [runs]\n", "      tags: [runs]\n      tags: [x]\n"),
        8,
        "#/paths/~1runs~1{run_id}/get/tags",
        "duplicate key 'tags'",
    ),
    "invalid-yaml": (HEAD + "paths: {a: [}\n", 3, "#", "invalid YAML"),
    "not-a-mapping": ("- just\n- a list\n", 1, "#", "must be a mapping"),
    "empty": ("", 1, "#", "empty"),
    "swagger-2": (
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths: {}\n',
        1,
        "#",
        "not an OpenAPI 3.x",
    ),
    "camel-operation-id": (
        HEAD + OK_OP.replace("runs_get", "getRun"),
        6,
        "#/paths/~1runs~1{run_id}/get/operationId",
        "not snake_case",
    ),
    "two-tags": (
        HEAD + OK_OP.replace("tags: [runs]", "tags: [runs, more]"),
        5,
        "#/paths/~1runs~1{run_id}/get",
        "exactly one tag",
    ),
    "undeclared-path-param": (
        HEAD
        + OK_OP.replace(
            "        - {name: run_id, in: path, required: true, schema: {type: string}}\n",
            "        []\n",
        ).replace("parameters:\n        []", "parameters: []"),
        5,
        "#/paths/~1runs~1{run_id}/get",
        "{run_id}",
    ),
    "unresolvable-ref": (
        HEAD
        + OK_OP.replace("schema: {type: string}", "schema: {$ref: '#/components/schemas/Nope'}"),
        9,
        "#/paths/~1runs~1{run_id}/get/parameters/0/schema/$ref",
        "cannot be resolved",
    ),
    "bad-example": (
        HEAD + OK_OP.replace("schema: {type: string}}", "schema: {type: integer}, example: abc}"),
        9,
        "#/paths/~1runs~1{run_id}/get/parameters/0/example",
        "example does not match",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_spec_is_located(case: str, tmp_path: Path) -> None:
    text, line, pointer, words = CASES[case]
    spec = tmp_path / f"{case}.yaml"
    spec.write_text(text, "utf-8")
    try:
        found = validate(load(spec))
    except SpecError as exc:
        found = exc.diagnostics
    errors = [d for d in found if d.severity == "error"]
    assert any(d.line == line and d.pointer == pointer and words in d.message for d in errors), [
        str(d) for d in errors
    ]
    assert all(d.file == str(spec) for d in errors)


def test_cli_exits_1_without_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(CASES["duplicate-key"][0], "utf-8")
    for argv in (
        ["validate", str(spec)],
        ["generate", str(spec), "-o", str(tmp_path / "out"), "--package", "x"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert (
            f"{spec}:8: error: #/paths/~1runs~1{{run_id}}/get/tags: duplicate key 'tags'"
            in proc.stderr
        )
    assert not (tmp_path / "out").exists()


def test_our_specs_are_clean() -> None:
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        if spec.name.endswith(".ack.yaml"):  # acknowledgements of breaking changes, not specs
            continue
        assert validate(load(spec)) == [], spec.name


def test_lenient_mode_turns_style_rules_into_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "camel.yaml"
    spec.write_text(textwrap.dedent(CASES["camel-operation-id"][0]), "utf-8")
    found = validate(load(spec), strict=False)
    assert found and all(d.severity == "warning" for d in found)


def test_scalars_are_read_as_json_would_read_them_every_time() -> None:
    """Dates stay strings and exponents are numbers, on a first and a repeated read (the
    loader remembers the tags of short scalars)."""
    from generator.load.document import parse

    text = (
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "x: [2025-01-31, 1e-3, 9.2e18, '1e-3', 12, 1.5, true, null, ~, yes, 'on', word]\n"
    )
    expected = ["2025-01-31", 0.001, 9.2e18, "1e-3", 12, 1.5, True, None, None, True, "on", "word"]
    for _ in range(2):
        values = parse(text, "spec.yaml").data["x"]
        assert values == expected
        assert [type(v) for v in values] == [type(v) for v in expected]
