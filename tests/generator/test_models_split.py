"""A large document's models made by two library runs at once (generator/models/split.py).

Components that never reference one another are generated in two halves, one in a forked
process, and the two modules joined. The joined module must hold every class the single run
makes, each written as the single run writes it, and where both halves chose one name for
two classes (the library's own numbering of nested classes), one renumbered where it is used.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import types
from typing import Any

import pytest

from generator.load.document import parse
from generator.models import generate_models, split

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the split forks (Linux only)")


def _group(prefix: str, extra: str, count: int) -> dict[str, Any]:
    """``count`` components referencing one another in a chain, each with a nested ``item``
    object of its own (a class the library names ``Item``), one field told apart by ``extra``."""
    schemas: dict[str, Any] = {}
    for index in range(count):
        properties: dict[str, Any] = {
            "id": {"type": "string"},
            "item": {"type": "object", "properties": {extra: {"type": "integer"}}},
        }
        if index:
            properties["previous"] = {"$ref": f"#/components/schemas/{prefix}{index - 1}"}
        schemas[f"{prefix}{index}"] = {"type": "object", "properties": properties}
    return schemas


def _spec(schemas: dict[str, Any]) -> str:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "split", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return json.dumps(document)


SCHEMAS = {**_group("Alpha", "alpha_only", 6), **_group("Beta", "beta_only", 5)}


@pytest.fixture
def small_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """The split for a document of a few schemas (it starts at a hundred and fifty)."""
    monkeypatch.setattr(split, "_SMALLEST", 4)


def _classes(source: str) -> dict[str, str]:
    lines = source.splitlines()
    tree = ast.parse(source)
    return {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


def test_the_halves_are_the_groups_no_reference_crosses() -> None:
    assert split._halves(SCHEMAS) is None  # below the size where a split pays
    groups = sorted(sorted(g) for g in split._groups(SCHEMAS))
    assert groups == [sorted(_group("Alpha", "a", 6)), sorted(_group("Beta", "b", 5))]


def test_a_discriminator_mapping_joins_what_it_names() -> None:
    schemas = {
        "Pet": {
            "oneOf": [{"type": "object"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat"}},
        },
        "Cat": {"type": "object"},
        "Lone": {"type": "object"},
    }
    groups = sorted(sorted(g) for g in split._groups(schemas))
    assert groups == [["Cat", "Pet"], ["Lone"]]


def _module(source: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``source`` run as a module beside the runtime it imports."""
    source = source.replace("from ._", "from generator.runtime._")
    module = types.ModuleType("split_models")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, "models.py", "exec"), module.__dict__)  # noqa: S102 - our own output
    return module


def test_two_runs_make_the_classes_one_run_makes(
    small_split: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = parse(_spec(SCHEMAS), "split.json")
    one = generate_models(doc, workers=1)
    two = generate_models(doc, workers=2)
    assert split._halves(SCHEMAS) is not None
    single, joined = _classes(one.source), _classes(two.source)
    assert len(joined) == len(single)
    for component in SCHEMAS:
        assert joined[component] == single[component]
    assert joined == single  # the same classes, in another order
    module = _module(two.source, monkeypatch)
    alpha = module.Alpha3.model_validate({"id": "a", "item": {"alpha_only": 1}})
    beta = module.Beta2.model_validate({"id": "b", "item": {"beta_only": 2}, "previous": {}})
    assert "alpha_only" in type(alpha.item).model_fields
    assert "beta_only" in type(beta.item).model_fields
    assert type(alpha.item) is not type(beta.item)


def test_a_nested_class_named_like_a_component_of_the_other_half_is_renamed() -> None:
    first = "from __future__ import annotations\nfrom ._model_base import BaseModel\n\n\n"
    first += "class Item(BaseModel):\n    a: int\n\n\nclass Alpha(BaseModel):\n    item: Item\n"
    second = "from __future__ import annotations\nfrom ._model_base import BaseModel\n\n\n"
    second += "class Item(BaseModel):\n    b: str\n"
    joined = split._joined(first, second, ({"Alpha"}, {"Item"}))
    assert joined is not None
    classes = _classes(joined)
    assert set(classes) == {"Item", "Item1", "Alpha"}
    assert "b: str" in classes["Item"]  # the component keeps its name
    assert "a: int" in classes["Item1"] and "item: Item1" in classes["Alpha"]
    assert joined.count("from ._model_base import BaseModel") == 1


def test_a_renamed_class_is_renamed_in_every_statement_that_uses_it_and_no_text() -> None:
    first = "from __future__ import annotations\nfrom ._model_base import BaseModel\n\n\n"
    first += "class Item(BaseModel):\n    a: int\n\n\nclass Other(BaseModel):\n    n: int\n\n\n"
    first += 'class Alpha(BaseModel):\n    """An Item, and a caf\u00e9."""\n\n'
    first += "    item: Item | None = None\n    items: list[\n        Item\n    ]\n"
    second = "from __future__ import annotations\nfrom ._model_base import BaseModel\n\n\n"
    second += "class Item(BaseModel):\n    b: str\n"
    joined = split._joined(first, second, ({"Alpha", "Other"}, {"Item"}))
    assert joined is not None
    classes = _classes(joined)
    assert '"""An Item, and a caf\u00e9."""' in classes["Alpha"]
    assert "item: Item1 | None" in classes["Alpha"] and "Item1\n" in classes["Alpha"]
    assert "n: int" in classes["Other"] and "b: str" in classes["Item"]


def test_a_component_named_like_an_import_of_the_other_half_is_not_joined() -> None:
    first = "from ._formats import Decimal\n\n\nclass Alpha(BaseModel):\n    x: Decimal\n"
    second = "from ._model_base import BaseModel\n\n\nclass Decimal(BaseModel):\n    b: str\n"
    assert split._joined(first, second, ({"Alpha"}, {"Decimal"})) is None


def test_one_name_imported_from_two_places_is_not_joined() -> None:
    first = "from ._formats import AnyUrl\n\n\nclass Alpha(BaseModel):\n    x: AnyUrl\n"
    second = "from pydantic import AnyUrl\n\n\nclass Beta(BaseModel):\n    y: AnyUrl\n"
    assert split._joined(first, second, ({"Alpha"}, {"Beta"})) is None


def test_a_failed_second_run_is_made_in_this_process(
    small_split: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked run failing (here: dying at once) costs time, never a model."""
    monkeypatch.setattr(split, "_send", lambda *args: os._exit(1))
    doc = parse(_spec(SCHEMAS), "split.json")
    made = _classes(generate_models(doc, workers=2).source)
    assert set(SCHEMAS) <= set(made)
