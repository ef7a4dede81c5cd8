"""Editing the library's output in place, at the offsets :mod:`ast` reports.

Every patch of ``models.py`` finds what it changes by parsing, then edits the text rather than
unparsing the tree, so the rest of the library's output is kept byte for byte. Offsets are
those of :mod:`ast`: lines counted as it counts them, columns in UTF-8 bytes.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

# Where an edit goes: first line, column, last line, end column, as :mod:`ast` counts them
# (a span ending at column 0 of the line after a statement takes its whole lines).
Span = tuple[int, int, int, int]
Edit = tuple[Span, str]


def apply(source: str, edits: Sequence[Edit]) -> str:
    """``source`` with each span's text replaced, taken from the end of the text.

    Spans must not overlap; an insertion (an empty span) where a removal starts goes before
    what follows the removal.
    """
    if not edits:
        return source
    lines = [*lines_of(source), b""]  # a span may end at the start of the line after the last
    for (start, column, end, end_column), text in sorted(edits, key=lambda e: e[0], reverse=True):
        head, tail = lines[start - 1][:column], lines[end - 1][end_column:]
        lines[start - 1 : end] = [head + text.encode() + tail]
    return b"".join(lines).decode()


def span(node: ast.expr | ast.stmt) -> Span:
    """The span of a node's text."""
    return node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0


def whole_lines(statement: ast.stmt) -> Span:
    """The span of the lines of a statement alone on its lines, their line ends included."""
    return statement.lineno, 0, (statement.end_lineno or statement.lineno) + 1, 0


def replace(source: str, edits: Sequence[tuple[ast.expr | ast.stmt, str]]) -> str:
    """``source`` with each node's text replaced."""
    return apply(source, [(span(node), text) for node, text in edits])


def without_statements(source: str, statements: list[ast.stmt]) -> str:
    """``source`` without the lines of each statement (each alone on its lines)."""
    return apply(source, [(whole_lines(node), "") for node in statements])


def lines_of(source: str) -> list[bytes]:
    """The lines of ``source`` as ``ast`` counts them, in the bytes its column offsets count."""
    return source.encode().splitlines(keepends=True)


def segment(node: ast.expr, lines: list[bytes]) -> str:
    """The source text of ``node``, from the ``lines_of`` the source it was parsed from."""
    start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if start == end:
        return lines[start][node.col_offset : node.end_col_offset].decode()
    middle = b"".join(lines[start + 1 : end])
    return (lines[start][node.col_offset :] + middle + lines[end][: node.end_col_offset]).decode()


def unparsed(node: ast.AST) -> str:
    """``ast.unparse(node)``, without its cost for a bare name: most bases, targets and heads
    of subscripts the patches compare are one, thousands of times in a large module."""
    return node.id if isinstance(node, ast.Name) else ast.unparse(node)


def annotated_parts(node: ast.expr) -> list[ast.expr] | None:
    """The type and metadata of ``Annotated[T, ...]``; None for any other annotation."""
    if (
        isinstance(node, ast.Subscript)
        and unparsed(node.value) == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        return list(node.slice.elts)
    return None
