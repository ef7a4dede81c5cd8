"""``python -m generator diff BASE REVISION [--format text|json|markdown|github]``.

Arguments -> calls, no logic: read both sides, diff them, print the report. Exit 0 when nothing
breaks, 1 when something does, 2 when an input is unusable (its diagnostics go to stderr).
"""

from __future__ import annotations

import argparse
import sys

from ..diagnostics import Diagnostic, SpecError
from ._document import diff
from ._format import FORMATS, render
from ._lines import Lines
from ._source import Source, read


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description="Report the changes between two versions of an OpenAPI spec, and which break.",
        epilog="Each side is a file or REF:path (read with `git show REF:path`). "
        "Exit status: 0 nothing breaks, 1 something breaks, 2 unusable input.",
    )
    parser.add_argument("base", help="the old spec: a file or REF:path")
    parser.add_argument("revision", help="the new spec: a file or REF:path")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    return parser


def main(argv: list[str]) -> int:
    """Run the diff command line on ``argv`` (without the program name); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # usage errors (2) and --help (0), already printed by argparse
        return exc.code if isinstance(exc.code, int) else 2
    try:
        base, revision = _read([args.base, args.revision])
        report = diff(base.document, revision.document)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    locate = Lines(revision.document) if args.format == "github" else None
    sys.stdout.write(render(report, args.format, file=revision.file, locate=locate))
    return 1 if report.breaking else 0


def _read(arguments: list[str]) -> list[Source]:
    """Every side; :class:`SpecError` with the problems of all of them if any is unusable."""
    sources: list[Source] = []
    problems: list[Diagnostic] = []
    for argument in arguments:
        try:
            sources.append(read(argument))
        except SpecError as exc:
            problems += exc.diagnostics
    if problems:
        raise SpecError(problems)
    return sources
