"""``models.py`` without ``from __future__ import annotations`` (generator/models/evaluated.py).

Under that import pydantic compiles every annotation from its text when the class is created;
without it the interpreter evaluates them. What the class body cannot evaluate where it stands
must stay a string: a class defined further down, the class itself, or a name the body has
bound by then. Each case is run as a module, the way ``import`` runs it, and its classes used.
"""

from __future__ import annotations

import ast
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

from generator.models.edits import apply
from generator.models.evaluated import evaluated_edits

_ROOT = Path(__file__).resolve().parents[2]

_HEAD = """\
from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, RootModel
"""


def _rewritten(body: str) -> str:
    source = _HEAD + textwrap.dedent(body)
    rewritten = apply(source, evaluated_edits(ast.parse(source)))
    assert rewritten.count("\n") == source.count("\n")  # every line stays where it was
    return rewritten


def _run(source: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The namespace of ``source`` run as an imported module: pydantic evaluates the strings
    left in it there, when a class is first used."""
    module = types.ModuleType("evaluated_case")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, "evaluated_case.py", "exec"), module.__dict__)  # noqa: S102
    return vars(module)


def _annotation(source: str, cls: str, field: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and ast.unparse(statement.target) == field:
                    return ast.unparse(statement.annotation)
    raise AssertionError(f"no {cls}.{field}")


def test_the_future_import_goes_and_every_line_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    source = _rewritten(
        """
        class Order(BaseModel):
            lines: Annotated[
                list[Line],
                Field(description="the lines"),
            ]
            when: date | None = None


        class Line(BaseModel):
            sku: str
        """
    )
    assert "__future__" not in source
    quoted = "Annotated['list[Line]', Field(description='the lines')]"
    assert _annotation(source, "Order", "lines") == quoted
    assert _annotation(source, "Order", "when") == "date | None"
    order = _run(source, monkeypatch)["Order"]
    parsed = order.model_validate({"lines": [{"sku": "a"}], "when": "2026-01-02"})
    assert type(parsed.lines[0]).__name__ == "Line"
    assert parsed.when.year == 2026


@pytest.mark.parametrize(
    ("body", "cls", "field", "expected"),
    [
        # The class itself, and a cycle through a class below.
        (
            """
            class Node(BaseModel):
                children: list[Node] = []
                parent: Parent | None = None


            class Parent(BaseModel):
                node: Node | None = None
            """,
            "Node",
            "children",
            "'list[Node]'",
        ),
        # A root model whose root names a class below.
        (
            """
            class Many(RootModel[list[int]]):
                root: list[int]


            class Pets(RootModel[list["Pet"]]):
                root: list[Pet]


            class Pet(BaseModel):
                name: str
            """,
            "Pets",
            "root",
            "'list[Pet]'",
        ),
    ],
)
def test_what_names_a_class_below_stays_a_string(
    body: str, cls: str, field: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _rewritten(body)
    assert _annotation(source, cls, field) == expected
    assert _run(source, monkeypatch)[cls].model_json_schema()  # every annotation resolves


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # A field named as the type of a later field: bound by then.
        ("date: str | None = None\nday: date | None = None\n", "day"),
        # A field named as its own type, with a value: bound before its annotation runs.
        ("date: date | None = None\n", "date"),
    ],
)
def test_a_name_the_body_bound_stays_a_string(
    body: str, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quoted, the annotation fails where and as it failed with every annotation a string:
    pydantic sees the field's value too, so the library's output never has this shape (it
    imports the type under another name); a plain class body would fail on the spot."""
    cls = "class Event(BaseModel):\n" + textwrap.indent(body, "    ")
    source = _rewritten(cls)
    assert _annotation(source, "Event", field) == "'date | None'"
    with pytest.raises(TypeError) as before:
        _run(_HEAD + cls, monkeypatch)
    with pytest.raises(TypeError) as after:
        _run(source, monkeypatch)
    assert str(after.value) == str(before.value)


def test_the_metadata_names_a_class_below_so_the_whole_annotation_is_quoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = _rewritten(
        """
        class A(BaseModel):
            b: Annotated[int, Field(default_factory=B.make)]


        class B(BaseModel):
            @staticmethod
            def make() -> int:
                return 1
        """
    )
    assert _annotation(source, "A", "b") == "'Annotated[int, Field(default_factory=B.make)]'"
    assert _run(source, monkeypatch)["A"]().b == 1


def test_a_method_annotation_naming_a_class_below_is_quoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = _rewritten(
        """
        class A(BaseModel):
            x: int = 0

            def to_b(self, extra: B | None = None) -> B:
                return B(y=self.x)


        class B(BaseModel):
            y: int
        """
    )
    assert 'extra: "B | None" = None) -> "B":' in source
    assert _run(source, monkeypatch)["A"](x=2).to_b().y == 2


def test_a_module_without_the_future_import_is_left_alone() -> None:
    source = "class A:\n    b: B\n\n\nclass B:\n    pass\n"
    assert evaluated_edits(ast.parse(source)) == []


@pytest.mark.parametrize("package", ["autosana", "automated_future", "testmo", "panto"])
def test_our_packages_models_are_evaluated_by_the_interpreter(package: str) -> None:
    models = (_ROOT / "generated" / package / "models.py").read_text("utf-8")
    assert "from __future__ import annotations" not in models
    tree = ast.parse(models)
    future = ast.parse("from __future__ import annotations\n" + models)
    assert evaluated_edits(tree) == []
    assert [edit for edit in evaluated_edits(future) if edit[1]] == []  # nothing to quote
