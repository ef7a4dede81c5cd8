"""The command line of a generated client: one command per operation, for CI pipelines.

``python -m <package> RESOURCE COMMAND ...`` calls one method of the client and says through its
exit code what happened, so a pipeline step needs no ``curl | jq`` loop:

==== =================================================================================
code meaning
==== =================================================================================
0    success
1    the API answered with an error status (its message, status and body on stderr)
2    usage, or a rule of the spec broken before anything was sent
3    no answer: connection refused or dropped, timeout
4    a wait ran past its deadline (the last status seen on stdout)
5    the tests that ran failed, as the spec's ``x-polling`` ``outcome`` defines it, or
     ``submit --fail-on-failures`` reported a failure
130  a submit interrupted (Ctrl-C): what landed, and the command that sends the rest
==== =================================================================================

A package lists only the codes its commands can return (``Program.exit_codes``). A submit
that stops says what landed and what is unknown (sent, no answer that says) and prints the
command that resumes it into the same run (``--run-id RUN --skip N``).

stdout carries only the result: the response as JSON by wire name, nothing dropped (JSON Lines
for ``iter``); progress, warnings and errors go to stderr. The commands are data rendered from
the spec (:class:`Command`); this module owns parsing, calling and reporting. Each credential
comes from its environment variable (``<PREFIX>_API_KEY``) or its flag (``--api-key``) and
appears in no output.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, NoReturn

from ._argv import (
    EXIT_API,
    EXIT_CODES,
    EXIT_DEADLINE,
    EXIT_FAILED,
    EXIT_NO_ANSWER,
    EXIT_OK,
    EXIT_USAGE,
    Usage,
    arguments_of,
    build_parser,
    credential_dest,
    global_first,
)
from ._commands import Command, Credential, Option, Outcome, Program, Report, Starts, dump, lookup
from ._exceptions import APIConnectionError, APIError, ClientError, library_check
from ._streaming import BinaryResponse, ServerSentEvent, Stream, TextResponse

__all__ = [
    "EXIT_CODES",
    "Command",
    "Credential",
    "Option",
    "Outcome",
    "Program",
    "Report",
    "Starts",
    "build_parser",
    "main",
    "run",
]


def main(program: Program, argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code (see the module docstring)."""
    given = global_first(program, list(sys.argv[1:] if argv is None else argv))
    namespace = build_parser(program).parse_args(given)
    namespace._argv = given
    command: Command = namespace._command
    logging.getLogger(program.logger or program.prog).addFilter(_in_flags)
    if namespace.verbose:
        _log_to_stderr(program.logger or program.prog)
    try:
        arguments = arguments_of(command, namespace)
        with _client(program, namespace) as client:
            return _run(program, command, client, arguments, namespace)
    except Usage as exc:
        return _fail(EXIT_USAGE, f"{program.prog}: error: {exc}")
    except APIConnectionError as exc:
        return _fail(EXIT_NO_ANSWER, f"{program.prog}: {_cli_language(program, exc, str(exc))}")
    except APIError as exc:
        return _fail(EXIT_API, _api_error(program, exc))
    except program.paging_errors as exc:  # the API's next-page marker does not advance
        return _fail(EXIT_API, f"{program.prog}: {exc}")
    except (ClientError, ValueError, TypeError) as exc:
        # Raised before anything was sent: a rule of the spec, a missing key, a bad value.
        return _fail(EXIT_USAGE, f"{program.prog}: error: {_flags(_first_line(exc))}")
    except BrokenPipeError:
        # The reader of stdout went away (`| head -1`): it read what it wanted, as for any
        # Unix tool; what is left unwritten goes nowhere instead of raising again at exit.
        _discard_stdout()
        return EXIT_OK


def _flags(message: str) -> str:
    """A library message in the command line's words: ``pass base_url=...`` -> ``--base-url``,
    ``strict_responses=True`` -> ``--strict-responses``."""
    return re.sub(
        r"\b([a-z][a-z0-9_]*)=(?:\.\.\.|True\b)",
        lambda m: "--" + m[1].replace("_", "-"),
        message,
    )


def _in_flags(record: logging.LogRecord) -> bool:
    """A log filter: the client's log lines in the command line's words (see :func:`_flags`)."""
    record.msg, record.args = _flags(record.getMessage()), ()
    return True


def _discard_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _client(program: Program, namespace: argparse.Namespace) -> Any:
    options: dict[str, object] = {"strict_responses": namespace.strict_responses}
    for name in ("base_url", "timeout", "max_retries"):
        value = getattr(namespace, name)
        if value is not None:
            options[name] = value
    for credential in program.credentials:
        value = getattr(namespace, credential_dest(credential.argument), None)
        if value is not None:
            options[credential.argument] = value
    return program.client(**options)


def _run(
    program: Program,
    command: Command,
    client: Any,
    arguments: dict[str, object],
    namespace: argparse.Namespace,
) -> int:
    method = getattr(getattr(client, command.resource), command.method)
    _resume_collector()  # the method's module and models are built: start-up is over
    if command.mode == "iter":
        for item in method(**arguments):
            _print(dump(item), compact=True)
        return EXIT_OK
    if command.mode == "submit":
        return _submit(program, method, arguments, namespace)
    if command.mode == "upload":
        arguments["file"] = namespace.file
    if command.mode == "wait":
        return _wait_all(program, command, method, [arguments], namespace)
    result = method(**arguments)
    starts = command.starts
    if starts is not None and namespace._wait:
        _print_result(result, starts, namespace, to=sys.stderr)
        wait = next(c for c in program.commands if (c.resource, c.method) == starts.wait)
        waiter = getattr(getattr(client, wait.resource), wait.method)
        return _wait_all(program, wait, waiter, _wait_arguments(starts, result), namespace)
    _print_result(result, starts, namespace)
    return EXIT_OK


def _submit(
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
            return _fail(
                EXIT_INTERRUPTED,
                f"{program.prog}: interrupted: no test was sent (a run may have been created)",
            )
        # The request in flight may have been applied: its tests are unknown, and skipped.
        done.unknown, done.sending = done.unknown + done.sending, 0
        where = f"{done.landed} of {done.tests} tests landed in run {done.run}"
        if done.unknown:
            where += f", {done.unknown} unknown (being sent when interrupted)"
        where += "; the run is left open"
        return _fail(
            EXIT_INTERRUPTED,
            f"{program.prog}: interrupted: {where}\n{_resume(program, namespace, done)}",
        )
    except program.submit_errors() as exc:  # stopped part way: what landed is in the message
        message = f"{program.prog}: {_cli_language(program, exc.__cause__, str(exc))}"
        stopped = getattr(exc, "report", None)
        if stopped is not None and stopped.run is not None and not stopped.completed:
            message += "\n" + _resume(program, namespace, stopped)
        return _fail(_cause_code(exc.__cause__), message)
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
        return _fail(EXIT_FAILED, f"{program.prog}: the reported tests include failures")
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


def _cli_language(program: Program, error: BaseException | None, message: str) -> str:
    """``message`` with the library's way to check a call that may have applied replaced by
    the command that does it."""
    check = getattr(error, "check", None)
    if not getattr(error, "maybe_applied", False) or check is None:
        return message
    command = next((c for c in program.commands if (c.resource, c.method) == tuple(check)), None)
    if command is None:
        return message
    spelled = f"with `{program.prog} {command.group} {command.name}`"
    return message.replace(library_check(check), spelled)


# What a shell reports for a process ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _cause_code(cause: BaseException | None) -> int:
    """The exit code of what stopped a submit part way."""
    if isinstance(cause, APIConnectionError):
        return EXIT_NO_ANSWER
    if isinstance(cause, APIError):
        return EXIT_API
    return EXIT_USAGE


def _wait_arguments(starts: Starts, result: object) -> list[dict[str, object]]:
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


def _print_result(
    result: object, starts: Starts | None, namespace: argparse.Namespace, to: IO[str] | None = None
) -> None:
    if starts is not None and starts.ids and getattr(namespace, "_output", "json") == "ids":
        ids = lookup(dump(result), starts.ids)
        for value in ids if isinstance(ids, list) else [ids]:
            print(value, file=to or sys.stdout)
        return
    if isinstance(result, BinaryResponse | Stream):
        _print_body(result, to or sys.stdout)
    elif result is not None:
        _print(dump(result), stream=to)


def _print_body(result: BinaryResponse | Stream[Any], to: IO[str]) -> None:
    """A body that is not one JSON document: text as it is, bytes to the binary stdout, a
    stream's items (events, lines) as one compact JSON line each, as they arrive."""
    if isinstance(result, TextResponse):
        to.write(result.text)
    elif isinstance(result, BinaryResponse):
        to.flush()
        binary = getattr(to, "buffer", None)
        if binary is None:  # a text-only stream (captured): the bytes as text
            to.write(result.content.decode("utf-8", "replace"))
        else:
            binary.write(result.content)
            binary.flush()
    else:
        with result:
            for item in result:
                shown = dump(vars(item) if isinstance(item, ServerSentEvent) else item)
                _print(shown, compact=True, stream=to)
                to.flush()


def _wait_all(
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
            _print([*finals, last] if len(calls) > 1 else last)
            _report(program, command, [*finals, last], namespace)
            return _fail(EXIT_DEADLINE, f"{program.prog}: {exc}")
        finals.append(dump(status))
    _print(finals if len(calls) != 1 else finals[0])
    _report(program, command, finals, namespace)
    outcome = command.outcome
    if outcome is not None and any(outcome.failed(final) for final in finals):
        return _fail(EXIT_FAILED, f"{program.prog}: the tests failed")
    return EXIT_OK


def _report(
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


def _api_error(program: Program, exc: Any) -> str:
    lines = [f"{program.prog}: {_cli_language(program, exc, str(exc))}"]
    status = getattr(exc, "status_code", None)
    if status is not None:
        lines.append(f"status: {status}")
    body = getattr(exc, "body", None)
    if body not in (None, ""):
        lines.append(f"body: {json.dumps(body) if not isinstance(body, str) else body}")
    return "\n".join(lines)


def _first_line(exc: BaseException) -> str:
    """The message of ``exc``; for a pydantic error, one ``field: message`` per problem."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        problems = errors(include_url=False, include_input=False)
        return "; ".join(
            f"{'.'.join(str(part) for part in p['loc']) or 'body'}: {p['msg']}" for p in problems
        )
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _fail(code: int, message: str) -> int:
    print(message, file=sys.stderr)
    return code


def _print(value: object, *, compact: bool = False, stream: IO[str] | None = None) -> None:
    indent = None if compact else 2
    text = json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)
    print(text, file=stream or sys.stdout)


def _log_to_stderr(name: str) -> None:
    logger = logging.getLogger(name)
    logger.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)


class _Startup:
    """Whether :func:`run` paused the cyclic collector for the start-up."""

    paused = False


def _resume_collector() -> None:
    """End of start-up: what it built (modules, model classes, schemas, the client) lives as long
    as the process, so it is frozen out of the collector's scans, and collection resumes."""
    if _Startup.paused:
        _Startup.paused = False
        gc.freeze()
        gc.enable()


def run(program: Program, argv: Iterable[str] | None = None) -> NoReturn:
    """``main`` as a process: exit with its code.

    Start-up makes long-lived objects by the thousand (model classes and their schemas), and
    the cyclic collector would rescan them at every collection they trigger, a tenth of a short
    command's time: it is paused until the command's method is ready (then resumes with them
    frozen out), so a long wait or submit is collected as usual.

    The process ends without tearing the interpreter down (freeing every model class and
    schema one by one costs more than a small command's work): the client is closed and the
    output written by now, so the streams are flushed and the process leaves.
    """
    _Startup.paused = gc.isenabled()
    gc.disable()
    code = main(program, None if argv is None else list(argv))
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # a reader that went away (`| head`) read what it wanted
            pass
        except OSError as exc:  # output lost (a full disk): the command did not succeed
            code = code or EXIT_API
            with contextlib.suppress(OSError):
                os.write(2, f"{program.prog}: cannot write the output: {exc}\n".encode())
    os._exit(code)
