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
the spec (:class:`Command`); this module runs one: :mod:`.argv` parses it, :mod:`.output`
writes what it prints, :mod:`.wait` and :mod:`.submit` run the commands that take longer. Each credential
comes from its environment variable (``<PREFIX>_API_KEY``) or its flag (``--api-key``) and
appears in no output.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from .._exceptions import APIConnectionError, APIError, ClientError
from .._values import dump
from .argv import (
    EXIT_API,
    EXIT_CODES,
    EXIT_NO_ANSWER,
    EXIT_OK,
    EXIT_USAGE,
    Usage,
    arguments_of,
    build_parser,
    credential_dest,
    global_first,
)
from .commands import Command, Credential, Option, Outcome, Program, Report, Starts
from .output import (
    api_error,
    cli_language,
    fail,
    first_line,
    flags_words,
    in_flags,
    print_json,
    print_result,
)
from .submit import run_submit
from .wait import run_waits, wait_arguments

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
    logging.getLogger(program.logger or program.prog).addFilter(in_flags)
    if namespace.verbose:
        _log_to_stderr(program.logger or program.prog)
    try:
        arguments = arguments_of(command, namespace)
        with _client(program, namespace) as client:
            return _run(program, command, client, arguments, namespace)
    except Usage as exc:
        return fail(EXIT_USAGE, f"{program.prog}: error: {exc}")
    except APIConnectionError as exc:
        return fail(EXIT_NO_ANSWER, f"{program.prog}: {cli_language(program, exc, str(exc))}")
    except APIError as exc:
        return fail(EXIT_API, api_error(program, exc))
    except program.paging_errors as exc:  # the API's next-page marker does not advance
        return fail(EXIT_API, f"{program.prog}: {exc}")
    except (ClientError, ValueError, TypeError) as exc:
        # Raised before anything was sent: a rule of the spec, a missing key, a bad value.
        return fail(EXIT_USAGE, f"{program.prog}: error: {flags_words(first_line(exc))}")
    except BrokenPipeError:
        # The reader of stdout went away (`| head -1`): it read what it wanted, as for any
        # Unix tool; what is left unwritten goes nowhere instead of raising again at exit.
        _discard_stdout()
        return EXIT_OK


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
            print_json(dump(item), compact=True)
        return EXIT_OK
    if command.mode == "submit":
        return run_submit(program, method, arguments, namespace)
    if command.mode == "upload":
        arguments["file"] = namespace.file
    if command.mode == "wait":
        return run_waits(program, command, method, [arguments], namespace)
    result = method(**arguments)
    starts = command.starts
    if starts is not None and namespace._wait:
        print_result(result, starts, namespace, to=sys.stderr)
        wait = next(c for c in program.commands if (c.resource, c.method) == starts.wait)
        waiter = getattr(getattr(client, wait.resource), wait.method)
        return run_waits(program, wait, waiter, wait_arguments(starts, result), namespace)
    print_result(result, starts, namespace)
    return EXIT_OK


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
