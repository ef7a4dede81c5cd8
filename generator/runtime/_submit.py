"""A test suite's JUnit files reported to a test-management API in one call.

A spec declares, in ``x-junit-submit`` on the operation that creates a run, the calls that
report a suite: create the run, perhaps a thread (a container the tests go in), append the
tests in batches, complete. :class:`SubmitMap` carries that declaration; each call's arguments
are templates, where ``"{name}"`` stands for a value: ``run`` and ``thread`` (the ids the
answers gave), ``input.<field>`` (what the run was created with), ``total.time`` and
``total.cases``, ``cases`` (the batch), and a case's own values (``name``, ``classname``,
``folder``, ``key``, ``status``, ``time``, ``file``, ``line``, ``message``, ``text``,
``output``, ``errors``). A template that is one placeholder takes its value's type; a key
whose value is unknown is left out, and so is an object left empty. In a list,
``{"each": "results", "item": {...}}`` makes one item per result (``item.kind``,
``item.label``, ``item.message``, ``item.type``, ``item.text``), ``properties`` one per
property (``item.name``, ``item.value``), ``system-out``/``system-err`` one for the output
(``item.text``, without the blank lines around it) unless it is blank.

Nothing is sent twice and nothing is lost in silence. Every file is read once before the first
request, so a file that does not parse stops the command before anything is created (unless
``ignore_parse_errors``: then it is skipped and recorded). The tests are then streamed again,
batch by batch; the client's retry rules re-send an append only when the server cannot have
processed it. If a batch fails, :class:`SubmitError` says how many tests landed in which run (the
server answered) and how many are unknown (sent, but the answer was lost or was a 5xx that does
not prove the server did nothing), and the run is left open, so it is not shown as a complete
result (``complete_on_error`` completes it anyway). A completion whose answer was lost is said
to be unknown, not "left open".

A stopped submit resumes into the same run: ``run_id`` skips the create (and ``skip`` the first
cases, which the stopped submit sent: the cases are read in the same order every time), so no
case is sent twice. The cases whose fate is unknown are skipped too (counted in ``skip``); an API
that lists a run's results is where to check them.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Any

from ._commands import dump, lookup
from ._types import NotGiven

if TYPE_CHECKING:
    from ._junit import JUnitCase, JUnitError

__all__ = [
    "Results",
    "Step",
    "SubmitError",
    "SubmitMap",
    "SubmitReport",
    "asubmit",
    "result_paths",
    "submit",
]

Render = Callable[[Mapping[str, object]], object]
# What a submit reads: one path or pattern, or several.
Results = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)\}", re.IGNORECASE)
_MISSING: Any = object()
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


def result_paths(results: Results) -> list[str]:
    """``results`` as a list of paths and patterns (one string is one path, not its letters)."""
    if isinstance(results, str | os.PathLike):
        return [os.fspath(results)]
    return [os.fspath(path) for path in results]


Call = tuple[str, str, dict[str, object]]
Plan = Generator[Call, object, SubmitReport]


class _Driver:
    """Runs a plan: hands each call's answer, or its error, back and takes the next call."""

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        self.report: SubmitReport | None = None

    def first(self) -> Call | None:
        """The first call (the survey of the files runs before it)."""
        return self._step(lambda: next(self._plan))

    def answered(self, answer: object) -> Call | None:
        """The next call, given the last one's answer; ``None`` when the plan is done."""
        return self._step(lambda: self._plan.send(answer))

    def failed(self, error: Exception) -> Call | None:
        """The next call after the last one failed (a completion), or the plan's error."""
        return self._step(lambda: self._plan.throw(error))

    def _step(self, advance: Callable[[], Call]) -> Call | None:
        try:
            return advance()
        except StopIteration as done:
            self.report = done.value
            return None


def submit(
    client: Any,
    spec: SubmitMap,
    create: Step,
    results: Iterable[str],
    *,
    ignore_parse_errors: bool = False,
    complete_on_error: bool = False,
    on_batch: Callable[[SubmitReport], object] | None = None,
    run_id: object = None,
    skip: int = 0,
) -> SubmitReport:
    """Report the JUnit files ``results`` (paths or glob patterns) through ``client``.

    ``run_id`` resumes into that run instead of creating one; ``skip`` leaves out the first
    cases (those a stopped submit sent, its report's ``sent``).
    """
    so_far: list[SubmitReport] = []
    driver = _Driver(
        _plan(spec, create, list(results), ignore=ignore_parse_errors, complete=complete_on_error,
              on_batch=on_batch, resume=(run_id, skip), so_far=so_far)
    )  # fmt: skip
    call = driver.first()
    while call is not None:
        resource, method, arguments = call
        try:
            answer = getattr(getattr(client, resource), method)(**arguments)
        except Exception as exc:  # noqa: BLE001 - the plan completes or stops with a SubmitError
            call = driver.failed(exc)
        except KeyboardInterrupt as stop:
            _interrupted(stop, so_far)
            raise
        else:
            call = driver.answered(answer)
    return _done(driver)


async def asubmit(
    client: Any,
    spec: SubmitMap,
    create: Step,
    results: Iterable[str],
    *,
    ignore_parse_errors: bool = False,
    complete_on_error: bool = False,
    on_batch: Callable[[SubmitReport], object] | None = None,
    run_id: object = None,
    skip: int = 0,
) -> SubmitReport:
    """:func:`submit` through an async client."""
    so_far: list[SubmitReport] = []
    driver = _Driver(
        _plan(spec, create, list(results), ignore=ignore_parse_errors, complete=complete_on_error,
              on_batch=on_batch, resume=(run_id, skip), so_far=so_far)
    )  # fmt: skip
    call = driver.first()
    while call is not None:
        resource, method, arguments = call
        try:
            answer = await getattr(getattr(client, resource), method)(**arguments)
        except Exception as exc:  # noqa: BLE001 - the plan completes or stops with a SubmitError
            call = driver.failed(exc)
        except KeyboardInterrupt as stop:
            _interrupted(stop, so_far)
            raise
        else:
            call = driver.answered(answer)
    return _done(driver)


def _interrupted(stop: KeyboardInterrupt, so_far: list[SubmitReport]) -> None:
    """Ctrl-C during a call: the interruption carries the report so far as ``report`` (the
    run, what landed, and in ``sending`` the tests of the request in flight)."""
    stop.report = so_far[0] if so_far else None  # type: ignore[attr-defined]  # read by the CLI


def _done(driver: _Driver) -> SubmitReport:
    if driver.report is None:  # the plan always returns its report
        raise RuntimeError("the submit plan ended without a report")
    return driver.report


def _plan(
    spec: SubmitMap,
    create: Step,
    patterns: list[str],
    *,
    ignore: bool,
    complete: bool,
    on_batch: Callable[[SubmitReport], object] | None,
    resume: tuple[object, int] = (None, 0),
    so_far: list[SubmitReport] | None = None,
) -> Plan:
    """The calls of one submit, in order; each ``yield`` gets the call's answer back.

    ``so_far`` receives the report as soon as the files are read.
    """
    report, seconds = _survey(patterns, ignore)
    if so_far is not None:
        so_far.append(report)
    if not report.files:  # every file refused under ignore_parse_errors: nothing to report
        from ._junit import JUnitError

        raise JUnitError(", ".join(patterns), None, "no readable JUnit report is left to send")
    given = {k: v for k, v in create.arguments.items() if not isinstance(v, NotGiven)}
    values: dict[str, object] = {f"input.{k}": v for k, v in given.items()}
    values.update({"total.cases": report.tests, "total.time": spec.time(seconds)})
    run_id, skip = resume
    if run_id is None:
        answer = yield (create.resource, create.method, dict(create.arguments))
        run_id = _id(answer, spec.run, "run")
    values["run"] = report.run = run_id
    skip = min(max(0, skip), report.tests)
    report.landed = skip  # sent by the submit this one resumes
    sending: list[JUnitCase] = []
    completing = False
    try:
        if spec.thread is not None:
            answer = yield _call(spec.thread, values)
            values["thread"] = _id(answer, spec.thread_id or "", "thread")
        for batch in _batches(spec, islice(_read(report.files), skip, None)):
            sending, report.sending = batch, len(batch)
            yield _append(spec, values, batch)
            report.landed += len(batch)
            sending, report.sending = [], 0
            if on_batch is not None:
                on_batch(report)
        completing = True
        yield from _complete(spec, values, report)
    except Exception as exc:
        report.sending = 0
        _settle(report, exc, len(sending), completing)
        also = ""
        if complete and not completing:
            try:
                yield from _complete(spec, values, report)
            except Exception as second:  # noqa: BLE001 - said in the message, the first raised
                _settle(report, second, 0, True)
                also = f" (completing it failed too: {second})"
        raise SubmitError(f"{stopped(report)}{also}: {exc}", report) from exc
    return report


def stopped(report: SubmitReport) -> str:
    """What a stopped submit leaves behind: "N of M tests landed in run R", the unknown, the run."""
    message = f"{report.landed} of {report.tests} tests landed in run {report.run}"
    if report.unknown:
        message += f", {report.unknown} unknown (sent, no answer that says whether they landed)"
    if report.completed:
        return f"{message}; the run is completed"
    if report.completion_unknown:
        return f"{message}; the run's completion is unknown (sent, no answer)"
    return f"{message}; the run is left open"


def _settle(report: SubmitReport, error: Exception, cases: int, completing: bool) -> None:
    """Count what the failed call carried as landed or unknown, as its error tells."""
    fate = _fate(error)
    if fate == "landed":
        report.landed += cases
        report.completed = report.completed or completing
    elif fate == "unknown":
        report.unknown += cases
        report.completion_unknown = completing and not report.completed


def _fate(error: Exception) -> str:
    """ "landed" (a 2xx came back), "unknown" (it may have been applied) or "refused"."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int) and 200 <= status < 300:  # a 2xx whose body did not parse
        return "landed"
    return "unknown" if getattr(error, "maybe_applied", False) else "refused"


def _append(spec: SubmitMap, values: dict[str, object], batch: list[JUnitCase]) -> Call:
    if spec.case is None:
        return _call(spec.append, {**values, **spec.values(batch[0])})
    render_case = spec.compiled_case
    cases = [render_case(spec.values(case)) for case in batch]
    return _call(spec.append, {**values, "cases": cases})


def _complete(spec: SubmitMap, values: dict[str, object], report: SubmitReport) -> Plan:
    for step in spec.complete:
        yield _call(step, values)
    report.completed = True
    return report


def _survey(patterns: list[str], ignore: bool) -> tuple[SubmitReport, float | None]:
    """Read every file once before anything is sent: count the tests, refuse a broken file.

    Returns the report so far (the files to send, those skipped, the counts) and the tests'
    total time in seconds.
    """
    report, seconds = SubmitReport(), 0.0
    counts = dict.fromkeys(("passed", "failure", "error", "skipped"), 0)
    # Imported here, as in _read: a client imports this module, and only a submit reads JUnit.
    from ._junit import JUnitError, _expand, _raise

    for path in _expand(patterns, report.skipped_files.append if ignore else _raise):
        try:
            cases = list(_statuses(path))
        except JUnitError as error:
            if not ignore:
                raise
            report.skipped_files.append(error)
            continue
        report.files.append(path)
        for status, time in cases:
            counts[status] += 1
            seconds += time or 0.0
    report.tests = sum(counts.values())
    report.passed, report.failed = counts["passed"], counts["failure"]
    report.errors, report.skipped = counts["error"], counts["skipped"]
    return report, seconds if math.isfinite(seconds) else None


def _output(text: str | None) -> list[dict[str, object]]:
    """An output as one item, without the blank lines around it; none when it is blank."""
    stripped = (text or "").strip()
    return [{"item.text": stripped}] if stripped else []


def _read(paths: list[str]) -> Iterator[JUnitCase]:
    """The cases of ``paths``, streamed; the reader is imported by the first submit only."""
    from ._junit import read_cases

    return read_cases(paths)


def _statuses(path: str) -> Iterator[tuple[str, float | None]]:
    """(status, time) of each case of one file: what the survey keeps of it."""
    for case in _read([path]):
        yield case.status, case.time


def _batches(spec: SubmitMap, cases: Iterator[JUnitCase]) -> Iterator[list[JUnitCase]]:
    while batch := list(islice(cases, max(1, spec.batch))):
        yield batch


def _id(answer: object, path: str, what: str) -> object:
    found = lookup(dump(answer), path)
    if found is None or isinstance(found, list | dict):
        raise ValueError(f"the answer does not hold the {what}'s id at {path!r}")
    return found


def _call(step: Step, values: Mapping[str, object]) -> Call:
    arguments = render(dict(step.arguments), values)
    return step.resource, step.method, arguments if isinstance(arguments, dict) else {}


def render(template: object, values: Mapping[str, object]) -> object:
    """``template`` with its placeholders filled from ``values`` (see the module docstring)."""
    return compile_template(template)(values)


def compile_template(template: object) -> Render:
    """A function that renders ``template``: parsed once, called once per case."""
    if isinstance(template, str):
        return _compile_text(template)
    if isinstance(template, Mapping):
        return _compile_object([(str(k), compile_template(t)) for k, t in template.items()])
    if isinstance(template, list):
        return _compile_list(template)
    return lambda values: template


def _compile_text(template: str) -> Render:
    whole = _PLACEHOLDER.fullmatch(template)
    if whole is not None:
        name = whole.group(1)

        def value(values: Mapping[str, object]) -> object:
            found = values.get(name)
            return _MISSING if found is None else found

        return value
    if "{" not in template:
        return lambda values: template
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, ..., text
    return lambda values: "".join(
        _text(values.get(part)) if index % 2 else part for index, part in enumerate(parts)
    )


def _compile_object(items: list[tuple[str, Render]]) -> Render:
    def render_object(values: Mapping[str, object]) -> object:
        kept = {}
        for key, render_value in items:
            value = render_value(values)
            if value is not _MISSING:
                kept[key] = value
        return kept if kept or not items else _MISSING

    return render_object


def _compile_list(template: Sequence[object]) -> Render:
    parts: list[tuple[str | None, Render]] = []
    for item in template:
        if isinstance(item, Mapping) and "each" in item:
            parts.append((f"each:{item['each']}", compile_template(item.get("item"))))
        else:
            parts.append((None, compile_template(item)))

    def render_list(values: Mapping[str, object]) -> object:
        out: list[object] = []
        for each, render_item in parts:
            if each is None:
                rendered = render_item(values)
                if rendered is not _MISSING:
                    out.append(rendered)
                continue
            found = values.get(each)
            for scoped in found if isinstance(found, list) else ():
                rendered = render_item({**values, **scoped})
                if rendered is not _MISSING:
                    out.append(rendered)
        return out

    return render_list


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
