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
from .edits import replace, without_statements

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
    dropped, _ = _configs(source)
    source = without_statements(source, dropped)
    _, edits = _configs(source)  # found again: the lines above moved what follows them
    return replace(source, edits)


def _configs(source: str) -> tuple[list[ast.stmt], list[tuple[ast.expr | ast.stmt, str]]]:
    """The ``model_config`` statements that say only what a class inherits, and the edits of
    those that say some of it."""
    inherited: dict[str, dict[str, Any]] = {_BASE: base_config()}
    dropped: list[ast.stmt] = []
    edits: list[tuple[ast.expr | ast.stmt, str]] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        config: dict[str, Any] = {}
        for base in reversed(node.bases):  # pydantic merges the first base's last
            config.update(inherited.get(ast.unparse(base), {}))
        for stmt in node.body:
            call = _config_call(stmt)
            if call is None or call.args:
                continue
            kept = [k for k in call.keywords if not _given(k, config)]
            config.update((k.arg, _value(k)) for k in call.keywords if k.arg)
            if not kept and node.body == [stmt]:
                edits.append((stmt, "pass"))  # a class with no body of its own but this
            elif not kept:
                dropped.append(stmt)
            elif len(kept) < len(call.keywords):
                edits.append((call, f"ConfigDict({', '.join(ast.unparse(k) for k in kept)})"))
        inherited[node.name] = config
    return dropped, edits


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
        and [ast.unparse(t) for t in stmt.targets] == ["model_config"]
        and isinstance(stmt.value, ast.Call)
        and ast.unparse(stmt.value.func) == "ConfigDict"
    ):
        return stmt.value
    return None
