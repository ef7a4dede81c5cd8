"""Keep pytest from mistaking generated model and enum classes for test classes.

Users of QA APIs import models such as ``TestResult`` into their own test modules, and pytest
tries to collect every class whose name starts with ``Test``: a model cannot be collected (it
has an ``__init__``), so pytest warns, which ``filterwarnings = error`` turns into a failure.
pytest skips a class whose ``__test__`` is false, so each such class gets ``__test__ = False``
in its body. In an enum a dunder name is not a member, and pydantic leaves dunders alone.
"""

from __future__ import annotations

import ast

from .edits import Edit, apply

# pytest's default ``python_classes`` pattern: a class name starting with "Test".
_PREFIX = "Test"
_MARK = "__test__ = False"


def hidden_from_pytest(source: str) -> str:
    """``source`` with ``__test__ = False`` in every top-level class pytest would collect."""
    if f"class {_PREFIX}" not in source:
        return source  # no such class: spare the parse, a tenth of a second on large models
    return apply(source, pytest_edits(ast.parse(source)))


def pytest_edits(tree: ast.Module) -> list[Edit]:
    """The edits of :func:`hidden_from_pytest` in the module ``tree`` was parsed from."""
    edits: list[Edit] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith(_PREFIX):
            first = node.body[0]
            indent = " " * first.col_offset
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                # After the docstring, so that it stays the class's docstring.
                line = (first.end_lineno or first.lineno) + 1
                edits.append(((line, 0, line, 0), f"\n{indent}{_MARK}\n"))
            else:
                edits.append(((first.lineno, 0, first.lineno, 0), f"{indent}{_MARK}\n"))
    return edits
