"""Fixtures for generator tests: write an inline spec, generate it, import the result."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from generator.load.config import api_config
from generator.pipeline import build
from generator.render.emit import write

Generate = Callable[[str, str], ModuleType]


@pytest.fixture
def generate(tmp_path: Path) -> Iterator[Generate]:
    """Generate an inline YAML spec into a fresh package and import it."""
    added: list[str] = []

    def run(spec_text: str, package: str = "inline_api") -> ModuleType:
        spec = tmp_path / f"{package}.yaml"
        spec.write_text(textwrap.dedent(spec_text), "utf-8")
        files = build(api_config(spec, package, tmp_path / package), spec.name).finalized()
        write(tmp_path / package, files)
        sys.path.insert(0, str(tmp_path))
        added.append(package)
        return importlib.import_module(package)

    yield run
    for package in added:
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))
