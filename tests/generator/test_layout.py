"""The house rules of the generator's layout: what a newcomer reads first holds.

Every folder of ``generator/`` says in its ``__init__`` docstring what it does, no module
grows past 400 lines, and an ``x-`` extension is found from its own module alone: a module
dropped into the extensions package is checked and lowered without touching anything else.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator import extensions
from generator.diagnostics import SpecError
from generator.load.config import api_config
from generator.pipeline import build

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 400


def _packages() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "generator").rglob("__init__.py"))


@pytest.mark.parametrize("package", _packages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_folder_says_what_it_does(package: Path) -> None:
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8")))
    assert docstring and len(docstring.split()) >= 8, f"{package}: no docstring worth reading"


def test_no_module_is_over_the_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in sorted((ROOT / "generator").rglob("*.py"))
        if (count := len(path.read_text("utf-8").splitlines())) > LIMIT
    }
    assert long == {}


_SPEC = """\
openapi: 3.1.0
info: {title: Ticks, version: "1"}
paths:
  /ticks:
    get:
      operationId: ticks_list
      tags: [ticks]
      x-tick: {label: %s}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
"""

_MODULE = '''
"""``x-tick``: a key only this test declares."""

from dataclasses import replace
from typing import Any

from generator.extensions._base import NAME, Extension


def check(checks: Any, where: list[str], op: dict[str, Any], ext: dict[str, Any]) -> None:
    if ext["label"] == "bad":
        checks.problem([*where, "x-tick", "label"], "a bad label")


def lower(lowering: Any, op: Any, ext: dict[str, Any]) -> Any:
    return replace(op, summary=f"Ticked {ext['label']}")


EXTENSION = Extension(
    key="x-tick",
    on="operation",
    schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["label"],
        "properties": {"label": NAME},
    },
    check=check,
    lower=lower,
)
'''


@pytest.fixture
def tick_extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The extensions package, with one more module in a folder of its own."""
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "tick.py").write_text(textwrap.dedent(_MODULE), "utf-8")
    monkeypatch.setattr(extensions, "__path__", [*extensions.__path__, str(folder)])
    extensions.extensions.cache_clear()
    yield
    extensions.extensions.cache_clear()


def _build(tmp_path: Path, label: str) -> str:
    spec = tmp_path / "ticks.yaml"
    spec.write_text(_SPEC % label, "utf-8")
    config = api_config(spec, "ticks", tmp_path / "out", strict=False)
    return build(config, spec.name).files["resources/ticks.py"]


def test_an_extension_module_alone_is_checked_and_lowered(
    tmp_path: Path, tick_extension: None
) -> None:
    assert "x-tick" in {e.key for e in extensions.extensions()}
    assert "Ticked fine" in _build(tmp_path, "fine")
    with pytest.raises(SpecError) as raised:
        _build(tmp_path, "bad")
    assert "#/paths/~1ticks/get/x-tick/label" in str(raised.value)
    assert "a bad label" in str(raised.value)
    with pytest.raises(SpecError, match="x-tick"):
        _build(tmp_path, "[not, a, name]")


def test_without_its_module_the_key_is_only_a_vendor_extension(tmp_path: Path) -> None:
    assert "x-tick" not in {e.key for e in extensions.extensions()}
    assert "Ticked" not in _build(tmp_path, "bad")
