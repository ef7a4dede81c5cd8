"""Which component schemas travel in requests, which in responses, and which in both.

Whether a change breaks depends on its direction (a new required property breaks a request body
and is harmless in a response), so each component schema is judged by how operations use it,
through any chain of ``$ref`` (parameters, request bodies and responses in ``components`` too).
A schema's direct references are collected once per component; reachability is then a walk over
that small graph, not over the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..load.spec import HTTP_METHODS
from ._change import REQUEST, RESPONSE, Direction
from ._norm import Side, component_name, listing, mapping
from ._operation import SECTIONS, label


@dataclass(frozen=True)
class Usage:
    """Where a component schema travels: its directions, and the operations using it each way."""

    direction: Direction
    operations: Mapping[str, tuple[str, ...]]  # direction -> ``GET /runs``..., in path order


def usage(sides: Iterable[Side]) -> dict[str, Usage]:
    """Component name -> how operations use it, on either side (webhooks included)."""
    found: dict[str, dict[str, dict[str, None]]] = {}
    for side in sides:
        graph = _Graph(side)
        for where, direction, roots in _roots(side):
            for name in graph.reachable(roots):
                found.setdefault(name, {}).setdefault(direction, {})[where] = None
    return {
        name: Usage(frozenset(users), {d: tuple(ops) for d, ops in users.items()})
        for name, users in found.items()
    }


def operations(side: Side) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, operation, path item) for every operation of ``side``.

    Webhooks (3.1 ``webhooks``) are operations too, their path ``webhook <name>``.
    """
    for section in SECTIONS:
        for path, item in mapping(side.doc.data.get(section)).items():
            item = mapping(side.deref(item))
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    yield label(section, path), method, item[method], item


def _roots(side: Side) -> list[tuple[str, str, list[Any]]]:
    """(``GET /runs``, direction, the parts of that operation travelling that way)."""
    found = []
    for path, method, op, item in operations(side):
        where = f"{method.upper()} {path}"
        params = [*listing(item.get("parameters")), *listing(op.get("parameters"))]
        found.append((where, REQUEST, [*params, op.get("requestBody")]))
        found.append((where, RESPONSE, [op.get("responses")]))
    return found


class _Graph:
    """The references between the component schemas of one side, collected on demand."""

    def __init__(self, side: Side) -> None:
        self.side = side
        self.edges: dict[str, set[str]] = {}

    def reachable(self, roots: list[Any]) -> set[str]:
        """Every component schema that ``roots`` lead to."""
        found: set[str] = set()
        todo = list(self.refs(roots))
        while todo:
            name = todo.pop()
            if name not in found:
                found.add(name)
                todo += self.edges_of(name)
        return found

    def edges_of(self, name: str) -> set[str]:
        """The components that component ``name`` refers to directly."""
        if name not in self.edges:
            self.edges[name] = self.refs([self.side.schemas.get(name)])
        return self.edges[name]

    def refs(self, roots: list[Any]) -> set[str]:
        """Component schemas named in ``roots``, looking through other local references."""
        names: set[str] = set()
        seen: set[int] = set()
        todo = list(roots)
        while todo:
            value = todo.pop()
            if isinstance(value, list):
                todo += value
            elif isinstance(value, dict) and id(value) not in seen:
                seen.add(id(value))
                todo += self._step(value, names)
        return names

    def _step(self, value: dict[str, Any], names: set[str]) -> list[Any]:
        ref = value.get("$ref")
        if isinstance(ref, str):
            name = component_name(ref)
            if name is not None:
                names.add(name)
                return [v for k, v in value.items() if k != "$ref"]
            return [self.side.deref(value)]
        return list(value.values())
