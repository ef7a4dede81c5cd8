"""Reading the generated models back: each class, its fields, and the imports they need.

The client templates type keyword arguments with exactly the annotations the models use, so
the lowering reads them from the generated source (parsed with :mod:`ast`) rather than
deriving them a second time from the schemas.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .edits import unparsed


@dataclass(frozen=True)
class ModelField:
    """One field of a generated model."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelClass:
    """One class of the generated ``models.py``."""

    name: str
    kind: str  # "model", "enum" or "root"
    fields: tuple[ModelField, ...]  # its own, as written in its body
    bases: tuple[str, ...] = ()  # the generated classes it extends (an allOf of components)


def fields_of(classes: dict[str, ModelClass], name: str) -> tuple[ModelField, ...]:
    """Every field of class ``name``, inherited ones included, in pydantic's order.

    An ``allOf`` of components becomes a class with bases and often no body fields of its own
    (``class C(A, B)``); pydantic orders the fields from the last base to the first, then its own,
    a redefinition keeping the first place.
    """
    cls = classes.get(name)
    if cls is None:
        return ()
    found: dict[str, ModelField] = {}
    for base in reversed(cls.bases):
        found.update((f.name, f) for f in fields_of(classes, base))
    found.update((f.name, f) for f in cls.fields)
    return tuple(found.values())


@dataclass(frozen=True)
class ModelsModule:
    """The generated models source and what it defines."""

    source: str
    classes: dict[str, ModelClass]
    imports: dict[str, str]  # name used in annotations -> "from x import name"
    names: dict[str, str] = field(default_factory=dict)  # component name -> class name
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # enum class -> its values


def read_imports(*modules: ast.Module | None) -> dict[str, str]:
    """Each name the models module imports, with the import statement that brings it.

    ``modules`` are its parts, in order: the rules' imports (when a class has rules) come
    before the library's.
    """
    imports = {}
    for node in (node for module in modules if module for node in module.body):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            for alias in node.names:
                # `from datetime import date as date_aliased`: the alias is the name annotations
                # use, so the line that brings it must say `as` too.
                renamed = f" as {alias.asname}" if alias.asname not in (None, alias.name) else ""
                name = alias.asname or alias.name
                module = "." * node.level + node.module  # the runtime's: `from ._formats`
                imports[name] = f"from {module} import {alias.name}{renamed}"
    return imports


def read_enum_values(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """The values of every enum class of the models module, by class name."""
    found: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not {unparsed(b) for b in node.bases} & {"StrEnum", "IntEnum", "Enum"}:
            continue
        found[node.name] = tuple(
            str(stmt.value.value)
            for stmt in node.body
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
        )
    return found


def read_classes(tree: ast.Module) -> dict[str, ModelClass]:
    """What each class in a generated models module looks like."""
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = _read_class(node)
    return classes


def _read_class(node: ast.ClassDef) -> ModelClass:
    bases = {unparsed(b) for b in node.bases}
    if bases & {"StrEnum", "IntEnum", "Enum"}:
        return ModelClass(node.name, "enum", ())
    kind = "root" if any(b.startswith("RootModel") for b in bases) else "model"
    fields = []
    body = node.body
    for index, stmt in enumerate(body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            doc = _field_doc(body, index)
            if not doc and kind == "root" and stmt.target.id == "root":
                doc = " ".join((ast.get_docstring(node) or "").split())  # said once, by the class
            fields.append(_read_field(stmt, stmt.target.id, doc))
    own = tuple(f for f in fields if f.name != "root" or kind == "root")
    extends = tuple(unparsed(b) for b in node.bases if isinstance(b, ast.Name))
    return ModelClass(node.name, kind, own, tuple(b for b in extends if b != "BaseModel"))


def _field_doc(body: list[ast.stmt], index: int) -> str:
    nxt = body[index + 1] if index + 1 < len(body) else None
    if (
        isinstance(nxt, ast.Expr)
        and isinstance(nxt.value, ast.Constant)
        and isinstance(nxt.value.value, str)
    ):
        return " ".join(nxt.value.value.split())
    return ""


def _read_field(stmt: ast.AnnAssign, name: str, description: str) -> ModelField:
    annotation = stmt.annotation
    alias = name
    if isinstance(annotation, ast.Subscript) and unparsed(annotation.value) == "Annotated":
        elts = (
            annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        )
        annotation = elts[0]
        for meta in elts[1:]:
            found = _alias(meta)
            alias = alias if found is None else found  # "" is a wire name too
    text = unparsed(annotation)
    if "Annotated[" in text:  # else no discriminated union to read past
        text = unparsed(_Undiscriminated().visit(annotation))
    return ModelField(
        name=name,
        wire_name=alias,
        annotation=text,
        required=stmt.value is None,
        description=description,
    )


class _Undiscriminated(ast.NodeTransformer):
    """``list[Annotated[A | B, Field(discriminator='type')]]`` read as ``list[A | B]``: how a
    union is parsed is no part of the type a caller passes."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.expr:
        inner = node.slice
        if unparsed(node.value) == "Annotated" and isinstance(inner, ast.Tuple):
            meta = inner.elts[1:]
            if all(
                isinstance(m, ast.Call) and [k.arg for k in m.keywords] == ["discriminator"]
                for m in meta
            ):
                return self.visit(inner.elts[0])  # type: ignore[no-any-return]
        self.generic_visit(node)
        return node


def _alias(meta: ast.expr) -> str | None:
    if isinstance(meta, ast.Call):
        for kw in meta.keywords:
            if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                return str(kw.value.value)
    return None
