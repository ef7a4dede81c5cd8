"""Time and peak memory of Testmo's CLI submitting a large JUnit report to the recording server.

The figure our submit command is to meet (``make bench`` compares the two). Run from the
repository root: ``.venv/bin/python -m tests.testmo_cli.measure [CASES]`` (10,000 by default);
it needs openssl, node, GNU time (``/usr/bin/time``) and ``make node_modules``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.junit.reports import write_big_report
from tests.testmo_cli.fixtures import CLI, Certificate, VendorCli, make_certificate
from tests.testmo_cli.server import RecordingTestmo

GNU_TIME = "/usr/bin/time"


def measure(report: Path, tls: Certificate) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and tests landed for one submit of ``report``."""
    with RecordingTestmo(tls=tls.server_context()) as server:
        cli = VendorCli(server, tls)
        command = [GNU_TIME, "-v", "node", str(CLI), "automation:run:submit", "--no-ansi",
                   "--instance", server.instance, "--project-id", "1", "--name", "bench",
                   "--source", "backend", "--results", str(report)]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(command, env=cli.env(), capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        assert peak is not None, done.stderr
        return wall, int(peak.group(1)) / 1024, len(server.appended_tests())


def main() -> None:
    """Print three runs' figures."""
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tls = make_certificate(Path(folder))
        report = Path(folder) / "report.xml"
        write_big_report(report, cases)
        for run in range(3):
            wall, peak, landed = measure(report, tls)
            print(f"run {run + 1}: {landed} tests, {wall:.2f} s, peak RSS {peak:.1f} MiB")


if __name__ == "__main__":
    main()
