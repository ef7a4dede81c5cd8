"""JUnit XML out: the records of :mod:`.records` written as CI test views read them.

Writing is exact: deterministic bytes (a fixed attribute order, no timestamps), every text
escaped, characters XML 1.0 forbids replaced, and valid against the Jenkins xunit plugin's
``junit-10.xsd``, the schema CI test views read. Standard library only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from io import StringIO
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from .records import JUnitCase, JUnitResult, JUnitSuite

__all__ = ["write_junit"]

# Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF): a test's output may hold any of them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_junit(
    suites: Iterable[tuple[JUnitSuite, Sequence[JUnitCase]]],
    out: TextIO | None = None,
    *,
    name: str | None = None,
) -> str | None:
    """Write suites of cases as one JUnit XML document; return it when ``out`` is None.

    One ``<testsuite>`` per pair, streamed to ``out`` suite by suite (each suite's counts
    come first, so its cases are a sequence). ``junit-10.xsd`` gives a case no ``file``,
    ``line`` or properties, so those are not written; a suite's properties (a dashboard URL)
    and output are. Attribute order is fixed and no timestamp is added: equal input gives
    equal bytes.
    """
    sink = StringIO() if out is None else out
    sink.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    sink.write(f"<testsuites{_attrs(name=name)}>\n")
    for suite, cases in suites:
        _write_suite(sink, suite, cases)
    sink.write("</testsuites>\n")
    return sink.getvalue() if isinstance(sink, StringIO) and out is None else None


def _write_suite(out: TextIO, suite: JUnitSuite, cases: Sequence[JUnitCase]) -> None:
    counts = {k: sum(c.status == k for c in cases) for k in ("failure", "error", "skipped")}
    times = [c.time for c in cases if c.time is not None]
    total = suite.time if suite.time is not None else (sum(times) if times else None)
    head = _attrs(
        name=suite.name,
        tests=str(len(cases)),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time=_time(total),
    )
    out.write(f"  <testsuite{head}>\n")
    if suite.properties:
        out.write("    <properties>\n")
        for key, value in suite.properties:
            out.write(f"      <property{_attrs(name=key, value=value)}/>\n")
        out.write("    </properties>\n")
    for case in cases:
        _write_case(out, case)
    _write_texts(out, "    ", suite.system_out, suite.system_err)
    out.write("  </testsuite>\n")


def _write_case(out: TextIO, case: JUnitCase) -> None:
    head = _attrs(name=case.name, classname=case.classname, time=_time(case.time))
    inner = [_result(r) for r in case.results]
    if not inner and case.system_out is None and case.system_err is None:
        out.write(f"    <testcase{head}/>\n")
        return
    out.write(f"    <testcase{head}>\n")
    out.writelines(f"      {text}\n" for text in inner)
    _write_texts(out, "      ", case.system_out, case.system_err)
    out.write("    </testcase>\n")


def _result(result: JUnitResult) -> str:
    head = _attrs(message=result.message, type=result.type)
    if result.text is None:
        return f"<{result.kind}{head}/>"
    return f"<{result.kind}{head}>{_text(result.text)}</{result.kind}>"


def _write_texts(out: TextIO, indent: str, stdout: str | None, stderr: str | None) -> None:
    for tag, text in (("system-out", stdout), ("system-err", stderr)):
        if text is not None:
            out.write(f"{indent}<{tag}>{_text(text)}</{tag}>\n")


def _attrs(**values: str | None) -> str:
    # quoteattr writes tab, CR and LF as character references, so they survive the
    # whitespace normalisation a reader applies to attribute values.
    return "".join(
        f" {key}={quoteattr(_clean(value))}" for key, value in values.items() if value is not None
    )


def _text(value: str) -> str:
    return escape(_clean(value), {"\r": "&#13;"})


def _clean(value: str) -> str:
    return _FORBIDDEN.sub("\ufffd", value)


def _time(seconds: float | None) -> str | None:
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return f"{seconds:.3f}"
