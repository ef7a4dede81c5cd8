"""Annotations the interpreter evaluates: ``models.py`` without ``from __future__ import
annotations``.

Under that import every annotation is a string, and pydantic evaluates each one when its class
is created: it compiles the string first, a tenth of a millisecond per field, which is a
tenth of the time a package of two thousand models takes to import. Without it the
interpreter evaluates annotations as it runs the class body, from the bytecode it already has.

An annotation the class body cannot evaluate yet stays a string, which pydantic evaluates when
the class is first used, as it did every annotation before: one that names a class defined
further down (a forward reference, a cycle, the class itself), or a name the class has bound
by then (a field whose name is also a type's: ``date: date | None = None``). Only the type is
quoted; the ``Field(...)`` beside it in an ``Annotated`` is left as it is.

The edits keep every line where it was (the lines a quoted annotation spanned stay as blank
lines inside its brackets, for the formatter to fold), so the tree the module was parsed into
still places the patches made after them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from .edits import Edit, annotated_parts, span

_FUTURE = "__future__"


def evaluated_edits(tree: ast.Module) -> list[Edit]:
    """The edits that drop ``from __future__ import annotations`` and quote the annotations
    that cannot be evaluated where they stand; none if the module does not import it."""
    future = next((node for node in tree.body if _is_future(node)), None)
    if future is None:
        return []
    bound = _first_bindings(tree)
    edits: list[Edit] = [(span(future), "")]
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.ClassDef) and any(map(_annotates, node.body)):
            edits += _class_edits(node, bound, index)
    return edits


def _annotates(node: ast.stmt) -> bool:
    """Whether a statement of a class body evaluates annotations (an enum's body has none)."""
    return isinstance(node, ast.AnnAssign | ast.FunctionDef | ast.AsyncFunctionDef)


def _is_future(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.ImportFrom)
        and node.module == _FUTURE
        and [alias.name for alias in node.names] == ["annotations"]
    )


def _first_bindings(tree: ast.Module) -> dict[str, int]:
    """Each name the module binds, with the index of the first statement that binds it."""
    bound: dict[str, int] = {}
    for index, node in enumerate(tree.body):
        for name in _bound_by(node):
            bound.setdefault(name, index)
    return bound


def _bound_by(node: ast.stmt) -> Iterator[str]:
    """The names a statement of a module or class body binds."""
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        yield node.name
    elif isinstance(node, ast.Import | ast.ImportFrom):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):  # an enum's member, ``model_config``
                yield target.id
            else:
                yield from (n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        yield node.target.id


def _class_edits(node: ast.ClassDef, bound: dict[str, int], index: int) -> list[Edit]:
    """The quotes the class body at ``index`` of the module needs: annotations naming what the
    module binds at or after it (``bound``), or a name the body has bound before the
    annotation is evaluated."""
    edits: list[Edit] = []
    shadowing: set[str] = set()

    def unsafe(names: set[str]) -> bool:
        return any(bound.get(name, -1) >= index or name in shadowing for name in names)

    for statement in node.body:
        bound_here = list(_bound_by(statement))
        if isinstance(statement, ast.AnnAssign):
            shadowing.update(bound_here)  # the value is bound before the annotation runs
        for annotation in _annotations(statement):
            edits += _quoted(annotation, unsafe)
        shadowing.update(bound_here)
    return edits


def _annotations(statement: ast.stmt) -> Iterator[ast.expr]:
    """The annotations a statement of a class body evaluates as it runs."""
    if not _annotates(statement):
        return
    if isinstance(statement, ast.AnnAssign):
        yield statement.annotation
    elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = statement.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        yield from (a.annotation for a in every if a.annotation is not None)
        if statement.returns is not None:
            yield statement.returns


def _quoted(annotation: ast.expr, unsafe: Callable[[set[str]], bool]) -> list[Edit]:
    """The edit quoting ``annotation`` if it names what is ``unsafe``: the type of an
    ``Annotated`` alone when its metadata names nothing unsafe."""
    if isinstance(annotation, ast.Constant) or not unsafe(_names(annotation)):
        return []
    parts = annotated_parts(annotation)
    if parts is not None and not any(unsafe(_names(m)) for m in parts[1:]):
        return _quoted(parts[0], unsafe)
    lines = (annotation.end_lineno or annotation.lineno) - annotation.lineno
    return [(span(annotation), _string(ast.unparse(annotation)) + "\n" * lines)]


def _names(node: ast.expr) -> set[str]:
    """The names an expression reads (by hand rather than by ``ast.walk``: a large module
    has thousands of annotations, most of their nodes the constants of ``Field(...)``)."""
    found: set[str] = set()
    stack: list[ast.AST] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Subscript):
            stack += (item.value, item.slice)
        elif isinstance(item, ast.BinOp):
            stack += (item.left, item.right)
        elif isinstance(item, ast.Tuple | ast.List):
            stack += item.elts
        elif isinstance(item, ast.Attribute):
            stack.append(item.value)
        elif isinstance(item, ast.Call):
            stack += (item.func, *item.args, *(k.value for k in item.keywords))
        elif not isinstance(item, ast.Constant):
            stack += ast.iter_child_nodes(item)
    return found


def _string(text: str) -> str:
    """``text`` as a string literal, in double quotes where it has none of its own."""
    return f'"{text}"' if '"' not in text and "\\" not in text else repr(text)
