"""OpenAPI Overlays 1.0: fix or extend a vendor's spec without editing the vendor's file.

An overlay is a YAML or JSON document (``overlay: 1.0.0``, ``info``, ``actions``); each action
selects nodes of the spec with a JSONPath ``target`` (see ``jsonpath.py``) and either removes
them (``remove: true``, which wins over ``update``) or merges ``update`` into them: into an
object, its properties are merged recursively (objects merged, arrays appended to, other values
replaced); into an array, ``update`` is appended as one more item. Actions run in order, each
on the result of the ones before, and overlays given one after another likewise, all before the
spec is repaired and validated.

An action whose target selects nothing changes nothing, and says so as a warning at its line
in the overlay; a malformed overlay, a target outside the supported JSONPath, or an update that
cannot merge into what it selects, is an error at its line. Whatever an overlay adds is located
in the overlay file: a problem in it points there, not into the spec.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecError, pointer
from .document import Document, load
from .jsonpath import JSONPathError, find

__all__ = ["apply", "overlaid"]

_VERSION = re.compile(r"1\.0\.\d+")
Part = tuple[tuple[str, ...], Document, tuple[str, ...]]


def overlaid(doc: Document, overlays: tuple[Path, ...]) -> tuple[Document, list[Diagnostic]]:
    """``doc`` with each overlay file applied in turn, and their warnings."""
    warnings: list[Diagnostic] = []
    for path in overlays:
        doc, said = apply(doc, load(path, str(path)))
        warnings += said
    return doc, warnings


def apply(doc: Document, overlay: Document) -> tuple[Document, list[Diagnostic]]:
    """``doc`` with ``overlay``'s actions applied, and the warnings of actions that selected
    nothing; :class:`SpecError` (located in the overlay) if an action cannot be applied."""
    actions = _actions(overlay)
    data = copy.deepcopy(doc.data)
    parts: list[Part] = []
    warnings: list[Diagnostic] = []
    for index, action in enumerate(actions):
        where = ("actions", str(index))
        try:
            nodes = find(action["target"], data)
        except JSONPathError as exc:
            raise SpecError([overlay.diagnostic(pointer(*where, "target"), str(exc))]) from None
        if not nodes:
            message = f"target {action['target']} selects nothing in {doc.name}: nothing changed"
            warnings.append(
                replace(
                    overlay.diagnostic(pointer(*where, "target"), message, "warning"),
                    kind="overlay-target",
                )
            )
        elif action.get("remove") is True:
            _remove(overlay, where, data, [path for path, _ in nodes])
        elif "update" in action:
            for path, node in nodes:
                parts += _update(overlay, where, path, node, action["update"])
    sha = hashlib.sha256(f"{doc.sha256} {overlay.sha256}".encode()).hexdigest()
    return replace(doc, data=data, parts=(*doc.parts, *parts), sha256=sha), warnings


def _actions(overlay: Document) -> list[dict[str, Any]]:
    """The overlay's actions; :class:`SpecError` at the first thing Overlay 1.0 does not allow."""
    data = overlay.data
    if not isinstance(data, dict) or not _VERSION.fullmatch(str(data.get("overlay", ""))):
        found = data.get("overlay") if isinstance(data, dict) else None
        message = f"not an Overlay 1.0 document: overlay is {found!r}, not 1.0.x"
        raise SpecError([overlay.diagnostic(pointer("overlay"), message)])
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecError(
            [overlay.diagnostic(pointer("actions"), "actions must be a list of actions")]
        )
    errors = []
    for index, action in enumerate(actions):
        target = action.get("target") if isinstance(action, dict) else None
        if not isinstance(target, str) or not target.startswith("$"):
            message = "an action needs a target: a JSONPath expression starting with '$'"
            errors.append(overlay.diagnostic(pointer("actions", str(index)), message))
        elif "update" not in action and action.get("remove") is not True:
            message = "an action needs an update or remove: true"
            errors.append(overlay.diagnostic(pointer("actions", str(index)), message))
    if errors:
        raise SpecError(errors)
    return actions


def _remove(overlay: Document, where: tuple[str, ...], data: Any, paths: list[Any]) -> None:
    if () in paths:
        message = "remove cannot remove the whole document"
        raise SpecError([overlay.diagnostic(pointer(*where, "remove"), message)])
    # Later items first, so removing one does not move the others.
    for path in sorted(paths, key=lambda p: [(isinstance(t, int), t) for t in p], reverse=True):
        parent = data
        for token in path[:-1]:
            parent = parent[token]
        del parent[path[-1]]


def _update(
    overlay: Document, where: tuple[str, ...], path: tuple[Any, ...], node: Any, update: Any
) -> list[Part]:
    """Merge ``update`` into ``node`` (at ``path``); the parts of the document it added."""
    at = tuple(str(t) for t in path)
    source = (*where, "update")
    if isinstance(node, list):
        node.append(copy.deepcopy(update))
        return [((*at, str(len(node) - 1)), overlay, source)]
    if isinstance(node, dict) and isinstance(update, dict):
        return _merge(node, update, at, overlay, source)
    kind = "an object" if isinstance(node, dict) else type(node).__name__
    message = f"update cannot merge a {type(update).__name__} into {kind} at {pointer(*at)}"
    raise SpecError([overlay.diagnostic(pointer(*source), message)])


def _merge(
    node: dict[str, Any],
    update: dict[str, Any],
    at: tuple[str, ...],
    overlay: Document,
    source: tuple[str, ...],
) -> list[Part]:
    parts: list[Part] = []
    for key, value in update.items():
        here, there = (*at, str(key)), (*source, str(key))
        current = node.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            parts += _merge(current, value, here, overlay, there)
        elif isinstance(current, list) and isinstance(value, list):
            start = len(current)
            current.extend(copy.deepcopy(value))
            parts += [
                ((*here, str(start + i)), overlay, (*there, str(i))) for i in range(len(value))
            ]
        else:
            node[key] = copy.deepcopy(value)
            parts.append((here, overlay, there))
    return parts
