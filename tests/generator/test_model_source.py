"""``models.py`` as a user reads it: the configuration every model shares said once, by the base
class; a one-line docstring where the spec describes a class or field, none where it does not.

The models keep behaving as before: unknown fields kept, fields filled by name or wire name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.models.shared_config import base_config, shared_config
from tests.generator.util import generate, run_python, write_spec

_REF = "#/components/schemas/"


def _spec() -> dict[str, object]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "source", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "things_create",
                    "tags": ["things"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": _REF + "Thing"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": _REF + "Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "A thing you store.",
                    "required": ["displayName"],
                    "properties": {
                        "displayName": {"type": "string", "description": "What it is called."},
                        "size": {"type": "integer"},
                        "notes": {
                            "type": "string",
                            "description": "Free text.\n\nA second paragraph, kept.",
                        },
                    },
                },
                "Plain": {"type": "object", "properties": {"x": {"type": "string"}}},
                "Child": {"allOf": [{"$ref": _REF + "Plain"}]},
                "Tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Labels of a thing.",
                },
            }
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("source")
    generate(write_spec(_spec(), root), root, "source_pkg")
    return root


def _classes(package: Path) -> dict[str, ast.ClassDef]:
    tree = ast.parse((package / "source_pkg" / "models.py").read_text("utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def test_no_class_repeats_the_configuration_of_the_base_class(package: Path) -> None:
    source = (package / "source_pkg" / "models.py").read_text("utf-8")
    assert "model_config" not in source
    assert "ConfigDict" not in source


def test_a_described_class_or_field_has_a_one_line_docstring(package: Path) -> None:
    source = (package / "source_pkg" / "models.py").read_text("utf-8")
    assert '    """A thing you store."""\n' in source
    assert '    """What it is called."""\n' in source
    assert '    """Labels of a thing."""\n' in source
    # A description of several lines keeps them all, the first beside the opening quotes.
    assert '    """Free text.\n\n    A second paragraph, kept.\n    """\n' in source


def test_an_undescribed_class_or_field_has_no_docstring(package: Path) -> None:
    classes = _classes(package)
    assert ast.get_docstring(classes["Plain"]) is None
    assert ast.get_docstring(classes["Child"]) is None
    thing = classes["Thing"].body
    size = next(i for i, s in enumerate(thing) if "size" in ast.unparse(s))
    assert isinstance(thing[size + 1], ast.AnnAssign)  # the next field, no docstring between


def test_a_root_models_description_is_said_once(package: Path) -> None:
    source = (package / "source_pkg" / "models.py").read_text("utf-8")
    assert source.count("Labels of a thing.") == 1


def test_models_keep_unknown_fields_and_fill_by_name_or_wire_name(package: Path) -> None:
    code = """
from source_pkg.models import Child, Thing
thing = Thing.model_validate({"displayName": "a", "colour": "red"})
assert thing.display_name == "a" and thing.model_extra == {"colour": "red"}, thing
assert Thing(display_name="b").display_name == "b"
assert Child.model_validate({"x": "1", "y": 2}).model_extra == {"y": 2}
assert Thing.model_config["extra"] == "allow" and Thing.model_config["defer_build"]
print("ok")
"""
    run = run_python(code, package)
    assert run.stdout.strip() == "ok", run.stderr


def test_a_class_keeps_the_configuration_it_does_not_share() -> None:
    source = (
        "class A(BaseModel):\n"
        "    model_config = ConfigDict(extra='forbid', populate_by_name=True)\n"
        "    x: int\n"
        "class B(A):\n"
        "    model_config = ConfigDict(extra='allow', populate_by_name=True)\n"
        "class C(B):\n"
        "    model_config = ConfigDict(extra='allow', populate_by_name=True)\n"
    )
    assert shared_config(source) == (
        "class A(BaseModel):\n"
        "    model_config = ConfigDict(extra='forbid')\n"
        "    x: int\n"
        "class B(A):\n"
        "    model_config = ConfigDict(extra='allow')\n"  # A forbids what the base allows
        "class C(B):\n"
        "    pass\n"
    )


def test_the_shared_configuration_is_the_runtime_base_class_own() -> None:
    from generator.runtime._model_base import BaseModel

    assert base_config() == dict(BaseModel.model_config)
    assert base_config()["extra"] == "allow"
