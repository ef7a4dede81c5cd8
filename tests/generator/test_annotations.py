"""``x-source`` and ``x-enum-varnames``; generated docs free of maintainer notes; pytest-safe models."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.load.document import load
from generator.validate.openapi import validate
from tests.generator.conftest import Generate

ROOT = Path(__file__).resolve().parents[2]
MARK = "PROVENANCE-MARKER-7f3a"
SPEC = f"""
openapi: 3.1.0
info: {{title: Notes, version: "1", description: A notes API., x-source: "{MARK} info"}}
servers: [{{url: "https://notes.example.com"}}]
paths:
  /notes/{{note_id}}:
    get:
      operationId: notes_get
      tags: [notes]
      summary: Get a note
      description: One note.
      x-source: {MARK} operation
      parameters:
        - name: note_id
          in: path
          required: true
          description: The note.
          x-source: {MARK} parameter
          schema: {{type: string}}
      responses:
        "200":
          description: The note.
          x-source: {MARK} response
          headers:
            X-Trace: {{description: A trace id., x-source: {MARK} header, schema: {{type: string}}}}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/TestNote'}}
              examples:
                one:
                  summary: A note
                  description: A note in a color.
                  x-source: {MARK} example
                  value: {{x-source: data, color: Chrome}}
components:
  schemas:
    TestNote:
      type: object
      description: A note.
      x-source: {MARK} schema
      properties:
        x-source: {{type: string, description: A property so named.}}
        color:
          type: string
          description: Its color.
          x-source: {MARK} property
          enum: [chrome, Chrome]
          x-enum-varnames: [CHROME, CHROME_ALIAS]
"""


def _write(tmp_path: Path, text: str) -> Path:
    spec = tmp_path / "notes.yaml"
    spec.write_text(textwrap.dedent(text), "utf-8")
    return spec


def _found(tmp_path: Path, text: str, strict: bool = True) -> list[tuple[str, str, str]]:
    doc = load(_write(tmp_path, text))
    return [(d.severity, d.pointer, d.message) for d in validate(doc, strict=strict)]


def test_well_formed_annotations_pass(tmp_path: Path) -> None:
    assert _found(tmp_path, SPEC) == []


@pytest.mark.parametrize("bad", ["''", "'   '", "3", "[a, b]", "{a: b}", "null"])
def test_a_malformed_x_source_is_a_located_error_or_a_lenient_warning(
    tmp_path: Path, bad: str
) -> None:
    text = SPEC.replace(f"x-source: {MARK} parameter", f"x-source: {bad}")
    where = "#/paths/~1notes~1{note_id}/get/parameters/0/x-source"
    message = "x-source must be a non-empty string naming where the fact comes from"
    assert _found(tmp_path, text) == [("error", where, message)]
    assert ("warning", where, message) in _found(tmp_path, text, strict=False)


BAD_VARNAMES = {
    "[CHROME]": ("#/components/schemas/TestNote/properties/color/x-enum-varnames", "one name per"),
    "[CHROME, CHROME]": (
        "#/components/schemas/TestNote/properties/color/x-enum-varnames/1",
        "twice",
    ),
    "[CHROME, class]": (
        "#/components/schemas/TestNote/properties/color/x-enum-varnames/1",
        "usable",
    ),
    "[CHROME, 'a b']": (
        "#/components/schemas/TestNote/properties/color/x-enum-varnames/1",
        "usable",
    ),
    "[CHROME, _x]": ("#/components/schemas/TestNote/properties/color/x-enum-varnames/1", "usable"),
    "[CHROME, value]": (
        "#/components/schemas/TestNote/properties/color/x-enum-varnames/1",
        "usable",
    ),
    "CHROME": ("#/components/schemas/TestNote/properties/color/x-enum-varnames", "one name per"),
}


@pytest.mark.parametrize("bad", sorted(BAD_VARNAMES))
def test_malformed_x_enum_varnames_is_always_an_error(tmp_path: Path, bad: str) -> None:
    text = SPEC.replace("x-enum-varnames: [CHROME, CHROME_ALIAS]", f"x-enum-varnames: {bad}")
    where, words = BAD_VARNAMES[bad]
    for strict in (True, False):
        errors = [f for f in _found(tmp_path, text, strict) if f[0] == "error"]
        assert [(e[1], words in e[2]) for e in errors] == [(where, True)]


def test_x_source_is_never_generated_and_varnames_name_members(
    generate: Generate, tmp_path: Path
) -> None:
    pkg = generate(SPEC, "notes_api")
    generated = [p for p in (tmp_path / "notes_api").rglob("*") if p.is_file()]
    assert generated and not [p.name for p in generated if MARK in p.read_text("utf-8")]
    color = pkg.models.TestNoteColor
    assert {m.name: m.value for m in color} == {"CHROME": "chrome", "CHROME_ALIAS": "Chrome"}


# Words that only a maintainer of a spec would write: where a fact was found, how it was made.
TELLTALES = re.compile(
    r"\bseeds?\b|api-notes|vendor code|third-party code|not in the\b|our notes|this spec\b"
    r"|not from the (vendor|docs)|x-source|hand-written from|cut off",
    re.IGNORECASE,
)
# The changelog quotes past versions of the specs' descriptions: history, not documentation.
_HISTORY = {"CHANGELOG.md"}


def _generated_files() -> list[Path]:
    trees = [ROOT / "generated", *(ROOT / "tests" / "generator" / "cases").glob("*/expected")]
    return [
        path
        for tree in trees
        for path in sorted(tree.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".md") and path.name not in _HISTORY
    ]


def test_generated_files_hold_no_maintainer_notes() -> None:
    files = _generated_files()
    assert len(files) > 40
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r}"
        for path in files
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        for match in [TELLTALES.search(line)]
        if match
    ]
    assert hits == []


def _sources(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["x-source"]] if isinstance(value.get("x-source"), str) else []
        return own + [s for k, v in value.items() if k != "x-source" for s in _sources(v)]
    if isinstance(value, list):
        return [s for item in value for s in _sources(item)]
    return []


def test_no_x_source_text_of_our_specs_reaches_generated_files() -> None:
    sources = {
        " ".join(text.split())
        for spec in sorted((ROOT / "specs").glob("*.yaml"))
        if not spec.name.endswith(".ack.yaml")
        for text in _sources(yaml.safe_load(spec.read_text("utf-8")))
    }
    assert len(sources) > 30
    texts = {path: " ".join(path.read_text("utf-8").split()) for path in _generated_files()}
    leaks = [(p.name, s[:50]) for s in sorted(sources) for p, text in texts.items() if s in text]
    assert leaks == []


def _public_modules(package: Path) -> list[str]:
    """The package, its resources, models and request types: every module of public names."""
    found = [f"generated.{package.name}", f"generated.{package.name}.resources"]
    found += [
        f"generated.{package.name}.{m}"
        for m in ("models", "params")
        if (package / f"{m}.py").is_file()
    ]
    return found


def test_pytest_collects_nothing_from_a_module_importing_every_public_name(tmp_path: Path) -> None:
    """Clients (``TestmoClient``), resources (``TestRunsResource``), models and TypedDicts
    (``TestResultParam``) whose names pytest would collect are all imported, and skipped."""
    packages = sorted(p for p in (ROOT / "generated").iterdir() if (p / "models.py").is_file())
    modules = [module for package in packages for module in _public_modules(package)]
    assert len(packages) == 4 and any(m.endswith(".params") for m in modules)
    lines = [f"from {module} import *  # noqa: F403" for module in modules]
    # The raw-response class is public too, though no __all__ lists it.
    lines.append("from generated.panto.resources.test_runs import TestRunsResourceWithRawResponse")
    (tmp_path / "test_uses_models.py").write_text("\n".join(lines) + "\n", "utf-8")
    # A user's configuration: warnings are errors (the asyncio plugin asks for its loop scope).
    ini = "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"
    (tmp_path / "pytest.ini").write_text(ini, "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-c",
            str(tmp_path / "pytest.ini"),
            str(tmp_path),
        ],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 5, result.stdout + result.stderr  # 5: no tests collected
    assert "warning" not in result.stdout.lower()
