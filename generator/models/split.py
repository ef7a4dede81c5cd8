"""A large document's models made by two library runs at once, on schemas that never meet.

datamodel-code-generator is most of the time a large document takes, and it runs on one CPU.
Schemas that do not reference one another, directly or through others, make models that do
not either, so the components fall into groups (the connected parts of their ``$ref`` graph)
and the groups into two halves of about the same size, one generated in a forked process while
this one generates the other. The two modules are then joined: their imports merged, each
class name that both chose renamed in the half where it is not a component's (a nested
``Item`` beside another nested ``Item`` takes the next free number, as the library itself
numbers them). What cannot be joined safely (a component named like a name the other half
imports, an import block of another shape) is generated in one run, as are small documents,
where the second process would cost more than it saves, and documents whose largest group
is nearly all of them.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

from .edits import Edit, apply, lines_of, span
from .library import run

# Below this many schemas a second run saves less than a fork and the library's set-up cost.
_SMALLEST = 150
# The smaller half must be at least this share of the work for the split to pay.
_SMALLEST_SHARE = 0.1
_SCHEMAS = "#/components/schemas/"


def models_source(components: dict[str, Any], aliases: dict[str, str] | None, workers: int) -> str:
    """The library's models module for ``components`` (an ``$ref``-closed set of schemas)."""
    halves = _halves(components) if workers > 1 and sys.platform == "linux" else None
    if halves is None:
        return run(document(components), aliases)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(halves[1], aliases, sender), daemon=True)
    child.start()
    sender.close()
    try:
        first = run(document(halves[0]), aliases)
        try:
            second = receiver.recv()
        except EOFError:
            second = None
    finally:
        receiver.close()
        child.join()
    if not isinstance(second, str):  # the other run failed: its half is made here, or raises
        second = run(document(halves[1]), aliases)
    joined = _joined(first, second, (set(halves[0]), set(halves[1])))
    return joined if joined is not None else run(document(components), aliases)


def document(components: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document the library reads: ``components`` and nothing else."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": components},
    }


def _send(half: dict[str, Any], aliases: dict[str, str] | None, sender: Any) -> None:
    """The forked run: the half's source, or nothing (the parent then makes it itself)."""
    try:
        sender.send(run(document(half), aliases))
    except Exception:  # noqa: BLE001, S110 - the parent runs it again and reports what it raises
        pass
    finally:
        sender.close()
        os._exit(0)  # no clean-up of the parent's state in a forked copy


def _halves(components: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The components in two halves no ``$ref`` crosses, the larger first; ``None`` when a
    split would not pay."""
    if len(components) < _SMALLEST:
        return None
    weights = {name: len(json.dumps(schema, default=str)) for name, schema in components.items()}
    groups = sorted(_groups(components), key=lambda g: (-sum(weights[n] for n in g), min(g)))
    sides: tuple[set[str], set[str]] = (set(), set())
    loads = [0, 0]
    for group in groups:
        side = 0 if loads[0] <= loads[1] else 1
        sides[side].update(group)
        loads[side] += sum(weights[n] for n in group)
    if min(loads) < _SMALLEST_SHARE * sum(loads):
        return None
    big = 0 if loads[0] >= loads[1] else 1
    first, second = sides[big], sides[1 - big]
    return (
        {n: s for n, s in components.items() if n in first},
        {n: s for n, s in components.items() if n in second},
    )


def _groups(components: dict[str, Any]) -> list[set[str]]:
    """The connected parts of the graph of references between ``components``."""
    parent = {name: name for name in components}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for name, schema in components.items():
        for target in _references(schema, components):
            parent[root(name)] = root(target)
    found: dict[str, set[str]] = {}
    for name in components:
        found.setdefault(root(name), set()).add(name)
    return list(found.values())


def _references(value: Any, components: dict[str, Any]) -> Iterator[str]:
    """The components ``value`` names: ``$ref``s, and discriminator mappings (which may name
    a schema without a reference)."""
    todo = [value]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo += node
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_SCHEMAS):
                yield ref[len(_SCHEMAS) :].split("/")[0]
            mapping = (node.get("discriminator") or {}) if isinstance(node, dict) else {}
            for target in (
                (mapping.get("mapping") or {}).values() if isinstance(mapping, dict) else []
            ):
                name = str(target).removeprefix(_SCHEMAS).split("/")[0]
                if name in components:
                    yield name
            todo += node.values()


_CLASS = re.compile(r"^class ([A-Za-z_]\w*)\b", re.MULTILINE)


def _joined(first: str, second: str, halves: tuple[set[str], set[str]]) -> str | None:
    """One module of the two halves' sources; ``None`` if they cannot be joined safely.

    ``halves``: the components of each half. A class name both halves define is renamed in
    the half where it is no component's (in the second if neither); a class named like a name
    the other half imports is renamed too, unless it is a component's.
    """
    parts = [_parted(first), _parted(second)]
    if parts[0] is None or parts[1] is None:
        return None
    heads = [parts[0][0], parts[1][0]]
    bodies = [parts[0][1], parts[1][1]]
    classes = [set(_CLASS.findall(body)) for body in bodies]
    bound = [_bindings(head) for head in heads]
    if any(bound[0][name] != bound[1][name] for name in bound[0].keys() & bound[1].keys()):
        return None  # one name imported from two places
    imported = [set(b) for b in bound]
    taken = classes[0] | classes[1] | imported[0] | imported[1]
    renames: list[dict[str, str]] = [{}, {}]
    for name in sorted(classes[0] & classes[1]):
        side = 1 if name not in halves[1] else 0
        renames[side][name] = _free(name, taken)
    for side in (0, 1):
        for name in sorted(classes[side] & imported[1 - side]):
            if name in halves[side]:
                return None
            renames[side].setdefault(name, _free(name, taken))
    texts = [_renamed(body, names) for body, names in zip(bodies, renames, strict=True)]
    return f"{_merged_imports(heads)}\n\n\n{texts[0].rstrip()}\n\n\n{texts[1]}"


def _parted(source: str) -> tuple[str, str] | None:
    """The import block of a library module and the rest; ``None`` if the block holds more."""
    found = _CLASS.search(source)
    if found is None:
        return None
    head = source[: found.start()]
    if not all(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.parse(head).body):
        return None
    return head, source[found.start() :]


def _bindings(head: str) -> dict[str, tuple[int, str, str]]:
    """The names an import block binds, each with what it binds: (level, module, name)."""
    found: dict[str, tuple[int, str, str]] = {}
    for node in ast.parse(head).body:
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                found[a.asname or a.name] = (node.level, node.module or "", a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                found[a.asname or a.name.split(".")[0]] = (0, a.name, "")
    return found


def _merged_imports(heads: list[str]) -> str:
    """One import block of several: each module once, its names in the order first met."""
    merged: dict[tuple[str, int, str], dict[str, None]] = {}
    for head in heads:
        for node in ast.parse(head).body:
            if isinstance(node, ast.ImportFrom):
                key = ("from", node.level, node.module or "")
            elif isinstance(node, ast.Import):
                key = ("import", 0, "")
            else:
                continue
            names = merged.setdefault(key, {})
            names.update((_alias(a), None) for a in node.names)
    future = ("from", 0, "__future__")
    lines = [f"from __future__ import {', '.join(merged.pop(future))}"] if future in merged else []
    for (kind, level, module), names in merged.items():
        if kind == "import":
            lines += [f"import {name}" for name in names]
        else:
            lines.append(f"from {'.' * level}{module} import {', '.join(names)}")
    return "\n".join(lines)


def _alias(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _free(name: str, taken: set[str]) -> str:
    """``name`` numbered as the library numbers a repeated name, with a number not taken."""
    number = 1
    while f"{name}{number}" in taken:
        number += 1
    taken.add(f"{name}{number}")
    return f"{name}{number}"


def _renamed(body: str, names: dict[str, str]) -> str:
    """``body`` with each class named in ``names`` renamed, where defined and where used.

    Only the statements whose text names one of them are walked (walking a large module's
    every node took half a second): a name is written as itself, except that Python reads
    a non-ASCII identifier in its normal form, so a line with non-ASCII text is walked too.
    """
    if not names:
        return body
    named = re.compile(rf"\b(?:{'|'.join(map(re.escape, names))})\b".encode())
    lines = lines_of(body)
    found = {n for n, line in enumerate(lines, 1) if not line.isascii() or named.search(line)}
    edits: list[Edit] = []
    for statement in ast.parse(body).body:
        last = statement.end_lineno or statement.lineno
        if found.isdisjoint(range(statement.lineno, last + 1)):
            continue
        edits += _renames(statement, names)
    return apply(body, edits)


def _renames(statement: ast.stmt, names: dict[str, str]) -> list[Edit]:
    edits: list[Edit] = []
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id in names:
            edits.append((span(node), names[node.id]))
        elif isinstance(node, ast.ClassDef) and node.name in names:
            at = node.col_offset + len("class ")
            edits.append(((node.lineno, at, node.lineno, at + len(node.name)), names[node.name]))
    return edits
