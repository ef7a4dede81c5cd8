"""Golden cases: ``cases/<case>/{base,revision}.yaml`` diffed must print ``expected.json``.

Each case changes one thing in a small spec (``diff base.yaml revision.yaml`` shows what), so a
failing case names the rule that moved. The exit code must agree with ``"breaking"``.

Set UPDATE_GOLDEN=1 (``make golden``) to rewrite every ``expected.json`` after an intended
change, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.diff.cli import main

CASES = Path(__file__).parent / "cases"
NAMES = sorted(path.name for path in CASES.iterdir() if path.is_dir())

# The kinds the issue asks to cover; each must be exercised by at least one case.
REQUIRED_KINDS = {
    "path added", "path removed", "operation added", "operation removed",
    "operationId changed", "tag changed", "summary changed", "description changed",
    "parameter added", "parameter removed", "parameter became required",
    "parameter location changed", "path parameter renamed", "type changed",
    "enum value added", "enum value removed", "default changed", "default added",
    "default removed", "maximum changed",
    "minimum changed", "max length changed", "min length changed", "pattern changed",
    "property added", "property removed", "property became required",
    "property became optional", "became nullable", "oneOf branch added",
    "oneOf branch removed", "anyOf branch added", "anyOf branch removed",
    "response status added", "response status removed", "security scheme added",
    "security scheme removed", "security scheme changed", "security requirement added",
    "security scopes changed", "server added", "server removed", "schema added",
    "schema removed", "schema renamed", "info changed", "request body removed",
    "media type removed",
    # Rules added with JSON Schema 2020-12 keywords, webhooks, and the deprecation lifecycle.
    "const changed", "constraint added", "constraint removed", "content media type changed",
    "content encoding changed", "min contains changed", "max contains changed",
    "extensible enum value removed", "extensible enum value added", "webhook added",
    "webhook removed", "request body became required", "sunset date removed",
    "sunset date changed", "sunset date invalid", "stability level invalid",
    "stability level changed",
}  # fmt: skip

# JSON Schema 2020-12 keywords judged by direction, as the detail names them: each must have a
# breaking pair in request position (tighter) and one in response position (looser).
KEYWORDS = (
    "`if/then/else`", "`unevaluatedProperties`", "`unevaluatedItems`", "`patternProperties`",
    "`propertyNames`", "`prefixItems`", "`contains`", "min contains", "max contains",
    "`dependentRequired`", "`dependentSchemas`", "`contentSchema`", "contentMediaType",
    "contentEncoding", "const changed", "minimum `exclusive", "min length", "pattern",
    "type changed",
)  # fmt: skip


# The cases' "today": sunset dates before it have passed, later ones have not.
TODAY = "2026-06-01"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main([*argv, "--today", TODAY])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = CASES / name
    code, out = _run(
        capsys, str(folder / "base.yaml"), str(folder / "revision.yaml"), "--format", "json"
    )
    if os.environ.get("UPDATE_GOLDEN"):
        (folder / "expected.json").write_text(out, "utf-8")
    expected = (folder / "expected.json").read_text("utf-8")
    assert out == expected
    assert code == (1 if json.loads(expected)["breaking"] else 0)


@pytest.mark.parametrize("name", NAMES)
def test_case_reversed_is_consistent(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Swapping the sides reports a change exactly when the forward diff does."""
    folder = CASES / name
    code, out = _run(
        capsys, str(folder / "revision.yaml"), str(folder / "base.yaml"), "--format", "json"
    )
    forward = json.loads((folder / "expected.json").read_text("utf-8"))["changes"]
    assert code in (0, 1)
    assert bool(json.loads(out)["changes"]) == bool(forward)


def test_cases_cover_every_required_kind() -> None:
    kinds = {
        change["kind"]
        for name in NAMES
        for change in json.loads((CASES / name / "expected.json").read_text("utf-8"))["changes"]
    }
    assert kinds >= REQUIRED_KINDS, sorted(REQUIRED_KINDS - kinds)


def test_no_change_cases_are_really_different_text() -> None:
    """The ``no_change_*`` cases only mean something if the two files differ."""
    for name in (n for n in NAMES if n.startswith("no_change_")):
        base, revision = (
            (CASES / name / f).read_text("utf-8") for f in ("base.yaml", "revision.yaml")
        )
        assert base != revision, name


@pytest.mark.parametrize(
    ("keyword", "position"),
    [(k, p) for k in KEYWORDS for p in ("request", "response")]
    + [("became nullable", "response")],  # in a request, a wider value breaks nobody
)
def test_every_keyword_has_a_breaking_pair_in_each_position(keyword: str, position: str) -> None:
    found = [
        name
        for name in NAMES
        if name.startswith(position + "_")
        for change in json.loads((CASES / name / "expected.json").read_text("utf-8"))["changes"]
        if change["breaking"] and keyword in f"{change['kind']} {change['detail']}"
    ]
    assert found, f"no breaking {position} case for {keyword}"
