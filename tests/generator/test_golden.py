"""Golden output: each directory under cases/ holds a spec and the package it must generate.

Set UPDATE_GOLDEN=1 to rewrite the expected trees after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import api_config
from generator.emit import diff, write
from generator.pipeline import build

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_generated_package_matches_golden(case: str) -> None:
    expected = CASES / case / "expected"
    config = api_config(CASES / case / "spec.yaml", case, expected)
    files, _ = build(config, f"cases/{case}/spec.yaml")
    if os.environ.get("UPDATE_GOLDEN"):
        write(expected, files)
    assert diff(expected, files, case) == ""
