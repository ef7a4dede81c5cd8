"""Class names: which class each component schema becomes.

Plain PascalCase component names are kept; the others are derived, distinct from every name
taken and from the names the generated modules import. The schemas are then handed to the
library under those names (:func:`renamed`), and :func:`found_classes` says where each
component ended up in its output.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..diagnostics import SpecError, pointer
from ..load.document import Document
from ..load.spec import mappings
from ..naming import class_name
from .read import ModelClass

# Component names kept as they are: datamodel-code-generator leaves these alone (a name with a
# dot would even become a module of its own), so the class keeps the name the spec uses.
_PLAIN = re.compile(r"[A-Z][A-Za-z0-9]*")


# Names the generated modules import beside the models: models.py (typing, enum, pydantic, the
# cross-field rules' Self) and the resource modules (typing, runtime helpers), which import the
# models they annotate with into the same namespace. A class of one of these names would shadow
# the import, so it gets "Model" appended, as datamodel-code-generator does for its own imports.
RESERVED = frozenset(
    {
        *("Any", "Annotated", "Literal", "Optional", "Union", "Self", "ClassVar"),
        *("Enum", "StrEnum", "IntEnum", "Decimal", "UUID"),
        *("BaseModel", "RootModel", "ConfigDict", "Field", "AwareDatetime", "NaiveDatetime"),
        *("AnyUrl", "EmailStr"),
        *("RequestOptions", "SyncAPIResource", "AsyncAPIResource", "NotGiven", "TimeoutTypes"),
        *("ExtraHeaders", "ExtraQuery", "ExtraBody", "FileTypes", "FileContent"),
        *("Iterator", "AsyncIterator", "Awaitable", "Callable", "PollSpec", "FileInput"),
    }
)


def class_names(components: list[str]) -> dict[str, str]:
    """Component name -> distinct class name; plain PascalCase names are kept as they are.

    Other names (``add``, ``foo.bar``, ``1st``, ``"";``) are derived with :func:`class_name`
    after every plain name is taken, so ``add`` beside ``Add`` becomes ``Add2``, never a
    second ``Add``.
    """
    result = {
        n: n
        for n in components
        if _PLAIN.fullmatch(n) and not keyword.iskeyword(n) and n not in RESERVED
    }
    taken = {n.lower() for n in result}
    for name in components:
        if name in result:
            continue
        base = class_name(name)
        # class_name() marks keywords and builtins with "_"; datamodel-code-generator would
        # rename those again, so they get a suffix that is a word.
        base = base[:-1] + "Model" if base.endswith("_") else base
        base = candidate = base + "Model" if base in RESERVED else base
        counter = 2
        while candidate.lower() in taken:
            candidate, counter = f"{base}{counter}", counter + 1
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def _rebuilt(value: Any, change: Callable[[dict[str, Any], dict[str, Any]], None]) -> Any:
    """A copy of ``value`` built bottom-up; ``change(original, copy)`` adjusts each mapping."""
    if isinstance(value, list):
        return [_rebuilt(item, change) for item in value]
    if not isinstance(value, dict):
        return value
    result = {key: _rebuilt(item, change) for key, item in value.items()}
    change(value, result)
    return result


def renamed(schemas: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """``schemas`` under their class names, every ``$ref`` to them rewritten."""

    def fix(value: dict[str, Any], result: dict[str, Any]) -> None:
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT) and ref[len(COMPONENT) :] in names:
            result["$ref"] = COMPONENT + names[ref[len(COMPONENT) :]]

    return {names[name]: _rebuilt(schema, fix) for name, schema in schemas.items()}


def field_aliases(schemas: dict[str, Any]) -> dict[str, str] | None:
    """Property name -> field name, for each property Python would read as another name.

    Python reads identifiers in NFKC form (U+FF41, FULLWIDTH LATIN SMALL LETTER A, is ``a``).
    The library keeps such a name as the field's and gives it no alias, since it is a valid
    identifier: the wire name would be lost, and ``a`` beside it would be one field. Given a
    field name in normal form, the library writes the alias. It refuses a given name that
    another property's field takes, so a name like another property's is numbered (``a_2``).
    """
    found = {
        str(name)
        for _, node in mappings(schemas, [], named=True)
        if isinstance(node.get("properties"), dict)
        for name in node["properties"]
    }
    skeletons = Counter(map(_skeleton, found))
    aliases: dict[str, str] = {}
    for name in sorted(found):
        normal = unicodedata.normalize("NFKC", name)
        if normal == name:
            continue
        own = _skeleton(name)  # counted once for this very property

        def taken(skeleton: str, own: str = own) -> bool:
            return skeletons[skeleton] > (1 if skeleton == own else 0)

        candidate, counter = normal, 2
        while taken(_skeleton(candidate)):
            candidate, counter = f"{normal}_{counter}", counter + 1
        skeletons[_skeleton(candidate)] += 1
        aliases[name] = candidate
    return aliases or None


def _skeleton(name: str) -> str:
    """What is left of ``name`` in any field name made of it: its letters and digits, lower."""
    return "".join(c for c in unicodedata.normalize("NFKC", name).lower() if c.isalnum())


def found_classes(
    doc: Document, names: dict[str, str], classes: dict[str, ModelClass]
) -> dict[str, str]:
    """Where each component ended up; datamodel-code-generator appends ``Model`` to names
    that would shadow its own imports (``Field``, ``BaseModel``), and numbers a name one of its
    own classes took first. A component whose class cannot be told apart is reported, never
    dropped silently or mapped to the wrong class."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    variants = _variants(classes)
    result, missing = {}, []
    for component, wanted in names.items():
        candidates = [wanted, wanted + "Model", *sorted(variants.get(wanted, ()))]
        fits = [n for n in candidates if n in classes and _fits(schemas.get(component), classes[n])]
        if fits:
            result[component] = fits[0]
            continue
        where = pointer("components", "schemas", component)
        missing.append(doc.diagnostic(where, f"no class could be generated for {component!r}"))
    if missing:
        raise SpecError(missing)
    return result


def _variants(classes: Iterable[str]) -> dict[str, list[str]]:
    """Each name ``W`` mapped to the classes named ``W``, ``W`` + ``Model`` and/or a number."""
    found: dict[str, list[str]] = {}
    for name in classes:
        digits = len(name) - len(name.rstrip("0123456789"))
        for cut in range(digits + 1):
            stem = name[: len(name) - cut]
            for wanted in {stem, stem.removesuffix("Model")} - {""}:
                found.setdefault(wanted, []).append(name)
    return found


def _fits(schema: Any, cls: ModelClass) -> bool:
    """Whether ``cls`` can be the class of ``schema``: an object schema's class has a field
    for each of its properties (all but inherited ones, which ``allOf`` brings)."""
    if not isinstance(schema, dict) or "allOf" in schema:
        return True
    properties = schema.get("properties")
    # `properties: {}` declares nothing: beside a `oneOf` the class is the union's root model.
    if (
        schema.get("type", "object") != "object"
        or not isinstance(properties, dict)
        or not properties
    ):
        return True
    return cls.kind == "model" and set(properties) <= {f.wire_name for f in cls.fields}


COMPONENT = "#/components/schemas/"
