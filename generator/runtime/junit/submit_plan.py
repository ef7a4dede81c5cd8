"""The calls of one submit, in order: create the run, perhaps a thread, the batches, complete.

:func:`plan` is a generator the driver of :mod:`.submit` runs: each ``yield`` is a call, and
the call's answer (or its error) comes back. Every file is read once before the first call
(the survey), and each failed call is counted as landed or unknown, as its error tells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING

from .._types import NotGiven
from .._values import dump, lookup
from .submit_types import Step, SubmitError, SubmitMap, SubmitReport
from .templates import render

if TYPE_CHECKING:
    from .records import JUnitCase

__all__ = ["Call", "Plan", "plan", "stopped"]

Call = tuple[str, str, dict[str, object]]
Plan = Generator[Call, object, SubmitReport]


def plan(
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
        from .records import JUnitError

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
    from .read import expand_paths
    from .records import JUnitError

    for path in expand_paths(patterns, report.skipped_files.append if ignore else None):
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


def _read(paths: list[str]) -> Iterator[JUnitCase]:
    """The cases of ``paths``, streamed; the reader is imported by the first submit only."""
    from .read import read_cases

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
