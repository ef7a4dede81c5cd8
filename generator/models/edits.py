"""Editing the library's output in place, at the offsets :mod:`ast` reports.

Every patch of ``models.py`` finds what it changes by parsing, then edits the text rather than
unparsing the tree, so the rest of the library's output is kept byte for byte. Offsets are
those of :mod:`ast`: lines counted as it counts them, columns in UTF-8 bytes.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence


def replace(source: str, edits: Sequence[tuple[ast.expr | ast.stmt, str]]) -> str:
    """``source`` with each node's text replaced, nodes taken from the end of the text."""
    if not edits:
        return source
    lines = lines_of(source)
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head, tail = lines[start][: node.col_offset], lines[end][node.end_col_offset or 0 :]
        lines[start : end + 1] = [head + text.encode() + tail]
    return b"".join(lines).decode()


def without_statements(source: str, statements: list[ast.stmt]) -> str:
    """``source`` without the lines of each statement (each alone on its lines)."""
    if not statements:
        return source
    lines = lines_of(source)
    for node in sorted(statements, key=lambda s: s.lineno, reverse=True):
        del lines[node.lineno - 1 : node.end_lineno or node.lineno]
    return b"".join(lines).decode()


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
