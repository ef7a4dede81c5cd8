"""Time and peak memory of a submit of a large JUnit report to the recording server.

Testmo's CLI sets the figure our submit command is to meet; ``make bench`` compares the two
(tests/bench/submit.py). Run from the repository root: ``.venv/bin/python -m
tests.testmo_cli.measure [CASES]`` (10,000 by default) to see both; it needs openssl, node, GNU
time (``/usr/bin/time``) and ``make node_modules``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.junit.reports import write_big_report
from tests.specs import ROOT
from tests.testmo_cli.fixtures import CLI, Certificate, VendorCli, make_certificate
from tests.testmo_cli.server import RecordingTestmo

GNU_TIME = "/usr/bin/time"
# The command of one side, given the server and the certificate it serves.
Side = Callable[[RecordingTestmo, Certificate, Path], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Measured:
    """One submit: wall seconds, peak RSS in MiB, the tests that landed, the requests sent."""

    wall: float
    peak: float
    landed: int
    requests: int


def vendor(
    server: RecordingTestmo, tls: Certificate, report: Path
) -> tuple[list[str], dict[str, str]]:
    """``testmo automation:run:submit`` of ``report``."""
    command = ["node", str(CLI), "automation:run:submit", "--no-ansi",
               "--instance", server.instance, "--project-id", "1", "--name", "bench",
               "--source", "backend", "--results", str(report)]  # fmt: skip
    return command, VendorCli(server, tls).env()


def ours(
    server: RecordingTestmo, tls: Certificate, report: Path
) -> tuple[list[str], dict[str, str]]:
    """``python -m generated.testmo automation-runs submit`` of ``report``."""
    command = [sys.executable, "-m", "generated.testmo", "--base-url", server.base_url,
               "automation-runs", "submit", "--project-id", "1", "--name", "bench", "--source", "backend",
               "--results", str(report)]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(TESTMO_API_KEY="bench-token", SSL_CERT_FILE=str(tls.cert))
    return command, env


def measure(report: Path, tls: Certificate, side: Side) -> Measured:
    """One submit of ``report`` by ``side`` to a fresh recording server."""
    with RecordingTestmo(tls=tls.server_context()) as server:
        command, env = side(server, tls, report)
        start = time.perf_counter()
        done = subprocess.run(
            [GNU_TIME, "-v", *command],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{command[:4]!r} failed: {done.stdout}{done.stderr}")
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if peak is None:
            raise RuntimeError(f"GNU time printed no peak: {done.stderr}")
        landed = len(server.appended_tests())
        return Measured(wall, int(peak.group(1)) / 1024, landed, len(server.requests))


def main() -> None:
    """Print three runs' figures of each side."""
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tls = make_certificate(Path(folder))
        report = Path(folder) / "report.xml"
        write_big_report(report, cases)
        for run in range(3):
            for name, side in (("Testmo CLI", vendor), ("ours", ours)):
                got = measure(report, tls, side)
                print(f"run {run + 1} {name}: {got.landed} tests in {got.requests} requests,"
                      f" {got.wall:.2f} s, peak RSS {got.peak:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
