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
5    the tests that ran failed, as the spec's ``x-polling`` ``outcome`` defines it
==== =================================================================================

stdout carries only the result: the response as JSON by wire name, nothing dropped (JSON Lines
for ``iter``); progress, warnings and errors go to stderr. The commands are data rendered from
the spec (:class:`Command`); this module owns parsing, calling and reporting. The API key comes
from ``<PREFIX>_API_KEY`` (or ``--api-key``) and appears in no output.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, NoReturn, Protocol

from ._exceptions import APIConnectionError, APIError, ClientError

__all__ = ["EXIT_CODES", "Command", "Option", "Outcome", "Report", "Starts", "main"]

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_NO_ANSWER, EXIT_DEADLINE, EXIT_FAILED = 0, 1, 2, 3, 4, 5
EXIT_CODES: Mapping[int, str] = {
    EXIT_OK: "success",
    EXIT_API: "the API answered with an error status",
    EXIT_USAGE: "usage, or a rule broken before sending",
    EXIT_NO_ANSWER: "no answer (connection, timeout)",
    EXIT_DEADLINE: "a wait ran past its deadline",
    EXIT_FAILED: "the tests that ran failed",
}


@dataclass(frozen=True)
class Option:
    """One argument of a method, as a flag (or a positional when ``flag`` is empty).

    ``kind`` is ``string``, ``integer``, ``number``, ``boolean``, ``array`` (of ``items``),
    ``map`` (``key=value`` or JSON) or ``object`` (JSON). ``choices`` are an enum's documented
    values; others are accepted too, as the client accepts them. ``wire`` is the body field's
    wire name when the argument travels in the JSON body, so ``--json`` can supply it.
    """

    dest: str
    flag: str
    kind: str = "string"
    items: str = "string"
    choices: tuple[str, ...] = ()
    required: bool = False
    wire: str | None = None
    help: str = ""


@dataclass(frozen=True)
class Outcome:
    """When the tests of a finished status passed: ``total`` > 0 and the ``passed`` sum to it."""

    total: str
    passed: tuple[str, ...]

    def failed(self, status: object) -> bool:
        """Whether ``status`` (JSON) shows tests that did not pass, or no tests at all."""
        total = _number(lookup(status, self.total))
        passed = sum(_number(lookup(status, path)) for path in self.passed)
        return not (total > 0 and passed == total)


@dataclass(frozen=True)
class Starts:
    """The work an operation starts is awaited by ``wait`` with ``arguments`` read off its result.

    ``arguments`` maps each wait parameter to a dotted path of wire names into the answer; a
    path that reaches a list (``runs``, or ``runs.id``: every item's) runs the wait once per
    item. ``ids`` is the path of the ids ``--output ids`` prints.
    """

    wait: tuple[str, str]
    arguments: tuple[tuple[str, str], ...]
    ids: str | None = None


class Report(Protocol):
    """What writes a wait's final statuses as JUnit XML (the runtime's ``JUnitMap``)."""

    def write(self, statuses: Sequence[object], file: str) -> object:
        """Write the statuses to the file ``file`` names."""
        ...


@dataclass(frozen=True)
class Command:
    """One subcommand: which method it calls, its arguments, and what it does with the result.

    ``mode`` is ``call`` (print the result), ``iter`` (JSON Lines), ``wait`` (poll with a
    deadline; ``outcome`` decides exit 5, ``junit`` writes ``--junit FILE``) or ``upload``
    (``PATH`` is the file).
    """

    resource: str
    method: str
    name: str
    group: str
    help: str
    description: str = ""
    options: tuple[Option, ...] = ()
    body: bool = False
    mode: str = "call"
    starts: Starts | None = None
    outcome: Outcome | None = None
    progress: tuple[str, ...] = ()
    junit: Report | None = None


@dataclass(frozen=True)
class Program:
    """The package's command line: its name, client, key variable and commands."""

    prog: str
    description: str
    env_prefix: str
    client: Callable[..., Any]
    commands: tuple[Command, ...]
    # The helper modules' errors, when the package ships them: a next-page marker that does
    # not advance (an API fault: exit 1), and a wait past its deadline (exit 4).
    paging_errors: tuple[type[Exception], ...] = ()
    wait_errors: tuple[type[Exception], ...] = ()


def lookup(value: object, path: str) -> object:
    """The value at a dotted ``path`` of wire names in JSON (``None`` where it is absent).

    A name after a list reads it from every item (a list of the values).
    """
    for step in path.split(".") if path else ():
        if isinstance(value, list):
            value = [lookup(item, step) for item in value]
        elif isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
    return value


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def dump(value: object) -> object:
    """``value`` as JSON data by wire name, with nothing received left out."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, list | tuple):
        return [dump(item) for item in value]
    return value


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with the usage on any mistake (its own default), never a traceback."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def build_parser(program: Program) -> argparse.ArgumentParser:
    """The whole command line: global options, one group per resource, one command per method."""
    parser = _Parser(
        prog=program.prog,
        description=program.description,
        epilog=_exit_table(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, program.env_prefix)
    groups = parser.add_subparsers(dest="group", metavar="RESOURCE", required=True)
    by_group: dict[str, argparse._SubParsersAction[Any]] = {}
    reported = {(c.resource, c.method) for c in program.commands if c.junit is not None}
    for command in program.commands:
        if command.group not in by_group:
            sub = groups.add_parser(command.group, help=f"{command.group} operations")
            by_group[command.group] = sub.add_subparsers(
                dest="command", metavar="COMMAND", required=True
            )
        junit = command.junit is not None or (command.starts and command.starts.wait in reported)
        _command_parser(by_group[command.group], command, junit=bool(junit))
    return parser


def _exit_table() -> str:
    rows = "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())
    return f"exit codes:\n{rows}"


def _global_options(parser: argparse.ArgumentParser, env_prefix: str) -> None:
    parser.add_argument("--base-url", help=f"the API's base URL (default: {env_prefix}_BASE_URL)")
    parser.add_argument("--timeout", type=float, help="seconds per request (default 60)")
    parser.add_argument("--max-retries", type=int, help="retries of a failed request (default 2)")
    parser.add_argument(
        "--strict-responses",
        action="store_true",
        help="fail (exit 1) on a response that does not match the spec instead of keeping it",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request to stderr")
    parser.add_argument(
        "--api-key",
        help=f"the API key (default: {env_prefix}_API_KEY; a flag shows in process lists)",
    )


def _command_parser(
    actions: argparse._SubParsersAction[Any], command: Command, *, junit: bool
) -> None:
    sub = actions.add_parser(
        command.name,
        help=command.help,
        description=command.description or command.help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(_command=command)
    if command.mode == "upload":
        sub.add_argument("file", metavar="PATH", help="the file to upload")
    for option in command.options:
        _add_option(sub, option, command)
    if command.body:
        sub.add_argument(
            "--json",
            dest="_json",
            metavar="JSON",
            help="the request body as JSON text, @FILE or - (stdin); flags override its fields",
        )
    if command.starts is not None:
        sub.add_argument(
            "--wait", dest="_wait", action="store_true", help="then wait until the work is done"
        )
    if command.mode == "wait" or command.starts is not None:
        sub.add_argument(
            "--timeout",
            dest="_deadline",
            type=float,
            metavar="SECONDS",
            help="give up waiting (exit 4) after this many seconds in all (default: no limit);"
            " the per-request timeout is the global --timeout",
        )
    if junit:
        sub.add_argument(
            "--junit",
            dest="_junit",
            metavar="FILE",
            help="then write the final status as JUnit XML to FILE, for a CI test view (also"
            " past the deadline: what the last status shows, unfinished tests as errors)",
        )
    if command.starts is not None and command.starts.ids:
        sub.add_argument(
            "--output",
            dest="_output",
            choices=("json", "ids"),
            default="json",
            help="print the answer as JSON (default) or only the ids of what it started",
        )


def _add_option(sub: argparse.ArgumentParser, option: Option, command: Command) -> None:
    text = option.help + (f" (one of: {', '.join(option.choices)})" if option.choices else "")
    if not option.flag:
        sub.add_argument(option.dest, type=_converter(option.kind), help=text)
        return
    # A body field may also come from --json, so argparse cannot insist on it.
    required = option.required and not (command.body and option.wire)
    if option.kind == "boolean":
        sub.add_argument(
            option.flag, dest=option.dest, action=argparse.BooleanOptionalAction, help=text
        )
        return
    many = option.kind in ("array", "map")
    sub.add_argument(
        option.flag,
        dest=option.dest,
        type=_converter(option.items if option.kind == "array" else option.kind),
        nargs="+" if many else None,
        required=required,
        metavar=option.dest.upper(),
        help=text,
    )


def _converter(kind: str) -> Callable[[str], object]:
    converters: dict[str, Callable[[str], object]] = {
        "integer": int,
        "number": float,
        "object": _json_value,
        "map": _map_item,
    }
    return converters.get(kind, str)


def _json_value(text: str) -> object:
    try:
        return json.loads(_read_text(text))
    except (ValueError, OSError) as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None


def _map_item(text: str) -> object:
    if text.lstrip().startswith(("{", "@")):
        return _json_value(text)
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE or a JSON object, got {text!r}")
    return {key: value}


def _read_text(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as handle:
            return handle.read()
    return text


def _arguments(command: Command, namespace: argparse.Namespace) -> dict[str, object]:
    """The method's keyword arguments: ``--json`` first, the flags given on top of it."""
    values: dict[str, object] = {}
    by_wire = {o.wire: o.dest for o in command.options if o.wire}
    raw = getattr(namespace, "_json", None)
    if raw is not None:
        body = _json_value(raw)
        if not isinstance(body, dict):
            raise _Usage("--json must be a JSON object")
        unknown = sorted(set(body) - set(by_wire))
        if unknown:
            raise _Usage(f"--json has fields the operation does not take: {', '.join(unknown)}")
        values.update({by_wire[k]: v for k, v in body.items()})
    for option in command.options:
        given = getattr(namespace, option.dest, None)
        if given is None:
            continue
        if option.kind == "map":
            given = {k: v for item in given for k, v in dict(item).items()}
        values[option.dest] = given
    missing = [o.flag or o.dest for o in command.options if o.required and o.dest not in values]
    if missing:
        raise _Usage(f"missing {', '.join(missing)}")
    return values


class _Usage(Exception):
    """A command line that cannot be sent as given: exit 2."""


def main(program: Program, argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code (see the module docstring)."""
    namespace = build_parser(program).parse_args(argv)
    command: Command = namespace._command
    if namespace.verbose:
        _log_to_stderr(program.prog)
    try:
        arguments = _arguments(command, namespace)
        with _client(program, namespace) as client:
            return _run(program, command, client, arguments, namespace)
    except _Usage as exc:
        return _fail(EXIT_USAGE, f"{program.prog}: error: {exc}")
    except APIConnectionError as exc:
        return _fail(EXIT_NO_ANSWER, f"{program.prog}: {exc}")
    except APIError as exc:
        return _fail(EXIT_API, _api_error(program.prog, exc))
    except program.paging_errors as exc:  # the API's next-page marker does not advance
        return _fail(EXIT_API, f"{program.prog}: {exc}")
    except (ClientError, ValueError, TypeError) as exc:
        # Raised before anything was sent: a rule of the spec, a missing key, a bad value.
        return _fail(EXIT_USAGE, f"{program.prog}: error: {_first_line(exc)}")


def _client(program: Program, namespace: argparse.Namespace) -> Any:
    options: dict[str, object] = {"strict_responses": namespace.strict_responses}
    for name in ("base_url", "timeout", "max_retries", "api_key"):
        value = getattr(namespace, name)
        if value is not None:
            options[name] = value
    return program.client(**options)


def _run(
    program: Program,
    command: Command,
    client: Any,
    arguments: dict[str, object],
    namespace: argparse.Namespace,
) -> int:
    method = getattr(getattr(client, command.resource), command.method)
    if command.mode == "iter":
        for item in method(**arguments):
            _print(dump(item), compact=True)
        return EXIT_OK
    if command.mode == "upload":
        arguments["file"] = namespace.file
    if command.mode == "wait":
        return _wait(program, command, method, arguments, namespace)
    result = method(**arguments)
    starts = command.starts
    if starts is not None and namespace._wait:
        _print_result(result, starts, namespace, to=sys.stderr)
        wait = next(c for c in program.commands if (c.resource, c.method) == starts.wait)
        waiter = getattr(getattr(client, wait.resource), wait.method)
        return _wait_all(program, wait, waiter, _wait_arguments(starts, result), namespace)
    _print_result(result, starts, namespace)
    return EXIT_OK


def _wait_arguments(starts: Starts, result: object) -> list[dict[str, object]]:
    """The arguments of each wait the answer calls for: one per item of a list it names."""
    answer = dump(result)
    found = {name: lookup(answer, path) for name, path in starts.arguments}
    lists = [name for name, value in found.items() if isinstance(value, list)]
    if any(value is None for value in found.values()) or len(lists) > 1:
        raise _Usage(f"the answer does not say what to wait for ({dict(starts.arguments)})")
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
    if result is not None:
        _print(dump(result), stream=to)


def _wait(
    program: Program,
    command: Command,
    method: Callable[..., Any],
    arguments: dict[str, object],
    namespace: argparse.Namespace,
) -> int:
    return _wait_all(program, command, method, [arguments], namespace)


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


def _api_error(prog: str, exc: Any) -> str:
    lines = [f"{prog}: {exc}"]
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


def run(program: Program, argv: Iterable[str] | None = None) -> NoReturn:
    """``main`` as a process: exit with its code."""
    sys.exit(main(program, None if argv is None else list(argv)))
