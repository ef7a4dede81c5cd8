"""Patches of the library's output, each where no input or option gives the same code.

- enum widening (:func:`typed_fields`): every annotation naming an enum also takes its base
  type, written into the source rather than the schemas, which cost the library a quarter
  of its time on large documents.
- typed defaults (:func:`typed_fields`): a default written as the spec gives it (``"alloy"``)
  for a field typed by a root model or an enum is written as the value pydantic makes of it,
  which mypy accepts.
- narrowed overrides (:func:`typed_fields`): a subclass that redeclares a field takes its
  base's narrower type, which mypy requires and every valid value satisfies.
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

from ..ir.naming import class_name, literal
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
        if not any(isinstance(n, ast.Name) and n.id in widened for n in ast.walk(slot)):
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
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) != "Literal":
        inner = node.slice
        if isinstance(inner, ast.Tuple):
            parts = [_widened(inner.elts[0], widened, lines)]
            # Annotated[T, Field(...)]: only T is a type; list and dict take types throughout.
            typed = ast.unparse(node.value) != "Annotated"
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
            if theirs is None or ast.unparse(theirs) == ast.unparse(mine):
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
            edits.append((mine, ast.unparse(theirs)))
    return edits


def _inherited(
    name: str, node: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: set[str]
) -> ast.expr | None:
    for base in node.bases:
        parent = classes.get(ast.unparse(base))
        if parent is None or parent.name in seen:
            continue
        seen.add(parent.name)
        for stmt in parent.body:
            if isinstance(stmt, ast.AnnAssign) and ast.unparse(stmt.target) == name:
                return _unannotated(stmt.annotation)
        found = _inherited(name, parent, classes, seen)
        if found is not None:
            return found
    return None


def _narrower(narrow: ast.expr, wide: ast.expr) -> bool:
    """Whether every value of ``narrow`` is, to mypy, a value of ``wide`` (checked simply)."""
    wide_members = {ast.unparse(m) for m in union_members(wide)}
    for member in union_members(narrow):
        if ast.unparse(member) in wide_members:
            continue
        if isinstance(member, ast.Subscript) and ast.unparse(member.value) == "Literal":
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
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
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
            outer, args = ast.unparse(member.value), member.slice
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
        bases = {ast.unparse(b) for b in node.bases}
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
                    if isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "root"
                ),
                None,
            )
            inner = root and _typed(value, _unannotated(root), classes, seen | {node.name})
            if inner:
                return f"{node.name}({inner[0]})", inner[1] | {node.name}
    return None
