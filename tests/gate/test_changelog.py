"""``generated/<api>/CHANGELOG.md``: a section per spec change, newest first, written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.gate.repo import SPEC, Repo

ADD_OPTIONAL = ("description: Every item.", "description: Every item.\n      deprecated: true")
REMOVE_ENUM = ("enum: [open, closed]", "enum: [open]")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A project whose first commit holds the spec and the package generated from it."""
    project = Repo(tmp_path / "project")
    project.write(SPEC)
    assert _generate(project) == 0
    project.commit("first")
    return project


def _generate(repo: Repo, *flags: str) -> int:
    return main(["generate", "--root", str(repo.root), *flags])


def _changelog(repo: Repo) -> str:
    return (repo.root / "generated" / "items" / "CHANGELOG.md").read_text("utf-8")


def _sha(repo: Repo) -> str:
    import hashlib

    return hashlib.sha256(repo.spec.read_bytes()).hexdigest()


def test_a_new_package_gets_a_changelog_with_its_title_only(repo: Repo) -> None:
    lines = _changelog(repo).splitlines()
    assert lines[0].startswith("<!-- Code generated") and _sha(repo) in lines[0]
    assert lines[1] == "# Changelog of `items`"
    assert not [line for line in lines if line.startswith("## ")]


def test_a_spec_change_adds_its_report_once(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(SPEC, ADD_OPTIONAL)
    assert _generate(repo, "--check") == 1  # the changelog is part of what --check compares
    assert "+## 1.2.0 — spec sha256 " + _sha(repo)[:12] in capsys.readouterr().out
    assert _generate(repo) == 0
    first = _changelog(repo)
    assert (
        f"## 1.2.0 — spec sha256 {_sha(repo)[:12]}\n\n### API changes: 1 change, 0 breaking"
        in first
    )
    assert "| `GET /items` | operation deprecated |" in first
    assert _generate(repo) == 0
    assert _changelog(repo) == first  # generating again appends nothing
    assert _generate(repo, "--check") == 0


def test_sections_are_newest_first_and_earlier_ones_are_kept(repo: Repo) -> None:
    repo.write(SPEC, ADD_OPTIONAL)
    _generate(repo)
    repo.commit("deprecate list")
    middle = _sha(repo)
    repo.write(repo.spec.read_text("utf-8"), REMOVE_ENUM)
    _generate(repo)
    text = _changelog(repo)
    newest, older = text.index(_sha(repo)[:12] + "\n"), text.index(middle[:12] + "\n")
    assert text.index("# Changelog") < newest < older
    assert "enum value removed" in text[newest:older]
    assert "operation deprecated" in text[older:]


def test_an_uncommitted_earlier_spec_adds_nothing_and_warns(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(SPEC, ADD_OPTIONAL)
    _generate(repo)  # generated from a spec that no commit holds
    before = _changelog(repo).split("\n", 1)[1]
    repo.write(SPEC, REMOVE_ENUM)
    capsys.readouterr()
    assert _generate(repo) == 0
    assert "warning: #: CHANGELOG.md not updated" in capsys.readouterr().err
    assert _changelog(repo).split("\n", 1)[1] == before
