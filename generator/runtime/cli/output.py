"""What the command line writes: results on stdout as JSON, messages on stderr in its words.

stdout carries only the result: the response as JSON by wire name, nothing dropped (JSON Lines
for ``iter``, a body that is not JSON as it came); errors go to stderr, with the library's
spelling of an option (``base_url=...``) or of a check (``client.runs.get(...)``) replaced by
the command line's (``--base-url``, the command that checks).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from typing import IO, Any

from .._exceptions import library_check
from .._streaming import BinaryResponse, ServerSentEvent, Stream, TextResponse
from .._values import dump, lookup
from .commands import Program, Starts

__all__ = [
    "api_error",
    "cli_language",
    "fail",
    "first_line",
    "flags_words",
    "in_flags",
    "print_json",
    "print_result",
]


def flags_words(message: str) -> str:
    """A library message in the command line's words: ``pass base_url=...`` -> ``--base-url``,
    ``strict_responses=True`` -> ``--strict-responses``."""
    return re.sub(
        r"\b([a-z][a-z0-9_]*)=(?:\.\.\.|True\b)",
        lambda m: "--" + m[1].replace("_", "-"),
        message,
    )


def in_flags(record: logging.LogRecord) -> bool:
    """A log filter: the client's log lines in the command line's words (see :func:`flags_words`)."""
    record.msg, record.args = flags_words(record.getMessage()), ()
    return True


def cli_language(program: Program, error: BaseException | None, message: str) -> str:
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


def print_result(
    result: object, starts: Starts | None, namespace: argparse.Namespace, to: IO[str] | None = None
) -> None:
    """A call's result on stdout (or ``to``): the ids ``--output ids`` asks for, or the answer."""
    if starts is not None and starts.ids and getattr(namespace, "_output", "json") == "ids":
        ids = lookup(dump(result), starts.ids)
        for value in ids if isinstance(ids, list) else [ids]:
            print(value, file=to or sys.stdout)
        return
    if isinstance(result, BinaryResponse | Stream):
        print_body(result, to or sys.stdout)
    elif result is not None:
        print_json(dump(result), stream=to)


def print_body(result: BinaryResponse | Stream[Any], to: IO[str]) -> None:
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
                print_json(shown, compact=True, stream=to)
                to.flush()


def api_error(program: Program, exc: Any) -> str:
    """An error status as the command line says it: the message, the status, the body."""
    lines = [f"{program.prog}: {cli_language(program, exc, str(exc))}"]
    status = getattr(exc, "status_code", None)
    if status is not None:
        lines.append(f"status: {status}")
    body = getattr(exc, "body", None)
    if body not in (None, ""):
        lines.append(f"body: {json.dumps(body) if not isinstance(body, str) else body}")
    return "\n".join(lines)


def first_line(exc: BaseException) -> str:
    """The message of ``exc``; for a pydantic error, one ``field: message`` per problem."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        problems = errors(include_url=False, include_input=False)
        return "; ".join(
            f"{'.'.join(str(part) for part in p['loc']) or 'body'}: {p['msg']}" for p in problems
        )
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def fail(code: int, message: str) -> int:
    """Say ``message`` on stderr; ``code``, for the caller to return."""
    print(message, file=sys.stderr)
    return code


def print_json(value: object, *, compact: bool = False, stream: IO[str] | None = None) -> None:
    """``value`` as JSON on stdout (or ``stream``): indented, or one line when ``compact``."""
    indent = None if compact else 2
    text = json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)
    print(text, file=stream or sys.stdout)
