"""The gate reads a multi-file spec whole on both sides: the base's files at the base commit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.gate.repo import Repo

SPLIT = Path(__file__).resolve().parents[1] / "generator" / "multifile" / "split"
NAME = "    name: {type: string}\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A project whose first commit holds the split spec as ``specs/items.yaml``."""
    project = Repo(tmp_path / "project")
    shutil.copytree(SPLIT / "resources", project.spec.parent / "resources")
    errors = project.spec.parent / "resources" / "common" / "errors.json"
    errors.write_text(errors.read_text("utf-8").replace("spec.yaml", "items.yaml"), "utf-8")
    project.write((SPLIT / "spec.yaml").read_text("utf-8"))
    project.commit("first")
    return project


def _gate(capsys: pytest.CaptureFixture[str], repo: Repo) -> tuple[int, str]:
    code = main(["spec-diff", "--root", str(repo.root)])
    return code, capsys.readouterr().out


def test_a_breaking_change_in_a_referenced_file_alone_fails(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    models = repo.spec.parent / "resources" / "pets" / "models.yml"
    models.write_text(models.read_text("utf-8").replace(NAME, "").replace("[id, name]", "[id]"))
    repo.commit("drop Pet.name")
    code, out = _gate(capsys, repo)
    assert code == 1, out
    assert "specs/items.yaml: FAIL: " in out
    assert "#/components/schemas/Pet/properties/name" in out


def test_an_unchanged_tree_passes(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.root / "README.md").write_text("x\n", "utf-8")
    repo.commit("unrelated")
    code, out = _gate(capsys, repo)
    assert code == 0, out
    assert "specs/items.yaml: ok, nothing breaks" in out


def test_the_changelog_finds_the_earlier_spec_by_the_hash_of_all_its_files(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--root", str(repo.root)]) == 0
    repo.commit("generated")
    models = repo.spec.parent / "resources" / "pets" / "models.yml"
    models.write_text(models.read_text("utf-8").replace("How big the pet is.", "Its size."))
    assert main(["generate", "--root", str(repo.root)]) == 0
    assert "not updated" not in capsys.readouterr().err
    changelog = (repo.root / "generated" / "items" / "CHANGELOG.md").read_text("utf-8")
    assert "#/components/schemas/Pet/properties/size" in changelog
