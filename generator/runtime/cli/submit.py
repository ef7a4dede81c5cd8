"""``submit``: report ``--results`` JUnit files, say what landed, print how to resume.

A submit that stops part way (an error, or Ctrl-C) says how many tests landed in which run and
how many are unknown (sent, no answer that says), and prints the command that sends the rest
into the same run (``--run-id RUN --skip N``) without sending a test twice.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from .._exceptions import APIConnectionError, APIError
from .argv import EXIT_API, EXIT_FAILED, EXIT_NO_ANSWER, EXIT_OK, EXIT_USAGE
from .commands import Program
from .output import cli_language, fail

__all__ = ["EXIT_INTERRUPTED", "run_submit"]

# What a shell reports for a process ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def run_submit(
    program: Program,
    method: Callable[..., Any],
    arguments: dict[str, object],
    namespace: argparse.Namespace,
) -> int:
    """Report the ``--results`` files; print the run's id; exit 5 on failures when asked."""

    seen: list[Any] = []  # the report, once a batch landed: what an interruption says
    last = [0.0]

    def landed(report: Any) -> None:
        seen[:] = [report]
        # A line a second at most (an API that takes one test per request sends thousands).
        if time.monotonic() - last[0] >= 1.0 or report.landed == report.tests:
            last[0] = time.monotonic()
            print(f"{program.prog}: {report.landed} of {report.tests} tests sent", file=sys.stderr)

    run_id = namespace._run_id
    try:
        report = method(
            results=namespace._results,
            ignore_parse_errors=namespace._ignore_parse_errors,
            complete_on_error=namespace._complete_on_error,
            on_batch=landed,
            run_id=int(run_id) if run_id is not None and run_id.isdigit() else run_id,
            skip=namespace._skip,
            **arguments,
        )
    except KeyboardInterrupt as stop:
        done = getattr(stop, "report", None) or (seen[0] if seen else None)
        if done is None or done.run is None:
            return fail(
                EXIT_INTERRUPTED,
                f"{program.prog}: interrupted: no test was sent (a run may have been created)",
            )
        # The request in flight may have been applied: its tests are unknown, and skipped.
        done.unknown, done.sending = done.unknown + done.sending, 0
        where = f"{done.landed} of {done.tests} tests landed in run {done.run}"
        if done.unknown:
            where += f", {done.unknown} unknown (being sent when interrupted)"
        where += "; the run is left open"
        return fail(
            EXIT_INTERRUPTED,
            f"{program.prog}: interrupted: {where}\n{_resume(program, namespace, done)}",
        )
    except program.submit_errors() as exc:  # stopped part way: what landed is in the message
        message = f"{program.prog}: {cli_language(program, exc.__cause__, str(exc))}"
        stopped = getattr(exc, "report", None)
        if stopped is not None and stopped.run is not None and not stopped.completed:
            message += "\n" + _resume(program, namespace, stopped)
        return fail(_cause_code(exc.__cause__), message)
    for error in report.skipped_files:
        print(f"{program.prog}: skipped {error}", file=sys.stderr)
    counts = f"{report.passed} passed, {report.failed} failed, {report.errors} errored"
    print(
        f"{program.prog}: run {report.run}: {report.tests} tests ({counts},"
        f" {report.skipped} skipped) from {len(report.files)} files",
        file=sys.stderr,
    )
    print(report.run)
    if namespace._fail_on_failures and report.has_failures:
        return fail(EXIT_FAILED, f"{program.prog}: the reported tests include failures")
    return EXIT_OK


def _resume(program: Program, namespace: argparse.Namespace, report: Any) -> str:
    """The command that sends the rest of a stopped submit into the same run, never a test twice.

    The same arguments (credential flags left out: they come from the environment again), with
    ``--run-id`` and ``--skip`` (the tests sent, those whose fate is unknown included).
    """
    import shlex

    secret = {"--" + c.argument.replace("_", "-") for c in program.credentials}
    kept: list[str] = []
    words = iter(namespace._argv)
    for word in words:
        flag = word.split("=", 1)[0]
        if flag in secret or flag in ("--run-id", "--skip"):
            if "=" not in word:
                next(words, None)
            continue
        kept.append(word)
    kept += ["--run-id", str(report.run), "--skip", str(report.sent)]
    line = (
        f"{program.prog}: to send the rest into run {report.run}: {program.prog} {shlex.join(kept)}"
    )
    if report.unknown:
        line += (
            f"\n{program.prog}: the {report.unknown} tests of unknown fate are skipped by it:"
            f" check run {report.run}; if they did not land, use --skip {report.landed}"
        )
    if report.completion_unknown:
        line += f"\n{program.prog}: check whether run {report.run} is complete before resuming"
    return line


def _cause_code(cause: BaseException | None) -> int:
    """The exit code of what stopped a submit part way."""
    if isinstance(cause, APIConnectionError):
        return EXIT_NO_ANSWER
    if isinstance(cause, APIError):
        return EXIT_API
    return EXIT_USAGE
