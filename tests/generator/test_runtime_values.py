"""The runtime's one path reader and one text helper, read the same wherever they are used."""

from __future__ import annotations

import datetime as dt
import enum

import pydantic
import pytest

from generator.runtime._values import dump, lookup, to_text


class Stats(pydantic.BaseModel):
    passed_count: int = pydantic.Field(alias="passedCount")


class Status(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    stats: Stats


class Colour(enum.Enum):
    RED = "red"


def test_a_dotted_path_reads_json_and_every_item_of_a_list() -> None:
    answer = {"runs": [{"id": 1}, {"id": 2}], "stats": {"passed": 3}}
    assert lookup(answer, "stats.passed") == 3
    assert lookup(answer, "runs.id") == [1, 2]
    assert lookup(answer, "") is answer
    assert lookup(answer, "stats.passed.more") is None
    assert lookup(answer, "missing.path") is None
    assert lookup(answer, None) is None


def test_attribute_steps_read_a_model_and_fields_kept_as_received() -> None:
    status = Status.model_validate({"stats": {"passedCount": 4}, "state": "done"})
    assert lookup(status, (("stats", "stats"), ("passed_count", "passedCount"))) == 4
    assert lookup(status, (("state", "state"),)) == "done"
    assert lookup(dump(status), "stats.passedCount") == 4


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (1.5, "1.5"),
        ("x", "x"),
        (Colour.RED, "red"),
        (dt.date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_a_scalar_is_written_one_way(value: object, text: str) -> None:
    assert to_text(value) == text
    assert to_text(value, other="") == text


@pytest.mark.parametrize("value", [None, [1], {"a": 1}, object()])
def test_what_is_no_scalar_is_refused_or_the_fallback(value: object) -> None:
    with pytest.raises(TypeError):
        to_text(value)
    assert to_text(value, other="") == ""
