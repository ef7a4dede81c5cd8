"""The models stage: component schemas -> ``models.py`` source, by datamodel-code-generator.

Two decisions are ours: every enum is *open* (a reference to an enum becomes ``Enum | str``),
because vendors add statuses without notice and a client that rejects a new status breaks a
CI pipeline; and every model keeps unknown fields (``extra="allow"``), so nothing the server
sent is lost. The stage runs as the modules are named:

- :mod:`.hoist`: a document transform run first, inline schemas of operations as components;
- :mod:`.names`: the class name of each component, and where it ended up in the output;
- :mod:`.prepare`, :mod:`.enums`, :mod:`.hierarchy`: rewrites of a copy of the schemas before
  the library sees them (3.0 forms, open enums, ``allOf`` hierarchies it can build);
- :mod:`.library`: the one call into datamodel-code-generator (:mod:`.split`: two at once on
  a large document);
- :mod:`.patch`, :mod:`.typed`: the patches of its output that no input or option replaces;
- :mod:`.docstrings`, :mod:`.shared_config`: its output made to read as written by hand
  (one-line docstrings, the configuration every model shares said once, by the base class);
- :mod:`.evaluated`: annotations the interpreter evaluates, not strings pydantic compiles one
  by one on import (quoted only where the class body cannot evaluate them yet);
- :mod:`.read`: the classes and fields read back, for the lowering to type arguments with.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from ..diagnostics import SpecError, pointer
from ..load.document import Document
from .docstrings import docstring_edits
from .edits import apply
from .enums import open_enums
from .evaluated import evaluated_edits
from .hierarchy import bases_first, unlooped_bases
from .hoist import hoist_inline_schemas
from .library import warm_up
from .names import class_names, field_aliases, found_classes, renamed
from .not_tests import pytest_edits
from .patch import (
    RULE_IMPORTS,
    class_of,
    exact_multiples,
    inject_rules,
    wire_names_first,
    without_rebuilds,
    without_unused_imports,
)
from .prepare import as_31, split_rules, undeprecated_roots, write_only_unrequired
from .read import (
    ModelClass,
    ModelField,
    ModelsModule,
    fields_of,
    read_classes,
    read_enum_values,
    read_imports,
)
from .shared_config import config_edits
from .split import models_source
from .typed import typed_fields, union_members
from .unions import discriminator_edits, may_discriminate, with_discriminator_imports
from .values import empty_enums, inline_values

__all__ = [
    "ModelClass",
    "ModelField",
    "ModelsModule",
    "empty_enums",
    "fields_of",
    "generate_models",
    "hoist_inline_schemas",
    "split_rules",
    "union_members",
    "warm_up",
]

_EMPTY = '"""Models: this API declares no component schemas."""\n'


def generate_models(doc: Document, workers: int = 1) -> ModelsModule:
    """Run datamodel-code-generator over the document's component schemas; with ``workers``
    > 1, a large document's in two processes (:mod:`.split`)."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    if not schemas:
        return ModelsModule(source=_EMPTY, classes={}, imports={})
    names = class_names(list(schemas))
    # 3.0 schemas, and 3.0 habits (boolean exclusive bounds) left in 3.1 documents.
    schemas = write_only_unrequired(undeprecated_roots(as_31(inline_values(schemas))))
    components, enums = open_enums(unlooped_bases(renamed(schemas, names)))
    components, rules = split_rules(components)
    components = bases_first(components)
    try:
        source = models_source(components, field_aliases(components), workers)
    except Exception as exc:  # the library fails on odd schemas in many ways: report them
        where = pointer("components", "schemas", *_named(str(exc), names))
        message = f"datamodel-code-generator cannot turn these schemas into models: {exc}"
        raise SpecError([doc.diagnostic(where, message)]) from exc
    source = typed_fields(exact_multiples(wire_names_first(without_rebuilds(source))), enums)
    source = _tidied(source, _tagged(schemas, names))
    tree = ast.parse(source)
    classes = read_classes(tree)
    rules = {class_of(name, classes): rule for name, rule in rules.items()}
    # Both keep every line where it is: the tree places the second as it placed the first.
    source = apply(source, evaluated_edits(tree))
    return ModelsModule(
        source=inject_rules(source, tree, rules),
        classes=classes,
        imports=read_imports(ast.parse(RULE_IMPORTS) if rules else None, tree),
        names=found_classes(doc, names, classes),
        # Read here, from the one parse: the rules injected above add no enum value.
        enums=read_enum_values(tree),
    )


def _tidied(source: str, tagged: frozenset[str]) -> str:
    """``source`` with the patches that edit apart from one another made from one parse (each a
    tenth of a second or more on a large module): unions discriminated, docstrings compact, the
    shared configuration said once, classes hidden from pytest; then the imports they use."""
    tree = ast.parse(source)
    unions = discriminator_edits(source, tree, tagged) if may_discriminate(source) else []
    source = apply(
        source, [*unions, *docstring_edits(tree), *config_edits(tree), *pytest_edits(tree)]
    )
    return without_unused_imports(with_discriminator_imports(source) if unions else source)


def _tagged(schemas: dict[str, Any], names: dict[str, str]) -> frozenset[str]:
    """The classes of the schemas that declare a ``discriminator`` without a union: bases of
    an ``allOf`` hierarchy, which the library replaces with the union of their subclasses."""
    return frozenset(
        names.get(name, name)
        for name, schema in schemas.items()
        if isinstance(schema, dict)
        and "discriminator" in schema
        and not schema.get("oneOf")
        and not schema.get("anyOf")
    )


_NAMED = re.compile(r"\(#/components/schemas/([^)#/]+)")


def _named(message: str, names: dict[str, str]) -> list[str]:
    """The component the library's ``message`` names first (``A (#/components/schemas/A)``),
    as the spec names it; none if it names none of them."""
    found = _NAMED.search(message)
    components = [c for c, cls in names.items() if found and cls == found[1]]
    return components[:1]
