"""Schemas whose plain translation mypy --strict rejects, as real specs write them.

A default the field's class must hold (a root model, an enum), a ``const`` beside a bounded
integer with a default, a nullable bounded integer narrowed by an ``allOf`` and inherited twice,
and a ``required`` beside a ``$ref`` whose base types the property as a discriminator's literal.
Each must come out typed for mypy and behave the same at run time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generator.util import generate, mypy_strict, run_python, write_spec

_REF = "#/components/schemas/"
_BOUNDED = {"type": "integer", "minimum": 0, "maximum": 20}


def _spec() -> dict[str, object]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "typing", "version": "1"},
        "paths": {
            "/runs": {
                "post": {
                    "operationId": "create_run",
                    "tags": ["runs"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": _REF + "Run"}}},
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Parallel": {"type": "boolean", "default": True},
                "Voice": {"anyOf": [{"type": "string"}, {"enum": ["alloy", "echo"]}]},
                "Colour": {"type": "string", "enum": ["red", "blue"]},
                "Run": {
                    "type": "object",
                    "properties": {
                        "parallel": {"$ref": _REF + "Parallel"},
                        "voice": {"$ref": _REF + "Voice", "default": "alloy"},
                        "batch_size": {
                            "default": "auto",
                            "anyOf": [
                                {"type": "string", "const": "auto"},
                                {"type": "integer", "minimum": 1, "maximum": 256},
                            ],
                        },
                        "epochs": {
                            "default": "auto",
                            "anyOf": [
                                {"type": "string", "enum": ["auto"]},
                                {"type": "integer", "minimum": 1},
                            ],
                        },
                    },
                },
                "Props": {
                    "type": "object",
                    "properties": {"top": {"anyOf": [_BOUNDED, {"type": "null"}]}},
                },
                "CreateProps": {
                    "allOf": [
                        {"$ref": _REF + "Props"},
                        {"type": "object", "properties": {"top": _BOUNDED}},
                    ]
                },
                "CreateRequest": {
                    "allOf": [
                        {"$ref": _REF + "CreateProps"},
                        {
                            "type": "object",
                            "properties": {"top": {**_BOUNDED, "type": ["integer", "null"]}},
                        },
                    ]
                },
                "Assistant": {
                    "type": "object",
                    "required": ["role"],
                    "properties": {"role": {"type": "string", "enum": ["assistant"]}},
                },
                "User": {
                    "type": "object",
                    "required": ["role"],
                    "properties": {"role": {"type": "string", "enum": ["user"]}},
                },
                "Message": {
                    "oneOf": [{"$ref": _REF + "Assistant"}, {"$ref": _REF + "User"}],
                    "discriminator": {"propertyName": "role"},
                },
                "Level": {"type": "integer", "enum": [1, 2, 3]},
                "Shade": {"type": ["string", "null"], "enum": ["light", "dark", None]},
                "ColourAlias": {"$ref": _REF + "Colour"},
                "Palette": {
                    "type": "object",
                    "required": ["shade"],
                    "properties": {
                        "colours": {"type": "array", "items": {"$ref": _REF + "Colour"}},
                        "by_name": {
                            "type": "object",
                            "additionalProperties": {"$ref": _REF + "Colour"},
                        },
                        "shade": {"$ref": _REF + "Shade"},
                        "level": {"$ref": _REF + "Level", "default": 2},
                        # A non-ASCII wire name on the line whose default is rewritten.
                        "\u00e9clat": {"type": "string", "enum": ["mat", "vif"], "default": "vif"},
                    },
                },
                "WeightedAssistant": {
                    "allOf": [
                        {"type": "object", "properties": {"weight": {"type": "integer"}}},
                        {"$ref": _REF + "Assistant"},
                    ],
                    "required": ["role"],
                },
            }
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typing")
    generate(write_spec(_spec(), root), root, "typing_pkg")
    return root


def test_model_typing_passes_mypy_strict(package: Path) -> None:
    run = mypy_strict([package / "typing_pkg"], package)
    assert run.returncode == 0, run.stdout[-4000:]


_RUNTIME = """
import typing_pkg.models as m
run = m.Run()
assert run.parallel is True, repr(run.parallel)  # a reference to a scalar is the scalar
assert isinstance(run.voice, m.Voice) and run.voice.root == "alloy", repr(run.voice)
assert run.batch_size == "auto" and run.epochs == "auto", (run.batch_size, run.epochs)
assert run.model_dump(mode="json") == {
    "parallel": True, "voice": "alloy", "batch_size": "auto", "epochs": "auto"
}, run.model_dump(mode="json")
assert m.Run.model_validate({"batch_size": 8}).model_dump(mode="json")["batch_size"] == 8
for bad in (0, 300):
    try:
        m.Run.model_validate({"batch_size": bad})
    except ValueError:
        pass
    else:
        raise AssertionError(f"batch_size={bad} was accepted")
assert m.Run().voice is not m.Run().voice  # each instance has its own default
assert m.CreateRequest(top=3).top == 3
try:
    m.CreateRequest(top=21)
except ValueError:
    pass
else:
    raise AssertionError("top=21 was accepted")
assert m.WeightedAssistant(role="assistant", weight=1).role == "assistant"
print("ok")
"""


def test_defaults_and_narrowed_fields_behave_at_run_time(package: Path) -> None:
    run = run_python(_RUNTIME, package)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_union_branches_and_defaults_are_written_where_they_belong(package: Path) -> None:
    source = (package / "typing_pkg" / "models.py").read_text("utf-8")
    # the const branch stays in the field's type; the bounded branch holds no default
    assert 'batch_size: Annotated[Literal["auto"] | RunBatchSizeOption2' in source
    assert "root: Annotated[int, Field(ge=1, le=256)]\n" in source
    assert "parallel: bool = True\n" in source  # the referenced scalar, with its default
    # a nullable bounded integer is one annotated int, so both bases agree on it
    # (Props, CreateProps, and the inline parts of CreateProps and CreateRequest)
    assert source.count("top: Annotated[int | None, Field(ge=0, le=20)] = None") == 4
    assert 'role: Literal["assistant"]' in source.split("class WeightedAssistant(")[1]


def test_every_reference_to_an_enum_also_takes_its_base_type(package: Path) -> None:
    source = (package / "typing_pkg" / "models.py").read_text("utf-8")
    palette = source.split("class Palette(")[1].split("\n\n\n")[0]
    assert "colours: list[Colour | str] | None = None" in palette
    assert "by_name: dict[str, Colour | str] | None = None" in palette
    assert "shade: Shade | str | None\n" in palette  # a nullable enum: once None, required
    assert "level: Level | int = 2" in palette
    assert 'éclat: PaletteEclat | str = "vif"' in palette  # offsets on a non-ASCII line
    assert "class ColourAlias(RootModel[Colour | str]):\n    root: Colour | str\n" in source
    assert "None" not in source.split("class Shade(")[1].split("\n\n\n")[0]


_OPEN_ENUMS = """
import typing_pkg.models as m
p = m.Palette(shade=None, colours=["red", "purple"], by_name={"a": "blue"})
assert p.colours == [m.Colour.RED, "purple"] and p.by_name == {"a": m.Colour.BLUE}, p
assert m.Palette.model_validate({"shade": "dim", "level": 7}).level == 7
assert m.Palette.model_validate({"shade": "dark"}).shade == m.Shade.DARK
print("ok")
"""


def test_enum_references_accept_unknown_values_at_run_time(package: Path) -> None:
    run = run_python(_OPEN_ENUMS, package)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_bases_come_before_the_components_that_extend_them() -> None:
    from generator.models.hierarchy import bases_first

    ref = {"$ref": _REF + "Base"}
    schemas = {
        "Child": {"allOf": [ref, {"type": "object"}]},
        "Other": {"type": "string"},
        # reached through a property's allOf, and a cycle that must not hang
        "Deep": {"properties": {"x": {"allOf": [{"$ref": _REF + "Child"}]}}},
        "Base": {"allOf": [{"$ref": _REF + "Root"}]},
        "Root": {"allOf": [{"$ref": _REF + "Base"}]},
    }
    ordered = bases_first(schemas)
    assert list(ordered) == ["Root", "Base", "Child", "Other", "Deep"]
    assert all(ordered[name] is schemas[name] for name in schemas)
    plain = {"B": {"type": "object"}, "A": {"type": "object"}}
    assert list(bases_first(plain)) == ["B", "A"]  # nothing to reorder: order kept
