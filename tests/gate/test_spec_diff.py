"""``python -m generator spec-diff``: the CI gate, run against real git histories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.diff import diff
from generator.load.document import load, parse
from tests.gate.repo import SPEC, Repo

LIMIT = "        - {name: limit, in: query, required: false, schema: {type: integer}, description: Page size.}\n"
QUERY = "        - {name: q, in: query, required: false, schema: {type: string}, description: Search.}\n"
ADD_OPTIONAL = (LIMIT, LIMIT + QUERY)
REMOVE_LIMIT = (LIMIT, QUERY)
MAJOR_BUMP = ('version: "1.2.0"', 'version: "2.0.0"')
MINOR_BUMP = ('version: "1.2.0"', 'version: "1.3.0"')
ENUM_NARROWED = ("enum: [open, closed]", "enum: [open]")
ACK = """\
acknowledged:
  - where: "GET /items"
    kind: "parameter removed"
    reason: "The vendor dropped paging."
"""


def _gate(capsys: pytest.CaptureFixture[str], repo: Repo, *argv: str) -> tuple[int, str]:
    code = main(["spec-diff", "--root", str(repo.root), *argv])
    return code, capsys.readouterr().out


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A project whose first commit holds the spec."""
    project = Repo(tmp_path / "project")
    project.write(SPEC)
    project.commit("first")
    return project


def _change(repo: Repo, replace: tuple[str, str], message: str = "change") -> None:
    repo.write(repo.spec.read_text("utf-8"), replace)
    repo.commit(message)


def test_first_commit_has_nothing_to_compare_and_passes(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "nothing to compare with (first commit" in out


def test_non_breaking_change_passes_and_prints_the_report(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _change(repo, ADD_OPTIONAL)
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "(previous commit)" in out
    assert "parameter added" in out and "1 change, 0 breaking" in out
    assert "specs/items.yaml: ok, nothing breaks" in out


def test_breaking_change_fails_and_names_what_to_acknowledge(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _change(repo, REMOVE_LIMIT)
    code, out = _gate(capsys, repo)
    assert code == 1
    assert "specs/items.yaml: FAIL: 1 breaking change(s) not acknowledged" in out
    assert "- where: 'GET /items'\n    kind: 'parameter removed'" in out
    assert "specs/items.ack.yaml" in out


def test_ack_file_naming_the_change_acknowledges_it(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.root / "specs" / "items.ack.yaml").write_text(ACK, "utf-8")
    _change(repo, REMOVE_LIMIT)
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "1 breaking, each acknowledged in specs/items.ack.yaml" in out


def test_ack_entry_for_another_change_does_not_acknowledge(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    ack = ACK.replace("parameter removed", "parameter added")
    (repo.root / "specs" / "items.ack.yaml").write_text(ack, "utf-8")
    _change(repo, REMOVE_LIMIT)
    assert _gate(capsys, repo)[0] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("acknowledged: nope\n", "expected a mapping with an `acknowledged` list"),
        (ACK.replace('    reason: "The vendor dropped paging."\n', ""), "fields: reason"),
        ("acknowledged: [\n", "unreadable"),
    ],
)
def test_unusable_ack_file_is_a_located_error_not_a_traceback(
    repo: Repo, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (repo.root / "specs" / "items.ack.yaml").write_text(text, "utf-8")
    _change(repo, REMOVE_LIMIT)
    code, out = _gate(capsys, repo)
    assert code == 2
    assert "specs/items.ack.yaml: error: #:" in out and message in out


def test_major_version_bump_acknowledges_everything(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(repo.spec.read_text("utf-8").replace(*MAJOR_BUMP), REMOVE_LIMIT)
    repo.commit("2.0: paging removed")
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "acknowledged by the major bump 1.2.0 → 2.0.0" in out


def test_minor_version_bump_acknowledges_nothing(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(repo.spec.read_text("utf-8").replace(*MINOR_BUMP), REMOVE_LIMIT)
    repo.commit("1.3: paging removed")
    assert _gate(capsys, repo)[0] == 1


def test_off_main_the_base_is_the_merge_base_not_the_previous_commit(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("checkout", "--quiet", "-b", "feature")
    _change(repo, REMOVE_LIMIT, "breaking")
    _change(repo, ("description: Every item.", "description: All items."), "harmless")
    code, out = _gate(capsys, repo)
    assert code == 1
    assert "(merge base with main)" in out
    repo.git("checkout", "--quiet", "main")
    repo.git("merge", "--quiet", "--ff-only", "feature")
    code, out = _gate(capsys, repo)  # on main, only the last commit counts
    assert (code, "(previous commit)" in out) == (0, True)


def test_spec_new_since_the_base_passes(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git("mv", "specs/items.yaml", "specs/old.yaml")
    repo.commit("rename")
    repo.git("mv", "specs/old.yaml", "specs/items.yaml")
    repo.commit("back")
    code, out = _gate(capsys, repo, "--base", "HEAD~1")
    assert code == 0
    assert "specs/items.yaml: new since" in out


def test_unknown_base_is_an_error(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _gate(capsys, repo, "--base", "no-such-branch")
    assert code == 2
    assert "--base no-such-branch: no such commit here" in out


def test_shallow_clone_passes_with_a_warning(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _change(repo, REMOVE_LIMIT)
    clone = tmp_path / "clone"
    argv = ["git", "clone", "--quiet", "--depth", "1", repo.root.as_uri(), str(clone)]
    subprocess.run(argv, check=True, capture_output=True)
    code = main(["spec-diff", "--root", str(clone)])
    out = capsys.readouterr().out
    assert code == 0
    assert "shallow clone: the previous commit is not available" in out


def test_surface_net_fails_a_removal_the_spec_diff_lets_through(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A response enum losing a value breaks no caller on the wire, but ``ItemStatus.CLOSED``
    disappears from the generated code: only the code-side net sees it."""
    _change(repo, ENUM_NARROWED)
    assert not diff(parse(SPEC, "base"), load(repo.spec)).breaking
    code, out = _gate(capsys, repo)
    assert code == 1
    assert "not in the spec diff: member removed: member `ItemStatus.CLOSED` is gone" in out
    assert "- where: 'ItemStatus.CLOSED'\n    kind: 'surface: member removed'" in out


def test_surface_net_agrees_when_the_spec_diff_reported_the_removal(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _change(repo, REMOVE_LIMIT)
    out = _gate(capsys, repo)[1]
    assert "generated surface: 2 break(s), 2 reported above" in out  # sync and async `list`
    assert "not in the spec diff" not in out


def test_make_target_runs_the_gate_from_the_command_line() -> None:
    root = Path(__file__).resolve().parents[2]
    text = (root / "Makefile").read_text("utf-8")
    assert "-m generator spec-diff" in text
    assert any(line.startswith("check:") and "spec-diff" in line for line in text.splitlines())
    assert "make spec-diff" in (root / ".ci" / "run").read_text("utf-8")


def test_command_line_in_the_project_directory_exits_1_on_a_break(repo: Repo) -> None:
    _change(repo, REMOVE_LIMIT)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    argv = [sys.executable, "-m", "generator", "spec-diff"]
    done = subprocess.run(argv, cwd=repo.root, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    assert "parameter removed: query parameter `limit` removed" in done.stdout


SUNSET_LIMIT = LIMIT.replace(
    "description: Page size.}", "deprecated: true, x-sunset: '2020-01-31'}"
)


def test_removal_after_its_sunset_date_passes_both_nets(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A parameter deprecated with a sunset date long past may go: the spec diff says so, and
    the code-side net does not count the keyword argument it takes away as a surprise."""
    _change(repo, (LIMIT, SUNSET_LIMIT))
    _change(repo, (SUNSET_LIMIT, QUERY))
    code, out = _gate(capsys, repo)
    assert "removed (deprecated, sunset 2020-01-31 passed)" in out
    assert "generated surface: 2 break(s), 2 reported above" in out
    assert code == 0


def test_the_gate_says_why_it_chose_its_base(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("checkout", "--quiet", "-b", "feature")
    _change(repo, ADD_OPTIONAL)
    out = _gate(capsys, repo)[1]
    assert "(merge base with main): this branch forked from main there" in out
    repo.git("checkout", "--quiet", "main")
    repo.git("merge", "--quiet", "--ff-only", "feature")
    out = _gate(capsys, repo)[1]
    assert "(previous commit): HEAD is main, so the last commit is judged" in out


def test_acknowledgements_of_changes_already_on_main_are_reported_stale(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The break was acknowledged and merged; the next change finds the entry matching nothing."""
    (repo.root / "specs" / "items.ack.yaml").write_text(ACK, "utf-8")
    _change(repo, REMOVE_LIMIT, "breaking, acknowledged")
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "stale" not in out
    _change(repo, ("description: Every item.", "description: All items."), "harmless")
    code, out = _gate(capsys, repo)
    assert code == 0
    assert "specs/items.yaml: 1 stale acknowledgement(s) in specs/items.ack.yaml" in out
    assert "  - where: 'GET /items'\n    kind: 'parameter removed'" in out


def test_the_projects_severity_policy_decides_the_gate(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo.root / "pyproject.toml"
    policy = '\n[tool.generator.diff.severity]\n"parameter removed" = "warning"\n'
    config.write_text(config.read_text("utf-8") + policy, "utf-8")
    _change(repo, REMOVE_LIMIT)
    code, out = _gate(capsys, repo)
    assert "parameter removed: query parameter `limit` removed" in out
    assert "[warning by policy]" in out
    assert code == 0
