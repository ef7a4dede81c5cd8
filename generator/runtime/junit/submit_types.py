"""The data of a submit: what its spec declares (:class:`SubmitMap`, :class:`Step`), what it
did (:class:`SubmitReport`) and how it stops part way (:class:`SubmitError`).

A case's placeholders (``name``, ``folder``, ``key``, ``status`` ...) are read here, off the
JUnit record, as :mod:`.submit` describes them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .templates import Render, compile_template

if TYPE_CHECKING:
    from .records import JUnitCase, JUnitError

__all__ = ["Step", "SubmitError", "SubmitMap", "SubmitReport"]

_LABELS = {"failure": "Failure", "error": "Error", "skipped": "Skipped"}
# A JUnit case without a classname or enclosing named suite still needs a folder.
_NO_FOLDER = "Unnamed folder"


@dataclass(frozen=True)
class Step:
    """One call of the workflow: ``client.<resource>.<method>(**arguments rendered)``."""

    resource: str
    method: str
    arguments: Mapping[str, object]


@dataclass(frozen=True)
class SubmitMap:
    """How JUnit cases are reported (see the module docstring).

    ``run`` is the path of the run's id in the create answer; ``thread`` the call that makes
    the container and ``thread_id`` the path of its id; ``append`` the call that takes the
    cases, ``batch`` of them at a time (each rendered from ``case``) when its arguments hold
    ``"{cases}"``, else one case per call; ``complete`` the calls that close the run.
    ``statuses`` maps JUnit's outcomes to the API's values; ``unit`` is the seconds in one unit
    of a time (times in milli- or microseconds are whole numbers).
    """

    run: str
    append: Step
    statuses: Mapping[str, str]
    unit: float = 1.0
    case: object = None
    batch: int = 1
    thread: Step | None = None
    thread_id: str | None = None
    complete: tuple[Step, ...] = ()

    @cached_property
    def compiled_case(self) -> Render:
        """The renderer of ``case``, made once."""
        return compile_template(self.case)

    def time(self, seconds: float | None) -> object:
        """``seconds`` in the declared unit (``None`` stays ``None``)."""
        if seconds is None:
            return None
        value = seconds / self.unit
        return value if self.unit == 1.0 else round(value)

    def values(self, case: JUnitCase) -> dict[str, object]:
        """The placeholders of one case."""
        identity = f"{case.classname}.{case.name}" if case.classname else case.name
        folder = case.classname or (case.suite_path[-1] if case.suite_path else "") or _NO_FOLDER
        return {
            "name": case.name,
            "classname": case.classname,
            "folder": folder,
            "key": hashlib.sha256(identity.encode()).hexdigest(),
            "status": self.statuses.get(case.status),
            "time": self.time(case.time),
            "file": case.file,
            "line": case.line,
            "message": case.message,
            "text": case.text,
            "output": case.system_out,
            "errors": case.system_err,
            "each:results": [
                {
                    "item.kind": r.kind,
                    "item.label": _LABELS[r.kind],
                    "item.message": r.message,
                    "item.type": r.type,
                    "item.text": r.text or r.message,
                }
                for r in case.results
            ],
            "each:properties": [{"item.name": n, "item.value": v} for n, v in case.properties],
            "each:system-out": _output(case.system_out),
            "each:system-err": _output(case.system_err),
        }


@dataclass
class SubmitReport:
    """What a submit did: the run, the files read and skipped, the tests and how they ended."""

    run: object = None
    files: list[str] = field(default_factory=list)
    skipped_files: list[JUnitError] = field(default_factory=list)
    tests: int = 0
    landed: int = 0
    # Sent, with no answer that says whether they landed (a lost answer, a 500).
    unknown: int = 0
    # The tests of the request in flight (what an interruption leaves unknown).
    sending: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    completed: bool = False
    # The completion was sent, but its answer was lost: the run may be complete.
    completion_unknown: bool = False

    @property
    def sent(self) -> int:
        """The tests sent so far, landed or unknown: what a resumed submit skips."""
        return self.landed + self.unknown

    @property
    def has_failures(self) -> bool:
        """Whether any reported test failed or errored."""
        return bool(self.failed or self.errors)


class SubmitError(Exception):
    """A submit stopped part way: ``report`` says what landed, ``__cause__`` why it stopped."""

    def __init__(self, message: str, report: SubmitReport) -> None:
        super().__init__(message)
        self.report = report


def _output(text: str | None) -> list[dict[str, object]]:
    """An output as one item, without the blank lines around it; none when it is blank."""
    stripped = (text or "").strip()
    return [{"item.text": stripped}] if stripped else []
