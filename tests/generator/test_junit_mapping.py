"""``x-polling`` ``junit`` in a spec: each mistake is a located problem, never a traceback."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from generator.load.document import parse
from generator.validate.openapi import validate
from tests.specs import ROOT

SPEC = yaml.safe_load((ROOT / "specs" / "autosana.yaml").read_text("utf-8"))
AT = "#/paths/~1api~1v1~1runs~1status/get/x-polling/junit"


def _problems(change: dict[str, Any]) -> list[str]:
    spec = copy.deepcopy(SPEC)
    junit = spec["paths"]["/api/v1/runs/status"]["get"]["x-polling"]["junit"]
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(junit.get(key), dict):
            junit[key] = {**junit[key], **value}
        else:
            junit[key] = value
    doc = parse(yaml.safe_dump(spec), "autosana.yaml")
    return [f"{d.pointer}: {d.message}" for d in validate(doc) if d.severity == "error"]


def test_the_autosana_declaration_is_clean() -> None:
    assert _problems({}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"groups": "groups"}, f"{AT}/groups: 'groups': 'groups' is not a property of the answer"),
        (
            {"group": {"url": "link"}},
            f"{AT}/group/url: 'run_groups.link': 'link' is not a property of the answer",
        ),
        (
            {"case": {"message": "issues"}},
            f"{AT}/case/message: 'run_groups.runs.issues': 'issues' is not a property",
        ),
        (
            {"case": {"time": {"duration": "seconds"}}},
            f"{AT}/case/time/duration: 'run_groups.runs.seconds': 'seconds' is not a property",
        ),
        ({"case": {"time": {"started": "a"}}}, f"{AT}/case/time: x-polling: give exactly one of"),
        (
            {"statuses": {"passed": ["passed"], "skipped": ["passed"]}},
            f"{AT}/statuses/skipped: status 'passed' is listed under 'passed' and 'skipped'",
        ),
        ({"statuses": {"green": ["passed"]}}, f"{AT}/statuses: x-polling: Additional properties"),
        ({"cases": 3}, f"{AT}/cases: x-polling: 3 is not of type 'string'"),
    ],
)
def test_a_mistake_is_located(change: dict[str, Any], expected: str) -> None:
    problems = _problems(change)
    assert any(p.startswith(expected) for p in problems), problems
