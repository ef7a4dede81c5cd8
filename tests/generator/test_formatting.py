"""Formatting the generated Python (generator/render/emit.py): ruff lays it out while the
sources are compiled, and what does not compile is a generator bug, said as one."""

from __future__ import annotations

import pytest

from generator.render.emit import format_python


def test_sources_come_back_sorted_and_formatted() -> None:
    sources = {
        "pkg/a.py": "import sys\nimport os\nx = {'a':1}\n",
        "pkg/b.py": "def f( y ):\n    return y\n",
    }
    assert format_python(sources) == {
        "pkg/a.py": 'import os\nimport sys\n\nx = {"a": 1}\n',
        "pkg/b.py": "def f(y):\n    return y\n",
    }


def test_a_source_ruff_accepts_but_python_does_not_compile_is_a_generator_bug() -> None:
    sources = {"pkg/a.py": "x = 1\n", "pkg/b.py": "def f(y, y):\n    return y\n"}
    with pytest.raises(RuntimeError, match=r"invalid Python in pkg/b\.py: duplicate argument"):
        format_python(sources)


def test_the_first_source_that_does_not_compile_is_named() -> None:
    sources = {
        "pkg/a.py": "def f(y, y):\n    return y\n",
        "pkg/b.py": "def g(z, z):\n    return z\n" * 10,  # compiled first: larger
    }
    with pytest.raises(RuntimeError, match=r"invalid Python in pkg/a\.py"):
        format_python(sources)


def test_a_source_ruff_cannot_parse_is_said_by_ruff() -> None:
    with pytest.raises(RuntimeError, match="generator produced invalid Python: "):
        format_python({"pkg/a.py": "def f(:\n"})
