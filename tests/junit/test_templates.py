"""A submit's argument templates: a placeholder alone keeps its value's type; inside longer
text every value is written, none dropped and none as a Python repr."""

from __future__ import annotations

from generator.runtime.junit.templates import render


def test_a_whole_placeholder_keeps_the_type_and_an_unknown_one_drops_its_key() -> None:
    values = {"run": 7, "tags": ["a", "b"], "ok": True}
    template = {"id": "{run}", "tags": "{tags}", "ok": "{ok}", "gone": "{missing}"}
    assert render(template, values) == {"id": 7, "tags": ["a", "b"], "ok": True}


def test_inside_text_scalars_read_as_text_and_structures_as_json() -> None:
    values = {
        "name": "login",
        "ok": False,
        "tags": ["smoke", "ü"],
        "meta": {"retries": 2},
        "none": None,
    }
    text = render("{name} ok={ok} tags={tags} meta={meta} none={none}.", values)
    assert text == 'login ok=false tags=["smoke","ü"] meta={"retries":2} none=.'
