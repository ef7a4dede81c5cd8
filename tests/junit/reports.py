"""Large JUnit reports made on the fly, for the memory test and the measurements."""

from __future__ import annotations

from pathlib import Path


def write_big_report(path: Path, cases: int) -> None:
    """A report of ``cases`` cases with output and failures, written in a stream."""
    with path.open("w") as out:
        out.write('<testsuites><testsuite name="big">\n')
        for i in range(cases):
            out.write(
                f'<testcase classname="pkg.mod{i % 50}" name="test_{i}" time="0,01">'
                f'<failure message="m{i}">trace line\ntrace line</failure>'
                f"<system-out>output of {i} {'x' * 200}</system-out></testcase>\n"
            )
        out.write("</testsuite></testsuites>\n")
