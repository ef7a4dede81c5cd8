"""A row of the results table: a figure, its peer, the target, and whether it was met."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measured figure, ready to print."""

    figure: str
    peer: str
    ours: str
    theirs: str
    ratio: str
    target: str
    met: bool
    note: str = ""


def seconds(value: float) -> str:
    """A duration for the table."""
    if math.isnan(value):  # nothing was measured
        return "n/a"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table (what the README shows)."""
    lines = [
        "| figure | ours (median) | peer | peer (median) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row.figure, row.ours, row.peer, row.theirs, row.ratio, row.target]
        cells.append("yes" if row.met else "**NO**")
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row.figure}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"
