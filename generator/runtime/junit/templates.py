"""The arguments of a submit's calls, rendered from the templates its spec declares.

A template is JSON where ``"{name}"`` stands for a value (see :mod:`.submit` for the names). A
template that is one placeholder takes its value's type; in a longer text a value is written as
text (a bool as JSON writes it, a list or an object as compact JSON, nothing for no value). A key whose value is unknown is left out, and so is an object
left empty. In a list, ``{"each": "results", "item": {...}}`` makes one item per entry of the
list the values hold under ``each:results``. Each template is parsed once and rendered per case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._values import dump, to_text

__all__ = ["Render", "compile_template", "render"]

Render = Callable[[Mapping[str, object]], object]
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)\}", re.IGNORECASE)
_MISSING: Any = object()


def render(template: object, values: Mapping[str, object]) -> object:
    """``template`` with its placeholders filled from ``values`` (see the module docstring)."""
    return compile_template(template)(values)


def compile_template(template: object) -> Render:
    """A function that renders ``template``: parsed once, called once per case."""
    if isinstance(template, str):
        return _compile_text(template)
    if isinstance(template, Mapping):
        return _compile_object([(str(k), compile_template(t)) for k, t in template.items()])
    if isinstance(template, list):
        return _compile_list(template)
    return lambda values: template


def _compile_text(template: str) -> Render:
    whole = _PLACEHOLDER.fullmatch(template)
    if whole is not None:
        name = whole.group(1)

        def value(values: Mapping[str, object]) -> object:
            found = values.get(name)
            return _MISSING if found is None else found

        return value
    if "{" not in template:
        return lambda values: template
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, ..., text
    return lambda values: "".join(
        _text(values.get(part)) if index % 2 else part for index, part in enumerate(parts)
    )


def _compile_object(items: list[tuple[str, Render]]) -> Render:
    def render_object(values: Mapping[str, object]) -> object:
        kept = {}
        for key, render_value in items:
            value = render_value(values)
            if value is not _MISSING:
                kept[key] = value
        return kept if kept or not items else _MISSING

    return render_object


def _compile_list(template: Sequence[object]) -> Render:
    parts: list[tuple[str | None, Render]] = []
    for item in template:
        if isinstance(item, Mapping) and "each" in item:
            parts.append((f"each:{item['each']}", compile_template(item.get("item"))))
        else:
            parts.append((None, compile_template(item)))

    def render_list(values: Mapping[str, object]) -> object:
        out: list[object] = []
        for each, render_item in parts:
            if each is None:
                rendered = render_item(values)
                if rendered is not _MISSING:
                    out.append(rendered)
                continue
            found = values.get(each)
            for scoped in found if isinstance(found, list) else ():
                rendered = render_item({**values, **scoped})
                if rendered is not _MISSING:
                    out.append(rendered)
        return out

    return render_list


def _text(value: object) -> str:
    """A value inside longer text: a scalar as text, a list or an object as compact JSON."""
    if value is None:
        return ""
    try:
        return to_text(value)
    except TypeError:
        return json.dumps(dump(value), separators=(",", ":"), ensure_ascii=False)
