"""What every ``x-`` extension module is made of, and the context its checks and lowering get.

An extension module declares one :class:`Extension`: the key, where it sits, the JSON Schema of
its value, and the hooks the stages call. The registry (:mod:`generator.extensions`) finds the
modules, checks every declaration's shape against its schema, and calls the hooks: ``check``
once the document is valid, ``lower`` when the operation is lowered. :class:`Checks` and
:class:`Lowering` hold what several extensions need alike: the operations by id, their
parameters, the attribute names of model fields.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ..models import ModelsModule, fields_of
from ..naming import class_name, identifier, method_name, operation_method
from .schema_paths import branch, is_array, items_of, request_schema, schema_of, walk

if TYPE_CHECKING:
    from .. import ir

NAME: dict[str, Any] = {"type": "string", "minLength": 1}
NUMBER: dict[str, Any] = {"type": "number", "minimum": 0}
# (location of the operation as JSON pointer steps, the operation object)
Found = tuple[list[str], dict[str, Any]]


@dataclass(frozen=True)
class Extension:
    """One ``x-`` key the generator reads, and what each stage does with it.

    ``on`` says where the key sits. An operation-level key with a ``schema`` has its value's
    shape checked by the registry before ``check`` (located problems that need the whole
    document: referenced operations, property paths) and ``lower`` (the value into the IR
    operation, within its resource) or ``lower_resources`` (once every resource is lowered, for
    a helper that calls operations of other resources) run. ``scan`` checks a key that may sit anywhere (the document, a parameter, any
    schema) with the validator's first pass. ``helper`` gives the default name of the method an
    operation gains (from the operation's method name), so clashes are reported.
    """

    key: str
    on: Literal["document", "operation", "parameter", "schema", "any"]
    schema: dict[str, Any] | None = None
    scan: Callable[[Document, bool], list[Diagnostic]] | None = None
    check: Callable[[Checks, list[str], dict[str, Any], dict[str, Any]], None] | None = None
    lower: Callable[[Lowering, ir.Operation, dict[str, Any]], ir.Operation] | None = None
    lower_resources: (
        Callable[[Document, tuple[ir.Resource, ...]], tuple[ir.Resource, ...]] | None
    ) = None
    helper: Callable[[str], str] | None = None

    def helper_name(self, value: dict[str, Any], op_name: str) -> str:
        """The helper's method name: ``method-name`` if given, else the default."""
        default = self.helper(op_name) if self.helper else op_name
        return method_name(str(value.get("method-name") or default))


# ------------------------------------------------------------------------------ the document


def operations_of(doc: Document) -> Iterator[Found]:
    """Every operation of ``doc`` with its location."""
    for path, item in (doc.data.get("paths") or {}).items():
        item = doc.deref(item)
        for method, op in item.items() if isinstance(item, dict) else ():
            if isinstance(op, dict) and "responses" in op:
                yield ["paths", path, method], op


def params(doc: Document, where: list[str], op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The parameters of the operation at ``where`` (its path item's too), by name."""
    item = doc.deref(doc.data["paths"][where[1]])
    found = [*(item.get("parameters") or []), *(op.get("parameters") or [])]
    return {str(p.get("name")): p for p in (schema_of(doc, p) for p in found)}


def arguments(doc: Document, where: list[str], op: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(every parameter and body field, the required ones) of ``op``, by wire name."""
    by_name = params(doc, where, op)
    body = request_schema(doc, op)
    names = set(by_name) | set(body.get("properties") or {})
    required = {n for n, p in by_name.items() if p.get("required")} | set(
        body.get("required") or ()
    )
    return names, required


def tag(op: dict[str, Any]) -> str:
    """The resource an operation belongs to (its first tag)."""
    return identifier(str((op.get("tags") or ["default"])[0]), "default")


def op_name(op: dict[str, Any]) -> str:
    """The method name the lowering gives ``op`` (the operationId less its ``<tag>_``)."""
    return operation_method(str(op.get("operationId", "")), tag(op))


def _message(error: Any) -> str:
    """The validator's message, except a ``oneOf`` of ``required`` keys: name the keys instead."""
    options = error.validator_value if error.validator == "oneOf" else None
    keys = [o.get("required") for o in options or () if set(o) == {"required"}]
    if options and len(keys) == len(options):
        return "give exactly one of " + ", ".join(repr(k) for ks in keys for k in ks)
    return str(error.message)


class Checks:
    """Collects the located problems of every extension of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.found: list[Diagnostic] = []
        self.by_id = {str(op.get("operationId")): (w, op) for w, op in operations_of(doc)}
        self.taken: dict[str, set[str]] = {}
        for _, op in operations_of(doc):
            self.taken.setdefault(tag(op), set()).add(op_name(op))

    def problem(self, where: list[Any], message: str) -> None:
        self.found.append(self.doc.diagnostic(pointer(*where), message))

    def shape(self, where: list[Any], value: Any, schema: dict[str, Any]) -> bool:
        """Whether ``value`` has the shape ``schema`` describes; a problem per mismatch if not."""
        # Imported here: only validation checks shapes, and lowering should not pay for it.
        from openapi_schema_validator import OAS31Validator

        errors = list(OAS31Validator(schema).iter_errors(value))
        for error in errors:
            self.problem([*where, *error.absolute_path], f"{where[-1]}: {_message(error)}")
        return not errors

    def name(self, where: list[Any], op: dict[str, Any], name: str) -> None:
        """A problem if a helper called ``name`` clashes with another method of the resource."""
        names = self.taken.setdefault(tag(op), set())
        if name in names:
            self.problem(
                where,
                f"helper method {name!r} clashes with another method of {tag(op)!r}; set method-name",
            )
        names.add(name)

    def has_property(self, where: list[Any], schema: dict[str, Any], name: str, what: str) -> bool:
        if name in (schema.get("properties") or {}):
            return True
        self.problem(where, f"{what} {name!r} is not a property of the schema")
        return False

    def operation(self, where: list[Any], op_id: str, same_tag: object) -> Found | None:
        """The operation ``op_id`` names, which must exist and carry the tag ``same_tag``."""
        target = self.by_id.get(op_id)
        if target is None:
            self.problem(where, f"operationId {op_id!r} does not exist")
            return None
        if (target[1].get("tags") or [None])[0] != same_tag:
            self.problem(where, f"operation {op_id!r} must have the same tag ({same_tag!r})")
            return None
        return target

    def path(self, where: list[Any], root: Any, path: str, what: str, owner: str) -> Any:
        """The schema at dotted ``path`` from ``root`` (for ``every``: its items), else a problem."""
        steps, problem = walk(self.doc, root, path)
        if problem is not None:
            self.problem(where, f"{what} {path!r} is not a property path of {owner}: {problem}")
            return None
        if what != "every":
            return steps[-1].raw
        if not is_array(self.doc, steps[-1].raw):
            self.problem(where, f"every {path!r} is not an array property")
            return None
        return items_of(self.doc, steps[-1].raw)


# Keys whose values are data (examples, defaults) or names (properties), not spec objects: an
# ``x-`` key inside them is a property called so, or part of an example.
_NOT_OBJECTS = frozenset({"example", "const", "enum", "value"})
_NAME_MAPS = frozenset({"properties", "patternProperties"})


def spec_objects(
    value: Any, path: list[str | int]
) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """Every mapping of the document that is a spec object (not example data, not a name map),
    with its location."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if _is_data(path, key, item):
                continue
            if key in _NAME_MAPS and isinstance(item, dict):
                for name, sub in item.items():
                    yield from spec_objects(sub, [*path, key, name])
            else:
                yield from spec_objects(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from spec_objects(item, [*path, index])


def _is_data(path: list[str | int], key: str, item: Any) -> bool:
    """Whether ``item`` under ``key`` holds values rather than spec objects.

    A schema's ``examples`` is a list of values, a media type's a map of Example Objects; a
    ``default`` under ``responses`` is a Response Object, elsewhere a value.
    """
    if key == "examples":
        return not isinstance(item, dict)
    if key == "default":
        return path[-1:] != ["responses"]
    return key in _NOT_OBJECTS


# ------------------------------------------------------------------------------ lowering


def field(models: ModelsModule, model: str | None, wire: str) -> str:
    """The attribute name of property ``wire`` on ``model`` (the wire name if unknown)."""
    for found in fields_of(models.classes, model or ""):
        if found.wire_name == wire:
            return found.name
    return wire


def item_annotation(models: ModelsModule, model: str | None, wire: str) -> str:
    """``X`` for a property annotated ``list[X]`` (or ``list[X] | None``)."""
    fields = fields_of(models.classes, model or "")
    annotation = next((f.annotation for f in fields if f.wire_name == wire), "")
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return "Any"
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("list", "builtins.list"):
            return ast.unparse(node.slice)
    return "Any"


def model_of(models: ModelsModule, ref_holder: dict[str, Any]) -> str | None:
    """The model class a ``$ref`` holder names, if any."""
    ref = ref_holder.get("$ref", "") if isinstance(ref_holder, dict) else ""
    name = ref.rsplit("/", 1)[-1]
    return name if name in models.classes else (class_name(name) if name else None)


class Lowering:
    """What lowering an extension of one resource's operation needs."""

    def __init__(self, doc: Document, models: ModelsModule, ops: list[ir.Operation]) -> None:
        self.doc, self.models = doc, models
        self.raw = {str(op.get("operationId")): (w, op) for w, op in operations_of(doc)}
        self.names = {op.operation_id: op.name for op in ops}

    def field(self, model: str | None, wire: str) -> str:
        return field(self.models, model, wire)

    def item_annotation(self, model: str | None, wire: str) -> str:
        return item_annotation(self.models, model, wire)

    def model_of(self, ref_holder: dict[str, Any]) -> str | None:
        return model_of(self.models, ref_holder)

    def steps(self, holder: Any, path: str) -> tuple[tuple[tuple[str, str], ...], Any]:
        """(attribute, wire name) of each step of ``path`` from ``holder``; the last step's schema."""
        found = []
        for step in walk(self.doc, holder, path)[0]:
            model = self.model_of(branch(self.doc, holder))
            found.append((self.field(model, step.wire), step.wire))
            holder = step.raw
        return tuple(found), holder
