"""JUnit XML read: streamed, safe against hostile files.

Every test runner writes JUnit XML and every CI test view reads it, so a client that reports a
test suite to a test-management API, or shows an API's test results in CI, needs both ways.

Reading streams through expat: one :class:`JUnitCase` per ``<testcase>`` as soon as its end
tag is read, nothing kept once it is yielded, so 100,000 cases take bounded memory. Runners
disagree on details (``file``/``line`` on the case or on the suite, times missing, empty or
written with a decimal comma, properties as attributes or text), and the reader takes them all.
A document type declaration is refused outright: it is the only door to entity expansion
("billion laughs") and external entities, and no runner writes one. Absurd nesting is refused
too, and a file that does not parse is named with its line. Nothing is dropped silently: with
``ignore_parse_errors`` a refused file is recorded on the reader (and passed to ``on_skip``).

The records are :mod:`.records`'s, and writing is :mod:`.write`'s. Standard library only.
"""

from __future__ import annotations

import glob
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from .records import RESULT_KINDS, JUnitCase, JUnitError, JUnitResult, JUnitSuite

__all__ = [
    "MAX_DEPTH",
    "JUnitCase",
    "JUnitError",
    "JUnitReader",
    "JUnitResult",
    "JUnitSuite",
    "expand_paths",
    "read_cases",
]

# Real reports nest a few suites deep (Jest, JUnit 5 nested classes); thousands of levels is
# an attack on the parser's stack or on whoever walks the tree, not a report.
MAX_DEPTH = 64
_CHUNK = 64 * 1024
_SUITES = ("testsuites", "testsuite")
_TEXTS = ("system-out", "system-err")


class _Refused(Exception):
    """Raised inside an expat handler; turned into a JUnitError with the parser's line."""


def expand_paths(
    patterns: Iterable[str | os.PathLike[str]],
    on_missing: Callable[[JUnitError], None] | None = None,
) -> list[str]:
    """The files the paths and glob patterns name (``**`` recursive): sorted, each file once
    however it is spelled (``./r/a.xml`` and ``r/*.xml``).

    A plain path is kept as given (reading it says so if it is missing); a pattern that
    matches no file raises :class:`JUnitError` (or is handed to ``on_missing``), so a report
    that was never written is not taken for an empty one.
    """
    files: dict[str, str] = {}  # one spelling of each file, so no file is read twice
    for pattern in (os.fspath(p) for p in patterns):
        if not glob.has_magic(pattern):
            files.setdefault(os.path.realpath(pattern), pattern)
            continue
        matched = [p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p)]
        if not matched:
            missing = JUnitError(pattern, None, "no file matches this pattern")
            if on_missing is None:
                raise missing
            on_missing(missing)
        for path in matched:
            files.setdefault(os.path.realpath(path), path)
    return sorted(files.values())


class JUnitReader(Iterator[JUnitCase]):
    """The cases of some JUnit files, read as they are iterated.

    After (or during) iteration, ``suites`` holds every suite read and ``skipped`` every file
    refused under ``ignore_parse_errors``.
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        ignore_parse_errors: bool = False,
        on_skip: Callable[[JUnitError], None] | None = None,
    ) -> None:
        """Read ``paths`` (files or glob patterns) lazily, in :func:`expand_paths` order."""
        self.suites: list[JUnitSuite] = []
        self.skipped: list[JUnitError] = []
        self._ignore = ignore_parse_errors
        self._on_skip = on_skip
        self._cases = self._read_all(list(paths))

    def __next__(self) -> JUnitCase:
        """The next case of the files."""
        return next(self._cases)

    def _read_all(self, patterns: list[str | os.PathLike[str]]) -> Iterator[JUnitCase]:
        for path in expand_paths(patterns, self._skip):
            yield from self._read_one(path)

    def _read_one(self, path: str) -> Iterator[JUnitCase]:
        count = 0
        try:
            for case in _read_file(path, self.suites.append):
                count += 1
                yield case
        except JUnitError as error:
            self._skip(JUnitError(error.path, error.line, error.reason, count))

    def _skip(self, error: JUnitError) -> None:
        if not self._ignore:
            raise error
        self.skipped.append(error)
        if self._on_skip is not None:
            self._on_skip(error)


def read_cases(
    paths: Iterable[str | os.PathLike[str]],
    *,
    ignore_parse_errors: bool = False,
    on_skip: Callable[[JUnitError], None] | None = None,
) -> JUnitReader:
    """Stream the test cases of JUnit files (paths or glob patterns such as ``reports/**/*.xml``).

    A file that cannot be read, does not parse, is not JUnit, declares a document type or
    nests deeper than :data:`MAX_DEPTH` raises :class:`JUnitError` naming it and the line;
    with ``ignore_parse_errors=True`` it is skipped instead, recorded in the reader's
    ``skipped`` and passed to ``on_skip``.
    """
    return JUnitReader(paths, ignore_parse_errors=ignore_parse_errors, on_skip=on_skip)


def _read_file(path: str, on_suite: Callable[[JUnitSuite], None]) -> Iterator[JUnitCase]:
    state = _State(path, on_suite)
    parser = _parser(state)
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                _feed(parser, state, chunk, final=False)
                yield from state.take()
    except OSError as error:
        raise JUnitError(path, None, error.strerror or str(error)) from None
    _feed(parser, state, b"", final=True)
    yield from state.take()


def _feed(parser: expat.XMLParserType, state: _State, data: bytes, *, final: bool) -> None:
    try:
        parser.Parse(data, final)
    except _Refused as refusal:
        raise JUnitError(state.path, parser.CurrentLineNumber, str(refusal)) from None
    except expat.ExpatError as error:
        reason = f"not well-formed XML ({expat.ErrorString(error.code)})"
        raise JUnitError(state.path, error.lineno, reason) from None
    if final and not state.seen_root:
        raise JUnitError(state.path, None, "no JUnit report in this file")


def _parser(state: _State) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    # Parameter entities and external DTDs are never read; the DOCTYPE handler refuses the
    # declaration itself, before any entity in it could be declared.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.StartElementHandler = lambda tag, attrs: state.start(tag, attrs, parser)
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.characters
    return parser


def _refuse_doctype(*_: object) -> None:
    raise _Refused("a DOCTYPE is not allowed in a JUnit report (its entities could expand)")


def _refuse_entity(*_: object) -> None:
    raise _Refused("an entity declaration is not allowed in a JUnit report")


@dataclass
class _Open:
    """A suite or case being read: its attributes and what it collects until its end tag."""

    attrs: dict[str, str]
    line: int
    path: tuple[str, ...] = ()  # a suite's names, outermost first
    file: str | None = None  # a suite's own file, else the one it inherits
    results: list[JUnitResult] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


class _State:
    """The expat handlers of one file: a stack of open suites, the open case, the text sink."""

    def __init__(self, path: str, on_suite: Callable[[JUnitSuite], None]) -> None:
        self.path = path
        self.seen_root = False
        self._on_suite = on_suite
        self._suites: list[_Open] = []
        self._case: _Open | None = None
        self._depth = 0
        self._ignored_at = 0  # depth of an element whose content is ignored (0: none)
        self._sink: list[str] | None = None
        self._pending: dict[str, str] = {}  # the attributes of the open text element
        self._ready: list[JUnitCase] = []

    def take(self) -> list[JUnitCase]:
        """The cases completed since the last call."""
        ready, self._ready = self._ready, []
        return ready

    def characters(self, data: str) -> None:
        """Collect text while inside an element whose text is kept."""
        if self._sink is not None:
            self._sink.append(data)

    def start(self, tag: str, attrs: dict[str, str], parser: expat.XMLParserType) -> None:
        """Open an element: check depth and root, then dispatch on the tag."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"elements nest deeper than {MAX_DEPTH} levels")
        if self._depth == 1:
            self._check_root(tag)
        if self._ignored_at:
            return
        line = parser.CurrentLineNumber
        if tag in _SUITES and self._case is None:
            self._open_suite(attrs, line)
        elif tag == "testcase" and self._case is None:
            self._case = _Open(attrs, line)
        elif tag in ("failure", "error", "skipped", "property", *_TEXTS):
            self._open_text(attrs)
        elif tag != "properties":
            # rerunFailure, flakyError, stackTrace ...: their output is not the case's own.
            self._ignored_at = self._depth

    def end(self, tag: str) -> None:
        """Close an element: finish what it was."""
        depth, self._depth = self._depth, self._depth - 1
        if self._ignored_at:
            if depth == self._ignored_at:
                self._ignored_at = 0
            return
        if tag == "testcase" and self._case is not None:
            self._ready.append(self._finish_case(self._case))
            self._case = None
        elif tag in _SUITES:
            self._finish_suite(self._suites.pop())
        elif self._sink is not None:
            self._close_text(tag, "".join(self._sink))

    def _check_root(self, tag: str) -> None:
        if tag not in _SUITES:
            raise _Refused(f"not a JUnit report: the root element is <{tag}>")
        self.seen_root = True

    def _open_suite(self, attrs: dict[str, str], line: int) -> None:
        outer = self._suites[-1] if self._suites else _Open({}, 0)
        name = attrs.get("name", "")
        path = (*outer.path, name) if name else outer.path
        self._suites.append(_Open(attrs, line, path, _file(attrs) or outer.file))

    def _open_text(self, attrs: dict[str, str]) -> None:
        self._pending = attrs
        self._sink = []

    def _close_text(self, tag: str, text: str) -> None:
        owner = self._case if self._case is not None else self._suites[-1]
        attrs, self._pending, self._sink = self._pending, {}, None
        if tag == "property":
            value = attrs.get("value", text)
            owner.properties.append((attrs.get("name", ""), value))
        elif tag in _TEXTS:
            owner.texts[tag] = owner.texts.get(tag, "") + text
        elif owner is self._case and tag in RESULT_KINDS:
            result = JUnitResult(
                RESULT_KINDS[tag], attrs.get("message"), attrs.get("type"), text or None
            )
            owner.results.append(result)

    def _finish_case(self, case: _Open) -> JUnitCase:
        suite, attrs = self._suites[-1], case.attrs
        return JUnitCase(
            name=attrs.get("name", ""),
            classname=attrs.get("classname") or None,
            time=_seconds(attrs.get("time")),
            results=tuple(case.results),
            system_out=case.texts.get("system-out"),
            system_err=case.texts.get("system-err"),
            properties=tuple(case.properties),
            suite_path=suite.path,
            file=_file(attrs) or suite.file,
            line=_integer(attrs.get("line")),
            source=self.path,
            source_line=case.line,
        )

    def _finish_suite(self, suite: _Open) -> None:
        out, err = suite.texts.get("system-out"), suite.texts.get("system-err")
        time = _seconds(suite.attrs.get("time"))
        name, properties = suite.attrs.get("name", ""), tuple(suite.properties)
        self._on_suite(
            JUnitSuite(
                name, properties, out, err, time, suite.file, suite.path, self.path, suite.line
            )
        )


def _file(attrs: dict[str, str]) -> str | None:
    # pytest and Jest write `file`; some runners write `filepath`.
    return attrs.get("file") or attrs.get("filepath") or None


def _seconds(value: str | None) -> float | None:
    """A time attribute in seconds: ``1.5``, ``1,5`` (decimal comma), ``1,234.5``; else None."""
    if not value or not value.strip():
        return None
    text = value.strip()
    text = text.replace(",", "") if "." in text else text.replace(",", ".")
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _integer(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
