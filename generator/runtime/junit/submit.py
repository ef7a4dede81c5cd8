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

import os
from collections.abc import Callable, Iterable
from typing import Any

from .submit_plan import Call, Plan, plan
from .submit_types import Step, SubmitError, SubmitMap, SubmitReport

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

# What a submit reads: one path or pattern, or several.
Results = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def result_paths(results: Results) -> list[str]:
    """``results`` as a list of paths and patterns (one string is one path, not its letters)."""
    if isinstance(results, str | os.PathLike):
        return [os.fspath(results)]
    return [os.fspath(path) for path in results]


class _Driver:
    """Runs a plan: hands each call's answer, or its error, back and takes the next call."""

    def __init__(self, calls: Plan) -> None:
        self._plan = calls
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
        plan(spec, create, list(results), ignore=ignore_parse_errors, complete=complete_on_error,
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
        plan(spec, create, list(results), ignore=ignore_parse_errors, complete=complete_on_error,
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
