"""Patches of the library's output, each where no input or option gives the same code.

- typed fields (:func:`.typed.typed_fields`): enums widened, defaults typed and overrides
  narrowed, so that mypy accepts every field.
- cross-field rules (:func:`inject_rules`): a ``model_validator`` appended to each model with
  presence rules; the library has no option that writes one.
- no eager rebuilds (:func:`without_rebuilds`): the ``X.model_rebuild()`` lines the library
  appends for classes naming classes defined after them are dropped. The models build on first
  use (``_model_base.py``), which resolves those names then; a rebuild at import would build
  every such class's schema, and those of all it names, before the first call.
- exact multiples (:func:`exact_multiples`): ``Field(multiple_of=0.01)`` becomes the runtime's
  ``MultipleOf("0.01")`` (``_numbers.py``), which checks the decimal a number is written as;
  pydantic checks floats in binary within a tolerance (``5.21e19`` is refused).
- pytest's collection (:func:`generator.models.not_tests.hidden_from_pytest`): ``__test__ = False``
  in each class named ``Test*``, which users import into their own test modules.

Edits are made on the source text at the offsets :mod:`ast` reports (:mod:`.edits`), so the
rest of the library's output is kept byte for byte.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ..naming import class_name, literal
from .edits import lines_of as _lines
from .edits import replace as _replace
from .edits import segment as _segment
from .read import ModelClass


def class_of(name: str, classes: dict[str, ModelClass]) -> str:
    return name if name in classes else class_name(name)


_VALIDATOR = """

    @model_validator(mode="after")
    def _check_cross_field_rules(self) -> Self:
        \"\"\"The spec's cross-field rules; a broken one raises, naming it.\"\"\"
        return check_rules(self, {rule})
"""


RULE_IMPORTS = (
    "from typing import Self\n"
    "from pydantic import model_validator\n"
    "from ._rules import check_rules\n"
)


def inject_rules(source: str, tree: ast.Module, rules: dict[str, dict[str, Any]]) -> str:
    """``source`` (parsed as ``tree``) with a ``model_validator`` checking its rules appended
    to each class."""
    if not rules:
        return source
    lines = _lines(source)
    ends = {
        node.name: node.end_lineno or 0
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in rules
    }
    for name, end in sorted(ends.items(), key=lambda item: -item[1]):
        lines.insert(end, _VALIDATOR.format(rule=literal(rules[name])).encode())
    future = [i for i, line in enumerate(lines) if line.startswith(b"from __future__")]
    head = future[0] + 1 if future else 0
    lines.insert(head, RULE_IMPORTS.encode())
    return b"".join(lines).decode()


_REBUILD = re.compile(r"^[A-Za-z_]\w*\.model_rebuild\(\)$\n?", re.MULTILINE)


def without_rebuilds(source: str) -> str:
    """``source`` without the library's module-level ``X.model_rebuild()`` calls."""
    return _REBUILD.sub("", source).rstrip("\n") + "\n"


def wire_names_first(source: str) -> str:
    """Each field whose wire name another field of its class took as its name gets that name.

    datamodel-code-generator names ``fooBar`` ``foo_bar`` and then ``foo_bar`` ``foo_bar_1``
    (alias ``foo_bar``). Models read fields by name as well as by alias, so a body with
    ``"foo_bar"`` would fill both fields. The two names are swapped: the property whose wire
    name is ``foo_bar`` is the field ``foo_bar``, and ``fooBar`` takes the numbered name. A
    field named by a discriminator is left alone (the union names it), and so is a class in
    an inheritance chain (its subclasses redeclare fields by name).
    """
    aliases = set(re.findall(r"""\balias=["']([A-Za-z_][A-Za-z0-9_]*)["']""", source))
    if not aliases & set(re.findall(r"^[ \t]+([A-Za-z_][A-Za-z0-9_]*): ", source, re.MULTILINE)):
        return source  # no wire name is another field's name: nothing to parse
    tree = ast.parse(source)
    kept = _discriminators(tree)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    # A class another extends, or that extends another, shares its fields' names along the
    # hierarchy: renaming them in one class alone would split a field in two. Left as it is.
    bases = {ast.unparse(base).split("[")[0] for node in classes for base in node.bases}
    edits: list[tuple[ast.expr, str]] = []
    for node in classes:
        own = {ast.unparse(base).split("[")[0] for base in node.bases} - {"BaseModel", "RootModel"}
        if node.name not in bases and not own:
            edits += _swaps(_field_wires(node), kept)
    return _replace(source, edits)


def _field_wires(node: ast.ClassDef) -> list[tuple[ast.Name, str]]:
    """(name node, wire name) of each field of a class: its alias, else its own name."""
    found = []
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            wire = stmt.target.id
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.keyword) and sub.arg == "alias":
                    wire = str(getattr(sub.value, "value", wire))
            found.append((stmt.target, wire))
    return found


def _swaps(fields: list[tuple[ast.Name, str]], kept: set[str]) -> list[tuple[ast.expr, str]]:
    names = {target.id: (target, wire) for target, wire in fields}
    wires = {wire for _, wire in fields}
    edits: list[tuple[ast.expr, str]] = []
    done: set[str] = set()
    for target, wire in fields:
        holder = names.get(wire)
        if holder is None or holder[1] == wire or {wire, target.id} & (done | kept):
            continue
        # The holder takes this field's name, which must not be a wire name in its turn.
        if target.id in wires:
            continue
        edits += [(target, wire), (holder[0], target.id)]
        done |= {wire, target.id}
    return edits


def _discriminators(tree: ast.Module) -> set[str]:
    return {
        str(node.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword)
        and node.arg == "discriminator"
        and isinstance(node.value, ast.Constant)
    }


_MULTIPLES_IMPORT = "from ._numbers import MultipleOf\n"


def exact_multiples(source: str) -> str:
    """``source`` with each ``Field(multiple_of=...)`` of an ``Annotated[...]`` written as
    ``MultipleOf("...")`` beside the ``Field`` of its other arguments (if any)."""
    if "multiple_of=" not in source:
        return source
    lines = _lines(source)
    edits: list[tuple[ast.expr, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Subscript) or ast.unparse(node.value) != "Annotated":
            continue
        metadata = node.slice.elts[1:] if isinstance(node.slice, ast.Tuple) else []
        for field in metadata:
            if not isinstance(field, ast.Call) or ast.unparse(field.func) != "Field":
                continue
            step = next((k.value for k in field.keywords if k.arg == "multiple_of"), None)
            if not isinstance(step, ast.Constant) or isinstance(step.value, bool):
                continue
            kept = [_segment(a, lines) for a in field.args]
            kept += [ast.unparse(k) for k in field.keywords if k.arg != "multiple_of"]
            check = f"MultipleOf({str(step.value)!r})"
            edits.append((field, f"Field({', '.join(kept)}), {check}" if kept else check))
    if not edits:
        return source
    edited = _replace(source, edits)
    future = edited.find("from __future__ import annotations\n")
    at = edited.index("\n", future) + 1 if future >= 0 else 0
    return edited[:at] + _MULTIPLES_IMPORT + edited[at:]


# The names a patch may take the last use of, each with the module it is imported from.
_PATCHED_NAMES = (
    ("pydantic", "Field", "Field("),
    ("pydantic", "ConfigDict", "ConfigDict("),
    ("typing", "Annotated", "Annotated["),
)


def without_unused_imports(source: str) -> str:
    """``source`` not importing ``Field``, ``ConfigDict`` or ``Annotated`` once the patches took
    their last use."""
    for module, name, use in _PATCHED_NAMES:
        if use in source:
            continue
        line = re.compile(rf"^from {module} import (.+)$", re.MULTILINE)

        def kept(found: re.Match[str], name: str = name, module: str = module) -> str:
            names = [n.strip() for n in found[1].split(",") if n.strip() != name]
            return f"from {module} import {', '.join(names)}" if names else ""

        source = line.sub(kept, source, count=1)
    return source
