"""Command line: arguments -> calls into the pipeline; no logic of its own.

```
python -m generator validate SPEC...
python -m generator generate [--check] [-j JOBS]
python -m generator generate SPEC -o DIR --package NAME [--env-prefix PREFIX] [--check] [--strict]
python -m generator diff BASE REVISION [--format text|json|markdown|github]
python -m generator spec-diff [--base REV]
```
Exit codes: 0 fine, 1 spec errors or stale output or breaking changes, 2 unusable invocation.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from .config import ApiConfig, ConfigError, api_config, read_config
from .diagnostics import Diagnostic, SpecError
from .load import load

# The pipeline (datamodel-code-generator, the OpenAPI validator, ruff) is imported by the
# commands that use it: `diff` should not pay half a second for libraries it never calls.


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="check specs: OpenAPI schema, our rules, examples")
    val.add_argument("specs", nargs="+", type=Path)
    val.add_argument("--lenient", action="store_true", help="style rules are warnings")
    gen = sub.add_parser("generate", help="generate the configured packages, or one spec")
    gen.add_argument("spec", nargs="?", type=Path)
    gen.add_argument("-o", "--output", type=Path)
    gen.add_argument("--package")
    gen.add_argument("--env-prefix")
    gen.add_argument("--check", action="store_true", help="exit 1 with a diff if output is stale")
    gen.add_argument(
        "--strict", action="store_true", help="SPEC: every mistake is an error; nothing is repaired"
    )
    gen.add_argument("--root", type=Path, default=Path.cwd(), help="project root (pyproject.toml)")
    gen.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        help="processes (default: one per CPU; 1: validate in this one)",
    )
    dif = sub.add_parser("diff", help="breaking-change report between two versions of a spec")
    dif.add_argument("rest", nargs=argparse.REMAINDER)
    gate = sub.add_parser(
        "spec-diff", help="CI gate: fail on unacknowledged breaking changes since the base commit"
    )
    gate.add_argument("--base", help="commit to compare with (default: merge base with main)")
    gate.add_argument("--root", type=Path, default=Path.cwd(), help="project root (pyproject.toml)")
    return parser


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each spec; print every diagnostic."""
    from .validate import validate

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
    config = api_config(args.spec, args.package, args.output, args.env_prefix, strict=args.strict)
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
    from .emit import diff, finalize_all, write
    from .pipeline import Draft, default_workers, draft_all

    jobs = _configs(args)
    outcomes = draft_all(jobs, args.jobs or default_workers())
    drafts = [outcome for outcome in outcomes if isinstance(outcome, Draft)]
    built = iter(finalize_all([(d.files, d.spec_name, d.sha256) for d in drafts]))
    status = 0
    for (config, spec_name, _), outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, SpecError):
            _print(outcome.diagnostics)
            status = 1
            continue
        if not isinstance(outcome, Draft):
            print(f"{spec_name}: error: {outcome}", file=sys.stderr)
            status = 1
            continue
        files = next(built)
        _print(outcome.warnings)
        if args.check:
            stale = diff(config.output, files, config.output.name)
            if stale:
                sys.stdout.write(stale)
                print(f"{config.output}: stale; run `make regenerate`", file=sys.stderr)
                status = 1
        else:
            changed = write(config.output, files)
            print(f"{config.output}: {len(files)} files, {len(changed)} changed")
    return status


def cmd_diff(args: argparse.Namespace) -> int:
    """Delegate to the spec-diff tool."""
    # The diff tool loads only when asked for; it lands in its own change (mypy cannot see it yet).
    from .diff.cli import main as diff_main  # type: ignore[import-not-found,unused-ignore]

    status: int = diff_main(args.rest)
    return status


def cmd_spec_diff(args: argparse.Namespace) -> int:
    """Run the CI gate over every configured spec."""
    from .gate import run  # loads the diff tool and git helpers only when asked for

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
