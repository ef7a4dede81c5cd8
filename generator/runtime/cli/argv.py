"""A command line as argparse reads it: the parser of every command, and the call it asks for.

:mod:`.commands` holds the commands (data rendered from the spec) and :mod:`.run` runs them;
this module turns them into ``argparse`` parsers (global options, one group per resource, one
command per method, a flag per argument typed from the schema) and turns what the user typed
back into the method's keyword arguments, ``--json`` first and the flags over it. A mistake exits 2 with the
usage, before anything is sent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from .commands import Command, Option, Program

__all__ = [
    "EXIT_CODES",
    "Usage",
    "arguments_of",
    "build_parser",
    "credential_dest",
    "global_first",
]

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_NO_ANSWER, EXIT_DEADLINE, EXIT_FAILED = 0, 1, 2, 3, 4, 5
EXIT_CODES: Mapping[int, str] = {
    EXIT_OK: "success",
    EXIT_API: "the API answered with an error status",
    EXIT_USAGE: "usage, or a rule broken before sending",
    EXIT_NO_ANSWER: "no answer (connection, timeout)",
    EXIT_DEADLINE: "a wait ran past its deadline",
    EXIT_FAILED: "the tests that ran failed",
    130: "interrupted (Ctrl-C) part way",
}


class Usage(Exception):
    """A command line that cannot be sent as given: exit 2."""


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
        epilog=_exit_table(program.exit_codes),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    shared = _global_options(parser, program)
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
        _command_parser(by_group[command.group], command, shared, junit=bool(junit))
    return parser


def _exit_table(codes: tuple[int, ...]) -> str:
    rows = "\n".join(f"  {code:<3} {EXIT_CODES[code]}" for code in codes if code in EXIT_CODES)
    return f"exit codes:\n{rows}"


def _global_options(parser: argparse.ArgumentParser, program: Program) -> str:
    """Add the options every command takes; their help, for each command's ``--help``."""
    env_prefix = program.env_prefix
    shown = [
        parser.add_argument(
            "--base-url", help=f"the API's base URL (default: {env_prefix}_BASE_URL)"
        ),
        parser.add_argument(
            "--request-timeout",
            dest="timeout",
            type=float,
            metavar="SECONDS",
            help="seconds per request (default 60)",
        ),
        parser.add_argument(
            "--max-retries", type=int, help="retries of a failed request (default 2)"
        ),
        parser.add_argument(
            "--strict-responses",
            action="store_true",
            help="fail (exit 1) on a response that does not match the spec instead of keeping it",
        ),
        parser.add_argument(
            "-v", "--verbose", action="store_true", help="log each request to stderr"
        ),
    ]
    # The old spelling, before the command only: after it, on a wait, --timeout is the deadline.
    parser.add_argument("--timeout", dest="timeout", type=float, help=argparse.SUPPRESS)
    for credential in program.credentials:
        name = credential.argument
        shown.append(
            parser.add_argument(
                "--" + _kebab(name),
                dest=credential_dest(name),
                metavar=name.upper(),
                help=f"{credential.help} (default: {env_prefix}_{name.upper()};"
                " a flag shows in process lists)",
            )
        )
    # Formatted once: adding the options to every command's parser would cost start-up time.
    formatter = parser._get_formatter()
    formatter.start_section("global options (before or after the command)")
    formatter.add_arguments(shown)
    formatter.end_section()
    return formatter.format_help()


def global_first(program: Program, argv: list[str]) -> list[str]:
    """``argv`` with the global options given after the command moved before it.

    An option the command itself takes by the same name stays its own.
    """
    valued = {"--base-url", "--request-timeout", "--max-retries"}
    valued |= {"--" + _kebab(c.argument) for c in program.credentials}
    switches = {"--strict-responses", "-v", "--verbose"}
    at = 0
    while at < len(argv) and argv[at].startswith("-"):
        flag = argv[at].split("=", 1)[0]
        if flag not in valued | switches | {"--timeout"}:
            return argv  # something argparse will explain
        at += 2 if flag in valued | {"--timeout"} and "=" not in argv[at] else 1
    named = argv[at : at + 2]
    command = next((c for c in program.commands if [c.group, c.name] == named), None)
    if command is None:
        return argv
    own = {option.flag for option in command.options}
    hoisted, rest = [], argv[: at + 2]
    words = iter(argv[at + 2 :])
    for word in words:
        if word == "--":
            rest += [word, *words]
            break
        flag = word.split("=", 1)[0]
        if flag in own or flag not in valued | switches:
            rest.append(word)
            continue
        hoisted.append(word)
        if flag in valued and "=" not in word:
            hoisted.extend(islice(words, 1))
    return hoisted + rest


def credential_dest(argument: str) -> str:
    """Where argparse keeps a credential flag: apart from every command's own arguments."""
    return f"_credential_{argument}"


def _command_parser(
    actions: argparse._SubParsersAction[Any], command: Command, shared: str, *, junit: bool
) -> None:
    sub = actions.add_parser(
        command.name,
        help=command.help,
        description=command.description or command.help,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=shared,
    )
    sub.set_defaults(_command=command)
    if command.mode == "upload":
        sub.add_argument("file", metavar="PATH", help="the file to upload")
    if command.mode == "submit":
        _submit_options(sub)
    # Required options are listed as such, a body field also when --json may give it instead.
    required = sub.add_argument_group("required options") if _any_required(command) else sub
    for option in command.options:
        _add_option(required if option.required and option.flag else sub, option, command)
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
            "--wait-timeout",
            dest="_deadline",
            type=float,
            metavar="SECONDS",
            help="give up waiting (exit 4) after this many seconds in all (default: no limit);"
            " the per-request timeout is --request-timeout",
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


def _submit_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--results",
        dest="_results",
        nargs="+",
        required=True,
        metavar="FILE",
        help="JUnit XML files or glob patterns (quote them: 'reports/**/*.xml')",
    )
    sub.add_argument(
        "--ignore-parse-errors",
        dest="_ignore_parse_errors",
        action="store_true",
        help="skip a file that is not a readable JUnit report (and say so) instead of stopping",
    )
    sub.add_argument(
        "--fail-on-failures",
        dest="_fail_on_failures",
        action="store_true",
        help="exit 5 when a reported test failed or errored",
    )
    sub.add_argument(
        "--complete-on-error",
        dest="_complete_on_error",
        action="store_true",
        help="complete the run even when a request fails part way (default: leave it open)",
    )
    sub.add_argument(
        "--run-id",
        dest="_run_id",
        metavar="RUN",
        help="resume into this run instead of creating one (a stopped submit prints the command)",
    )
    sub.add_argument(
        "--skip",
        dest="_skip",
        type=int,
        default=0,
        metavar="N",
        help="with --run-id: leave out the first N tests, which the stopped submit sent",
    )


def _any_required(command: Command) -> bool:
    return any(option.required and option.flag for option in command.options)


def _add_option(
    sub: argparse.ArgumentParser | argparse._ArgumentGroup, option: Option, command: Command
) -> None:
    text = option.help + (f" (one of: {', '.join(option.choices)})" if option.choices else "")
    if not option.flag:
        sub.add_argument(option.dest, type=_converter(option.kind), help=text)
        return
    # A body field may also come from --json, so argparse cannot insist on it.
    required = option.required and not (command.body and option.wire)
    if option.required and not required:
        text += " (required, here or in --json)"
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
        "file": Path,  # a file to send (a multipart part, a raw body): its path
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


def arguments_of(command: Command, namespace: argparse.Namespace) -> dict[str, object]:
    """The method's keyword arguments: ``--json`` first, the flags given on top of it."""
    values: dict[str, object] = {}
    by_wire = {o.wire: o.dest for o in command.options if o.wire}
    raw = getattr(namespace, "_json", None)
    if raw is not None:
        try:
            body = _json_value(raw)
        except argparse.ArgumentTypeError as exc:  # read here, not by argparse: a usage error
            raise Usage(f"argument --json: {exc}") from None
        if not isinstance(body, dict):
            raise Usage("--json must be a JSON object")
        unknown = sorted(set(body) - set(by_wire))
        if unknown:
            raise Usage(f"--json has fields the operation does not take: {', '.join(unknown)}")
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
        raise Usage(f"missing {', '.join(missing)}")
    return values
