"""`make bench`: every performance figure next to its peer, as a table; exit 1 on a miss.

```
python tests/bench/run.py [--quick] [--results tests/bench/RESULTS.md]
```
Each row interleaves ours and the peer in this one run and compares medians (these machines are
shared: only ratios measured side by side mean anything). The table is printed and written to
RESULTS.md with the machine it ran on; the exit code is 1 when any target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import calls, cli, generation, startup, submit
from tests.bench.generation import ROOT
from tests.bench.rows import Row, table


def measure(quick: bool) -> list[Row]:
    """Every row; ``quick`` takes fewer rounds (for trying, not for the README)."""
    many, few = (5, 3) if quick else (9, 5)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        rows.append(_step(lambda: generation.regenerate_row(Path(scratch), many)))
        rows.extend(_steps(lambda: generation.openai_row(Path(scratch), 1 if quick else 2)))
        rows.append(_step(lambda: generation.corpus_row(Path(scratch), 1 if quick else 2)))
        rows.append(_step(lambda: calls.sync_overhead_row(7 * many, 200)))
        rows.append(_step(lambda: calls.async_overhead_row(7 * many, 200)))
        rows.append(_step(lambda: calls.page_row(3 * many)))
        rows.append(_step(lambda: startup.import_row(3 * many)))
        rows.extend(_steps(lambda: cli.cli_rows(3 * many)))
        rows.extend(_steps(lambda: submit.submit_rows(few)))
        rows.append(_step(lambda: startup.diff_row(Path(scratch), few)))
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
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = parser.parse_args(argv)
    # Bytecode for our own source-tree packages, as an installed package has it from pip.
    for package in ("generator", "generated"):
        compileall.compile_dir(ROOT / package, quiet=1)
    rows = measure(args.quick)
    text = table(rows)
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    header = f"Measured {when} on {machine()} by `make bench`.\n\n"
    print(header + text)
    args.results.write_text("# Benchmark results\n\n" + header + text, "utf-8")
    missed = [row.figure for row in rows if not row.met]
    print(f"{len(rows) - len(missed)} of {len(rows)} targets met", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
