"""Thin driver of datamodel-code-generator: component schemas -> ``models.py`` source.

Two decisions are ours, made on a copy of the schemas before the library sees them:
every enum is *open* (a reference to an enum becomes ``Enum | str``), because vendors add
statuses without notice and a client that rejects a new status breaks a CI pipeline; and every
model keeps unknown fields (``extra="allow"``), so nothing the server sent is lost.

The generated source is then read back with :mod:`ast` so the client templates can type keyword
arguments with exactly the annotations the models use.
"""

from __future__ import annotations

import ast
import copy
import keyword
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .diagnostics import SpecError, pointer
from .load import Document
from .naming import class_name, literal
from .not_tests import hidden_from_pytest

JSON_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


@dataclass(frozen=True)
class ModelField:
    """One field of a generated model."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelClass:
    """One class of the generated ``models.py``."""

    name: str
    kind: str  # "model", "enum" or "root"
    fields: tuple[ModelField, ...]  # its own, as written in its body
    bases: tuple[str, ...] = ()  # the generated classes it extends (an allOf of components)


def fields_of(classes: dict[str, ModelClass], name: str) -> tuple[ModelField, ...]:
    """Every field of class ``name``, inherited ones included, in pydantic's order.

    An ``allOf`` of components becomes a class with bases and often no body fields of its own
    (``class C(A, B)``); pydantic orders the fields from the last base to the first, then its own,
    a redefinition keeping the first place.
    """
    cls = classes.get(name)
    if cls is None:
        return ()
    found: dict[str, ModelField] = {}
    for base in reversed(cls.bases):
        found.update((f.name, f) for f in fields_of(classes, base))
    found.update((f.name, f) for f in cls.fields)
    return tuple(found.values())


@dataclass(frozen=True)
class ModelsModule:
    """The generated models source and what it defines."""

    source: str
    classes: dict[str, ModelClass]
    imports: dict[str, str]  # name used in annotations -> "from x import name"
    names: dict[str, str] = field(default_factory=dict)  # component name -> class name


def generate_models(doc: Document) -> ModelsModule:
    """Run datamodel-code-generator over the document's component schemas."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    if not schemas:
        return ModelsModule(source=_EMPTY, classes={}, imports={})
    names = class_names(list(schemas))
    # 3.0 schemas, and 3.0 habits (boolean exclusive bounds) left in 3.1 documents.
    schemas = undeprecated_roots(as_31(schemas))
    schemas, empty_name = named_empty_properties(schemas)
    components, enums = open_enums(renamed(schemas, names))
    components, rules = split_rules(components)
    components = bases_first(components)
    subset = {
        "openapi": "3.1.0",
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": components},
    }
    try:
        source = _run_datamodel_codegen(subset)
    except Exception as exc:  # the library fails on odd schemas in many ways: report them
        where = pointer("components", "schemas")
        message = f"datamodel-code-generator cannot turn these schemas into models: {exc}"
        raise SpecError([doc.diagnostic(where, message)]) from exc
    if empty_name:  # the property named "" keeps its wire name
        source = re.sub(f"alias=(['\"]){re.escape(empty_name)}\\1", 'alias=""', source)
    source = hidden_from_pytest(typed_fields(source, enums))
    tree = ast.parse(source)
    classes = read_classes(tree)
    rules = {_class_of(name, classes): rule for name, rule in rules.items()}
    return ModelsModule(
        source=inject_rules(source, tree, rules),
        classes=classes,
        imports=read_imports(ast.parse(_RULE_IMPORTS) if rules else None, tree),
        names=_found(doc, names, classes),
    )


def hoist_request_bodies(doc: Document) -> Document:
    """``doc`` where each inline JSON object request body is a component of its own.

    A ``$ref`` body becomes a model whose fields are the method's keyword arguments; an inline
    one would be a bare ``dict[str, Any]``. Each is named ``<OperationId>Request`` (a number
    appended if a component has the name), so it gets the same typed arguments.
    """
    from .spec import HTTP_METHODS

    data = doc.data if isinstance(doc.data, dict) else {}
    schemas = dict((data.get("components") or {}).get("schemas") or {})
    taken = {name.lower() for name in schemas} | {n.lower() for n in class_names(list(schemas))}
    paths: dict[str, Any] = {}
    changed = False
    for path, item in (data.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        item = dict(item)
        for method in HTTP_METHODS:
            op = item.get(method)
            body = op.get("requestBody") if isinstance(op, dict) else None
            if not isinstance(op, dict) or not isinstance(body, dict):
                continue
            content = body.get("content")
            if not isinstance(content, dict):
                continue
            media = {k: v for k, v in content.items() if "json" in k and isinstance(v, dict)}
            inline = {
                k: v
                for k, v in media.items()
                if isinstance(v.get("schema"), dict)
                and "$ref" not in v["schema"]
                and v["schema"].get("type", "object") == "object"
                and isinstance(v["schema"].get("properties"), dict)
            }
            if not inline:
                continue
            base = class_name(str(op.get("operationId") or f"{method}_{path}")).rstrip("_")
            wanted = name = base + "Request"
            counter = 2
            while name.lower() in taken:
                name, counter = f"{wanted}{counter}", counter + 1
            taken.add(name.lower())
            ref = {"$ref": f"#/components/schemas/{name}"}
            schemas[name] = next(iter(inline.values()))["schema"]
            content = {
                k: ({**v, "schema": ref} if k in inline and v["schema"] is schemas[name] else v)
                for k, v in content.items()
            }
            item[method] = {**op, "requestBody": {**body, "content": content}}
            changed = True
        paths[path] = item
    if not changed:
        return doc
    components = {**(data.get("components") or {}), "schemas": schemas}
    return replace(doc, data={**data, "paths": paths, "components": components})


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


def as_31(schema: Any) -> Any:
    """A 3.0 schema in 3.1 form, which datamodel-code-generator types more precisely.

    ``nullable: true`` becomes a ``null`` branch (3.0 input makes it annotate an optional,
    non-nullable field ``str = None``, which mypy rejects), boolean ``exclusiveMinimum`` /
    ``exclusiveMaximum`` become numbers, and an array without ``items`` holds anything.
    """
    if isinstance(schema, list):
        return [as_31(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    frozen = ("enum", "examples", "example", "default", "const", "properties")
    result = {k: (v if k in frozen else as_31(v)) for k, v in schema.items()}
    if isinstance(schema.get("properties"), dict):
        result["properties"] = {k: as_31(v) for k, v in schema["properties"].items()}
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(result.get(bound), bool):
            flag = result.pop(bound)
            if flag and limit in result:
                result[bound] = result.pop(limit)
    if result.pop("nullable", False) is True:
        result = _with_null(result)
    return _null_or_scalar(result)


def undeprecated_roots(schemas: dict[str, Any]) -> dict[str, Any]:
    """Components that become root models without ``deprecated``, said in their description.

    The library writes ``Field(deprecated=True)`` on a root model's ``root`` field, and
    pydantic then refuses to set ``root``: the model cannot be built, nor its response read.
    """
    result = {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and schema.get("deprecated") and not _is_class(schema):
            schema = {k: v for k, v in schema.items() if k != "deprecated"}
            schema["description"] = " ".join(
                [str(schema.get("description") or ""), "Deprecated."]
            ).strip()
        result[name] = schema
    return result


def _is_class(schema: dict[str, Any]) -> bool:
    """Whether the library makes a plain class of ``schema`` (not a root model)."""
    return "properties" in schema or "allOf" in schema


_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
_NOT_PLAIN = frozenset({"$ref", "enum", "const", "anyOf", "oneOf", "allOf", "not", "default"})


def _null_or_scalar(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [<scalar>, {type: null}]`` as one scalar schema with ``type: [<t>, null]``.

    Left as a union, a constrained branch (``integer``, ``maximum: 20``) becomes a root model
    of its own, so the field is typed ``TopLogprobs | None`` instead of
    ``Annotated[int | None, Field(le=20)]``, and a subclass that narrows the field to a plain
    ``int`` no longer agrees with it.
    """
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if not isinstance(branches, list) or len(branches) != 2:
            continue
        nulls = [b for b in branches if b == {"type": "null"}]
        scalars = [
            b
            for b in branches
            if isinstance(b, dict) and _scalar_type(b) and not _NOT_PLAIN & set(b)
        ]
        if len(nulls) != 1 or len(scalars) != 1 or set(schema) & (_NOT_PLAIN - {key, "default"}):
            continue
        scalar = scalars[0]
        outer = {k: v for k, v in schema.items() if k != key}
        return {**scalar, **outer, "type": [scalar["type"], "null"]}
    return schema


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str) and not {"$ref", "allOf", "oneOf", "anyOf"} & set(schema):
        enum = schema.get("enum")
        extra = {"enum": [*enum, None]} if isinstance(enum, list) and None not in enum else {}
        return {**schema, "type": [kind, "null"], **extra}
    keep: dict[str, Any] = {
        k: schema.pop(k) for k in ("description", "title", "default") if k in schema
    }
    return {"anyOf": [schema, {"type": "null"}], **keep}


def named_empty_properties(schemas: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """``schemas`` where a property named ``""`` has a placeholder name, and that name.

    datamodel-code-generator turns ``""`` into a field ``field_`` without an alias, so the
    wire name would be lost. Under a placeholder (a name no property of the document has) it
    gets an alias, which is then written back as ``""``.
    """
    taken: set[str] = set()

    def names(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("properties"), dict):
                taken.update(map(str, value["properties"]))
            for item in value.values():
                names(item)
        elif isinstance(value, list):
            for item in value:
                names(item)

    names(schemas)
    if "" not in taken:
        return schemas, None
    placeholder, counter = "empty-name", 2
    while placeholder in taken:
        placeholder, counter = f"empty-name-{counter}", counter + 1

    def fix(_: dict[str, Any], result: dict[str, Any]) -> None:
        if isinstance(result.get("properties"), dict) and "" in result["properties"]:
            result["properties"] = {
                (placeholder if key == "" else key): item
                for key, item in result["properties"].items()
            }
            if isinstance(result.get("required"), list):
                result["required"] = [placeholder if r == "" else r for r in result["required"]]

    return _rebuilt(schemas, fix), placeholder


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
        if isinstance(ref, str) and ref.startswith(_COMPONENT) and ref[len(_COMPONENT) :] in names:
            result["$ref"] = _COMPONENT + names[ref[len(_COMPONENT) :]]

    return {names[name]: _rebuilt(schema, fix) for name, schema in schemas.items()}


def _found(doc: Document, names: dict[str, str], classes: dict[str, ModelClass]) -> dict[str, str]:
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
    if schema.get("type", "object") != "object" or not isinstance(properties, dict):
        return True
    return cls.kind == "model" and set(properties) <= {f.wire_name for f in cls.fields}


_COMPONENT = "#/components/schemas/"
_EMPTY = '"""Models: this API declares no component schemas."""\n'


def _run_datamodel_codegen(subset: dict[str, Any]) -> str:
    # Imported here: the library takes ~0.5 s to import and only `generate` needs it.
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate(
            subset,
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            extra_fields="allow",
            field_constraints=True,
            # A property an `allOf` part redeclares must satisfy every part (JSON Schema), not
            # the last one, and its type is then one every base class agrees with.
            intersect_allof_keywords=True,
            use_annotated=True,
            strict_nullable=True,
            disable_timestamp=True,
            use_schema_description=True,
            use_field_description=True,
            use_double_quotes=True,
            allow_population_by_field_name=True,
            snake_case_field=True,
            capitalise_enum_members=True,
            use_standard_collections=True,
            # pydantic's EmailStr needs the email-validator package, and a generated client
            # depends on httpx and pydantic alone: an email address is a string.
            type_mappings=["email=string"],
            # No formatting here: emit.py formats every generated file in one ruff run anyway,
            # and black + isort inside the library cost more than the rest of its work.
            formatters=[],
        )
    if not isinstance(result, str):
        raise TypeError(f"datamodel-code-generator returned {type(result).__name__}, not source")
    return _strip_banner(result)


# --- cross-field rules: presence constructs datamodel-code-generator does not enforce ---------

_RULE_KEYS = frozenset({"required", "anyOf", "oneOf", "allOf", "not", "dependentRequired"})
_RULE_NAMES = frozenset({"title", "description"})


def is_presence_rule(schema: Any) -> bool:
    """Whether ``schema`` only says which properties must (not) be present: a cross-field rule."""
    if not isinstance(schema, dict) or not set(schema) & _RULE_KEYS:
        return False
    if not set(schema) <= _RULE_KEYS | _RULE_NAMES:
        return False
    branches = [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *schema.get("allOf", ())]
    nested = [schema["not"]] if "not" in schema else []
    return all(is_presence_rule(sub) for sub in branches + nested)


def _split_one(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    rest, rules = dict(schema), {}
    for key in ("anyOf", "oneOf"):
        if isinstance(rest.get(key), list) and all(map(is_presence_rule, rest[key])):
            rules[key] = rest.pop(key)
    if is_presence_rule(rest.get("not")):
        rules["not"] = rest.pop("not")
    if isinstance(rest.get("dependentRequired"), dict):
        rules["dependentRequired"] = rest.pop("dependentRequired")
    parts = rest.pop("allOf", None) or []
    if [p for p in parts if is_presence_rule(p)]:
        rules["allOf"] = [p for p in parts if is_presence_rule(p)]
    if [p for p in parts if not is_presence_rule(p)]:
        rest["allOf"] = [p for p in parts if not is_presence_rule(p)]
    return rest, rules


def split_rules(schemas: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Object schemas without their cross-field rules, and the rules of each (by schema name).

    The rules are ``anyOf``/``oneOf``/``allOf`` of presence-only subschemas, ``not`` and
    ``dependentRequired``: left in, datamodel-code-generator would turn them into unions.
    """
    kept, rules = {}, {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and schema.get("properties"):
            kept[name], found = _split_one(schema)
            if found:
                rules[name] = found
        else:
            kept[name] = schema
    return kept, rules


def _class_of(name: str, classes: dict[str, ModelClass]) -> str:
    return name if name in classes else class_name(name)


_VALIDATOR = """

    @model_validator(mode="after")
    def _check_cross_field_rules(self) -> Self:
        \"\"\"The spec's cross-field rules; a broken one raises, naming it.\"\"\"
        return check_rules(self, {rule})
"""
_RULE_IMPORTS = (
    "from typing import Self\n"
    "from pydantic import model_validator\n"
    "from ._rules import check_rules\n"
)


def inject_rules(source: str, tree: ast.Module, rules: dict[str, dict[str, Any]]) -> str:
    """``source`` (parsed as ``tree``) with a ``model_validator`` checking its rules appended
    to each class."""
    if not rules:
        return source
    lines = _lines(source)
    ends = {
        node.name: node.end_lineno or 0
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in rules
    }
    for name, end in sorted(ends.items(), key=lambda item: -item[1]):
        lines.insert(end, _VALIDATOR.format(rule=literal(rules[name])).encode())
    future = [i for i, line in enumerate(lines) if line.startswith(b"from __future__")]
    head = future[0] + 1 if future else 0
    lines.insert(head, _RULE_IMPORTS.encode())
    return b"".join(lines).decode()


# --- end of cross-field rules


# --- defaults of fields typed by a root model or an enum ------------------------------------


def typed_fields(source: str, widened: dict[str, str]) -> str:
    """``source`` with widened enums, typed defaults and narrowed overrides, from one parse.

    Widened enums: see :func:`_widen`; the other two read the widened annotations.

    Typed defaults: datamodel-code-generator writes the spec's default as it is
    (``voice: VoiceIdsShared = "alloy"``), with ``validate_default`` so pydantic turns it into
    the field's type at run time; mypy rejects the assignment. Written as the value pydantic
    makes of it (``VoiceIdsShared("alloy")``, ``Colour.RED``), the default is typed for both.

    Narrowed overrides: an ``allOf`` that lists ``required: [role]`` beside a ``$ref`` makes
    the subclass declare ``role`` again, typed from the property schema (``Role | str``),
    while the base class may type it more narrowly (``Literal["assistant"]``, when it is a
    union's discriminator). A value must satisfy both, so the subclass takes the base's type;
    mypy rejects the wider one. A field whose default was just typed keeps its own type.
    """
    tree = ast.parse(source)
    lines = _lines(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    # Each widened annotation is swapped, in the tree, for the parse of its new text, so the
    # passes below read it; its edit replaces the original node.
    slots = {id(new): (old, new, text) for old, new, text in _widen(classes, widened, lines)}
    owner = {id(n): key for key, (_, new, _) in slots.items() for n in ast.walk(new)}
    defaults = _typed_defaults(classes)
    retyped = {id(node) for node, _ in defaults}
    inside: dict[int, list[tuple[ast.expr, str]]] = {}
    edits = list(defaults)
    for node, text in _narrowed_overrides(classes, retyped):
        if id(node) in owner:  # within a widened annotation: edit its new text
            inside.setdefault(owner[id(node)], []).append((node, text))
        else:
            edits.append((node, text))
    for key, (old, _, text) in slots.items():
        edits.append((old, _replace(text, inside.get(key, []))))
    return _replace(source, edits)


def _typed_defaults(classes: dict[str, ast.ClassDef]) -> list[tuple[ast.expr, str]]:
    order = {name: index for index, name in enumerate(classes)}
    edits: list[tuple[ast.expr, str]] = []
    for owner in classes.values():
        for stmt in owner.body:
            if not isinstance(stmt, ast.AnnAssign) or stmt.value is None:
                continue
            try:
                value = ast.literal_eval(stmt.value)
            except ValueError:
                continue
            annotation = _unannotated(stmt.annotation)
            if _holds(value, annotation):
                continue
            typed = _typed(value, annotation, classes, set())
            # A default is evaluated when its class is created: only classes defined earlier.
            if typed and all(order.get(n, -1) < order[owner.name] for n in typed[1]):
                edits.append((stmt.value, typed[0]))
    return edits


def _narrowed_overrides(
    classes: dict[str, ast.ClassDef], retyped: set[int]
) -> list[tuple[ast.expr, str]]:
    edits: list[tuple[ast.expr, str]] = []
    for node in classes.values():
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                continue
            mine = _unannotated(stmt.annotation)
            theirs = _inherited(stmt.target.id, node, classes, set())
            if theirs is None or ast.unparse(theirs) == ast.unparse(mine):
                continue
            if not _narrower(theirs, mine):
                continue
            if stmt.value is not None:
                if id(stmt.value) in retyped:
                    continue
                try:
                    if not _holds(ast.literal_eval(stmt.value), theirs):
                        continue
                except ValueError:
                    continue
            edits.append((mine, ast.unparse(theirs)))
    return edits


def _inherited(
    name: str, node: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: set[str]
) -> ast.expr | None:
    for base in node.bases:
        parent = classes.get(ast.unparse(base))
        if parent is None or parent.name in seen:
            continue
        seen.add(parent.name)
        for stmt in parent.body:
            if isinstance(stmt, ast.AnnAssign) and ast.unparse(stmt.target) == name:
                return _unannotated(stmt.annotation)
        found = _inherited(name, parent, classes, seen)
        if found is not None:
            return found
    return None


def _narrower(narrow: ast.expr, wide: ast.expr) -> bool:
    """Whether every value of ``narrow`` is, to mypy, a value of ``wide`` (checked simply)."""
    wide_members = {ast.unparse(m) for m in union_members(wide)}
    for member in union_members(narrow):
        if ast.unparse(member) in wide_members:
            continue
        if isinstance(member, ast.Subscript) and ast.unparse(member.value) == "Literal":
            args = member.slice
            values = [
                e.value if isinstance(e, ast.Constant) else e
                for e in (args.elts if isinstance(args, ast.Tuple) else [args])
            ]
            if all(_holds(v, wide) for v in values):
                continue
        return False
    return True


def _replace(source: str, edits: list[tuple[ast.expr, str]]) -> str:
    """``source`` with each node's text replaced, nodes taken from the end of the text."""
    if not edits:
        return source
    lines = _lines(source)
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head, tail = lines[start][: node.col_offset], lines[end][node.end_col_offset or 0 :]
        lines[start : end + 1] = [head + text.encode() + tail]
    return b"".join(lines).decode()


def _lines(source: str) -> list[bytes]:
    """The lines of ``source`` as ``ast`` counts them, in the bytes its column offsets count."""
    return source.encode().splitlines(keepends=True)


def _segment(node: ast.expr, lines: list[bytes]) -> str:
    """The source text of ``node``, from the ``_lines`` of the source it was parsed from."""
    start, end = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if start == end:
        return lines[start][node.col_offset : node.end_col_offset].decode()
    middle = b"".join(lines[start + 1 : end])
    return (lines[start][node.col_offset :] + middle + lines[end][: node.end_col_offset]).decode()


def _unannotated(annotation: ast.expr) -> ast.expr:
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        inner = annotation.slice
        return inner.elts[0] if isinstance(inner, ast.Tuple) else inner
    return annotation


def union_members(annotation: ast.expr) -> list[ast.expr]:
    """The members of ``A | B | C`` (a single annotation is a union of one)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return union_members(annotation.left) + union_members(annotation.right)
    return [annotation]


_PLAIN_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def _holds(value: Any, annotation: ast.expr) -> bool:
    """Whether mypy accepts the literal ``value`` where ``annotation`` is expected."""
    for member in union_members(annotation):
        if isinstance(member, ast.Constant) and member.value is None and value is None:
            return True
        if isinstance(member, ast.Name):
            if member.id == "Any":
                return True
            kinds = _PLAIN_TYPES.get(member.id, ())
            if isinstance(value, kinds) and (member.id == "bool" or not isinstance(value, bool)):
                return True
        if isinstance(member, ast.Subscript):
            outer, args = ast.unparse(member.value), member.slice
            elts = args.elts if isinstance(args, ast.Tuple) else [args]
            if outer == "Literal" and any(_same(value, e) for e in elts):
                return True
            if outer == "list" and isinstance(value, list):
                held = all(_holds(item, elts[0]) for item in value)
            elif outer == "dict" and isinstance(value, dict) and len(elts) == 2:
                held = all(_holds(k, elts[0]) and _holds(v, elts[1]) for k, v in value.items())
            else:
                held = False
            if held:
                return True
    return False


def _same(value: Any, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value
    )


def _typed(
    value: Any, annotation: ast.expr, classes: dict[str, ast.ClassDef], seen: set[str]
) -> tuple[str, set[str]] | None:
    """Source of a value of ``annotation`` made from ``value``, and the classes it names."""
    if _holds(value, annotation):
        return repr(value), set()
    for member in union_members(annotation):
        if not isinstance(member, ast.Name) or member.id not in classes or member.id in seen:
            continue
        node = classes[member.id]
        bases = {ast.unparse(b) for b in node.bases}
        if bases & {"StrEnum", "IntEnum", "Enum"}:
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and isinstance(stmt.targets[0], ast.Name)
                    and _same(value, stmt.value)
                ):
                    return f"{node.name}.{stmt.targets[0].id}", {node.name}
        elif any(b.startswith("RootModel") for b in bases):
            root = next(
                (
                    s.annotation
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "root"
                ),
                None,
            )
            inner = root and _typed(value, _unannotated(root), classes, seen | {node.name})
            if inner:
                return f"{node.name}({inner[0]})", inner[1] | {node.name}
    return None


def _strip_banner(source: str) -> str:
    lines = source.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def open_enums(schemas: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A copy of ``schemas`` with enums closed and hoisted; the type each enum also accepts.

    Inline enums and inline objects are first hoisted into components named
    ``<Parent><Property>``, so that no generated class can take a component's name. Enum
    components become closed ``Enum`` classes (without a ``None`` member). The second value
    maps each enum component to the annotation every reference to it takes instead of the
    bare class, ``Enum | <base type>`` (``| None`` when the enum allowed null):
    ``typed_fields`` writes it into the generated source.

    Where the library merges or splits schemas (the branches of ``anyOf``, ``oneOf`` and
    ``allOf``, and every component an ``allOf`` lists), it would copy a referenced enum into a
    closed class of its own naming. There the reference is written as ``anyOf: [$ref, type]``
    instead, which it keeps as it is.
    """
    hoisted = _hoist(copy.deepcopy(schemas))
    enums = {name: schema for name, schema in hoisted.items() if _enum_base(schema) is not None}
    merged = _allof_parts(hoisted)
    result = {}
    for name, schema in hoisted.items():
        if name in enums:
            result[name] = _closed_enum(schema)
        else:
            result[name] = _open(schema, enums, wrap=name in merged)
    widened = {}
    for name, schema in enums.items():
        members = [name, _PYTHON_SCALARS[_enum_base(schema) or "string"]]
        widened[name] = " | ".join(members + (["None"] if _is_nullable_enum(schema) else []))
    return result, widened


_PYTHON_SCALARS = {"string": "str", "integer": "int", "number": "float"}


def _widen(
    classes: dict[str, ast.ClassDef], widened: dict[str, str], lines: list[bytes]
) -> list[tuple[ast.expr, ast.expr, str]]:
    """Each enum class named in an annotation also takes its base type, in ``classes``' tree.

    Written into the generated source rather than the schemas (as ``anyOf: [$ref, type]``):
    the library then parses no union per reference, a quarter of its time on large documents.
    Union members are kept in order, each once: ``Colour | None`` becomes ``Colour | str |
    None``. Every annotation (and ``RootModel[...]`` base) that names an enum is replaced in the
    tree by the parse of its new text; returned are (original node, new node, new text).
    """
    found: list[tuple[ast.expr, ast.expr, str]] = []
    if not widened:
        return found

    def widen(slot: ast.expr) -> ast.expr:
        if not any(isinstance(n, ast.Name) and n.id in widened for n in ast.walk(slot)):
            return slot
        text = _widened(slot, widened, lines)
        new = ast.parse(text, mode="eval").body
        found.append((slot, new, text))
        return new

    for node in classes.values():
        node.bases = [widen(b) if isinstance(b, ast.Subscript) else b for b in node.bases]
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign):
                stmt.annotation = widen(stmt.annotation)
    return found


def _widened(node: ast.expr, widened: dict[str, str], lines: list[bytes]) -> str:
    """The text of the type expression ``node`` with the enum classes in it widened."""
    if not any(isinstance(n, ast.Name) and n.id in widened for n in ast.walk(node)):
        return _segment(node, lines)
    if isinstance(node, ast.Name) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)
    ):
        members: list[str] = []
        for member in union_members(node):
            if isinstance(member, ast.Name) and member.id in widened:
                texts = widened[member.id].split(" | ")
            else:
                texts = [_widened(member, widened, lines)]
            members += [text for text in texts if text not in members]
        return " | ".join(members)
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) != "Literal":
        inner = node.slice
        if isinstance(inner, ast.Tuple):
            parts = [_widened(inner.elts[0], widened, lines)]
            # Annotated[T, Field(...)]: only T is a type; list and dict take types throughout.
            typed = ast.unparse(node.value) != "Annotated"
            parts += [
                _widened(e, widened, lines) if typed else _segment(e, lines) for e in inner.elts[1:]
            ]
            text = ", ".join(parts)
        else:
            text = _widened(inner, widened, lines)
        return f"{_segment(node.value, lines)}[{text}]"
    return _segment(node, lines)


def _hoist(schemas: dict[str, Any]) -> dict[str, Any]:
    result = dict(schemas)
    taken = set(schemas)

    def visit(schema: Any, owner: str) -> None:
        if not isinstance(schema, dict):
            return
        for prop, sub in list((schema.get("properties") or {}).items()):
            schema["properties"][prop] = lift(sub, owner + class_name(prop))
        if isinstance(schema.get("items"), dict):
            schema["items"] = lift(schema["items"], owner + "Item", in_array=True)
        for key in ("anyOf", "oneOf", "allOf"):
            for index, branch in enumerate(schema.get(key) or []):
                in_union = key != "allOf"
                schema[key][index] = lift(branch, owner + f"Option{index + 1}", in_union=in_union)
        if isinstance(schema.get("additionalProperties"), dict):
            schema["additionalProperties"] = lift(schema["additionalProperties"], owner + "Value")

    def lift(sub: Any, wanted: str, in_array: bool = False, in_union: bool = False) -> Any:
        if not isinstance(sub, dict) or "$ref" in sub:
            return sub
        # A typed map left inline as array items makes datamodel-code-generator type the
        # array as a bare `list`; as a class of its own it is typed.
        typed_map = in_array and isinstance(sub.get("additionalProperties"), dict)
        # A constrained scalar branch of a union becomes a root model either way; left inline,
        # datamodel-code-generator names it after the property and gives it the union's
        # default (`root: int = "auto"` beside `anyOf: [{const: auto}, {type: integer}]`).
        constrained = in_union and _is_constrained_scalar(sub)
        if (
            _enum_base(sub) is None
            and not sub.get("properties")
            and not typed_map
            and not constrained
        ):
            visit(sub, wanted)
            return sub
        name = wanted
        counter = 2
        while name in taken:
            name, counter = f"{wanted}{counter}", counter + 1
        taken.add(name)
        keep = {k: sub.pop(k) for k in ("description", "default", "title") if k in sub}
        result[name] = sub
        visit(sub, name)
        return {"$ref": f"#/components/schemas/{name}", **keep}

    for name, schema in schemas.items():
        visit(schema, name)
    return result


_CONSTRAINTS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
    }
)


def _is_constrained_scalar(schema: dict[str, Any]) -> bool:
    return _scalar_type(schema) and bool(_CONSTRAINTS & set(schema)) and "enum" not in schema


def _scalar_type(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return isinstance(kind, str) and kind in _SCALAR_TYPES


def _enum_base(schema: Any) -> str | None:
    if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
        return None
    values = [v for v in schema["enum"] if v is not None]
    kinds = {JSON_SCALARS.get(type(v)) for v in values}
    if len(kinds) != 1 or None in kinds or "boolean" in kinds:
        return None
    return kinds.pop()


def _is_nullable_enum(schema: Any) -> bool:
    return _enum_base(schema) is not None and (None in schema["enum"] or _allows_null(schema))


def _closed_enum(schema: dict[str, Any]) -> dict[str, Any]:
    """An enum component without its null member: nullability moves to the references."""
    closed = {k: v for k, v in schema.items() if k not in ("nullable", "default")}
    closed["enum"] = [v for v in schema["enum"] if v is not None]
    closed["type"] = _enum_base(schema)
    return closed


def _allof_parts(schemas: dict[str, Any]) -> set[str]:
    """The components some ``allOf`` lists by reference."""
    return {base for schema in schemas.values() for base in _allof_bases(schema)}


def _allof_bases(schema: Any) -> list[str]:
    """The components an ``allOf`` anywhere in ``schema`` lists by reference, in order."""
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for branch in value.get("allOf") or []:
                ref = branch.get("$ref") if isinstance(branch, dict) else None
                if isinstance(ref, str) and ref.startswith(_COMPONENT):
                    found.append(ref[len(_COMPONENT) :])
            for item in value.values():
                visit(item)

    visit(schema)
    return found


def bases_first(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` reordered so every component comes after the ones its ``allOf`` lists.

    Otherwise order is kept. datamodel-code-generator looks a base it has not built yet up
    in every model built so far, per subclass: quadratic, about a second on a document of
    three thousand schemas. Built bases first, it never has to.
    """
    ordered: dict[str, Any] = {}
    entered: set[str] = set()

    def visit(name: str) -> None:
        if name in entered or name not in schemas:
            return
        entered.add(name)
        for base in _allof_bases(schemas[name]):
            visit(base)
        ordered[name] = schemas[name]

    for name in schemas:
        visit(name)
    return ordered


def _open(schema: Any, enums: dict[str, Any], wrap: bool) -> Any:
    if isinstance(schema, list):
        return [_open(item, enums, wrap) for item in schema]
    if not isinstance(schema, dict):
        return schema
    frozen = ("enum", "examples", "example", "default", "const")
    opened = {
        k: (v if k in frozen else _open(v, enums, wrap or k in _BRANCHES))
        for k, v in schema.items()
    }
    if opened.get("type") == "array" and "items" not in opened:
        opened["items"] = {}  # a bare `list` fails mypy --strict; `list[Any]` says the same
    ref = opened.get("$ref")
    if not wrap or not isinstance(ref, str) or not ref.startswith(_COMPONENT):
        return opened
    target = enums.get(ref[len(_COMPONENT) :])
    if target is None:
        return opened
    branches: list[Any] = [{"$ref": ref}, {"type": _enum_base(target)}]
    if _is_nullable_enum(target):
        branches.append({"type": "null"})
    return {"anyOf": branches, **{k: v for k, v in opened.items() if k != "$ref"}}


_BRANCHES = frozenset({"anyOf", "oneOf", "allOf"})


def _allows_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return bool(schema.get("nullable")) or (isinstance(kind, list) and "null" in kind)


def read_imports(*modules: ast.Module | None) -> dict[str, str]:
    """Each name the models module imports, with the import statement that brings it.

    ``modules`` are its parts, in order: the rules' imports (when a class has rules) come
    before the library's.
    """
    imports = {}
    for node in (node for module in modules if module for node in module.body):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            for alias in node.names:
                # `from datetime import date as date_aliased`: the alias is the name annotations
                # use, so the line that brings it must say `as` too.
                renamed = f" as {alias.asname}" if alias.asname not in (None, alias.name) else ""
                name = alias.asname or alias.name
                imports[name] = f"from {node.module} import {alias.name}{renamed}"
    return imports


def read_classes(tree: ast.Module) -> dict[str, ModelClass]:
    """What each class in a generated models module looks like."""
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = _read_class(node)
    return classes


def _read_class(node: ast.ClassDef) -> ModelClass:
    bases = {ast.unparse(b) for b in node.bases}
    if bases & {"StrEnum", "IntEnum", "Enum"}:
        return ModelClass(node.name, "enum", ())
    kind = "root" if any(b.startswith("RootModel") for b in bases) else "model"
    fields = []
    body = node.body
    for index, stmt in enumerate(body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            doc = _field_doc(body, index)
            fields.append(_read_field(stmt, stmt.target.id, doc))
    own = tuple(f for f in fields if f.name != "root" or kind == "root")
    extends = tuple(ast.unparse(b) for b in node.bases if isinstance(b, ast.Name))
    return ModelClass(node.name, kind, own, tuple(b for b in extends if b != "BaseModel"))


def _field_doc(body: list[ast.stmt], index: int) -> str:
    nxt = body[index + 1] if index + 1 < len(body) else None
    if (
        isinstance(nxt, ast.Expr)
        and isinstance(nxt.value, ast.Constant)
        and isinstance(nxt.value.value, str)
    ):
        return " ".join(nxt.value.value.split())
    return ""


def _read_field(stmt: ast.AnnAssign, name: str, description: str) -> ModelField:
    annotation = stmt.annotation
    alias = name
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        elts = (
            annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        )
        annotation = elts[0]
        for meta in elts[1:]:
            found = _alias(meta)
            alias = alias if found is None else found  # "" is a wire name too
    return ModelField(
        name=name,
        wire_name=alias,
        annotation=ast.unparse(annotation),
        required=stmt.value is None,
        description=description,
    )


def _alias(meta: ast.expr) -> str | None:
    if isinstance(meta, ast.Call):
        for kw in meta.keywords:
            if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                return str(kw.value.value)
    return None
