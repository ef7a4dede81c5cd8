"""Reading JUnit XML as real runners write it, field by field, and refusing hostile files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.runtime.junit.read import MAX_DEPTH, JUnitCase, JUnitError, JUnitResult, read_cases
from tests.junit.reports import write_big_report

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"


def cases_of(name: str) -> list[JUnitCase]:
    """Every case of one fixture file."""
    return list(read_cases([FIXTURES / name]))


def test_pytest_xunit1_writes_file_and_line_and_properties() -> None:
    passes, fails, skipped, errors, xfail, amp, tag = cases_of("pytest-xunit1.xml")
    assert passes.suite_path == ("pytest tests", "backend")
    assert (passes.classname, passes.name) == ("pkg.test_sample.TestLogin", "test_passes")
    assert (passes.file, passes.line, passes.time) == ("pkg/test_sample.py", 6, 0.001)
    assert passes.status == "passed"
    assert passes.properties == (("dashboard", "https://example.test/runs/1"),)
    assert fails.status == "failure"
    assert fails.message == "AssertionError: arithmetic is broken\nassert (1 + 1) == 3"
    assert fails.text is not None and fails.text.endswith("pkg/test_sample.py:14: AssertionError")
    assert fails.text.startswith("self = <test_sample.TestLogin object")
    assert skipped.results == (
        JUnitResult(
            "skipped",
            "no device attached",
            "pytest.skip",
            "/home/ci/project/pkg/test_sample.py:16: no device attached",
        ),
    )
    assert errors.status == "error"
    assert errors.message == 'failed on setup with "RuntimeError: fixture exploded"'
    assert (xfail.status, xfail.message, xfail.text) == ("skipped", "known bug #12", None)
    assert (amp.name, tag.name) == ("test_param[a&b]", "test_param[<tag>]")
    assert all(c.system_out is None and c.system_err is None for c in cases_of("pytest-xunit1.xml"))


def test_pytest_xunit2_keeps_output_apart_and_joins_repeated_output() -> None:
    cases = cases_of("pytest-xunit2.xml")
    passes, fails, skipped = cases[:3]
    assert (passes.file, passes.line) == (None, None)
    assert passes.system_out is not None and "logging in" in passes.system_out
    assert fails.system_err is not None and "warning on stderr" in fails.system_err
    assert fails.system_out is not None and "about to fail" in fails.system_out
    # pytest writes a skipped case's captured output twice; both are kept.
    assert skipped.system_out is not None and skipped.system_out.count("Captured Out") == 2


def test_surefire_times_with_commas_flaky_reruns_and_suite_properties() -> None:
    reader = read_cases([FIXTURES / "surefire-junit5.xml"])
    cases = list(reader)
    by_name = {c.name: c for c in cases}
    assert [c.status for c in cases] == [
        "passed",
        "failure",
        "error",
        "skipped",
        "passed",
        "passed",
    ]
    divide = by_name["dividesByZero"]
    assert divide.time == 0.004  # written "0,004"
    assert divide.results[0].type == "org.opentest4j.AssertionFailedError"
    assert divide.message == "expected: <2> but was: <1>"
    assert divide.system_out == "dividing 2 by 0\n"
    assert by_name["readsConfig"].system_err == "SLF4J: No SLF4J providers were found.\n"
    assert by_name["multipliesLargeNumbers"].message == "Disabled until BigDecimal support lands"
    assert by_name["subtracts()"].classname == "com.example.CalculatorTest$NestedSubtraction"
    # A flaky failure that passed on rerun is not the case's result, nor its output.
    flaky = by_name["retriesFlakyNetwork"]
    assert (flaky.status, flaky.results, flaky.system_out) == ("passed", (), None)
    (suite,) = reader.suites
    assert suite.time == 1234.5  # written "1,234.5"
    assert suite.properties[0] == ("java.version", "17.0.15")
    assert ("line.separator", "\n") in suite.properties
    assert suite.path == ("com.example.CalculatorTest",)


def test_jest_nested_suites_file_missing_times_and_suite_output() -> None:
    reader = read_cases([FIXTURES / "jest-junit.xml"])
    adds, divides, rounds, empty, unicode = list(reader)
    assert adds.suite_path == ("jest tests", "Calculator")
    assert adds.file == "src/__tests__/calculator.test.js"
    assert (divides.status, divides.message) == ("failure", None)
    assert divides.text is not None and divides.text.startswith("Error: expect(received)")
    assert (rounds.status, rounds.message, rounds.text) == ("skipped", None, None)
    assert (empty.time, unicode.time) == (None, None)  # time="" and no time at all
    assert unicode.name == "Login form \u203a validation accepts unicode \u2713 names"
    assert empty.properties == ()  # the suite's properties stay the suite's
    # jest-junit joins describe() names with a single right-pointing angle quotation mark.
    login = next(s for s in reader.suites if s.name == "Login form \u203a validation")
    assert login.properties == (("browser", "jsdom"),)
    assert login.system_out is not None and "rendering <LoginForm/>" in login.system_out
    assert [s.path for s in reader.suites][-1] == ("jest tests",)


def test_go_junit_report_packages_subtests_and_build_errors() -> None:
    cases = cases_of("go-junit-report.xml")
    assert [(c.suite_path, c.name, c.status) for c in cases] == [
        (("example.com/calc",), "TestAdd", "passed"),
        (("example.com/calc",), "TestAdd/negative_numbers", "passed"),
        (("example.com/calc",), "TestDivide", "failure"),
        (("example.com/calc",), "TestSlow", "skipped"),
        (("example.com/calc/parser",), "[build failed]", "error"),
    ]
    assert cases[2].text == "    calc_test.go:20: Divide(2, 0) = 1, want an error"
    assert cases[3].message == "Skipped"
    assert cases[0].time == 0.0


def test_file_written_on_the_suite_is_inherited(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites><testsuite name="a" file="spec/a_spec.rb">'
        '<testsuite name="inner"><testcase name="x"/></testsuite>'
        '<testcase name="y" file="own.rb" line="x7"/></testsuite></testsuites>'
    )
    inner, own = read_cases([report])
    assert (inner.suite_path, inner.file) == (("a", "inner"), "spec/a_spec.rb")
    assert (own.file, own.line) == ("own.rb", None)  # an unreadable line is no line
    assert (own.source, own.source_line) == (str(report), 1)


def test_error_outranks_failure_outranks_skip_and_first_message_wins(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuite name="s"><testcase name="x">'
        '<skipped message="s"/><failure message="f1"/><failure message="f2"/>'
        '</testcase><testcase name="y"><failure message="f"/><error message="e"/></testcase>'
        "</testsuite>"
    )
    x, y = read_cases([report])
    assert (x.status, x.message, len(x.results)) == ("failure", "f1", 3)
    assert (y.status, y.message) == ("error", "e")


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("1,234.5", 1234.5),
        (" 2 ", 2.0),
        ("", None),
        ("abc", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_times(tmp_path: Path, raw: str, seconds: float | None) -> None:
    report = tmp_path / "r.xml"
    report.write_text(f'<testsuite name="s"><testcase name="x" time="{raw}"/></testsuite>')
    (case,) = read_cases([report])
    assert case.time == seconds


def test_globs_expand_recursively_sorted_and_once(tmp_path: Path) -> None:
    for rel in ("b/2.xml", "a/1.xml", "a/deep/3.xml", "a/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f'<testsuite name="{rel}"><testcase name="{rel}"/></testsuite>')
    names = [c.name for c in read_cases([f"{tmp_path}/**/*.xml", tmp_path / "a/1.xml"])]
    assert names == ["a/1.xml", "a/deep/3.xml", "b/2.xml"]


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("billion-laughs.xml", 2, "DOCTYPE is not allowed"),
        ("external-entity.xml", 2, "DOCTYPE is not allowed"),
        ("external-dtd.xml", 2, "DOCTYPE is not allowed"),
        ("truncated.xml", 6, "not well-formed XML (no element found)"),
        ("empty.xml", 1, "not well-formed XML (no element found)"),
        ("not-junit.xml", 2, "not a JUnit report: the root element is <html>"),
    ],
)
def test_hostile_or_broken_files_are_refused_naming_file_and_line(
    name: str, line: int, reason: str
) -> None:
    with pytest.raises(JUnitError) as caught:
        list(read_cases([HOSTILE / name]))
    assert caught.value.path == str(HOSTILE / name)
    assert caught.value.line == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"{HOSTILE / name}, line {line}: ")


def test_absurd_nesting_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "deep.xml"
    report.write_text("<testsuites>" + "<testsuite name='n'>\n" * 10_000)
    with pytest.raises(JUnitError, match=f"nest deeper than {MAX_DEPTH} levels") as caught:
        list(read_cases([report]))
    assert caught.value.line == MAX_DEPTH


def test_missing_file_and_unmatched_pattern_are_errors(tmp_path: Path) -> None:
    with pytest.raises(JUnitError, match="No such file"):
        list(read_cases([tmp_path / "missing.xml"]))
    with pytest.raises(JUnitError, match="no file matches this pattern"):
        list(read_cases([f"{tmp_path}/**/*.xml"]))


def test_ignore_parse_errors_skips_and_reports_every_file() -> None:
    seen: list[JUnitError] = []
    reader = read_cases(
        [HOSTILE / "*.xml", FIXTURES / "go-junit-report.xml"],
        ignore_parse_errors=True,
        on_skip=seen.append,
    )
    cases = list(reader)
    # The go report's five cases and the one complete case before the truncation.
    assert [c.name for c in cases if c.source and "truncated" in c.source] == ["first"]
    assert len(cases) == 6
    assert seen == reader.skipped
    assert sorted(Path(e.path).name for e in reader.skipped) == [
        "billion-laughs.xml",
        "empty.xml",
        "external-dtd.xml",
        "external-entity.xml",
        "not-junit.xml",
        "truncated.xml",
    ]
    truncated = next(e for e in reader.skipped if e.path.endswith("truncated.xml"))
    assert truncated.cases_read == 1


def test_a_report_pytest_writes_now(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\njunit_family = xunit1\nasyncio_default_fixture_loop_scope = function\n"
    )
    (tmp_path / "test_live.py").write_text(
        textwrap.dedent(
            """
            import pytest

            def test_ok():
                print("hello")

            def test_bad():
                assert 2 < 1, "two is not less than one"

            @pytest.mark.skip(reason="later")
            def test_later():
                pass
            """
        )
    )
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=out.xml"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=120,
    )
    ok, bad, later = read_cases([tmp_path / "out.xml"])
    assert [(c.classname, c.name, c.status) for c in (ok, bad, later)] == [
        ("test_live", "test_ok", "passed"),
        ("test_live", "test_bad", "failure"),
        ("test_live", "test_later", "skipped"),
    ]
    # pytest counts lines from 0: `def test_ok` is on line 4 of the file.
    assert (ok.file, ok.line) == ("test_live.py", 3)
    assert ok.time is not None and ok.time >= 0
    assert bad.message is not None and "two is not less than one" in bad.message
    assert later.message == "later"


MEASURE = """
import resource, sys
from generator.runtime.junit.read import read_cases
count = sum(1 for _ in read_cases([sys.argv[1]]))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_kib(report: Path) -> tuple[int, int]:
    """Cases read and peak RSS (KiB) of a fresh interpreter reading ``report``."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(report)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    count, peak = map(int, done.stdout.split())
    return count, peak


def test_100000_cases_take_bounded_memory(tmp_path: Path) -> None:
    small, big = tmp_path / "small.xml", tmp_path / "big.xml"
    write_big_report(small, 1_000)
    write_big_report(big, 100_000)
    small_count, small_peak = peak_rss_kib(small)
    big_count, big_peak = peak_rss_kib(big)
    assert (small_count, big_count) == (1_000, 100_000)
    # Kept cases would cost hundreds of bytes each (tens of MiB for 100,000): allow 8 MiB.
    assert big_peak - small_peak < 8 * 1024, (small_peak, big_peak)
