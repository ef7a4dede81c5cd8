"""External ``$ref``s: a spec spread over several files, made the one document it stands for.

A spec may ``$ref`` other YAML or JSON files of its folder tree (``resources/x/models.yml#/Y``),
and those files may ``$ref`` further ones. The files are read by the caller's ``open`` (the
loader's, so :mod:`generator.load.document` stays the only reader of spec files) and the references are
resolved with ``referencing``, the library jsonschema uses: URI joining and JSON pointers
(``~0``, ``~1``, percent-escapes) follow the RFCs rather than a resolver of our own. The result
is what the same spec written as one file by hand would be, so it generates the same package:

- a target the main file names as a component (``components/schemas/Y: {$ref: 'x.yml#/Y'}``)
  is inlined there, and every other ``$ref`` to it becomes ``#/components/schemas/Y``: the model
  keeps its name, and a recursive model recurses through its component;
- a target in the main file becomes a local ``$ref`` to it;
- any other target is inlined where it is referenced; keys beside the ``$ref`` (``description``,
  ``summary``) replace the target's keys of the same name, as OpenAPI's Reference Object says.

Refused, each at the file and line of its ``$ref``: a URL or an absolute path (nothing is ever
fetched from the network or read outside the tree), a path that leaves the main file's folder,
a file or fragment that does not exist, a plain-name fragment, and a cycle no component breaks.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from ..diagnostics import Diagnostic, SpecError, pointer, split_pointer

if TYPE_CHECKING:
    from referencing import Resource
    from referencing.typing import URI

# Files get URIs under a base of our own so that referencing can join relative references;
# retrieving one only ever hands back a file this module has already opened through `open`.
_BASE = "file:///"
_MAX_DEPTH = 64  # nested inlinings: deeper than any real spec, shallower than the stack
_MAX_INLINED = 100_000  # refs inlined in all: a bound on specs that grow exponentially
_DRIVE = re.compile(r"^[A-Za-z]:")


class Part(Protocol):
    """What this module needs of a parsed file: its data, and lines for its diagnostics."""

    @property
    def data(self) -> Any:
        """The parsed content."""

    def diagnostic(self, ptr: str, message: str, severity: str = "error") -> Diagnostic:
        """A diagnostic at ``ptr`` in this file."""


class Unreadable(Exception):
    """A referenced file cannot be opened (missing, outside the tree): said at the ``$ref``."""


Open = Callable[[str], Part]
Placed = tuple[tuple[str, ...], str, tuple[str, ...]]  # bundle path, file, pointer in that file


@dataclass(frozen=True)
class Bundle:
    """The one document: its data, the files read (main first) and where each inlined part came from."""

    data: Any
    files: dict[str, Part]
    placed: tuple[Placed, ...]


def has_external(value: Any) -> bool:
    """Whether any ``$ref`` in ``value`` points outside its own file."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def bundle(main: str, root: Part, open_: Open) -> Bundle:
    """Resolve every external ``$ref`` of ``root`` (the file ``main``); SpecError if any fails."""
    return _Bundler(main, root, open_).run()


@dataclass(frozen=True)
class _Here:
    """Where the walk is: in which file, at which pointer, and the refs being inlined."""

    file: str
    tokens: tuple[str, ...]
    resolver: Any
    stack: tuple[tuple[str, str], ...] = ()

    def child(self, key: object) -> _Here:
        return _Here(self.file, (*self.tokens, str(key)), self.resolver, self.stack)


@dataclass(frozen=True)
class _Target:
    file: str
    tokens: tuple[str, ...]
    contents: Any
    resolver: Any

    @property
    def key(self) -> tuple[str, str]:
        return self.file, pointer(*self.tokens)


class _Bundler:
    def __init__(self, main: str, root: Part, open_: Open) -> None:
        self.main, self.open = main, open_
        self.files: dict[str, Part] = {main: root}
        self.found: list[Diagnostic] = []
        self.placed: list[Placed] = []
        self.inlined = 0
        # Imported here: only a spec that references other files is bundled, and every command
        # of the generator would pay for the import.
        from referencing import Registry

        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self.resolver = registry.resolver(base_uri=_uri(main))
        self.components = self._components(root.data)

    def run(self) -> Bundle:
        data = self._walk(self.files[self.main].data, _Here(self.main, (), self.resolver), ())
        if self.found:
            raise SpecError(list(dict.fromkeys(self.found)))
        return Bundle(data, self.files, tuple(self.placed))

    def _components(self, data: Any) -> dict[tuple[str, str], tuple[str, ...]]:
        """Each external target the main file names as a component, with that component's path."""
        named: dict[tuple[str, str], tuple[str, ...]] = {}
        sections = data.get("components")
        for section, entries in sections.items() if isinstance(sections, dict) else ():
            for name, entry in entries.items() if isinstance(entries, dict) else ():
                ref = entry.get("$ref") if isinstance(entry, dict) else None
                path = ("components", str(section), str(name))
                if isinstance(ref, str) and not ref.startswith("#"):
                    target = self._find(ref, _Here(self.main, (*path, "$ref"), self.resolver))
                    if target is not None and target.file != self.main:
                        named.setdefault(target.key, path)
        return named

    def _walk(self, value: Any, here: _Here, out: tuple[str, ...]) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and (here.file != self.main or not ref.startswith("#")):
                return self._ref(value, ref, here, out)
            return {k: self._walk(v, here.child(k), (*out, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, here.child(i), (*out, str(i))) for i, v in enumerate(value)]
        return value

    def _ref(self, value: dict[Any, Any], ref: str, here: _Here, out: tuple[str, ...]) -> Any:
        """The value of a ``$ref`` leaving its file (or inside an inlined file)."""
        at = here.child("$ref")
        target = self._find(ref, at)
        if target is None:
            return value
        siblings = {
            k: self._walk(v, here.child(k), (*out, str(k))) for k, v in value.items() if k != "$ref"
        }
        local = self._local(target, out)
        if local is not None:
            return {k: (local if k == "$ref" else siblings.get(k)) for k in value}
        if not self._may_inline(target, ref, at):
            return value
        self.placed.append((out, target.file, target.tokens))
        inner = _Here(target.file, target.tokens, target.resolver, (*here.stack, target.key))
        inlined = self._walk(target.contents, inner, out)
        if not siblings:
            return inlined
        # Keys beside the $ref are written in the referring file: their lines are there.
        self.placed += [((*out, str(k)), here.file, (*here.tokens, str(k))) for k in siblings]
        if not isinstance(inlined, dict):
            self._fail(at, f"$ref {ref!r}: keys beside it need a mapping to apply to")
            return value
        return {**inlined, **siblings}

    def _local(self, target: _Target, out: tuple[str, ...]) -> str | None:
        """The local ``$ref`` standing for ``target``, or ``None`` when it is inlined here."""
        if target.file == self.main:
            return pointer(*target.tokens)
        component = self.components.get(target.key)
        return None if component is None or component == out else pointer(*component)

    def _may_inline(self, target: _Target, ref: str, at: _Here) -> bool:
        self.inlined += 1
        if target.key in at.stack:
            chain = " -> ".join(f"{f}{p}" for f, p in (*at.stack, target.key))
            why = f"is circular ({chain}); make one of them a component of the main file"
        elif len(at.stack) >= _MAX_DEPTH or self.inlined > _MAX_INLINED:
            why = "nests or repeats external files too deeply to inline"
        else:
            return True
        self._fail(at, f"$ref {ref!r} {why}")
        return False

    def _find(self, ref: str, at: _Here) -> _Target | None:
        """The file, pointer and value ``ref`` (met at ``at``) points at; ``None`` if it fails."""
        file = self._file_of(ref, at)
        if file is None or self._opened(file, ref, at) is None:
            return None
        from referencing.exceptions import Unresolvable

        try:
            resolved = at.resolver.lookup(ref)
        except (Unresolvable, ValueError, TypeError, LookupError):
            fragment = urlsplit(ref).fragment
            self._fail(at, f"$ref {ref!r}: {file} has nothing at #{unquote(fragment)}")
            return None
        tokens = tuple(split_pointer(unquote(urlsplit(ref).fragment)))
        return _Target(file, tokens, resolved.contents, resolved.resolver)

    def _file_of(self, ref: str, at: _Here) -> str | None:
        """The file ``ref`` names, relative to the main file's folder; ``None`` if refused."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith("//"):
            why = "is a URL; only relative paths to files beside the spec are followed"
        elif parts.path.startswith(("/", "\\")) or _DRIVE.match(parts.path):
            why = "is an absolute path; only relative paths to files beside the spec are followed"
        elif parts.fragment and not parts.fragment.startswith("/"):
            why = "has a plain-name fragment; only JSON pointers (#/...) are followed"
        else:
            if not parts.path:
                return at.file
            file = posixpath.normpath(
                posixpath.join(posixpath.dirname(at.file), unquote(parts.path))
            )
            if file != ".." and not file.startswith("../"):
                return file
            why = "leaves the spec's folder"
        self._fail(at, f"$ref {ref!r} {why}")
        return None

    def _opened(self, file: str, ref: str, at: _Here) -> Part | None:
        if file not in self.files:
            try:
                self.files[file] = self.open(file)
            except Unreadable as exc:
                self._fail(at, f"$ref {ref!r}: {exc}")
                return None
            except SpecError as exc:
                self.found += exc.diagnostics
                self._fail(at, f"$ref {ref!r}: {file} cannot be used")
                return None
        return self.files[file]

    def _retrieve(self, uri: URI) -> Resource[Any]:
        """Hand referencing a file already opened (never read anything here)."""
        from referencing import Resource
        from referencing.exceptions import NoSuchResource

        file = unquote(uri.removeprefix(_BASE))
        if not uri.startswith(_BASE) or file not in self.files:
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # an attrs class mypy cannot see into
        return Resource.opaque(self.files[file].data)

    def _fail(self, at: _Here, message: str) -> None:
        part = self.files[at.file]
        self.found.append(part.diagnostic(pointer(*at.tokens), message))


def _uri(file: str) -> str:
    return _BASE + quote(file)
