"""Submitting 10,000 JUnit test cases to Testmo: our command against Testmo's own CLI.

Both sides submit the same report to a fresh recording Testmo over TLS on loopback, alternately
(tests/testmo_cli/measure.py); each round is one fresh process per side, timed on the wall
clock with its peak resident memory read from GNU time. A side that lands fewer tests, or
sends more requests, fails the row whatever its speed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.junit.reports import write_big_report
from tests.testmo_cli.fixtures import CLI, make_certificate
from tests.testmo_cli.measure import GNU_TIME, Measured, measure, ours, vendor

from .measure import interleave, median, paired_ratio
from .rows import Row, seconds

CASES = 10_000
PEER = "Testmo CLI 1.4.5 (`testmo automation:run:submit`)"


def submit_rows(rounds: int) -> list[Row]:
    """Time and peak memory of one submit of 10,000 cases, ours against Testmo's CLI."""
    figure = f"`automation-runs submit` of {CASES:,} JUnit test cases"
    missing = _missing()
    if missing:
        return [_missing_row(figure + f" ({what})", missing) for what in ("time", "peak memory")]
    runs: dict[str, list[Measured]] = {"ours": [], "peer": []}
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as folder:
        tls = make_certificate(Path(folder))
        report = Path(folder) / "report.xml"
        write_big_report(report, CASES)

        def side(name: str) -> float:
            got = measure(report, tls, ours if name == "ours" else vendor)
            runs[name].append(got)
            return got.wall

        interleave(rounds, lambda: side("ours"), lambda: side("peer"))
    mine, theirs = runs["ours"], runs["peer"]
    same = all(
        m.landed == CASES and m.requests <= t.requests for m, t in zip(mine, theirs, strict=True)
    )
    note = (
        f"both land {CASES:,} tests; ours in {mine[0].requests} requests, the CLI's in"
        f" {theirs[0].requests}"
        if same
        else "ours landed fewer tests or sent more requests than the CLI"
    )
    figures: tuple[tuple[str, Callable[[Measured], float], Callable[[float], str]], ...] = (
        ("time", lambda m: m.wall, seconds),
        ("peak memory", lambda m: m.peak, lambda v: f"{v:.0f} MiB"),
    )
    rows = []
    for what, get, show in figures:
        ratio = paired_ratio([get(m) for m in mine], [get(t) for t in theirs])
        rows.append(
            Row(
                figure=f"{figure} ({what})",
                peer=PEER,
                ours=show(median([get(m) for m in mine])),
                theirs=show(median([get(t) for t in theirs])),
                ratio=f"{ratio:.2f}x",
                target="<= 1.00x",
                met=same and ratio <= 1.0,
                note=note if what == "time" else "peak resident set size (GNU time)",
            )
        )
    return rows


def _missing() -> str:
    if not CLI.exists():
        return "Testmo's CLI is not installed (`make node_modules`)"
    for tool in ("node", "openssl", GNU_TIME):
        if shutil.which(tool) is None:
            return f"{tool} is not on this machine"
    return ""


def _missing_row(figure: str, why: str) -> Row:
    nan = float("nan")
    return Row(figure, PEER, seconds(nan), seconds(nan), "n/a", "<= 1.00x", False, why)
