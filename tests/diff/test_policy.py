"""Rule ids and the severity policy: every rule is documented, and a project can re-level one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diff import RULES
from generator.diff.cli import main

CASES = Path(__file__).parent / "cases"
POLICY = Path(__file__).resolve().parents[2] / "generator" / "diff" / "POLICY.md"


def _kinds() -> set[str]:
    return {
        change["kind"]
        for case in CASES.iterdir()
        if case.is_dir()
        for change in json.loads((case / "expected.json").read_text("utf-8"))["changes"]
    }


def test_every_rule_the_cases_report_is_in_the_table() -> None:
    assert _kinds() <= RULES.keys(), sorted(_kinds() - RULES.keys())


def test_policy_md_has_one_row_per_rule() -> None:
    rows = [line for line in POLICY.read_text("utf-8").splitlines() if line.startswith("| `")]
    documented = [row.split("`")[1] for row in rows]
    assert documented == list(RULES)
    for row, (rule, (level, why)) in zip(rows, RULES.items(), strict=True):
        assert row == f"| `{rule}` | {level} | {why} |"


def _diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, severity: str
) -> tuple[int, str, str]:
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[tool.generator.diff.severity]\n{severity}\n", "utf-8")
    folder = CASES / case
    sides = [str(folder / "base.yaml"), str(folder / "revision.yaml")]
    code = main([*sides, "--format", "json", "--config", str(config)])
    out, err = capsys.readouterr()
    return code, out, err


def test_policy_raises_a_rule_to_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _diff(
        tmp_path, capsys, "response_enum_value_added", '"enum value added" = "error"'
    )
    report = json.loads(out)
    assert (code, report["breaking"]) == (1, True)
    assert [(c["kind"], c["level"], c["breaking"]) for c in report["changes"]] == [
        ("enum value added", "error", True)
    ]


def test_policy_lowers_a_rule_to_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _diff(
        tmp_path, capsys, "parameter_added_required", '"parameter added" = "warning"'
    )
    report = json.loads(out)
    assert (code, report["breaking"]) == (0, False)
    assert report["changes"][0]["breaks"] == ["client", "wire"]  # what it breaks is still said


@pytest.mark.parametrize(
    ("severity", "message"),
    [
        ('"enum valu added" = "error"', "unknown rule 'enum valu added'"),
        ('"enum value added" = "fatal"', "'enum value added' = 'fatal': use error, warning, info"),
    ],
)
def test_a_bad_policy_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], severity: str, message: str
) -> None:
    code, out, err = _diff(tmp_path, capsys, "response_enum_value_added", severity)
    assert (code, out) == (2, "")
    assert err.startswith(str(tmp_path / "pyproject.toml") + ": error: #: ")
    assert message in err
    assert "Traceback" not in err
