"""Read a spec: YAML or JSON text -> :class:`Document`, the only place that touches spec files.

A spec may be spread over several files joined by external ``$ref``s: they are read here (from
disk, or through a caller's reader such as ``git show``) and joined by :mod:`generator.load.refs` into
the one document they stand for, which remembers which file each part came from so that every
diagnostic names the file and line where its construct lives. Its ``sha256`` then covers every
file read: the sha256 of their ``sha256sum``-style listing (``<sha256>  <path>`` lines sorted by
path, relative to the main file's folder), so a change in any of them changes the hash.

PyYAML silently keeps the last of two equal mapping keys, so the loader checks for duplicates
while it constructs mappings. Line numbers are only needed when something is wrong, so they are
looked up lazily by re-composing the YAML node tree, which keeps the happy path on the C loader.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, SpecError, pointer, split_pointer
from .refs import Unreadable, bundle, has_external
from .yaml_data import BaseLoader, DuplicateKey, load_strict, load_yaml


@dataclass(frozen=True)
class Document:
    """A parsed spec with its source, so every later stage can point back into the file."""

    name: str
    text: str
    data: Any
    sha256: str
    # Inlined parts of other files: (path in ``data``, that file, pointer in it); longest wins.
    parts: tuple[tuple[tuple[str, ...], Document, tuple[str, ...]], ...] = ()
    # What reading it had to say (an overlay's target that selected nothing).
    notes: tuple[Diagnostic, ...] = ()

    def locate(self, ptr: str) -> tuple[str, int | None]:
        """The file a JSON pointer into ``data`` lives in, and its best line there."""
        doc, tokens = self._origin(ptr)
        return doc.name, doc._line(tokens)

    def _origin(self, ptr: str) -> tuple[Document, tuple[str, ...]]:
        """The file holding ``ptr`` (the inlined part with the longest prefix), and the path in it."""
        tokens = tuple(split_pointer(ptr))
        best: tuple[tuple[str, ...], Document, tuple[str, ...]] | None = None
        for part in self.parts:
            prefix = part[0]
            if tokens[: len(prefix)] == prefix and (best is None or len(prefix) > len(best[0])):
                best = part
        if best is None:
            return self, tokens
        prefix, doc, inner = best
        return doc, (*inner, *tokens[len(prefix) :])

    def line_of(self, ptr: str) -> int | None:
        """Best line for a JSON pointer, in the file it lives in (see :meth:`locate`)."""
        return self.locate(ptr)[1]

    def _line(self, tokens: tuple[str, ...]) -> int | None:
        """Best line in this file's text: the node itself, else its nearest existing parent."""
        node = self._tree
        best = 1 if node is not None else None
        for token in tokens:
            found = _child(node, token)
            if found is None:
                break
            node, best = found
        return best

    @cached_property
    def _tree(self) -> yaml.Node | None:
        """The YAML node tree, composed once: a large spec takes seconds to compose."""
        return _compose(self.text)

    def diagnostic(self, ptr: str, message: str, severity: str = "error") -> Diagnostic:
        """A diagnostic at ``ptr``: for an inlined part, its file, line and pointer in that file."""
        doc, tokens = self._origin(ptr)
        where = ptr if doc is self else pointer(*tokens)
        return Diagnostic(doc.name, doc._line(tokens), where, message, severity)  # type: ignore[arg-type]

    def resolve(self, ref: str) -> Any:
        """The value a local ``$ref`` (``#/components/...``) points at; KeyError if none."""
        if not ref.startswith("#"):
            raise KeyError(ref)
        value = self.data
        for token in split_pointer(ref):
            if isinstance(value, list):
                value = value[int(token)]
            elif isinstance(value, dict) and token in value:
                value = value[token]
            else:
                raise KeyError(ref)
        return value

    def deref(self, value: Any) -> Any:
        """Follow ``$ref`` chains until a value without ``$ref`` (cycles raise KeyError)."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                raise KeyError(ref)
            seen.add(ref)
            value = self.resolve(ref)
        return value


@lru_cache(maxsize=4)
def _compose(text: str) -> yaml.Node | None:
    # Cached: every diagnostic of a document asks for a line, and composing a large document
    # (several MB) takes seconds; the node tree is only ever read.
    try:
        return yaml.compose(text, Loader=BaseLoader)
    except yaml.YAMLError:
        return None


def _child(node: yaml.Node | None, token: str) -> tuple[yaml.Node, int] | None:
    """The child node for ``token`` and its line: a mapping entry's line is its key's."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        item = node.value[int(token)]
        return item, item.start_mark.line + 1
    return None


def _duplicate_pointer(text: str, line: int) -> str:
    """JSON pointer of the mapping holding the duplicate key that starts on ``line``."""
    for path, node in _walk(_compose_unchecked(text), []):
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if key.start_mark.line + 1 == line:
                    return pointer(*path, key.value)
    return "#"


def _compose_unchecked(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _walk(node: yaml.Node | None, path: list[str]) -> Iterator[tuple[list[str], yaml.Node]]:
    if node is None:
        return
    yield path, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(value, [*path, str(key.value)])
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, [*path, str(index)])


def parse(text: str, name: str) -> Document:
    """Parse spec text; raise :class:`SpecError` with a located diagnostic if it is unusable."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        data = _parse_data(text, name)
    except DuplicateKey as dup:
        ptr = _duplicate_pointer(text, dup.line)
        raise SpecError([Diagnostic(name, dup.line, ptr, f"duplicate key {dup.key!r}")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        msg = f"invalid YAML: {exc.problem or exc}"
        raise SpecError([Diagnostic(name, line, "#", msg)]) from None
    except (yaml.YAMLError, json.JSONDecodeError, ValueError) as exc:
        raise SpecError([Diagnostic(name, None, "#", f"cannot parse: {exc}")]) from None
    if data is None:
        raise SpecError([Diagnostic(name, 1, "#", "the file is empty")])
    if not isinstance(data, dict):
        found = type(data).__name__
        raise SpecError([Diagnostic(name, 1, "#", f"a spec must be a mapping, found {found}")])
    return Document(name=name, text=text, data=data, sha256=sha)


def _parse_data(text: str, name: str) -> Any:
    if name.endswith(".json"):
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except _JSONDuplicate:
            # JSON is YAML: the YAML loader finds the same duplicate and knows its line.
            load_strict(text)
            raise
    return load_yaml(text)


class _JSONDuplicate(ValueError):
    """A JSON object repeats a key."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JSONDuplicate(f"duplicate key {key!r}")
        result[key] = value
    return result


Read = Callable[[str], bytes | None]
"""A file of a spec's tree by its path relative to the main file's folder (``None``: no such file)."""


def load(path: Path, name: str | None = None) -> Document:
    """Read and parse the spec file at ``path`` and the files it ``$ref``s; ``name`` is how
    diagnostics name it (the other files are named relative to it)."""
    display = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic(display, None, "#", f"cannot read: {exc.strerror}")]) from None
    root = parse(_decode(raw, display), display)
    return joined(root, path.name, _disk(path.parent), lambda file: sibling(display, file))


def load_tree(main: str, read: Read, name_of: Callable[[str], str]) -> Document:
    """The spec whose main file is ``main``, every file (``main`` too) read with ``read``.

    ``main`` is the main file's name in its folder; ``name_of`` names a file for diagnostics.
    For a spec at a git revision, ``read`` is ``git show``, so every file is read at that revision.
    """
    raw = read(main)
    if raw is None:
        raise SpecError([Diagnostic(name_of(main), None, "#", "cannot read: no such file")])
    return joined(parse(_decode(raw, name_of(main)), name_of(main)), main, read, name_of)


def joined(root: Document, main: str, read: Read, name_of: Callable[[str], str]) -> Document:
    """``root`` with its external ``$ref``s resolved (itself when it has none)."""
    if not has_external(root.data):
        return root

    def open_(file: str) -> Document:
        raw = read(file)
        if raw is None:
            raise Unreadable(f"there is no file {file}")
        return parse(_decode(raw, name_of(file)), name_of(file))

    made = bundle(main, root, open_)
    files: dict[str, Document] = made.files  # type: ignore[assignment]
    listing = "".join(f"{files[f].sha256}  {f}\n" for f in sorted(files))
    sha = hashlib.sha256(listing.encode("utf-8")).hexdigest()
    parts = tuple((out, files[file], inner) for out, file, inner in made.placed)
    return Document(root.name, root.text, made.data, sha, parts)


def sibling(name: str, file: str) -> str:
    """How to name ``file`` (relative to the main file's folder) beside a main file named ``name``."""
    folder = posixpath.dirname(name)
    return posixpath.join(folder, file) if folder else file


def _disk(folder: Path) -> Read:
    """Files under ``folder``; one that resolves (through a symlink) outside it is refused."""
    top = folder.resolve()

    def read(file: str) -> bytes:
        try:
            real = (folder / file).resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop
            raise Unreadable(f"cannot read {file}: a symlink loop") from None
        if not real.is_relative_to(top):
            raise Unreadable(f"{file} leads outside the spec's folder (a symlink)")
        try:
            return real.read_bytes()
        except OSError as exc:
            raise Unreadable(f"cannot read {file}: {exc.strerror}") from None

    return read


def _decode(raw: bytes, display: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError([Diagnostic(display, line, "#", f"not UTF-8: {exc}")]) from None
