"""Field types mypy accepts, written into the library's output from one parse.

- enum widening: every annotation naming an enum also takes its base type, written into the
  source rather than the schemas, which cost the library a quarter of its time on large
  documents.
- typed defaults: a default written as the spec gives it (``"alloy"``) for a field typed by a
  root model or an enum is written as the value pydantic makes of it, which mypy accepts.
- narrowed overrides: a subclass that redeclares a field takes its base's narrower type, which
  mypy requires and every valid value satisfies.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from .edits import lines_of as _lines
from .edits import replace as _replace
from .edits import segment as _segment
from .edits import unparsed


def typed_fields(source: str, widened: dict[str, str]) -> str:
    """``source`` with widened enums, typed defaults and narrowed overrides, from one parse.

    Widened enums: see :func:`_widen`; the other two read the widened annotations.

    Typed defaults: datamodel-code-generator writes the spec's default as it is
    (``voice: VoiceIdsShared = "alloy"``), with ``validate_default`` so pydantic turns it into
    the field's type at run time; mypy rejects the assignment. Written as the value pydantic
    makes of it (``VoiceIdsShared("alloy")``, ``Colour.RED``), the default is typed for both.

    Narrowed overrides: an ``allOf`` that lists ``required: [role]`` beside a ``$ref`` makes
    the subclass declare ``role`` again, typed from the property schema (``Role | str``),
    while the base class may type it more narrowly (``Literal["assistant"]``, when it is a
    union's discriminator). A value must satisfy both, so the subclass takes the base's type;
    mypy rejects the wider one. A field whose default was just typed keeps its own type.
    """
    tree = ast.parse(source)
    lines = _lines(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    # Each widened annotation is swapped, in the tree, for the parse of its new text, so the
    # passes below read it; its edit replaces the original node.
    slots = {id(new): (old, new, text) for old, new, text in _widen(classes, widened, lines)}
    owner = {id(n): key for key, (_, new, _) in slots.items() for n in ast.walk(new)}
    defaults = _typed_defaults(classes)
    retyped = {id(node) for node, _ in defaults}
    inside: dict[int, list[tuple[ast.expr, str]]] = {}
    edits = list(defaults)
    for node, text in _narrowed_overrides(classes, retyped):
        if id(node) in owner:  # within a widened annotation: edit its new text
            inside.setdefault(owner[id(node)], []).append((node, text))
        else:
            edits.append((node, text))
    for key, (old, _, text) in slots.items():
        edits.append((old, _replace(text, inside.get(key, []))))
    return _replace(source, edits)


def _widen(
    classes: dict[str, ast.ClassDef], widened: dict[str, str], lines: list[bytes]
) -> list[tuple[ast.expr, ast.expr, str]]:
    """Each enum class named in an annotation also takes its base type, in ``classes``' tree.

    Written into the generated source rather than the schemas (as ``anyOf: [$ref, type]``):
    the library then parses no union per reference, a quarter of its time on large documents.
    Union members are kept in order, each once: ``Colour | None`` becomes ``Colour | str |
    None``. Every annotation (and ``RootModel[...]`` base) that names an enum is replaced in the
    tree by the parse of its new text; returned are (original node, new node, new text).
    """
    found: list[tuple[ast.expr, ast.expr, str]] = []
    if not widened:
        return found

    def widen(slot: ast.expr) -> ast.expr:
        if not _may_name(_segment(slot, lines), widened) or not any(
            isinstance(n, ast.Name) and n.id in widened for n in ast.walk(slot)
        ):
            return slot
        text = _widened(slot, widened, lines)
        new = ast.parse(text, mode="eval").body
        found.append((slot, new, text))
        return new

    for node in classes.values():
        node.bases = [widen(b) if isinstance(b, ast.Subscript) else b for b in node.bases]
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign):
                stmt.annotation = widen(stmt.annotation)
    return found


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _may_name(text: str, names: dict[str, str]) -> bool:
    """Whether the source ``text`` may name one of ``names``: a name is written as itself,
    but for a non-ASCII identifier, which Python reads in its normal form. Reading the text
    first spares walking the nodes of the thousands of annotations that name none."""
    return not text.isascii() or any(word in names for word in _WORD.findall(text))


def _widened(node: ast.expr, widened: dict[str, str], lines: list[bytes]) -> str:
    """The text of the type expression ``node`` with the enum classes in it widened."""
    if not any(isinstance(n, ast.Name) and n.id in widened for n in ast.walk(node)):
        return _segment(node, lines)
    if isinstance(node, ast.Name) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)
    ):
        members: list[str] = []
        for member in union_members(node):
            if isinstance(member, ast.Name) and member.id in widened:
                texts = widened[member.id].split(" | ")
            else:
                texts = [_widened(member, widened, lines)]
            members += [text for text in texts if text not in members]
        return " | ".join(members)
    if isinstance(node, ast.Subscript) and unparsed(node.value) != "Literal":
        inner = node.slice
        if isinstance(inner, ast.Tuple):
            parts = [_widened(inner.elts[0], widened, lines)]
            # Annotated[T, Field(...)]: only T is a type; list and dict take types throughout.
            typed = unparsed(node.value) != "Annotated"
            parts += [
                _widened(e, widened, lines) if typed else _segment(e, lines) for e in inner.elts[1:]
            ]
            text = ", ".join(parts)
        else:
            text = _widened(inner, widened, lines)
        return f"{_segment(node.value, lines)}[{text}]"
    return _segment(node, lines)


def _typed_defaults(classes: dict[str, ast.ClassDef]) -> list[tuple[ast.expr, str]]:
    order = {name: index for index, name in enumerate(classes)}
    edits: list[tuple[ast.expr, str]] = []
    for owner in classes.values():
        for stmt in owner.body:
            if not isinstance(stmt, ast.AnnAssign) or stmt.value is None:
                continue
            try:
                value = ast.literal_eval(stmt.value)
            except ValueError:
                continue
            annotation = _unannotated(stmt.annotation)
            if _holds(value, annotation):
                continue
            typed = _typed(value, annotation, classes, set())
            # A default is evaluated when its class is created: only classes defined earlier.
            if typed and all(order.get(n, -1) < order[owner.name] for n in typed[1]):
                edits.append((stmt.value, typed[0]))
    return edits


def _narrowed_overrides(
    classes: dict[str, ast.ClassDef], retyped: set[int]
) -> list[tuple[ast.expr, str]]:
    edits: list[tuple[ast.expr, str]] = []
    for node in classes.values():
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                continue
            mine = _unannotated(stmt.annotation)
            theirs = _inherited(stmt.target.id, node, classes, set())
            if theirs is None or unparsed(theirs) == unparsed(mine):
                continue
            if not _narrower(theirs, mine):
                continue
            if stmt.value is not None:
                if id(stmt.value) in retyped:
                    continue
                try:
                    if not _holds(ast.literal_eval(stmt.value), theirs):
                        continue
                except ValueError:
                    continue
            edits.append((mine, unparsed(theirs)))
    return edits


def _inherited(
    name: str, node: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: set[str]
) -> ast.expr | None:
    for base in node.bases:
        parent = classes.get(unparsed(base))
        if parent is None or parent.name in seen:
            continue
        seen.add(parent.name)
        for stmt in parent.body:
            if isinstance(stmt, ast.AnnAssign) and unparsed(stmt.target) == name:
                return _unannotated(stmt.annotation)
        found = _inherited(name, parent, classes, seen)
        if found is not None:
            return found
    return None


def _narrower(narrow: ast.expr, wide: ast.expr) -> bool:
    """Whether every value of ``narrow`` is, to mypy, a value of ``wide`` (checked simply)."""
    wide_members = {unparsed(m) for m in union_members(wide)}
    for member in union_members(narrow):
        if unparsed(member) in wide_members:
            continue
        if isinstance(member, ast.Subscript) and unparsed(member.value) == "Literal":
            args = member.slice
            values = [
                e.value if isinstance(e, ast.Constant) else e
                for e in (args.elts if isinstance(args, ast.Tuple) else [args])
            ]
            if all(_holds(v, wide) for v in values):
                continue
        return False
    return True


def _unannotated(annotation: ast.expr) -> ast.expr:
    if isinstance(annotation, ast.Subscript) and unparsed(annotation.value) == "Annotated":
        inner = annotation.slice
        return inner.elts[0] if isinstance(inner, ast.Tuple) else inner
    return annotation


def union_members(annotation: ast.expr) -> list[ast.expr]:
    """The members of ``A | B | C`` (a single annotation is a union of one)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return union_members(annotation.left) + union_members(annotation.right)
    return [annotation]


_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _holds(value: Any, annotation: ast.expr) -> bool:
    """Whether mypy accepts the literal ``value`` where ``annotation`` is expected."""
    for member in union_members(annotation):
        if isinstance(member, ast.Constant) and member.value is None and value is None:
            return True
        if isinstance(member, ast.Name):
            if member.id == "Any":
                return True
            kinds = _PLAIN_TYPES.get(member.id, ())
            if isinstance(value, kinds) and (member.id == "bool" or not isinstance(value, bool)):
                return True
        if isinstance(member, ast.Subscript):
            outer, args = unparsed(member.value), member.slice
            elts = args.elts if isinstance(args, ast.Tuple) else [args]
            if outer == "Literal" and any(_same(value, e) for e in elts):
                return True
            if outer == "list" and isinstance(value, list):
                held = all(_holds(item, elts[0]) for item in value)
            elif outer == "dict" and isinstance(value, dict) and len(elts) == 2:
                held = all(_holds(k, elts[0]) and _holds(v, elts[1]) for k, v in value.items())
            else:
                held = False
            if held:
                return True
    return False


def _same(value: Any, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value
    )


def _typed(
    value: Any, annotation: ast.expr, classes: dict[str, ast.ClassDef], seen: set[str]
) -> tuple[str, set[str]] | None:
    """Source of a value of ``annotation`` made from ``value``, and the classes it names."""
    if _holds(value, annotation):
        return repr(value), set()
    for member in union_members(annotation):
        if not isinstance(member, ast.Name) or member.id not in classes or member.id in seen:
            continue
        node = classes[member.id]
        bases = {unparsed(b) for b in node.bases}
        if bases & {"StrEnum", "IntEnum", "Enum"}:
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and isinstance(stmt.targets[0], ast.Name)
                    and _same(value, stmt.value)
                ):
                    return f"{node.name}.{stmt.targets[0].id}", {node.name}
        elif any(b.startswith("RootModel") for b in bases):
            root = next(
                (
                    s.annotation
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and unparsed(s.target) == "root"
                ),
                None,
            )
            inner = root and _typed(value, _unannotated(root), classes, seen | {node.name})
            if inner:
                return f"{node.name}({inner[0]})", inner[1] | {node.name}
    return None
