"""``python -m generator diff BASE REVISION [--format text|json|markdown|github] [--today DATE]
[--overlay FILE]``.

Arguments -> calls, no logic: read both sides, diff them, print the report. Exit 0 when nothing
breaks, 1 when something does, 2 when an input is unusable (its diagnostics go to stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ..load.overlay import overlaid
from ._document import diff
from ._format import FORMATS, render
from ._rules import apply_policy, read_policy
from ._source import Source, read

DESCRIPTION = "Report the changes between two versions of an OpenAPI spec, and which break."
EPILOG = (
    "Each side is a file or REF:path (read with `git show REF:path`). What breaks, rule by rule,"
    " is in generator/diff/POLICY.md. Exit status: 0 nothing breaks, 1 something breaks,"
    " 2 unusable input."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator diff", description=DESCRIPTION, epilog=EPILOG
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The diff's arguments, on its own parser or on ``python -m generator diff``."""
    parser.add_argument("base", metavar="BASE", help="the old spec: a file or REF:path")
    parser.add_argument("revision", metavar="REVISION", help="the new spec: a file or REF:path")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="report format: text for people, json for machines, markdown for a changelog or"
        " a PR comment, github for workflow annotations on the changed lines (default: text)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("pyproject.toml"),
        metavar="PYPROJECT",
        help="where a [tool.generator.diff.severity] table may raise or lower a rule's level"
        " (default: pyproject.toml in the current folder, if there is one)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date sunset dates are judged against (default: today); removing something"
        " deprecated breaks nothing once its sunset date has passed",
    )
    parser.add_argument(
        "--overlay",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="an OpenAPI Overlay 1.0 document applied to both sides before comparing"
        " (repeatable, applied in order)",
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: list[str]) -> int:
    """Run the diff command line on ``argv`` (without the program name); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # usage errors (2) and --help (0), already printed by argparse
        return exc.code if isinstance(exc.code, int) else 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Diff ``args.base`` with ``args.revision`` and print the report; return the exit code."""
    try:
        base, revision = (_overlaid(s, args.overlay) for s in _read([args.base, args.revision]))
        policy = read_policy(args.config)
        report = apply_policy(diff(base.document, revision.document, today=args.today), policy)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    locate = revision.place if args.format == "github" else None
    sys.stdout.write(render(report, args.format, file=revision.file, locate=locate))
    return 1 if report.breaking else 0


def _read(arguments: list[str]) -> list[Source]:
    """Every side; :class:`SpecError` with the problems of all of them if any is unusable.

    Two large documents are parsed at once, one in a worker process: YAML parsing dominates a
    diff of large specs (about a second per 3 MB on this project's machines).
    """
    if len(arguments) == 2 and any(_large(a) for a in arguments):
        with ProcessPoolExecutor(max_workers=1) as pool:
            first = pool.submit(_attempt, arguments[0])
            results = [_attempt(arguments[1])]
            results.insert(0, first.result())
    else:
        results = [_attempt(argument) for argument in arguments]
    problems = [d for result in results if isinstance(result, list) for d in result]
    if problems:
        raise SpecError(problems)
    return [result for result in results if isinstance(result, Source)]


def _overlaid(source: Source, overlays: list[Path]) -> Source:
    """``source`` with the overlays applied; an action that selected nothing said on stderr."""
    if not overlays:
        return source
    document, warnings = overlaid(source.document, tuple(overlays))
    for warning in warnings:
        print(warning, file=sys.stderr)
    return replace(source, document=document)


def _attempt(argument: str) -> Source | list[Diagnostic]:
    """One side, or its diagnostics (plain values, so a worker process can return them)."""
    try:
        return read(argument)
    except SpecError as exc:
        return exc.diagnostics


def _large(argument: str) -> bool:
    path = Path(argument)
    return path.is_file() and path.stat().st_size > _LARGE


_LARGE = 1 << 20
