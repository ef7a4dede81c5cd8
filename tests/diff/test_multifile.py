"""The diff reads a multi-file spec whole: from disk, or every file from git at the same ``REF``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.diff.cli import main

SPLIT = Path(__file__).resolve().parents[1] / "generator" / "multifile" / "split"
MODELS = Path("resources") / "pets" / "models.yml"
NAME = "    name: {type: string}\n"  # a response property of Pet, on line 6 of models.yml


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _drop_name(tree: Path) -> None:
    """Remove ``Pet.name`` (required, in responses): breaking, and only in a referenced file."""
    models = tree / MODELS
    text = models.read_text("utf-8")
    assert NAME in text
    models.write_text(text.replace(NAME, "").replace("[id, name]", "[id]"), "utf-8")


def test_a_change_in_a_referenced_file_is_reported_in_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, revision = tmp_path / "base", tmp_path / "revision"
    shutil.copytree(SPLIT, base)
    shutil.copytree(SPLIT, revision)
    _drop_name(revision)
    code, out, err = _run(capsys, str(base / "spec.yaml"), str(revision / "spec.yaml"))
    assert (code, err) == (1, "")
    assert "#/components/schemas/Pet/properties/name" in out
    _, out, _ = _run(
        capsys, str(base / "spec.yaml"), str(revision / "spec.yaml"), "--format", "github"
    )
    assert f"file={revision / MODELS},line=4," in out  # Pet's `properties`: where `name` was


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the split spec committed under ``specs/``."""
    shutil.copytree(SPLIT, tmp_path / "specs")
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "spec"]):
        subprocess.run(["git", *identity, *args], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ref_path_reads_the_referenced_files_at_that_revision(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "HEAD:specs/spec.yaml", "specs/spec.yaml")[:2] == (
        0,
        "HEAD:specs/spec.yaml → specs/spec.yaml: no changes\n",
    )
    _drop_name(repo / "specs")
    code, out, _ = _run(capsys, "HEAD:specs/spec.yaml", "specs/spec.yaml")
    assert code == 1 and "#/components/schemas/Pet/properties/name" in out
    _, out, _ = _run(capsys, "specs/spec.yaml", "HEAD:specs/spec.yaml", "--format", "github")
    assert "file=specs/resources/pets/models.yml,line=6," in out  # `name` as committed


def test_a_file_missing_at_the_revision_is_located_at_its_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "rm", "-q", "--cached", f"specs/{MODELS}"], check=True)
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "rm"], check=True
    )
    code, out, err = _run(capsys, "HEAD:specs/spec.yaml", "specs/spec.yaml")
    assert (code, out) == (2, "")
    assert (
        "HEAD:specs/spec.yaml:40: error: #/components/schemas/Pet/$ref: $ref 'resources/pets/models.yml#/Pet': "
        in err
    )
    assert "Traceback" not in err
