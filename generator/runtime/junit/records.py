"""The records of JUnit XML: test cases, their results, suites, and the error of a refused file.

:mod:`.read` makes them from files, :mod:`.write` writes them, :mod:`.report` makes them from an
API's statuses and :mod:`.submit` sends them; frozen, so a case read is a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "RESULT_KINDS",
    "JUnitCase",
    "JUnitError",
    "JUnitResult",
    "JUnitSuite",
    "Properties",
    "ResultKind",
    "Status",
]

Status = Literal["passed", "failure", "error", "skipped"]
ResultKind = Literal["failure", "error", "skipped"]
Properties = tuple[tuple[str, str], ...]

# The worst result decides a case's status: an error outranks a failure, a failure a skip.
_RANK: dict[str, int] = {"skipped": 1, "failure": 2, "error": 3}
# Each result element, by its tag.
RESULT_KINDS: dict[str, ResultKind] = {"skipped": "skipped", "failure": "failure", "error": "error"}


@dataclass(frozen=True)
class JUnitResult:
    """A ``<failure>``, ``<error>`` or ``<skipped>`` element of a test case."""

    kind: ResultKind
    message: str | None = None
    type: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class JUnitCase:
    """One ``<testcase>``: what was read, or what is to be written.

    ``suite_path`` holds the names of the enclosing ``<testsuites>``/``<testsuite>`` elements,
    outermost first; ``file`` falls back to the nearest suite's; ``time`` is in seconds
    (``None`` when missing or unreadable); ``results`` keeps every failure, error and skip in
    document order; ``source``/``source_line`` say where the case was read.
    """

    name: str
    classname: str | None = None
    time: float | None = None
    results: tuple[JUnitResult, ...] = ()
    system_out: str | None = None
    system_err: str | None = None
    properties: Properties = ()
    suite_path: tuple[str, ...] = ()
    file: str | None = None
    line: int | None = None
    source: str | None = None
    source_line: int | None = None

    @property
    def status(self) -> Status:
        """``passed`` without results, else the worst kind among them."""
        worst = self._deciding()
        return "passed" if worst is None else worst.kind

    @property
    def message(self) -> str | None:
        """The message attribute of the result that decides the status."""
        worst = self._deciding()
        return None if worst is None else worst.message

    @property
    def text(self) -> str | None:
        """The text (stack trace, skip reason) of the result that decides the status."""
        worst = self._deciding()
        return None if worst is None else worst.text

    def _deciding(self) -> JUnitResult | None:
        # max() keeps the first of equals: the first failure, not the last, is the message.
        return max(self.results, key=lambda r: _RANK[r.kind], default=None)


@dataclass(frozen=True)
class JUnitSuite:
    """A ``<testsuite>`` (or ``<testsuites>``): its own output and properties, not its cases.

    Read, one is recorded when its end tag is read, after its cases (runners write suite
    output last). To write, it heads the cases given beside it.
    """

    name: str
    properties: Properties = ()
    system_out: str | None = None
    system_err: str | None = None
    time: float | None = None
    file: str | None = None
    path: tuple[str, ...] = ()
    source: str | None = None
    source_line: int | None = None


class JUnitError(ValueError):
    """A JUnit file refused: ``path``, ``line`` (``None`` when not known) and ``reason``.

    ``cases_read`` counts the cases already yielded from the file before the problem was
    found: reading streams, so a file broken at its end has given its first cases.
    """

    def __init__(self, path: str, line: int | None, reason: str, cases_read: int = 0) -> None:
        where = path if line is None else f"{path}, line {line}"
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason
        self.cases_read = cases_read
