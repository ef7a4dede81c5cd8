"""Command line: arguments -> calls into the pipeline; no logic of its own.

```
python -m generator validate SPEC...
python -m generator generate [--check] [-j JOBS]
python -m generator generate SPEC -o DIR --package NAME [--env-prefix PREFIX] [--check] [--strict]
    [--lint] [-v] [--warnings-file PATH]
python -m generator diff BASE REVISION [--format text|json|markdown|github] [--today DATE]
python -m generator spec-diff [--base REV]
```
Exit codes: 0 fine, 1 spec errors or stale output or breaking changes, 2 unusable invocation.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from .diagnostics import Diagnostic, SpecError
from .load.config import ApiConfig, ConfigError, api_config, read_config
from .load.document import load
from .validate import findings

# The pipeline (datamodel-code-generator, the OpenAPI validator, ruff) is imported by the
# commands that use it: `diff` should not pay half a second for libraries it never calls.


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser(
        "validate",
        help="check specs: OpenAPI schema, our rules, examples",
        description="Check each spec and print every problem found (file:line: #/pointer).",
    )
    val.add_argument("specs", nargs="+", type=Path, metavar="SPEC", help="OpenAPI documents")
    val.add_argument(
        "--lenient", action="store_true", help="our house rules are warnings, not errors"
    )
    gen = sub.add_parser(
        "generate",
        help="generate the configured packages, or one spec",
        description=_GENERATE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gen.add_argument(
        "spec",
        nargs="?",
        type=Path,
        metavar="SPEC",
        help="an OpenAPI 3.0/3.1 document (YAML or JSON); without it, every API configured"
        " in [tool.generator] of pyproject.toml",
    )
    gen.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="SPEC: the folder the package is written to",
    )
    gen.add_argument("--package", metavar="NAME", help="SPEC: the import name of the package")
    gen.add_argument(
        "--env-prefix",
        metavar="PREFIX",
        help="SPEC: environment variables PREFIX_API_KEY, PREFIX_BASE_URL (default: NAME upper)",
    )
    gen.add_argument(
        "--overlay",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="SPEC: an OpenAPI Overlay 1.0 document applied before validation (repeatable,"
        " applied in order)",
    )
    gen.add_argument("--check", action="store_true", help="exit 1 with a diff if output is stale")
    gen.add_argument(
        "--strict",
        action="store_true",
        help="SPEC: every mistake is an error, house rules too; nothing is repaired",
    )
    gen.add_argument(
        "--lint",
        action="store_true",
        help="also show the house-rule findings (operationId style, tags, summaries, ...),"
        " which change nothing generated",
    )
    gen.add_argument(
        "-v", "--verbose", action="store_true", help="print every warning on a line of its own"
    )
    gen.add_argument(
        "--warnings-file",
        type=Path,
        metavar="PATH",
        help="write every warning, house rules' too, one a line, to PATH",
    )
    _root_option(gen)
    gen.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes (default: one per CPU; 1: validate in this one)",
    )
    from .diff import cli as diff_cli  # light: the diff tool needs no pipeline library

    dif = sub.add_parser(
        "diff",
        help="breaking-change report between two versions of a spec",
        description=diff_cli.DESCRIPTION,
        epilog=diff_cli.EPILOG,
    )
    diff_cli.add_arguments(dif)
    gate = sub.add_parser(
        "spec-diff",
        help="CI gate: fail on unacknowledged breaking changes since the base commit",
        description=_GATE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gate.add_argument(
        "--base",
        metavar="REV",
        help="commit to compare with (default: off main, the merge base with main; on main,"
        " the previous commit)",
    )
    _root_option(gate)
    return parser


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        metavar="DIR",
        help="project root, holding pyproject.toml (default: the current folder)",
    )


_GATE = """\
Compare every configured spec with its version at the base commit and fail (exit 1) on a
breaking change that is not acknowledged: by a major bump of info.version, or by an entry
(where, kind, reason) in specs/<api>.ack.yaml. The base is printed with the reason it was
chosen; acknowledgements that match no change since the base are reported as stale.
Exit codes: 0 pass, 1 unacknowledged breaking changes, 2 unusable input."""

_GENERATE = """\
Generate the configured packages, or the package of one spec (SPEC -o DIR --package NAME).

A spec you bring is forgiving: what can be mended is repaired, with a warning located at it.
Warnings are grouped, one line per kind with its count and first three places (file:line
#/json/pointer); -v prints each, --warnings-file writes them all. House rules of our own
specs (operationId style, one tag, summaries, numbers as status keys, named JSON bodies)
change nothing generated and are not shown unless --lint; --strict makes them errors.
Exit codes: 0 fine, 1 spec errors or stale output, 2 unusable invocation."""


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each spec; print every diagnostic."""
    from .validate.openapi import validate

    failed = False
    for spec in args.specs:
        try:
            found = validate(load(spec), strict=not args.lenient)
        except SpecError as exc:
            found = exc.diagnostics
        _print(found)
        failed = failed or any(d.severity == "error" for d in found)
        if not found:
            print(f"{spec}: ok")
    return 1 if failed else 0


def _configs(args: argparse.Namespace) -> list[tuple[ApiConfig, str, str]]:
    """(config, name for headers, name for diagnostics) of each package to generate."""
    if args.spec is None:
        root = args.root.resolve()
        return [
            (c, rel, rel)
            for c in read_config(root)
            for rel in [c.spec.relative_to(root).as_posix()]
        ]
    if not args.output or not args.package:
        raise ConfigError("generate SPEC needs -o DIR and --package NAME")
    config = api_config(
        args.spec,
        args.package,
        args.output,
        args.env_prefix,
        strict=args.strict,
        overlays=tuple(args.overlay),
    )
    return [(config, args.spec.name, str(args.spec))]


def cmd_generate(args: argparse.Namespace) -> int:
    """Generate (or check) every configured package, or the one given."""
    # Generation allocates millions of small objects that live until it ends; with the
    # default thresholds the collector rescans them again and again (~8 % of the run), so it
    # collects rarely meanwhile, as mypy's command line does.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        return _generate(args)
    finally:
        gc.set_threshold(*thresholds)


def _generate(args: argparse.Namespace) -> int:
    from .jobs import default_workers, draft_all
    from .pipeline import Draft
    from .render.emit import diff, finalize_all, write
    from .render.provenance import why_stale

    jobs = _configs(args)
    outcomes = draft_all(jobs, args.jobs or default_workers())
    drafts = [outcome for outcome in outcomes if isinstance(outcome, Draft)]
    built = iter(finalize_all([(d.files, d.spec_name) for d in drafts]))
    status = 0
    every: list[Diagnostic] = []
    for (config, spec_name, display), outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, SpecError):
            _print(outcome.diagnostics)
            status = 1
            continue
        if not isinstance(outcome, Draft):
            print(f"{spec_name}: error: {outcome}", file=sys.stderr)
            status = 1
            continue
        files = next(built)
        _warn(outcome.warnings, args, display or spec_name)
        every.extend(outcome.warnings)
        if args.check:
            stale = diff(config.output, files, config.output.name)
            if stale:
                sys.stdout.write(stale)
                why = why_stale(config.output, files)
                print(f"{config.output}: stale, {why}; run `make regenerate`", file=sys.stderr)
                status = 1
        else:
            changed = write(config.output, files)
            print(f"{config.output}: {len(files)} files, {len(changed)} changed")
    if args.warnings_file:
        findings.write(args.warnings_file, every)
    return status


def _warn(warnings: list[Diagnostic], args: argparse.Namespace, name: str) -> None:
    """The warnings of one package, as :mod:`generator.validate.findings` says."""
    printed = findings.shown(warnings, lint=args.lint)
    lines = [str(w) for w in printed] if args.verbose else findings.grouped(printed)
    closing = findings.summary(name, len(printed), len(lines), len(warnings) - len(printed))
    for line in [*lines, *([closing] if closing and not args.warnings_file else [])]:
        print(line, file=sys.stderr)


def cmd_diff(args: argparse.Namespace) -> int:
    """Run the spec-diff tool."""
    from .diff.cli import run

    return run(args)


def cmd_spec_diff(args: argparse.Namespace) -> int:
    """Run the CI gate over every configured spec."""
    from .gate.gate import run  # loads the diff tool and git helpers only when asked for

    return run(args.root.resolve(), args.base, print)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    commands = {
        "validate": cmd_validate,
        "generate": cmd_generate,
        "diff": cmd_diff,
        "spec-diff": cmd_spec_diff,
    }
    try:
        return commands[args.command](args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
