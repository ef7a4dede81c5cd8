"""Docstrings of models and fields as a reader expects them: ``\"\"\"Text.\"\"\"`` on one line.

datamodel-code-generator writes each description as a docstring of three lines at least (the
quotes on lines of their own), which made about half of ``models.py``. Here a description of
one line becomes a one-line docstring, and a longer one starts on the line of its opening quotes
(PEP 257's summary line) and keeps every line the spec gives, for the editor's hover. A class
or field the spec describes not has none. A root model's ``root`` field repeats its class's
description word for word: that copy is dropped (the class's docstring is the one shown).
"""

from __future__ import annotations

import ast
import inspect

from ..naming import docstring
from .edits import Edit, apply, span, whole_lines


def compact_docstrings(source: str) -> str:
    """``source`` with the docstrings of its classes and fields written compactly."""
    if '"""' not in source:
        return source
    return apply(source, docstring_edits(ast.parse(source)))


def docstring_edits(tree: ast.Module) -> list[Edit]:
    """The edits of :func:`compact_docstrings` in the module ``tree`` was parsed from."""
    edits: list[Edit] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            repeated = _repeats(node)
            edits += [(whole_lines(stmt), "") for stmt in repeated]
            for stmt in node.body:
                text = _docstring(stmt)
                if text is not None and stmt not in repeated:
                    written = _written(text, " " * stmt.col_offset)
                    if written:
                        edits.append((span(stmt), written))
    return edits


def _docstring(stmt: ast.stmt) -> str | None:
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ):
        return stmt.value.value
    return None


def _written(value: str, indent: str) -> str:
    """The docstring literal of ``value``, compact; "" if it would say nothing."""
    text = docstring(inspect.cleandoc(value), indent)
    if not text:
        return ""
    return f'"""{text}"""' if "\n" not in text else f'"""{text}\n{indent}"""'


def _repeats(node: ast.ClassDef) -> list[ast.stmt]:
    """The docstring of a root model's ``root`` field when it repeats the class's own."""
    own = ast.get_docstring(node)
    body = node.body
    for index, stmt in enumerate(body[:-1]):
        if isinstance(stmt, ast.AnnAssign) and _named(stmt.target, "root"):
            text = _docstring(body[index + 1])
            if own is not None and text is not None and inspect.cleandoc(text) == own:
                return [body[index + 1]]
    return []


def _named(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Name) and target.id == name
