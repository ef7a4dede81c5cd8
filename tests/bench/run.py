"""`make bench`: every performance figure next to its peer, as a table; exit 1 on a miss.

```
python tests/bench/run.py [--quick] [--only WORD] [--results tests/bench/RESULTS.md]
```
Each row interleaves ours and the peer in this one run and compares medians (these machines are
shared: only ratios measured side by side mean anything). The table is printed and written to
RESULTS.md with the machine it ran on; the exit code is 1 when any target is missed.
``--only WORD`` measures only the rows whose figure contains WORD (any case), to re-measure one
row without the whole bench; it prints the table and leaves RESULTS.md as it is.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import calls, cli, download, generation, startup, submit
from tests.bench.generation import ROOT
from tests.bench.rows import Row, table

# Each step of the bench: the figure of each row it measures (to pick with --only; counts the
# row computes are left out), and how to measure them with (quick, scratch folder).
_OPENAI_FIGURES = ("time", "peak RSS", "operations dropped")
Step = tuple[tuple[str, ...], Callable[[bool, Path], list[Row]]]


def _steps_of() -> list[Step]:
    def rounds(quick: bool) -> tuple[int, int]:
        return (5, 3) if quick else (9, 5)

    return [
        (
            (
                "generate the four specs (fresh process: load, validate, models, render, format, write)",
            ),
            lambda q, s: [generation.regenerate_row(s, rounds(q)[0])],
        ),
        (
            tuple(f"generate the OpenAI document: {what}" for what in _OPENAI_FIGURES),
            lambda q, s: generation.openai_row(s, 1 if q else 2),
        ),
        (
            ("generate the real-world corpus",),
            lambda q, s: [generation.corpus_row(s, 1 if q else 2)],
        ),
        (
            ("one generated sync call (MockTransport, small JSON body)",),
            lambda q, s: [calls.sync_overhead_row(7 * rounds(q)[0], 200)],
        ),
        (
            ("one generated async call (MockTransport, small JSON body)",),
            lambda q, s: [calls.async_overhead_row(7 * rounds(q)[0], 200)],
        ),
        (
            ("parse a 2,000-run Testmo page through the client",),
            lambda q, s: [calls.page_row(3 * rounds(q)[0])],
        ),
        (
            ("`import generated.testmo` in a fresh interpreter",),
            lambda q, s: [startup.import_row(3 * rounds(q)[0])],
        ),
        (
            ("first call of the OpenAI document's package: import + first resource",),
            lambda q, s: [startup.first_call_row(s, rounds(q)[1])],
        ),
        (
            (
                "`python -m generated.testmo --help`",
                "`python -m generated.testmo automation-runs get 1` against a loopback server",
            ),
            lambda q, s: cli.cli_rows(3 * rounds(q)[0]),
        ),
        (
            (f"`automation-runs submit` of {submit.CASES:,} JUnit test cases",),
            lambda q, s: submit.submit_rows(rounds(q)[1]),
        ),
        (
            (download.FIGURE,),
            lambda q, s: [download.download_row(s, rounds(q)[1])],
        ),
        (
            ("spec diff: OpenAI document against a copy with 20 injected changes",),
            lambda q, s: [startup.diff_row(s, rounds(q)[1])],
        ),
    ]


def measure(quick: bool, only: str | None = None) -> list[Row]:
    """Every row, or with ``only`` the rows whose figure contains it; ``quick`` takes fewer
    rounds (for trying, not for the README)."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for figures, measure_rows in _steps_of():
            if only is None or any(only.lower() in figure.lower() for figure in figures):
                rows.extend(_steps(functools.partial(measure_rows, quick, Path(scratch))))
    if only is not None:  # of a step's rows, the ones asked for
        rows = [row for row in rows if only.lower() in row.figure.lower()] or rows
    return rows


def _step(measure_row: Callable[[], Row]) -> Row:
    return _steps(lambda: [measure_row()])[0]


def _steps(measure_rows: Callable[[], list[Row]]) -> list[Row]:
    print(f"  measuring ... ({dt.datetime.now(dt.UTC):%H:%M:%S})", file=sys.stderr)
    return measure_rows()


def machine() -> str:
    """What the figures were measured on."""
    cpus = os.cpu_count()
    model = _cpu_model()
    return f"{platform.system()} {platform.machine()}, {cpus} CPUs ({model}), Python {platform.python_version()}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text("utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    """Measure, print, write the results file; 1 if any target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument(
        "--only",
        metavar="WORD",
        help="measure only the rows whose figure contains WORD (the results file is left as is)",
    )
    parser.add_argument("--results", type=Path, help="where to write the table (RESULTS.md)")
    args = parser.parse_args(argv)
    # Bytecode for our own source-tree packages, as an installed package has it from pip.
    for package in ("generator", "generated"):
        compileall.compile_dir(ROOT / package, quiet=1)
    rows = measure(args.quick, args.only)
    if not rows:
        print(f"no row's figure contains {args.only!r}", file=sys.stderr)
        return 2
    text = table(rows)
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    header = f"Measured {when} on {machine()} by `make bench`.\n\n"
    print(header + text)
    results = args.results or (None if args.only else Path(__file__).with_name("RESULTS.md"))
    if results is not None:
        history = _history(results)
        results.write_text("# Benchmark results\n\n" + header + text + history, "utf-8")
    missed = [row.figure for row in rows if not row.met]
    print(f"{len(rows) - len(missed)} of {len(rows)} targets met", file=sys.stderr)
    return 1 if missed else 0


HISTORY = "## History of the runs"


def _history(results: Path) -> str:
    """What ``results`` holds from its history section on (kept by every run), else nothing."""
    text = results.read_text("utf-8") if results.is_file() else ""
    start = text.find(HISTORY)
    return "\n" + text[start:] if start >= 0 else ""


if __name__ == "__main__":
    sys.exit(main())
