"""``wait`` and ``--wait``: poll under one deadline, print the final statuses, judge the tests.

An operation that starts work (``--wait``) hands its answer here: the wait's arguments are read
off it (one wait per item of a list it names), every wait shares the ``--timeout`` deadline,
progress goes to stderr, the final status(es) to stdout and, with ``--junit FILE``, to a JUnit
report. A deadline that passes exits 4 with the last status seen; tests that failed, as the
spec's ``outcome`` says, exit 5.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from .._values import dump, lookup
from .argv import EXIT_DEADLINE, EXIT_FAILED, EXIT_OK, Usage
from .commands import Command, Program, Starts
from .output import fail, print_json

__all__ = ["run_waits", "wait_arguments"]


def wait_arguments(starts: Starts, result: object) -> list[dict[str, object]]:
    """The arguments of each wait the answer calls for: one per item of a list it names."""
    answer = dump(result)
    found = {name: lookup(answer, path) for name, path in starts.arguments}
    lists = [name for name, value in found.items() if isinstance(value, list)]
    if any(value is None for value in found.values()) or len(lists) > 1:
        raise Usage(f"the answer does not say what to wait for ({dict(starts.arguments)})")
    if not lists:
        return [found]
    return [{**found, lists[0]: item} for item in _flat(found[lists[0]])]


def _flat(value: object) -> list[object]:
    if isinstance(value, list):
        return [item for part in value for item in _flat(part)]
    return [] if value is None else [value]


def run_waits(
    program: Program,
    command: Command,
    method: Callable[..., Any],
    calls: list[dict[str, object]],
    namespace: argparse.Namespace,
) -> int:
    """Run the wait once per argument set, under one deadline; print the final status(es)."""

    def progress(status: object) -> None:
        answer = dump(status)
        shown = ", ".join(f"{p}={json.dumps(lookup(answer, p))}" for p in command.progress)
        print(f"{program.prog}: polled{': ' + shown if shown else ''}", file=sys.stderr)

    deadline = getattr(namespace, "_deadline", None)
    end = None if deadline is None else time.monotonic() + deadline
    finals: list[object] = []
    for arguments in calls:
        left = None if end is None else max(0.0, end - time.monotonic())
        try:
            status = method(**arguments, wait_timeout=left, on_update=progress)
        except program.wait_errors as exc:
            last = dump(getattr(exc, "last", None))
            print_json([*finals, last] if len(calls) > 1 else last)
            _write_report(program, command, [*finals, last], namespace)
            return fail(EXIT_DEADLINE, f"{program.prog}: {exc}")
        finals.append(dump(status))
    print_json(finals if len(calls) != 1 else finals[0])
    _write_report(program, command, finals, namespace)
    outcome = command.outcome
    if outcome is not None and any(outcome.failed(final) for final in finals):
        return fail(EXIT_FAILED, f"{program.prog}: the tests failed")
    return EXIT_OK


def _write_report(
    program: Program, command: Command, statuses: list[object], namespace: argparse.Namespace
) -> None:
    """Write ``--junit FILE`` when given; a file that cannot be written is said, not raised.

    The exit code stays the wait's: the file is a report of the run, not its verdict.
    """
    path = getattr(namespace, "_junit", None)
    if path is None or command.junit is None:
        return
    try:
        command.junit.write([s for s in statuses if s is not None], path)
    except OSError as exc:
        print(f"{program.prog}: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
