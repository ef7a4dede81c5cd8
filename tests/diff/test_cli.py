"""The command line: exit codes, ``REF:path`` from git, and unusable input without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diff.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
SPEC = (CASES / "parameter_added_required" / "base.yaml").read_text("utf-8")
BREAKING = (CASES / "parameter_added_required" / "revision.yaml").read_text("utf-8")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, "utf-8")
    return str(path)


def test_exit_0_when_nothing_breaks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "a.yaml", SPEC)
    assert _run(capsys, spec, spec)[0] == 0


def test_exit_1_when_something_breaks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, revision = _write(tmp_path, "a.yaml", SPEC), _write(tmp_path, "b.yaml", BREAKING)
    code, out, err = _run(capsys, base, revision)
    assert (code, err) == (1, "")
    assert "required query parameter `project` added" in out


def test_json_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON revision of a YAML base: syntax is not a change."""
    import yaml

    base = _write(tmp_path, "a.yaml", SPEC)
    revision = _write(tmp_path, "a.json", json.dumps(yaml.safe_load(SPEC)))
    code, out, _ = _run(capsys, base, revision, "--format", "json")
    assert (code, json.loads(out)) == (0, {"breaking": False, "changes": []})


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "a.yaml", SPEC)
    missing = str(tmp_path / "missing.yaml")
    code, out, err = _run(capsys, spec, missing)
    assert (code, out) == (2, "")
    assert err == f"{missing}: error: #: cannot read: No such file or directory\n"


def test_invalid_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "a.yaml", SPEC)
    bad = _write(
        tmp_path, "bad.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: '1'\n"
    )
    code, out, err = _run(capsys, bad, spec)
    assert (code, out) == (2, "")
    assert err.startswith(f"{bad}:4: error: #: invalid YAML")
    assert "Traceback" not in err


def test_both_sides_unusable_are_both_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = str(tmp_path / "x.yaml"), str(tmp_path / "y.yaml")
    code, _, err = _run(capsys, first, second)
    assert code == 2
    assert [line.split(":")[0] for line in err.splitlines()] == [first, second]


def test_not_openapi(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, "a.yaml", SPEC)
    swagger = _write(
        tmp_path, "s.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"
    )
    code, _, err = _run(capsys, swagger, spec)
    assert code == 2
    assert err == f"{swagger}:1: error: #: not an OpenAPI 3.x document (version: 2.0)\n"


def test_dangling_ref_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = SPEC.replace("#/components/schemas/RunList", "#/components/schemas/Nope")
    spec, bad = _write(tmp_path, "a.yaml", SPEC), _write(tmp_path, "b.yaml", broken)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "schemas/Nope" in text)
    code, _, err = _run(capsys, spec, bad)
    assert code == 2
    assert err.startswith(f"{bad}:{line}: error: #/paths/~1runs/get/responses/200/")
    assert "$ref '#/components/schemas/Nope' cannot be resolved" in err


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.1.0\npaths: [1, 2]\n",
        "openapi: 3.1.0\npaths:\n  /x: 5\n  /y: {get: 3, post: {parameters: 7, responses: []}}\n",
        "openapi: 3.1.0\npaths:\n  /x:\n    get:\n      parameters: [{name: 1}, 2, {in: query}]\n"
        "      requestBody: {content: {a/b: {schema: 5}}}\n      responses: {200: {content: 3}}\n"
        "components: {schemas: {A: 3, B: {properties: [1], required: 4, enum: 5, type: 7}}}\n",
    ],
)
def test_odd_shapes_never_raise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """Malformed but parseable documents are compared as far as they go, or refused: no crash."""
    spec, odd = _write(tmp_path, "a.yaml", SPEC), _write(tmp_path, "odd.yaml", text)
    for argv in ([spec, odd], [odd, spec], [odd, odd]):
        code, _, err = _run(capsys, *argv)
        assert code in (0, 1, 2)
        assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["a.yaml", "b.yaml", "--format", "xml"]) == 2
    assert "usage: python -m generator diff" in capsys.readouterr().err


def test_today_must_be_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["a.yaml", "b.yaml", "--today", "tomorrow"]) == 2
    assert "not a date (YYYY-MM-DD): 'tomorrow'" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "REF:path" in capsys.readouterr().out


def test_generator_diff_help_shows_the_real_options(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m generator diff --help`` documents BASE, REVISION and each option."""
    from generator.cli import main as generator_main

    with pytest.raises(SystemExit) as exit_:
        generator_main(["diff", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    for text in ("BASE", "REVISION", "--format", "--today", "REF:path", "POLICY.md"):
        assert text in out, text
    assert "rest" not in out.split()


@pytest.mark.parametrize("command", ["validate", "generate", "diff", "spec-diff"])
def test_every_subcommand_help_describes_it(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main as generator_main

    with pytest.raises(SystemExit):
        generator_main([command, "--help"])
    usage, _, rest = capsys.readouterr().out.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert usage.startswith(f"usage: python -m generator {command}")
    assert not description.startswith(("options:", "positional arguments:")), description
    assert len(description.split()) >= 8, description  # a sentence, not only the option list


def test_generator_diff_runs_the_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main as generator_main

    base, revision = _write(tmp_path, "a.yaml", SPEC), _write(tmp_path, "b.yaml", BREAKING)
    assert generator_main(["diff", base, revision, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["breaking"] is True


def _git(repo: Path, *args: str) -> None:
    identity = [
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with ``specs/api.yaml`` committed, then edited in the working copy."""
    (tmp_path / "specs").mkdir()
    _write(tmp_path / "specs", "api.yaml", SPEC)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "spec")
    _write(tmp_path / "specs", "api.yaml", BREAKING)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ref_path_from_git(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "HEAD:specs/api.yaml", "specs/api.yaml", "--format", "json")
    assert (code, err) == (1, "")
    assert [c["detail"] for c in json.loads(out)["changes"]] == [
        "required query parameter `project` added"
    ]


def test_ref_path_on_both_sides(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "commit", "-q", "-am", "breaking")
    assert _run(capsys, "HEAD~1:specs/api.yaml", "HEAD:specs/api.yaml")[0] == 1
    assert _run(capsys, "HEAD:specs/api.yaml", "specs/api.yaml")[0] == 0


def test_ref_path_github_annotations_name_the_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(capsys, "HEAD:specs/api.yaml", "specs/api.yaml", "--format", "github")
    assert out.startswith("::error file=specs/api.yaml,line=")


def test_unknown_ref_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "nope:specs/api.yaml", "specs/api.yaml")
    assert (code, out) == (2, "")
    assert err.startswith("nope:specs/api.yaml: error: #: git show failed: ")


def test_ref_path_outside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = _run(capsys, "HEAD:api.yaml", "HEAD:api.yaml")
    assert code == 2
    assert "git show failed" in err


def test_module_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", "openapi: 3.1.0\npaths: {\n")
    done = subprocess.run(
        [sys.executable, "-m", "generator.diff", bad, bad],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}:")
    assert "Traceback" not in done.stderr
