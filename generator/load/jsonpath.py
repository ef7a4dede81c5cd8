"""The part of JSONPath (RFC 9535) that Overlay targets use, to find nodes in a document.

No JSONPath library is among our dependencies, and Overlay 1.0 needs only a subset: the root
``$``; child segments ``.name``, ``.*``, ``['name']``, ``[0]``, ``[-1]``, ``[*]`` and lists of
them (``['a','b']``); descendant segments (``..name``, ``..*``, ``..[...]``); and filters
``[?...]`` (also written ``[?(...)]``) comparing relative paths (``@.name``, ``@['x-y']``) or
literals with ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, testing existence (``@.deprecated``),
joined by ``&&``, ``||``, ``!`` and parentheses. Not supported: slices, function extensions
(``length()``, ``match()``) and absolute paths inside filters; using them is a
:class:`JSONPathError` with the offending position, never a silent mismatch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["JSONPathError", "Path", "find"]

# Where a node is: its keys and indices from the root.
Path = tuple[str | int, ...]
Node = tuple[Path, Any]
Selector = Callable[[Node], Iterator[Node]]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    | (?P<op>\.\.|==|!=|<=|>=|&&|\|\||[$@.\[\]*,?()!<>])
    | (?P<name>[A-Za-z_\u0080-\U0010ffff][\w\u0080-\U0010ffff-]*)
    )""",
    re.VERBOSE,
)


class JSONPathError(ValueError):
    """An expression outside the supported JSONPath subset, or malformed."""


def find(expression: str, document: Any) -> list[Node]:
    """Every node ``expression`` selects in ``document``, in document order, as (path, value)."""
    parser = _Parser(expression)
    if parser.take() != "$":
        raise JSONPathError(f"{expression!r}: a target starts with '$'")
    segments = parser.segments()
    if not parser.done():
        raise parser.error("unexpected text")
    nodes: list[Node] = [((), document)]
    for segment in segments:
        nodes = [found for node in nodes for found in segment(node)]
    return nodes


def _children(node: Node) -> Iterator[Node]:
    path, value = node
    if isinstance(value, dict):
        yield from (((*path, key), item) for key, item in value.items())
    elif isinstance(value, list):
        yield from (((*path, index), item) for index, item in enumerate(value))


def _descendants(node: Node) -> Iterator[Node]:
    """``node`` and everything below it, parents first."""
    yield node
    for child in _children(node):
        yield from _descendants(child)


def _name(key: str) -> Selector:
    def select(node: Node) -> Iterator[Node]:
        path, value = node
        if isinstance(value, dict) and key in value:
            yield (*path, key), value[key]

    return select


def _index(index: int) -> Selector:
    def select(node: Node) -> Iterator[Node]:
        path, value = node
        if isinstance(value, list) and -len(value) <= index < len(value):
            yield (*path, index % len(value)), value[index]

    return select


def _wildcard(node: Node) -> Iterator[Node]:
    return _children(node)


def _filter(test: Callable[[Any], bool]) -> Selector:
    def select(node: Node) -> Iterator[Node]:
        return (child for child in _children(node) if test(child[1]))

    return select


def _union(selectors: list[Selector]) -> Selector:
    def select(node: Node) -> Iterator[Node]:
        for selector in selectors:
            yield from selector(node)

    return select


def _descendant(selector: Selector) -> Selector:
    def select(node: Node) -> Iterator[Node]:
        for below in _descendants(node):
            yield from selector(below)

    return select


_MISSING = object()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _ordered(a: Any, b: Any) -> bool:
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
    return numbers or (isinstance(a, str) and isinstance(b, str))


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": _same,
    "!=": lambda a, b: not _same(a, b),
    "<": lambda a, b: _ordered(a, b) and a < b,
    "<=": lambda a, b: _ordered(a, b) and a <= b,
    ">": lambda a, b: _ordered(a, b) and a > b,
    ">=": lambda a, b: _ordered(a, b) and a >= b,
}


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        while position < len(expression):
            match = _TOKEN.match(expression, position)
            if match is None or match.end() == position:
                if expression[position:].strip() == "":
                    break
                raise JSONPathError(f"{expression!r}: unexpected character at {position}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            position = match.end()
        self.at = 0

    def error(self, message: str) -> JSONPathError:
        where = self.tokens[self.at][2] if self.at < len(self.tokens) else len(self.expression)
        return JSONPathError(f"{self.expression!r}: {message} at {where}")

    def done(self) -> bool:
        return self.at >= len(self.tokens)

    def peek(self) -> str:
        return self.tokens[self.at][1] if not self.done() else ""

    def kind(self) -> str:
        return self.tokens[self.at][0] if not self.done() else ""

    def take(self, expected: str | None = None) -> str:
        if self.done() or (expected is not None and self.peek() != expected):
            raise self.error(f"expected {expected!r}" if expected else "unexpected end")
        self.at += 1
        return self.tokens[self.at - 1][1]

    def segments(self) -> list[Selector]:
        found: list[Selector] = []
        while self.peek() in (".", "..", "["):
            word = self.take()
            if word == "[":
                found.append(self.bracket())
                continue
            if self.peek() == "[" and word == "..":
                self.take()
                found.append(_descendant(self.bracket()))
                continue
            selector = self.dotted()
            found.append(_descendant(selector) if word == ".." else selector)
        return found

    def dotted(self) -> Selector:
        if self.peek() == "*":
            self.take()
            return _wildcard
        if self.kind() != "name":
            raise self.error("expected a member name")
        return _name(self.take())

    def bracket(self) -> Selector:
        selectors = [self.selector()]
        while self.peek() == ",":
            self.take()
            selectors.append(self.selector())
        self.take("]")
        return selectors[0] if len(selectors) == 1 else _union(selectors)

    def selector(self) -> Selector:
        kind, word = self.kind(), self.peek()
        if word == "*":
            self.take()
            return _wildcard
        if kind == "string":
            return _name(_unquote(self.take()))
        if kind == "number" and re.fullmatch(r"-?\d+", word):
            return _index(int(self.take()))
        if word == "?":
            self.take()
            return _filter(self.logical())
        raise self.error("expected a name, an index, '*' or a filter")

    # Filters: or -> and -> not/comparison.
    def logical(self) -> Callable[[Any], bool]:
        left = self.conjunction()
        while self.peek() == "||":
            self.take()
            left = _either(left, self.conjunction())
        return left

    def conjunction(self) -> Callable[[Any], bool]:
        left = self.unary()
        while self.peek() == "&&":
            self.take()
            left = _both(left, self.unary())
        return left

    def unary(self) -> Callable[[Any], bool]:
        if self.peek() == "!":
            self.take()
            inner = self.unary()
            return lambda v: not inner(v)
        if self.peek() == "(":
            self.take()
            inner = self.logical()
            self.take(")")
            return inner
        left = self.operand()
        if self.peek() in _COMPARE:
            compare = _COMPARE[self.take()]
            right = self.operand()
            return lambda v: _compared(compare, left(v), right(v))
        return lambda v: left(v) is not _MISSING

    def operand(self) -> Callable[[Any], Any]:
        kind, word = self.kind(), self.peek()
        if word == "@":
            self.take()
            segments = self.segments()

            def value(current: Any) -> Any:
                nodes: list[Node] = [((), current)]
                for segment in segments:
                    nodes = [found for node in nodes for found in segment(node)]
                return nodes[0][1] if len(nodes) == 1 else _MISSING

            return value
        if kind == "string":
            text = _unquote(self.take())
            return lambda _: text
        if kind == "number":
            number = json.loads(self.take())
            return lambda _: number
        if word in ("true", "false", "null"):
            literal = json.loads(self.take())
            return lambda _: literal
        raise self.error("expected '@', a string, a number, true, false or null")


Test = Callable[[Any], bool]


def _either(first: Test, second: Test) -> Test:
    return lambda value: first(value) or second(value)


def _both(first: Test, second: Test) -> Test:
    return lambda value: first(value) and second(value)


def _compared(compare: Callable[[Any, Any], bool], a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return compare is _COMPARE["!="] and (a is not _MISSING or b is not _MISSING)
    return compare(a, b)


def _unquote(word: str) -> str:
    """A quoted name or string: JSON escapes, in single or double quotes."""
    body = word[1:-1]
    if word[0] == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        text: str = json.loads(f'"{body}"')
    except json.JSONDecodeError:
        raise JSONPathError(f"bad escape in {word}") from None
    return text
