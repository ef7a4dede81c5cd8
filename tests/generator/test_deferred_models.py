"""The models build their schema on first use, and behave as if it had been built on import.

A large document's ``models.py`` declares thousands of classes; building each one's validator
on import made the first call of the OpenAI client wait seconds. The package is generated from
a spec whose classes name classes defined after them (forward references, a cycle, a
discriminated root union), imported in a fresh interpreter, and used as a caller would. The
resource modules, likewise, are imported when first asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.generator.util import generate, mypy_strict, run_python, write_spec

_REF = "#/components/schemas/"
_PACKAGE = "deferred_api"


def _spec() -> dict[str, Any]:
    obj = {"type": "object"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Deferred", "version": "1"},
        "paths": {
            "/orders/{id}": {
                "get": {
                    "operationId": "getOrder",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": _REF + "Order"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                # Order names Line and Pet, declared after it; Line names Order back (a cycle).
                "Order": {
                    **obj,
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "lines": {"type": "array", "items": {"$ref": _REF + "Line"}},
                        "firstLine": {"$ref": _REF + "Line"},
                        "pet": {"$ref": _REF + "Pet"},
                    },
                },
                "Line": {
                    **obj,
                    "required": ["sku"],
                    "properties": {
                        "sku": {"type": "string"},
                        "unitPrice": {"type": "integer"},
                        "parent": {"$ref": _REF + "Order"},
                        "favouritePet": {"$ref": _REF + "Pet"},
                    },
                },
                "Pet": {
                    "oneOf": [{"$ref": _REF + "Cat"}, {"$ref": _REF + "Dog"}],
                    "discriminator": {"propertyName": "kind"},
                },
                "Cat": {**obj, "required": ["kind"], "properties": {"kind": {"const": "cat"}}},
                "Dog": {**obj, "required": ["kind"], "properties": {"kind": {"const": "dog"}}},
                "Receipt": {**obj, "properties": {"order": {"$ref": _REF + "Order"}}},
            }
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deferred")
    generate(write_spec(_spec(), out), out, _PACKAGE)
    return out


def _run(code: str, cwd: Path) -> Any:
    done = run_python(code, cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_importing_the_models_builds_no_schema(package: Path) -> None:
    built = _run(
        f"import json, pydantic\n"
        f"from {_PACKAGE} import models\n"
        "classes = [c for c in vars(models).values()\n"
        "           if isinstance(c, type) and issubclass(c, pydantic.BaseModel)\n"
        "           and c.__module__ == models.__name__]\n"
        "print(json.dumps([c.__name__ for c in classes if c.__pydantic_complete__]))",
        package,
    )
    assert built == []
    source = (package / _PACKAGE / "models.py").read_text("utf-8")
    assert "model_rebuild" not in source


def test_deferred_models_validate_serialize_and_describe_as_before(package: Path) -> None:
    body = {
        "id": "o1",
        "lines": [{"sku": "a", "unitPrice": 3, "parent": {"id": "o0"}}],
        "firstLine": {"sku": "b"},
        "pet": {"kind": "dog"},
        "note": "kept",
    }
    found = _run(
        f"import json\nfrom {_PACKAGE}.models import Order, Pet, Dog, Line\n"
        f"order = Order.model_validate({body!r})\n"
        "print(json.dumps({'dump': order.model_dump(mode='json', by_alias=True, exclude_unset=True),\n"
        "  'pet': type(order.pet.root).__name__, 'line': type(order.lines[0]).__name__,\n"
        "  'alias': Line.model_fields['unit_price'].alias,\n"
        "  'schema': sorted(Order.model_json_schema()['$defs'])}))",
        package,
    )
    assert found["dump"] == body
    assert (found["pet"], found["line"], found["alias"]) == ("Dog", "Line", "unitPrice")
    assert found["schema"] == ["Cat", "Dog", "Line", "Order", "Pet"]


def test_a_class_built_only_inside_another_is_read_leniently_with_its_fields(
    package: Path,
) -> None:
    """Order names Line, defined after it, and is validated only as a part of Receipt's
    schema, so its own fields were never resolved; lenient parsing must still see their
    aliases and types."""
    found = _run(
        f"import json\nfrom {_PACKAGE} import models\nfrom {_PACKAGE}._lenient import build\n"
        "models.Receipt.model_validate({'order': {'id': 'x', 'lines': [{'sku': 'a'}]}})\n"
        "order, problems = build(models.Order, {'id': 5, 'firstLine': {'sku': 'a'}})\n"
        "print(json.dumps({'line': type(order.first_line).__name__,\n"
        "  'problems': [p.path for p in problems]}))",
        package,
    )
    assert found == {"line": "Line", "problems": ["id"]}


def test_deferred_models_type_check_strictly(package: Path) -> None:
    done = mypy_strict([package / _PACKAGE], package)
    assert done.returncode == 0, done.stdout


def test_the_resources_package_imports_a_resource_module_on_first_use(package: Path) -> None:
    found = _run(
        f"import json, sys\nimport {_PACKAGE}.resources as resources\n"
        "before = sorted(m for m in sys.modules if m.startswith(resources.__name__ + '.'))\n"
        "name = sorted(resources.__all__)[-1]\n"
        "cls = getattr(resources, name)\n"
        "after = sorted(m for m in sys.modules if m.startswith(resources.__name__ + '.'))\n"
        "print(json.dumps({'before': before, 'after': after, 'module': cls.__module__}))",
        package,
    )
    assert found["before"] == []
    assert found["after"] == [found["module"]]
