"""A patch of the library's output: unions of models discriminated by the field that tells them apart.

The library writes ``Field(discriminator=...)`` only where the spec declares a
``discriminator``. Elsewhere pydantic tries each member in turn and keeps the best match, and
a body is read as whichever member fits it first when more than one does. A union whose model
members all have a required ``Literal`` field of one name, with no value shared by two
members (``type: Literal[6]`` in ``RoleSelect``, ``type: Literal[8]`` in ``ChannelSelect``),
is discriminated by that field: each body is read as the member its value names, and one
whose value names none fails at that field alone. Unions without such a field are left to
pydantic, as before.

A discriminator the spec declares on the base of an ``allOf`` hierarchy makes the library type
each reference to the base as the union of its subclasses, each requiring its tag. When the
base itself does not require the tag, a body without one (or with a value no subclass names)
is an instance of the base and breaks nothing: the base joins the union as its last member,
and pydantic's smart mode reads each body as the first member that takes it, a subclass when
its tag names one.
"""

from __future__ import annotations

import ast
from typing import Any, TypeGuard

from .edits import Edit, annotated_parts, apply, span, unparsed
from .edits import lines_of as _lines
from .edits import segment as _segment
from .typed import union_members

_ENUM_BASES = frozenset({"StrEnum", "IntEnum", "Enum"})


def discriminated(source: str, tagged: frozenset[str] = frozenset()) -> str:
    """``source`` with each union of models that a ``Literal`` field tells apart discriminated;
    ``tagged``: the classes whose schemas declare a discriminator without a union."""
    if not may_discriminate(source):
        return source
    edits = discriminator_edits(source, ast.parse(source), tagged)
    return with_discriminator_imports(apply(source, edits)) if edits else source


def may_discriminate(source: str) -> bool:
    """Whether ``source`` has unions and ``Literal`` fields at all (else no edit to look for)."""
    return "Literal[" in source and " | " in source


def discriminator_edits(source: str, tree: ast.Module, tagged: frozenset[str]) -> list[Edit]:
    """The edits of :func:`discriminated` in ``source``, parsed as ``tree``; once applied,
    :func:`with_discriminator_imports` imports what they use."""
    module = _Module(source, tree, tagged)
    edits: list[tuple[ast.expr, str]] = []
    for node in module.classes.values():
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign):
                edits += module.edits(stmt.annotation)
    return [(span(node), text) for node, text in edits]


class _Module:
    """The classes of a models module, and the ``Literal`` fields of each, read once."""

    def __init__(self, source: str, tree: ast.Module, tagged: frozenset[str]) -> None:
        self.lines = _lines(source)
        self.tagged = tagged
        self.classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        self.models = {
            name
            for name, node in self.classes.items()
            if not {unparsed(b) for b in node.bases} & _ENUM_BASES
            and not any(unparsed(b).startswith("RootModel") for b in node.bases)
        }
        self.tags: dict[str, dict[str, tuple[Any, ...]]] = {}

    def edits(self, annotation: ast.expr) -> list[tuple[ast.expr, str]]:
        """The edits that discriminate the unions of one annotation (a field's or a root's)."""
        parts = annotated_parts(annotation)
        if parts is None:
            return self._wrapped(annotation)
        inner, *metadata = parts
        if any(_names_discriminator(m) for m in metadata):
            return self._with_base(annotation, inner, metadata)
        tag = self.tag(inner)
        field = next((m for m in metadata if _is_field(m)), None)
        based = self._based(inner, tag) if tag is not None else None
        if based is not None:
            return [(inner, based)]
        if tag is not None and isinstance(field, ast.Call):
            return [(field, _with_keyword(field, tag, self.lines))]
        return self._nested(inner)

    def _wrapped(self, node: ast.expr) -> list[tuple[ast.expr, str]]:
        """``node`` as ``Annotated[node, Field(discriminator=...)]`` if it is a union that a
        field tells apart; else the edits of the unions inside it."""
        tag = self.tag(node)
        if tag is None:
            return self._nested(node)
        based = self._based(node, tag)
        if based is not None:
            return [(node, based)]
        text = _segment(node, self.lines)
        return [(node, f"Annotated[{text}, Field(discriminator={tag!r})]")]

    def _nested(self, annotation: ast.expr) -> list[tuple[ast.expr, str]]:
        """Edits of the unions inside ``list[...]``, ``dict[...]`` and a union's members."""
        parts: list[ast.expr] = []
        if isinstance(annotation, ast.Subscript) and unparsed(annotation.value) in (
            "list",
            "dict",
        ):
            inner = annotation.slice
            parts = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        elif isinstance(annotation, ast.BinOp):
            parts = [m for m in union_members(annotation) if isinstance(m, ast.Subscript)]
        edits = []
        for part in parts:
            declared = annotated_parts(part)
            if declared is not None and any(_names_discriminator(m) for m in declared[1:]):
                edits += self._with_base(part, declared[0], declared[1:])
            else:
                edits += self._wrapped(part)
        return edits

    def _with_base(
        self, annotation: ast.expr, union: ast.expr, metadata: list[ast.expr]
    ) -> list[tuple[ast.expr, str]]:
        """The edit of a declared discriminated union (``annotation``: ``Annotated[union,
        *metadata]``) that :meth:`_based` widens: no discriminator; none for any other."""
        field = next(m for m in metadata if _names_discriminator(m))
        tag = next(kw.value for kw in field.keywords if kw.arg == "discriminator")
        text = self._based(union, tag.value) if isinstance(tag, ast.Constant) else None
        if text is None:
            return []
        kept = [_segment(m, self.lines) for m in metadata if m is not field]
        rest = [kw for kw in field.keywords if kw.arg != "discriminator"]
        if rest:
            kept.append("Field(" + ", ".join(unparsed(kw) for kw in rest) + ")")
        return [(annotation, f"Annotated[{text}, {', '.join(kept)}]" if kept else text)]

    def _based(self, union: ast.expr, tag: Any) -> str | None:
        """``union`` with the base its members share as its last member, if that base
        declares the field ``tag`` optional (None otherwise)."""
        members = union_members(union)
        names = [m.id for m in members if isinstance(m, ast.Name) and m.id in self.classes]
        nullable = any(_is_none(m) for m in members)
        if not names or len(names) + nullable != len(members):
            return None
        base = self._untagged_base(names, str(tag))
        if base is None:
            return None
        return " | ".join([*names, base] + ["None"] * nullable)

    def _untagged_base(self, names: list[str], tag: str) -> str | None:
        """The nearest class every one of ``names`` derives from whose schema declares the
        discriminator ``tag`` as an optional field (None when there is none)."""
        lines = [self._ancestors(name) for name in names]
        for candidate in lines[0]:
            if candidate not in self.tagged:
                continue
            node = self.classes[candidate]
            if all(candidate in line for line in lines[1:]) and _optional_field(node, tag):
                return candidate
        return None

    def _ancestors(self, name: str) -> list[str]:
        """The classes of this module ``name`` derives from, nearest first."""
        found: list[str] = []
        queue = [name]
        while queue:
            node = self.classes.get(queue.pop(0))
            for base in node.bases if node is not None else []:
                text = unparsed(base)
                if text in self.classes and text not in found:
                    found.append(text)
                    queue.append(text)
        return found

    def tag(self, union: ast.expr) -> str | None:
        """The field that tells the model members of ``union`` apart, if it is a union of two
        or more models (and maybe ``None``) and one does."""
        if not isinstance(union, ast.BinOp):
            return None
        members = [m for m in union_members(union) if not _is_none(m)]
        names = [m.id for m in members if isinstance(m, ast.Name) and m.id in self.models]
        if len(names) < 2 or len(names) != len(members) or len(set(names)) != len(names):
            return None
        found = [
            self.tags.setdefault(n, _literal_fields(self.classes[n], self.classes, set()))
            for n in names
        ]
        for field in found[0]:
            values = [f.get(field) for f in found]
            if any(v is None for v in values):
                continue
            flat = [value for group in values if group is not None for value in group]
            if len(set(flat)) == len(flat):
                return field
        return None


def _literal_fields(
    node: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: set[str]
) -> dict[str, tuple[Any, ...]]:
    """Each required field of a model typed ``Literal[...]``, with its values (as keys that
    tell ``1`` from ``True``), inherited ones included."""
    found: dict[str, tuple[Any, ...]] = {}
    for base in node.bases:
        parent = classes.get(unparsed(base))
        if parent is not None and parent.name not in seen:
            found.update(_literal_fields(parent, classes, seen | {parent.name}))
    for stmt in node.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        found.pop(stmt.target.id, None)
        annotation = (annotated_parts(stmt.annotation) or [stmt.annotation])[0]
        values = _literal_values(annotation)
        if stmt.value is None and values is not None:
            found[stmt.target.id] = values
    return found


def _optional_field(node: ast.ClassDef, name: str) -> bool:
    """Whether the class declares the field ``name`` with a default (not required)."""
    return any(
        isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and stmt.target.id == name
        and stmt.value is not None
        for stmt in node.body
    )


def _literal_values(annotation: ast.expr) -> tuple[Any, ...] | None:
    if not isinstance(annotation, ast.Subscript) or unparsed(annotation.value) != "Literal":
        return None
    elts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    if not all(isinstance(e, ast.Constant) for e in elts):
        return None
    return tuple((type(e.value).__name__, e.value) for e in elts if isinstance(e, ast.Constant))


def _is_field(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and unparsed(node.func) == "Field"


def _names_discriminator(node: ast.expr) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and _is_field(node)
        and any(kw.arg == "discriminator" for kw in node.keywords)
    )


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _with_keyword(call: ast.Call, tag: str, lines: list[bytes]) -> str:
    """The text of the ``Field(...)`` call ``call`` with ``discriminator=tag`` added."""
    text = _segment(call, lines).rstrip()
    inside = text[text.index("(") + 1 : -1].strip().rstrip(",")
    return f"Field({inside + ', ' if inside else ''}discriminator={tag!r})"


def with_discriminator_imports(source: str) -> str:
    """``source`` importing ``Annotated`` and ``Field``, which the edits may be the first to use.

    Read from the import lines at the top (parsing the module again would cost as much as the
    rest of this patch on a large one).
    """
    lines = source.splitlines(keepends=True)
    head = [line for line in lines[: _first_class(lines)] if line.startswith("from ")]
    imported = {name.strip() for line in head for name in line.split(" import ", 1)[-1].split(",")}
    wanted = [
        line
        for name, line in (
            ("Annotated", "from typing import Annotated\n"),
            ("Field", "from pydantic import Field\n"),
        )
        if name not in imported
    ]
    if not wanted:
        return source
    future = [i for i, line in enumerate(lines) if line.startswith("from __future__")]
    at = future[0] + 1 if future else 0
    return "".join(lines[:at] + wanted + lines[at:])


def _first_class(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.startswith("class ")), len(lines))
