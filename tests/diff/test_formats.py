"""The text, markdown and github reports say the same thing as the JSON, for their readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diff.cli import main

CASES = Path(__file__).parent / "cases"


def _report(capsys: pytest.CaptureFixture[str], case: str, fmt: str) -> tuple[int, str]:
    folder = CASES / case
    code = main([str(folder / "base.yaml"), str(folder / "revision.yaml"), "--format", fmt])
    return code, capsys.readouterr().out


def test_text_groups_breaking_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "servers_changed", "text")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].endswith("revision.yaml: 2 changes, 1 breaking")
    assert lines[2:] == [
        "Breaking:",
        "  #/servers",
        "    server removed: `https://api.example.com/v1` removed  [breaks wire]",
        "",
        "Not breaking:",
        "  #/servers",
        "    server added: `https://api.example.com/v2` added",
    ]


def test_text_without_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "no_change_syntax", "text")
    assert code == 0
    assert out.endswith("revision.yaml: no changes\n")


def test_markdown_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "parameter_added_required", "markdown")
    assert code == 1
    assert out.startswith("### API changes: 1 change, 1 breaking\n")
    assert "#### Breaking (1)\n\n| Where | Change | Detail | Breaks |\n|---|---|---|---|\n" in out
    row = "| `GET /runs` | parameter added | required query parameter `project` added | client, wire |"
    assert row in out.splitlines()
    assert "Not breaking" not in out


def test_markdown_escapes_table_cells(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _report(capsys, "response_type_widened", "markdown")
    assert "type `number` → `number` \\| `string`" in out


def test_markdown_without_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "no_change_allof_ref", "markdown")
    assert code == 0
    assert out.startswith("### API changes: none\n")
    assert "|" not in out


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "servers_changed", "github")
    revision = CASES / "servers_changed" / "revision.yaml"
    line = revision.read_text("utf-8").splitlines().index("servers:") + 1
    assert code == 1
    assert out.splitlines() == [
        f"::notice file={revision},line={line},title=API change%3A server added"
        "::#/servers: `https://api.example.com/v2` added",
        f"::error file={revision},line={line},title=Breaking API change (wire)%3A server removed"
        "::#/servers: `https://api.example.com/v1` removed",
        "::notice title=API diff::2 changes, 1 breaking",
    ]


def test_github_warns_about_new_response_enum_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "response_enum_value_added", "github")
    assert code == 0
    assert out.startswith("::warning file=")
    assert "title=API change%3A enum value added::" in out


def test_github_points_at_the_changed_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _report(capsys, "request_property_added_required", "github")
    revision = (CASES / "request_property_added_required" / "revision.yaml").read_text("utf-8")
    line = revision.splitlines().index("        project:") + 1
    assert out.startswith(
        f"::error file={CASES / 'request_property_added_required' / 'revision.yaml'},line={line},"
    )
    assert "title=Breaking API change (client%2C wire)%3A property added::" in out


# A widening of a schema no operation returns fails only strict validation of its model: it is
# not breaking, and every format says so. (A widening in a response breaks: see the cases.)
STRICT_WHERE = "#/components/schemas/Legacy/properties/code"
STRICT_DETAIL = "min length `3` → `1` (looser); used by no operation (judged both ways)"


def test_text_marks_strict_mode_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "unused_schema_widened", "text")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].endswith(": 2 changes, 0 breaking, 2 strict mode only")
    assert lines[2:5] == [
        "Not breaking:",
        f"  {STRICT_WHERE}",
        f"    min length changed: {STRICT_DETAIL}  [breaks strict mode only]",
    ]


def test_markdown_marks_strict_mode_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "unused_schema_widened", "markdown")
    assert code == 0
    assert out.startswith("### API changes: 2 changes, 0 breaking, 2 strict mode only\n")
    row = f"| `{STRICT_WHERE}` | min length changed | {STRICT_DETAIL} | strict mode only |"
    assert row in out.splitlines()
    assert "Breaking (" not in out


def test_github_warns_about_strict_mode_only(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _report(capsys, "unused_schema_widened", "github")
    assert code == 0
    first, _, summary = out.splitlines()
    assert first.startswith("::warning file=")
    assert "title=API change (breaks strict mode only)%3A min length changed::" in first
    assert summary == "::notice title=API diff::2 changes, 0 breaking, 2 strict mode only"


def test_json_lists_strict_in_breaks_but_not_as_breaking(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _report(capsys, "unused_schema_widened", "json")
    report = json.loads(out)
    assert code == 0
    assert report["breaking"] is False
    assert [(c["breaking"], c["breaks"]) for c in report["changes"]] == [(False, ["strict"])] * 2
