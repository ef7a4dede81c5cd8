"""Writing JUnit XML: exact bytes, escaped text, valid against junit-10.xsd, read back whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xmlschema

from generator.runtime.junit.read import (
    JUnitCase,
    JUnitResult,
    JUnitSuite,
    read_cases,
)
from generator.runtime.junit.write import write_junit

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).with_name("junit-10.xsd")))
FIXTURES = Path(__file__).parent / "fixtures"

DASHBOARD = "https://app.example.test/batches/42?tab=runs&view=all"
GROUPS = [
    (
        JUnitSuite("Login flows", properties=(("dashboard", DASHBOARD),), system_out="batch 42"),
        [
            JUnitCase("logs in", classname="Login flows", time=12.5),
            JUnitCase(
                "rejects a bad password",
                classname="Login flows",
                time=3.25,
                results=(
                    JUnitResult("failure", "Expected <error> banner", "failed", "step 3 of 5"),
                ),
                system_out="tapped 'Sign in'",
            ),
        ],
    ),
    (
        JUnitSuite("Checkout"),
        [
            JUnitCase("pays", time=None, results=(JUnitResult("error", "device lost"),)),
            JUnitCase("refunds", results=(JUnitResult("skipped", "not on this plan"),)),
        ],
    ),
]

EXPECTED = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Autosana batch 42">
  <testsuite name="Login flows" tests="2" failures="1" errors="0" skipped="0" time="15.750">
    <properties>
      <property name="dashboard" value="{DASHBOARD.replace("&", "&amp;")}"/>
    </properties>
    <testcase name="logs in" classname="Login flows" time="12.500"/>
    <testcase name="rejects a bad password" classname="Login flows" time="3.250">
      <failure message="Expected &lt;error&gt; banner" type="failed">step 3 of 5</failure>
      <system-out>tapped 'Sign in'</system-out>
    </testcase>
    <system-out>batch 42</system-out>
  </testsuite>
  <testsuite name="Checkout" tests="2" failures="0" errors="1" skipped="1">
    <testcase name="pays">
      <error message="device lost"/>
    </testcase>
    <testcase name="refunds">
      <skipped message="not on this plan"/>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_exact_text() -> None:
    assert write_junit(GROUPS, name="Autosana batch 42") == EXPECTED


def test_valid_against_junit_10_xsd() -> None:
    text = write_junit(GROUPS, name="batch")
    assert text is not None
    SCHEMA.validate(text)


def test_streams_to_a_file_with_the_same_bytes(tmp_path: Path) -> None:
    target = tmp_path / "junit.xml"
    with target.open("w", encoding="utf-8", newline="\n") as out:
        assert write_junit(iter(GROUPS), out, name="Autosana batch 42") is None
    assert target.read_text("utf-8") == EXPECTED


def test_read_back_gives_the_cases_written(tmp_path: Path) -> None:
    target = tmp_path / "junit.xml"
    target.write_text(write_junit(GROUPS) or "", "utf-8")
    reader = read_cases([target])
    back = list(reader)
    written = [case for _, cases in GROUPS for case in cases]
    assert [(c.name, c.classname, c.time, c.results, c.system_out) for c in back] == [
        (c.name, c.classname, c.time, c.results, c.system_out) for c in written
    ]
    assert [c.suite_path for c in back] == [("Login flows",)] * 2 + [("Checkout",)] * 2
    assert reader.suites[0].properties == (("dashboard", DASHBOARD),)


HOSTILE_TEXT = 'a\x00b\x1b[31mred\x1b[0m\x7f\ud800 "quoted" <tag> & ]]> \r\n\ttab \ufffe'


def test_every_text_is_escaped_and_forbidden_characters_replaced(tmp_path: Path) -> None:
    case = JUnitCase(
        HOSTILE_TEXT,
        classname=HOSTILE_TEXT,
        results=(JUnitResult("failure", HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT),),
        system_out=HOSTILE_TEXT,
        system_err=HOSTILE_TEXT,
    )
    suite = JUnitSuite(HOSTILE_TEXT, properties=((HOSTILE_TEXT, HOSTILE_TEXT),))
    text = write_junit([(suite, [case])], name=HOSTILE_TEXT) or ""
    SCHEMA.validate(text)
    target = tmp_path / "junit.xml"
    target.write_bytes(text.encode("utf-8"))
    (back,) = read_cases([target])
    cleaned = 'a\ufffdb\ufffd[31mred\ufffd[0m\x7f\ufffd "quoted" <tag> & ]]> \r\n\ttab \ufffd'
    assert back.name == back.classname == back.message == back.text == cleaned
    assert back.system_out == back.system_err == back.results[0].type == cleaned


@pytest.mark.parametrize(
    "name",
    ["pytest-xunit1.xml", "surefire-junit5.xml", "jest-junit.xml", "go-junit-report.xml"],
)
def test_rewriting_what_runners_wrote_is_valid_and_loses_no_result(name: str) -> None:
    reader = read_cases([FIXTURES / name])
    cases = list(reader)
    text = write_junit([(JUnitSuite(name), cases)]) or ""
    SCHEMA.validate(text)
    assert f'tests="{len(cases)}"' in text
    assert text.count("<failure") == sum(c.status == "failure" for c in cases)


def test_empty_and_unnamed() -> None:
    text = write_junit([])
    assert text == '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n</testsuites>\n'
    SCHEMA.validate(text)
    buffer = io.StringIO()
    write_junit([(JUnitSuite("empty"), [])], buffer)
    SCHEMA.validate(buffer.getvalue())
