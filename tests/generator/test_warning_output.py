"""Warnings a user can act on: for a spec a user brings, the house rules are silent unless
``--lint``, the rest one line per kind with its count and first three places; ``--verbose``
prints each, ``--warnings-file`` writes them all; ``generate --help`` documents every option.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from generator.cli import _parser, main
from generator.diagnostics import Diagnostic
from generator.validate.findings import grouped

# camelCase operationIds, no tags, summaries or descriptions, numbers as status keys and an
# inline JSON body: house rules only. Five examples that do not fit, two repeated enum values
# and a missing schema: repairs.
SPEC = """\
openapi: 3.0.3
info: {title: Loud, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: p1, in: query, schema: {type: integer}, example: one}
        - {name: p2, in: query, schema: {type: integer}, example: two}
        - {name: p3, in: query, schema: {type: integer}, example: three}
        - {name: p4, in: query, schema: {type: integer}, example: four}
        - {name: p5, in: query, schema: {type: integer}, example: five}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /b:
    post:
      operationId: postB
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {x: {type: string}}}
      responses:
        201: {description: made}
components:
  schemas:
    Thing:
      type: object
      properties:
        status: {type: string, enum: [a, b, a]}
        kind: {type: string, enum: [x, x]}
        owner: {$ref: '#/components/schemas/Gone'}
"""
_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): (?P<sev>\w+): (?P<ptr>#\S*): (?P<msg>.*?)"
    r"(?: \[(?P<kind>[\w-]+)\])?$"
)
_GROUP = re.compile(r"^(?P<file>\S+): warning: \[(?P<kind>[\w-]+)\] (?P<count>\d+)x (?P<rest>.*)$")
_PLACE = re.compile(r"(?P<file>[^\s,]+):(?P<line>\d+) (?P<ptr>#\S+?)(?=,|$)")
HOUSE_RULES = {"snake-case", "tag", "summary", "description", "status-key", "named-body"}


def _generate(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    spec = tmp_path / "loud.yaml"
    spec.write_text(SPEC, "utf-8")
    out = tmp_path / "out" / "loud"
    code = main(["generate", str(spec), "-o", str(out), "--package", "loud", *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (out / "__init__.py").is_file()
    return err


def test_a_kind_met_often_is_one_line_with_its_count_and_first_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _generate(tmp_path, capsys)
    spec = str(tmp_path / "loud.yaml")
    groups = {m["kind"]: m for m in map(_GROUP.match, err.splitlines()) if m}
    assert set(groups) == {"example", "enum"}, err
    assert groups["example"]["count"] == "5" and groups["enum"]["count"] == "2"
    places = [
        (p["file"], int(p["line"]), p["ptr"]) for p in _PLACE.finditer(groups["example"]["rest"])
    ]
    assert places == [(spec, 8 + i, f"#/paths/~1a/get/parameters/{i}/example") for i in range(3)]
    assert groups["example"]["rest"].endswith(", and 2 more")
    # A kind met once is the warning itself, located.
    single = [m for m in map(_LINE.match, err.splitlines()) if m]
    assert [(m["kind"], m["ptr"]) for m in single] == [
        ("missing-ref", "#/components/schemas/Thing/properties/owner/$ref")
    ]
    # No house rule is shown: the closing line says how many were left out and how to see them.
    for words in ("snake_case", "tag", "summary", "description", "number", "JSON bodies"):
        assert words not in err.replace("house-rule", ""), err
    closing = err.strip().splitlines()[-1]
    assert closing.startswith(f"{spec}: 8 warnings in 3 lines"), closing
    assert re.search(r"(\d+) house-rule findings not shown \(--lint\)", closing), closing
    assert len(err.strip().splitlines()) == 4, err


def test_verbose_prints_every_warning_and_lint_adds_the_house_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _generate(tmp_path, capsys, "--verbose")
    found = [m for m in map(_LINE.match, err.splitlines()) if m]
    kinds = [m["kind"] for m in found]
    assert sorted(kinds) == ["enum"] * 2 + ["example"] * 5 + ["missing-ref"]
    both = _generate(tmp_path, capsys, "--verbose", "--lint")
    linted = {m["kind"] for m in map(_LINE.match, both.splitlines()) if m}
    assert linted >= HOUSE_RULES | {"enum", "example", "missing-ref"}, both
    assert "not shown" not in both
    grouped = _generate(tmp_path, capsys, "--lint")
    counts = {m["kind"]: int(m["count"]) for m in map(_GROUP.match, grouped.splitlines()) if m}
    assert counts["status-key"] == 2 and counts["snake-case"] == 2 and counts["tag"] == 2


def test_the_warnings_file_holds_every_warning_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "warnings.txt"
    err = _generate(tmp_path, capsys, "--warnings-file", str(path))
    written = path.read_text("utf-8").splitlines()
    found = [_LINE.match(line) for line in written]
    assert all(found), written
    kinds = {m["kind"] for m in found if m}
    assert kinds >= HOUSE_RULES | {"enum", "example", "missing-ref"}
    assert all(m["sev"] == "warning" and int(m["line"]) > 0 for m in found if m)
    assert "--warnings-file" not in err  # the closing hint is not needed: the file has them


def test_generate_help_documents_every_argument() -> None:
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        for action in sub._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
    text = commands.choices["generate"].format_help()
    for option in ("--lint", "--verbose", "--warnings-file", "--strict", "--package", "SPEC"):
        assert option in text


def test_warnings_of_no_kind_are_grouped_by_their_message() -> None:
    same = [Diagnostic("a.yaml", n, f"#/x/{n}", "same thing", "warning") for n in (4, 2, 3, 1)]
    other = Diagnostic("a.yaml", 9, "#/y", "something else", "warning")
    assert grouped([*same, other]) == [
        "a.yaml: warning: 4x same thing: a.yaml:1 #/x/1, a.yaml:2 #/x/2, a.yaml:3 #/x/3,"
        " and 1 more",
        str(other),
    ]
