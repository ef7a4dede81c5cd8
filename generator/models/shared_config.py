"""The model configuration every class shares, said once: by the base class, not by each class.

datamodel-code-generator writes ``model_config = ConfigDict(extra="allow", populate_by_name=True)``
into every model (the options of :mod:`.library` ask for both: unknown fields kept, fields
filled by name as well as by wire name). The runtime's ``_model_base.BaseModel``, which every
model extends, carries that configuration, and pydantic merges a class's configuration over its
bases'. So each key of a class's configuration whose value the class inherits (from the base
class, or from the generated classes it extends) is dropped here, and a configuration left empty
with it: a class states only where it differs from what it extends.
The base class's configuration is read from the runtime's source, the one place it is written.
"""

from __future__ import annotations

import ast
from functools import cache
from typing import Any

from .. import runtime
from .edits import Edit, apply, span, whole_lines

_BASE = "BaseModel"


@cache
def base_config() -> dict[str, Any]:
    """The keys and values of the runtime ``BaseModel``'s ``model_config``."""
    tree = ast.parse(runtime.source("_model_base.py"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == _BASE:
            for stmt in node.body:
                call = _config_call(stmt)
                if call is not None:
                    return {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    raise RuntimeError("the runtime's _model_base.py defines no BaseModel.model_config")


def shared_config(source: str) -> str:
    """``source`` with the keys of each ``model_config`` that its class inherits dropped."""
    if "model_config" not in source:
        return source
    return apply(source, config_edits(ast.parse(source)))


def config_edits(tree: ast.Module) -> list[Edit]:
    """The edits of :func:`shared_config` in the module ``tree`` was parsed from: the
    ``model_config`` statements that say only what a class inherits go, those that say some of
    it keep the rest."""
    inherited: dict[str, dict[str, Any]] = {_BASE: base_config()}
    edits: list[Edit] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        config: dict[str, Any] = {}
        for base in reversed(node.bases):  # pydantic merges the first base's last
            config.update(inherited.get(base.id if isinstance(base, ast.Name) else "", {}))
        for stmt in node.body:
            call = _config_call(stmt)
            if call is None or call.args:
                continue
            kept = [k for k in call.keywords if not _given(k, config)]
            config.update((k.arg, _value(k)) for k in call.keywords if k.arg)
            if not kept and node.body == [stmt]:
                edits.append((span(stmt), "pass"))  # a class with no body of its own but this
            elif not kept:
                edits.append((whole_lines(stmt), ""))
            elif len(kept) < len(call.keywords):
                text = f"ConfigDict({', '.join(ast.unparse(k) for k in kept)})"
                edits.append((span(call), text))
        inherited[node.name] = config
    return edits


_UNKNOWN = object()  # a value that is no literal: equal to nothing inherited


def _value(keyword: ast.keyword) -> Any:
    try:
        return ast.literal_eval(keyword.value)
    except ValueError:
        return _UNKNOWN


def _given(keyword: ast.keyword, inherited: dict[str, Any]) -> bool:
    """Whether the class inherits this keyword's value already."""
    if keyword.arg is None or keyword.arg not in inherited:
        return False
    value, given = _value(keyword), inherited[keyword.arg]
    return value is not _UNKNOWN and value == given and type(value) is type(given)


def _config_call(stmt: ast.stmt) -> ast.Call | None:
    """The ``ConfigDict(...)`` call of a ``model_config = ConfigDict(...)`` statement."""
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(target := stmt.targets[0], ast.Name)
        and target.id == "model_config"
        and isinstance(stmt.value, ast.Call)
        and isinstance(func := stmt.value.func, ast.Name)
        and func.id == "ConfigDict"
    ):
        return stmt.value
    return None
