"""The public surface of a generated package, read statically, and what a change to it breaks.

The spec diff judges a change by reading the spec; this is the second net, on the code side. The
package generated from the base spec and the one generated from the revision are read with
:mod:`ast` (nothing is imported): client classes and their resource attributes, resource methods
with their parameters (positional or keyword, required or not), model classes with their fields,
enum classes with their members. A name that disappears, a parameter that becomes required or
changes position breaks code written against the client. Each such finding carries *anchors*
(the operation and the schema it comes from) so it can be matched with the spec diff's
client-breaking changes: a finding no such change covers means the spec diff missed a break.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..diagnostics import split_pointer
from ..diff import CLIENT, Report
from ..naming import class_name


@dataclass(frozen=True)
class Item:
    """One public name, e.g. ``RunsResource.get(run_id)``, and the facts callers depend on."""

    kind: str
    name: str
    required: bool = False
    position: int | None = None
    anchors: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class Finding:
    """A surface change that breaks callers: what happened to which name."""

    kind: str
    name: str
    detail: str
    anchors: frozenset[str] = field(default=frozenset(), compare=False)


Surface = dict[str, Item]
_OPERATION = re.compile(r"^([A-Z]+) (/.*)$")
_STRUCTURE = {"items": "Item", "additionalProperties": "Value"}
_COMBINERS = ("anyOf", "oneOf", "allOf")


def extract(files: dict[str, str]) -> Surface:
    """The surface of a package given as ``{relative path: source}`` (as the pipeline builds it)."""
    surface: Surface = {}
    for path, source in sorted(files.items()):
        if not path.endswith(".py"):
            continue
        tree = ast.parse(source)
        if path == "_client.py":
            items = _clients(tree)
        elif path.startswith("resources/"):
            items = _resources(tree)
        elif path == "models.py":
            items = _models(tree)
        else:
            continue
        surface.update((item.name, item) for item in items)
    return surface


def _public_classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node


def _clients(tree: ast.Module) -> Iterator[Item]:
    for cls in _public_classes(tree):
        yield Item("client", cls.name)
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                yield Item("resource", f"{cls.name}.{node.target.id}")
            elif isinstance(node, ast.FunctionDef) and _is_cached_property(node):
                yield Item("resource", f"{cls.name}.{node.name}")


def _is_cached_property(node: ast.FunctionDef) -> bool:
    """A resource attribute the client builds on first use (``@cached_property``)."""
    names = {ast.unparse(d) for d in node.decorator_list}
    return not node.name.startswith("_") and bool(
        names & {"cached_property", "functools.cached_property"}
    )


def _resources(tree: ast.Module) -> Iterator[Item]:
    endpoints = _endpoints(tree)
    for cls in _public_classes(tree):
        yield Item("resource class", cls.name)
        methods = [n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for node in methods:
            if not node.name.startswith("_"):
                yield from _method(f"{cls.name}.{node.name}", node, endpoints)


def _endpoints(tree: ast.Module) -> dict[str, frozenset[str]]:
    """The anchors of each module-level ``NAME = Endpoint(method=, path=, body_model=)``."""
    found = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        func = node.value.func
        if isinstance(func, ast.Name) and func.id == "Endpoint":
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = _route_anchors(node.value)
    return found


def _route_anchors(call: ast.Call) -> frozenset[str]:
    """``op:`` and ``path:`` of a call's ``method=``/``path=``; ``schema:`` of its ``body_model=``."""
    words = {k.arg: k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)}
    verb, path = words.get("method"), words.get("path")
    found = (
        {f"op:{verb} {path}", f"path:{path}"}
        if isinstance(verb, str) and isinstance(path, str)
        else set()
    )
    for keyword in call.keywords:
        if keyword.arg == "body_model" and isinstance(keyword.value, ast.Name):
            found.add(_schema_anchor(keyword.value.id))
    return frozenset(found)


def _method(
    name: str, node: ast.FunctionDef | ast.AsyncFunctionDef, endpoints: dict[str, frozenset[str]]
) -> Iterator[Item]:
    anchors = _call_anchors(node, endpoints)
    yield Item("method", name, anchors=anchors)
    args = node.args
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional[1:], start=1):  # [0] is self
        required = index < first_default
        yield Item("parameter", f"{name}({arg.arg})", required, index, anchors)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        yield Item("parameter", f"{name}({arg.arg})", default is None, None, anchors)


def _call_anchors(node: ast.AST, endpoints: dict[str, frozenset[str]]) -> frozenset[str]:
    """The operation a method sends and its body model: an ``Endpoint`` constant it names, or
    an inline ``RequestOptions(method=, path=)`` and ``dump_body(Model, ...)``."""
    found: set[str] = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Name) and call.id in endpoints:
            found |= endpoints[call.id]
        if not isinstance(call, ast.Call):
            continue
        callee = call.func.id if isinstance(call.func, ast.Name) else ""
        if callee == "RequestOptions":
            found |= _route_anchors(call)
        elif callee == "dump_body" and call.args and isinstance(call.args[0], ast.Name):
            found.add(_schema_anchor(call.args[0].id))
    return frozenset(found)


def _models(tree: ast.Module) -> Iterator[Item]:
    for cls in _public_classes(tree):
        anchors = frozenset({_schema_anchor(cls.name)})
        yield Item("model", cls.name, anchors=anchors)
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.target.id not in ("model_config", "root"):
                    name = f"{cls.name}.{node.target.id}"
                    yield Item("field", name, node.value is None, anchors=anchors)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    # Dunders (``__test__``) are class settings, not enum members.
                    name = target.id if isinstance(target, ast.Name) else "__"
                    if name != "model_config" and not name.startswith("__"):
                        yield Item("member", f"{cls.name}.{name}", anchors=anchors)


def _schema_anchor(name: str) -> str:
    return "schema:" + re.sub(r"[^a-z0-9]", "", name.lower())


def compare(base: Surface, revision: Surface) -> list[Finding]:
    """Every change from ``base`` to ``revision`` that breaks code written against ``base``."""
    found = [
        Finding(f"{item.kind} removed", name, f"{item.kind} `{name}` is gone", item.anchors)
        for name, item in base.items()
        if name not in revision
    ]
    for name, new in revision.items():
        old = base.get(name)
        if new.kind != "parameter" or (old is None and not new.required):
            continue
        if name.split("(", 1)[0] not in base:  # a new method: no existing call can miss it
            continue
        if old is None:
            found.append(Finding("required parameter added", name, f"`{name}`", new.anchors))
        elif new.required and not old.required:
            found.append(Finding("parameter became required", name, f"`{name}`", new.anchors))
        elif old.position is not None and old.position != new.position:
            text = f"`{name}` was positional #{old.position}, now {_position(new)}"
            found.append(Finding("parameter moved", name, text, new.anchors))
    return sorted(found, key=lambda f: (f.name, f.kind))


def _position(item: Item) -> str:
    return f"positional #{item.position}" if item.position is not None else "keyword-only"


# Removals the spec diff judges itself: when one is not breaking (a deprecation whose sunset date
# passed, a draft operation), the names it takes from the client are intended.
_REMOVALS = frozenset(
    {"path removed", "webhook removed", "operation removed", "parameter removed"}
    | {"property removed"}
)


def unflagged(findings: list[Finding], report: Report) -> list[Finding]:
    """The findings no client-breaking change of the spec diff ``report`` accounts for."""
    covered: set[str] = set()
    for change in report.changes:
        allowed = change.kind in _REMOVALS and not change.breaking  # the diff judged it intended
        if CLIENT in change.breaks or allowed:
            covered |= change_anchors(change.where, change.detail)
    return [f for f in findings if not f.anchors & covered]


def change_anchors(where: str, detail: str) -> set[str]:
    """The operation, path and schemas (hoisted models included) a spec-diff change is about."""
    found = {_schema_anchor(name) for name in re.findall(r"`([^`]+)`", detail)}
    if match := _OPERATION.match(where):
        found |= {f"op:{where}", f"path:{match[2]}"}
    elif where.startswith("/"):
        found.add(f"path:{where}")
    elif where.startswith("#/paths/"):
        tokens = split_pointer(where)
        found.add(f"path:{tokens[1]}")
        if len(tokens) > 2:
            found.add(f"op:{tokens[2].upper()} {tokens[1]}")
    elif where.startswith("#/components/schemas/"):
        found |= {_schema_anchor(name) for name in _hoisted_names(split_pointer(where)[2:])}
    return found


def _hoisted_names(tokens: list[str]) -> Iterator[str]:
    """The schema, then the names the model generator gives to schemas nested along ``tokens``."""
    name, index = tokens[0], 1
    yield name
    while index < len(tokens):
        step = tokens[index]
        if step in _COMBINERS and index + 1 < len(tokens) and tokens[index + 1].isdigit():
            name += f"Option{int(tokens[index + 1]) + 1}"
            index += 1
        elif step in _STRUCTURE:
            name += _STRUCTURE[step]
        elif step != "properties":
            name += class_name(step)
        index += 1
        yield name
