"""YAML text to plain data, as fast as PyYAML's C parser allows, with OpenAPI's reading of it.

Reading is most of the time a diff of two large specs takes, and a good part of generating one,
so the common case is built straight from the C parser's events: no node tree, no ``Mark`` kept,
strings (most scalars) handed over as they are, the few other scalars to PyYAML's constructors.
What that walk does not cover (an alias, an explicit tag, a ``<<`` merge key, a mapping as a key,
several documents) is rare in an OpenAPI document and is left to the node tree, which reads it as
before. Both read a duplicate mapping key as an error (PyYAML alone keeps the last one) and keep
timestamps as the strings they are.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(Exception):
    """A mapping repeats a key; ``line`` is the repetition's (1-based)."""

    def __init__(self, key: object, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


class StrictLoader(BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that rejects duplicate mapping keys and keeps timestamps as strings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The tag of a node, remembered for short scalars.

        The C parser asks PyYAML's pure-Python resolver for every scalar: a fifth of loading
        a large spec, whose scalars are mostly the same few words (``string``, ``object``).
        Tags depend only on the value and on resolvers fixed when this module is imported.
        """
        if kind is not yaml.ScalarNode or len(value) > _REMEMBERED_LENGTH:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        key = (value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            if len(_TAGS) >= _REMEMBERED_TAGS:
                _TAGS.clear()
            tag = _TAGS[key] = super().resolve(kind, value, implicit)
        return tag


_TAGS: dict[tuple[str, Any], str] = {}
_REMEMBERED_LENGTH = 64
_REMEMBERED_TAGS = 100_000


# OpenAPI is JSON: dates stay strings (YAML 1.1 would turn 2025-01-31 into a date object).
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_str)
# YAML 1.1 wants a dot and a signed exponent in a float, so `9.2e18` or `1e-3` stayed strings;
# JSON (and YAML 1.2) read them as numbers.
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_NON_SPECIFIC = (None, "!")  # a tag the resolver decides: none written, or `!`


def load_yaml(text: str) -> Any:
    """The data of one YAML document (``None`` for an empty one), read as :mod:`json` would
    read the same JSON; :class:`DuplicateKey` for a repeated key, ``yaml.YAMLError`` for the rest.
    """
    loader = StrictLoader(text)
    try:
        return _from_events(loader)
    except _Unusual:
        pass
    finally:
        loader.dispose()
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _construct(node, loader)
    except _MergeKey:
        return load_strict(text)
    finally:
        loader.dispose()


def load_strict(text: str) -> Any:
    """PyYAML's own reading of ``text`` with :class:`StrictLoader`: every YAML construct."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


class _Unusual(Exception):
    """A construct the event walk leaves to the node tree."""


class _MergeKey(Exception):
    """A `<<` merge key: rare in OpenAPI, left to PyYAML's own constructor."""


_NO_KEY = object()  # an open mapping waiting for its next key


def _from_events(loader: StrictLoader) -> Any:
    """The data of the one document of ``loader``'s stream, from the parser's events.

    ``opened`` holds the collections being filled, innermost last, and ``keys`` beside each the
    key its next value goes under (``_NO_KEY``: the next scalar is a key).
    """
    get = loader.get_event
    get()  # StreamStartEvent
    if isinstance(get(), yaml.StreamEndEvent):
        return None
    opened: list[Any] = []
    keys: list[Any] = []
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = opened.pop()
            keys.pop()
            if not opened:
                break
            continue
        value = _start(event, kind, loader)
        if opened:
            _place(opened[-1], keys, value, event, kind)
        elif kind is yaml.ScalarEvent:
            break  # the document is one scalar
        if kind is not yaml.ScalarEvent:
            opened.append(value)
            keys.append(_NO_KEY)
    get()  # DocumentEndEvent
    if not isinstance(get(), yaml.StreamEndEvent):  # a second document: the node tree says so
        raise _Unusual
    return value


def _start(event: Any, kind: type[yaml.Event], loader: StrictLoader) -> Any:
    """A scalar's value, or the empty collection a start event opens."""
    if kind is yaml.ScalarEvent:
        return _scalar(event, loader)
    if kind is yaml.AliasEvent or event.tag not in _NON_SPECIFIC:
        raise _Unusual
    return {} if kind is yaml.MappingStartEvent else []


def _place(parent: Any, keys: list[Any], value: Any, event: Any, kind: type[yaml.Event]) -> None:
    """Put ``value`` in the innermost open collection: an item, a key, or a key's value."""
    if type(parent) is list:
        parent.append(value)
    elif (key := keys[-1]) is not _NO_KEY:
        parent[key] = value
        keys[-1] = _NO_KEY
    elif kind is not yaml.ScalarEvent:  # a mapping or a list as a key
        raise _Unusual
    elif value in parent:
        raise DuplicateKey(value, event.start_mark.line + 1)
    else:
        keys[-1] = value


def _scalar(event: Any, loader: StrictLoader) -> Any:
    tag = event.tag
    if tag not in _NON_SPECIFIC:
        raise _Unusual
    if not event.implicit[0]:  # quoted: a string
        return event.value
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag == _MERGE:
        raise _Unusual
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return loader.construct_object(node)


def _construct(node: yaml.Node, loader: StrictLoader) -> Any:
    """The data of a composed node tree, built in one walk (PyYAML's constructor is slower)."""
    if type(node) is yaml.ScalarNode:
        return node.value if node.tag == _STR else loader.construct_object(node)
    if type(node) is yaml.SequenceNode:
        return [_construct(item, loader) for item in node.value]
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            raise _MergeKey
        key = _construct(key_node, loader)
        if not isinstance(key, str | int | float | bool | None):
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, "found unhashable key", mark)
        if key in result:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = _construct(value_node, loader)
    return result
