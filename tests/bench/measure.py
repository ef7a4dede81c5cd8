"""Timing a fresh process: wall time, CPU time and peak RSS of exactly that process.

These machines are shared and noisy, so absolute times mean little; every row runs ours and the
peer alternately (ABAB...) in one script and takes the median of the rounds' ratios.
``os.wait4`` returns the rusage of the one child it reaps, so peak RSS is per run without a
wrapper process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def child_environment() -> dict[str, str]:
    """This environment with Python's default bytecode caching, as a user's shell has it.

    A session that sets PYTHONDONTWRITEBYTECODE would make every child compile our
    (editable, source-tree) modules from source on each run, while the peer's installed
    modules come precompiled: an unequal start that no user would see.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion; its own wall time, CPU time and peak RSS."""
    env = child_environment() if env is None else env
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace")
    out_path.unlink()
    err_path.unlink()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, child.returncode, stdout, stderr)


def interleave(
    rounds: int, ours: Callable[[], float], peer: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Alternate ours and the peer, ``rounds`` times each (ABAB...); both lists of results."""
    mine: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        # Swap who goes first every round, so neither always meets a warm cache.
        pair = (ours, peer) if index % 2 == 0 else (peer, ours)
        first, second = pair[0](), pair[1]()
        mine.append(first if index % 2 == 0 else second)
        theirs.append(second if index % 2 == 0 else first)
    return mine, theirs


def median(values: Sequence[float]) -> float:
    """The median (nan for no values)."""
    return statistics.median(values) if values else float("nan")


def paired_ratio(mine: Sequence[float], theirs: Sequence[float]) -> float:
    """The median of round-by-round ratios (ours / peer), the estimator of every ratio row.

    Each round runs the two sides back to back (:func:`interleave`), so a slow spell of this
    shared machine that lasts a round slows both sides of it, and its ratio barely moves;
    a ratio of medians lets a spell that hits one side's batches more often move the row by
    20 %. The medians of each side are still what the table shows.
    """
    return median([a / b for a, b in zip(mine, theirs, strict=True)])
