"""`generate -j N`: packages built in worker processes are the same bytes, failures the same reports."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import jobs as scheduler
from generator.cli import main
from generator.diagnostics import Diagnostic, SpecError
from generator.jobs import InternalError, Outcome, draft_all
from generator.load.config import read_config
from generator.pipeline import Draft
from tests.generator.util import ROOT


def _project(root: Path, *, generated: bool = False) -> Path:
    """A copy of this project's configuration and specs (and its generated packages)."""
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "specs", root / "specs")
    if generated:  # changelogs carry over what the output already holds
        shutil.copytree(ROOT / "generated", root / "generated")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _broken_panto(tmp_path: Path) -> Path:
    """A project whose Panto spec is invalid (a misspelt ``responses``)."""
    project = _project(tmp_path / "project")
    broken = project / "specs" / "panto.yaml"
    broken.write_text(broken.read_text("utf-8").replace("responses:", "responzes:", 1), "utf-8")
    return project


def _draft_each(project: Path) -> dict[str, Outcome]:
    """Every configured spec's outcome with two processes, by spec file name."""
    configs = read_config(project)
    jobs = [(c, c.spec.relative_to(project).as_posix(), None) for c in configs]
    return dict(zip([c.spec.name for c in configs], draft_all(jobs, workers=2), strict=True))


def test_workers_write_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    serial = _project(tmp_path / "serial", generated=True)
    parallel = _project(tmp_path / "parallel", generated=True)
    assert main(["generate", "--root", str(serial), "-j", "1"]) == 0
    assert main(["generate", "--root", str(parallel), "-j", "2"]) == 0
    generated = _tree(serial / "generated")
    assert generated == _tree(parallel / "generated")
    assert generated == _tree(ROOT / "generated")  # and the same as the committed packages


def test_a_broken_spec_in_a_worker_is_reported_and_the_others_still_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path / "project")
    spec = project / "specs" / "panto.yaml"
    spec.write_text(spec.read_text("utf-8").replace("responses:", "responzes:", 1), "utf-8")
    assert main(["generate", "--root", str(project), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "specs/panto.yaml:" in err and "error: #/paths/" in err
    assert "Traceback" not in err
    assert (project / "generated" / "testmo" / "models.py").is_file()
    assert not (project / "generated" / "panto").exists()


def test_failures_cross_the_process_boundary_as_values(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    configs = read_config(project)
    broken = replace(configs[0], spec=configs[0].spec.with_name("missing.yaml"))
    jobs = [(broken, "specs/missing.yaml", None), (configs[1], "specs/x.yaml", None)]
    outcomes = draft_all(jobs, workers=2)
    assert isinstance(outcomes[0], SpecError)
    assert all(isinstance(d, Diagnostic) for d in outcomes[0].diagnostics)
    assert "missing.yaml" in str(outcomes[0])
    assert isinstance(outcomes[1], Draft) and "models.py" in outcomes[1].files
    assert not any(isinstance(o, InternalError) for o in outcomes)


def test_validation_speaks_first_when_building_a_spec_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Models are built beside validation: for an invalid spec, its errors are the report."""
    project = _broken_panto(tmp_path)

    def crash(*_: object, **__: object) -> dict[str, str]:
        raise TypeError("the model stage choked")

    monkeypatch.setattr(scheduler, "assemble", crash)
    outcomes = _draft_each(project)
    assert isinstance(outcomes["panto.yaml"], SpecError)  # the spec's own errors, not the crash
    assert isinstance(outcomes["testmo.yaml"], InternalError)  # a valid spec: the crash is a bug
    assert "the model stage choked" in str(outcomes["testmo.yaml"])


def test_a_checker_that_dies_silently_is_replaced_by_checking_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed validating process must not let an invalid spec through unchecked."""
    import os

    project = _broken_panto(tmp_path)

    def killed(*_: object) -> None:
        os._exit(9)  # what the forked checker does instead of sending its verdicts

    monkeypatch.setattr(scheduler, "_check_and_send", killed)
    outcomes = _draft_each(project)
    assert isinstance(outcomes["panto.yaml"], SpecError)
    assert isinstance(outcomes["testmo.yaml"], Draft)


def test_a_checker_that_dies_halfway_leaves_the_rest_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mended documents already sent are used; the rest are mended and checked here."""
    import os

    project = _broken_panto(tmp_path)
    parent, mend = os.getpid(), scheduler._mend
    sent: list[object] = []

    def dies_after_one(*args: object) -> object:
        if os.getpid() != parent and sent:
            os._exit(9)  # the checking process, once it has sent one mended document
        sent.append(args)
        return mend(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler, "_mend", dies_after_one)
    outcomes = _draft_each(project)
    assert isinstance(outcomes["panto.yaml"], SpecError)
    assert all(isinstance(o, Draft) for name, o in outcomes.items() if name != "panto.yaml")
