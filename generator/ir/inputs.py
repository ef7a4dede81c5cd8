"""What a caller may pass: the input form of every annotation, and the request TypedDicts.

The models describe what the server sends back; arguments describe what a caller writes, as
the Stainless SDKs do. So an argument's annotation is its schema's with these widenings, each
something the request model (or the runtime, for parameters) accepts and validates as before:

- a nested object model ``M`` becomes ``MParam | M``: a ``TypedDict`` of its wire names (a
  plain dict literal type-checks against it), or the model itself;
- ``list[T]`` becomes ``Sequence[T]`` and ``dict[K, V]`` ``Mapping[K, V]`` (a tuple is a list);
- a UUID takes ``str | UUID``, a date or date-time ``date | str`` / ``datetime | str``, a URL
  ``str``: pydantic parses the text the vendors' docs write;
- an enum takes its member or any value of its type (``RunStatus | str``): the server may
  accept values the docs do not list, as responses carry them;
- a root model also takes the value it wraps (``TagValues | Mapping[str, Sequence[str]]``).

A TypedDict's keys are wire names, not attribute names, since a dict is sent as given; keys
that are not identifiers, or that would shadow a name its annotations use, are declared with
the functional ``TypedDict("XParam", {...})`` syntax.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from .. import ir
from ..models import ModelsModule, fields_of, union_members

# Import lines for names the lowering and the input forms write into annotations.
IMPORTS = {
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
    "Required": "from typing import Required",
    "TypedDict": "from typing import TypedDict",
    "Sequence": "from collections.abc import Sequence",
    "Mapping": "from collections.abc import Mapping",
    # The same, spelled in full where a model takes the short name (a component `Sequence`).
    "collections.abc.Sequence": "import collections.abc",
    "collections.abc.Mapping": "import collections.abc",
    "datetime": "from datetime import datetime",
    "date": "from datetime import date",
    "UUID": "from uuid import UUID",
    "NoneType": "from types import NoneType",
    # The plain types of the runtime's formats (``_formats.py``), which a caller passes.
    "time": "from datetime import time",
    "timedelta": "from datetime import timedelta",
    "Decimal": "from decimal import Decimal",
    "IPv6Address": "from ipaddress import IPv6Address",
    # Files in request bodies (``_files.py``): multipart parts and raw uploads.
    "FileTypes": "from ._files import FileTypes",
    "FileContent": "from ._files import FileContent",
}
# Scalar types (by their module and name) a caller may also give as text.
_TEXT_TOO = {
    ("datetime", "datetime"): ["datetime", "str"],
    ("datetime", "date"): ["date", "str"],
    ("uuid", "UUID"): ["str", "UUID"],
    **{("pydantic", n): ["datetime", "str"] for n in ("AwareDatetime", "NaiveDatetime")},
    **{("pydantic", n): ["str"] for n in ("AnyUrl", "AnyHttpUrl", "HttpUrl")},
    # The runtime's formats: each the plain type it parses to, or its text.
    **{("._formats", n): ["datetime", "str"] for n in ("AwareDatetime", "NaiveDatetime")},
    **{("._formats", n): ["str", "UUID"] for n in ("UUID", "UUID1", "UUID3", "UUID4", "UUID5")},
    ("._formats", "AnyUrl"): ["str"],
    **{("._formats", n): [n, "str"] for n in ("time", "timedelta", "Decimal", "IPv6Address")},
}
_LISTS = frozenset({"list", "List", "Sequence", "builtins.list"})
_DICTS = frozenset({"dict", "Dict", "Mapping", "builtins.dict"})
_IMPORT = re.compile(r"from (\S+) import (\w+)")
_ENUM_BASE = re.compile(r"^class (\w+)\((\w*Enum)\):", re.MULTILINE)
_ENUM_VALUES = {"IntEnum": "int"}


class Inputs:
    """The input form of annotations, and the TypedDict of each model they reach."""

    def __init__(self, models: ModelsModule) -> None:
        self.models = models
        self._enum_values = {
            m[1]: _ENUM_VALUES.get(m[2], "str") for m in _ENUM_BASE.finditer(models.source)
        }
        self._params: dict[str, str] = {}  # model -> its TypedDict's name
        self._param_names: set[str] = set()  # the values of _params
        self._expanding: set[str] = set()
        # The input containers, in full when a model is named like one.
        self._sequence, self._mapping = (
            name if name not in models.classes else f"collections.abc.{name}"
            for name in ("Sequence", "Mapping")
        )

    def of(self, annotation: str) -> str:
        """``annotation`` (of a parameter or a body field) as a caller may satisfy it."""
        try:
            tree = ast.parse(annotation, mode="eval").body
        except SyntaxError:
            return annotation
        return _joined(self._members(tree))

    def enum_value_type(self, enum: str) -> str:
        """The type of the values of the enum class ``enum`` (``str`` or ``int``)."""
        return self._enum_values.get(enum, "str")

    def _members(self, node: ast.expr) -> list[str]:
        found: list[str] = []
        for member in union_members(node):
            found += self._member(member)
        return found

    def _member(self, node: ast.expr) -> list[str]:
        if isinstance(node, ast.Subscript):
            return (
                [self._generic(node)]
                if ast.unparse(node.value) != "Annotated"
                else self._members(_first(node))
            )
        if isinstance(node, ast.Name | ast.Attribute):
            return self._named(ast.unparse(node))
        return [ast.unparse(node)]

    def _generic(self, node: ast.Subscript) -> str:
        head = ast.unparse(node.value)
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in _LISTS and len(args) == 1:
            return f"{self._sequence}[{_joined(self._members(args[0]))}]"
        if head in _DICTS and len(args) == 2:
            key, value = (_joined(self._members(a)) for a in args)
            return f"{self._mapping}[{key}, {value}]"
        return ast.unparse(node)  # Literal (a const stays exact), tuple, set ...

    def _named(self, name: str) -> list[str]:
        cls = self.models.classes.get(name)
        if cls is None:
            return self._scalar(name)
        if cls.kind == "enum":
            return [name, self.enum_value_type(name)]
        if cls.kind == "root":
            if name in self._expanding or not cls.fields:
                return [name]
            self._expanding.add(name)
            try:
                return [name, *self._members(ast.parse(cls.fields[0].annotation, mode="eval").body)]
            finally:
                self._expanding.discard(name)
        return [self._param(name), name]

    def _scalar(self, name: str) -> list[str]:
        line = self.models.imports.get(name) or IMPORTS.get(name, "")
        found = _IMPORT.match(line)
        members = _TEXT_TOO.get((found[1], found[2]), [name]) if found else [name]
        # ``from datetime import date as date_aliased``: keep the alias the models import.
        return [name if m == found[2] else m for m in members] if found else members

    def _param(self, model: str) -> str:
        if model not in self._params:
            name = model + "Param"
            while name in self.models.classes or name in self._param_names:
                name += "_"
            self._params[model] = name
            self._param_names.add(name)
        return self._params[model]

    def types(self, descriptions: dict[str, str]) -> tuple[ir.ParamType, ...]:
        """The TypedDict of every model an annotation reached, the ones its keys reach too."""
        done: dict[str, ir.ParamType] = {}
        while todo := sorted(set(self._params) - set(done)):
            for model in todo:
                done[model] = self._type(model, descriptions.get(model, ""))
        return tuple(sorted(done.values(), key=lambda t: t.name))

    def _type(self, model: str, description: str) -> ir.ParamType:
        keys = tuple(
            ir.ParamKey(f.wire_name, self.of(f.annotation), f.required, f.description)
            for f in fields_of(self.models.classes, model)
        )
        return ir.ParamType.of(self._params[model], model, description, keys)

    def import_lines(
        self, words: Iterable[str], *, package: str, inside: str = ""
    ) -> tuple[str, ...]:
        """Import lines for the names ``words`` holds, models and TypedDicts from ``package``
        (but from the module ``inside``, which defines them)."""
        words = set(words)
        # A model named like a typing name (`Sequence`) is imported as the model it is.
        lines = {
            _relative_to(IMPORTS.get(w) or self.models.imports.get(w), package)
            for w in words
            if w not in self.models.classes
        }
        if any(w.startswith("builtins.") for w in words):
            lines.add("import builtins")
        for module, names in (
            ("models", set(self.models.classes)),
            ("params", set(self._params.values())),
        ):
            used = sorted(words & names)
            if used and module != inside:
                lines.add(f"from {package}{module} import {', '.join(used)}")
        return tuple(sorted(line for line in lines if line))


def _relative_to(line: str | None, package: str) -> str | None:
    """An import line of ``models.py`` as written in a module that reaches the package's
    modules as ``package`` (``..`` from ``resources/``): ``from ._formats import time``."""
    if line is None or not line.startswith("from .") or line.startswith("from .."):
        return line
    return f"from {package}{line[len('from .') :]}"


def _first(node: ast.Subscript) -> ast.expr:
    return node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice


def _joined(members: list[str]) -> str:
    """``A | B | None``: each member once, ``None`` last."""
    unique = list(dict.fromkeys(members))
    return " | ".join([m for m in unique if m != "None"] + (["None"] if "None" in unique else []))


def words_of(param_types: Iterable[ir.ParamType]) -> set[str]:
    """Every name the module of ``param_types`` uses: its annotations', and the TypedDict's."""
    found = {w for t in param_types for k in t.keys for w in ir.annotation_words(k.declared)}
    return found | {"TypedDict"}
