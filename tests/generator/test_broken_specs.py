"""Broken specs give located diagnostics and exit code 1, never a traceback.

Each case is a small spec text and the JSON pointer its diagnostic must name; the real-world
broken documents of openapi-python-client's suite are run the same way when present.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from tests.generator.realworld import realworld_dir, require

_INFO = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'
_OK = '{"200": {description: ok}}'

CASES = {
    "invalid_yaml.yaml": (_INFO + "paths: {/a: [\n", "#", "invalid YAML"),
    "duplicate_key.yaml": (
        _INFO
        + f"paths:\n  /a:\n    get: {{responses: {_OK}}}\n  /a:\n    put: {{responses: {_OK}}}\n",
        "#/paths/~1a",
        "duplicate key '/a'",
    ),
    "duplicate_key.json": (
        '{"openapi": "3.1.0",\n "info": {"title": "t", "version": "1"},\n "info": {}}\n',
        "#/info",
        "duplicate key 'info'",
    ),
    "unresolvable_ref.yaml": (
        _INFO + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Nope'}\n",
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "cannot be resolved",
    ),
    "circular_ref.yaml": (
        _INFO + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/A'}\n",
        "#/components/schemas/A/$ref",
        "missing or circular",
    ),
    "swagger.yaml": (
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n',
        "#",
        "not an OpenAPI 3.x",
    ),
    "missing_responses.yaml": (
        _INFO + "paths:\n  /a:\n    get: {operationId: a}\n",
        "#/paths/~1a/get",
        "no responses",
    ),
    "bad_status.yaml": (
        _INFO
        + "paths:\n  /a:\n    get:\n      responses:\n        abc: {description: no}\n        '200': {description: ok}\n",
        "#/paths/~1a/get/responses/abc",
        "not an HTTP status code",
    ),
    "undeclared_path_param.yaml": (
        _INFO + f"paths:\n  /a/{{id}}:\n    get: {{responses: {_OK}}}\n",
        "#/paths/~1a~1{id}/get",
        "'id'",
    ),
    "optional_path_param.yaml": (
        _INFO + "paths:\n  /a/{id}:\n    get:\n      parameters:\n"
        "        - {name: id, in: path, required: false, schema: {type: string}}\n"
        f"      responses: {_OK}\n",
        "#/paths/~1a~1{id}/get",
        "must be required: true",
    ),
    "not_a_mapping.yaml": ("- a\n- b\n", "#", "must be a mapping"),
    "scalar.json": ("42\n", "#", "must be a mapping"),
    "empty.yaml": ("", "#", "empty"),
    "not_utf8.yaml": ("\udcff", "#", "UTF-8"),
}

# Mistakes a lenient run repairs (generator/load/repair.py): errors only with --strict.
STRICT_ONLY = {"undeclared_path_param.yaml", "unresolvable_ref.yaml"}
_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<ptr>#\S*): (?P<msg>.*)$")


def _run(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    out = str(tmp_path / "out" / "pkg")
    code = main(["generate", str(spec), "-o", out, "--package", "pkg", *extra])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_spec_gives_located_diagnostic(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, ptr, words = CASES[name]
    spec = tmp_path / name
    spec.write_bytes(text.encode("utf-8", "surrogateescape"))
    code, err = _run(spec, tmp_path, capsys, *(["--strict"] if name in STRICT_ONLY else []))
    assert code == 1, err
    assert "Traceback" not in err
    errors = [m for m in map(_LINE.match, err.splitlines()) if m]
    assert errors, err
    assert any(m["ptr"] == ptr and words in m["msg"] for m in errors), err
    assert all(m["file"] == str(spec) for m in errors)  # named as the user gave it
    assert not (tmp_path / "out").exists()


def _broken_documents() -> list[Path]:
    folder = realworld_dir() / "openapi-python-client" / "documents_with_errors"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


@pytest.mark.parametrize("spec", _broken_documents(), ids=lambda p: p.name)
def test_realworld_broken_document_gives_clear_diagnostic(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(spec, tmp_path, capsys, "--verbose")
    assert "Traceback" not in err
    lines = [
        line
        for line in err.splitlines()
        if line.startswith(f"{spec}:") and (": error: " in line or ": warning: " in line)
    ]
    assert lines, err
    assert all(
        re.match(rf"{re.escape(str(spec))}:\d+: (error|warning): #/\S+: ", x) for x in lines
    ), err
    assert code == 1 or spec.name == "invalid-uuid-defaults.yaml"


def test_realworld_broken_documents_are_present() -> None:
    require(realworld_dir() / "openapi-python-client" / "documents_with_errors")
    assert len(_broken_documents()) >= 5


def test_recursive_schema_generates_working_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "tree.yaml"
    spec.write_text(
        _INFO + "paths:\n  /tree:\n    get:\n      operationId: get_tree\n      tags: [trees]\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: '#/components/schemas/Node'}\n"
        "components:\n  schemas:\n    Node:\n      type: object\n      required: [name]\n"
        "      properties:\n        name: {type: string}\n"
        "        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
        "        parent: {anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}\n",
        "utf-8",
    )
    code, err = _run(spec, tmp_path, capsys)
    assert code == 0, err
    from tests.generator.util import run_python

    run = run_python(
        "from pkg.models import Node\n"
        "n = Node.model_validate({'name': 'a', 'children': [{'name': 'b', 'children': [{'name': 'c'}]}]})\n"
        "print(n.children[0].children[0].name, type(n.children[0]).__name__)",
        tmp_path / "out",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["c", "Node"]
