"""Schema rewrites made on a copy of the component schemas before the library sees them.

Each one is a decision of ours or an input the library types better:

- 3.0 schemas in 3.1 form (:func:`as_31`): ``nullable`` as a ``null`` branch, boolean
  exclusive bounds as numbers, so optional and nullable fields are typed as declared.
- deprecated root models described instead (:func:`undeprecated_roots`): pydantic cannot set
  a ``root`` field marked deprecated.
- open enums (:func:`.enums.open_enums`): enums hoisted into closed classes of their own,
  each reference later widened to ``Enum | str`` (vendors add statuses without notice).
- presence rules split off (:func:`split_rules`): left in, they would become unions; they are
  checked by a validator appended to the model instead.
- loops cut and bases first (:mod:`.hierarchy`): ``allOf`` hierarchies the library can build,
  in the order it writes classes in.
"""

from __future__ import annotations

from typing import Any

from .enums import scalar_type


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
            if isinstance(b, dict) and scalar_type(b) and not _NOT_PLAIN & set(b)
        ]
        if len(nulls) != 1 or len(scalars) != 1 or set(schema) & (_NOT_PLAIN - {key, "default"}):
            continue
        scalar = scalars[0]
        outer = {k: v for k, v in schema.items() if k != key}
        return {**scalar, **outer, "type": [scalar["type"], "null"]}
    return schema


_NOT_PLAIN = frozenset({"$ref", "enum", "const", "anyOf", "oneOf", "allOf", "not", "default"})


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


def write_only_unrequired(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` whose ``required`` lists leave out the properties marked ``writeOnly``.

    OpenAPI: a required ``writeOnly`` property is required in requests only, and responses
    leave it out. The model is shared by both, so it must not require it; the lowering keeps
    the request's argument required (``lower._body``).
    """

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: visit(value) for key, value in node.items()}
        props = node.get("properties")
        required = node.get("required")
        if isinstance(props, dict) and isinstance(required, list):
            kept = [
                n
                for n in required
                if not (isinstance(props.get(n), dict) and props[n].get("writeOnly") is True)
            ]
            if len(kept) != len(required):
                node["required"] = kept
        return node

    return {name: visit(schema) for name, schema in schemas.items()}


def _is_class(schema: dict[str, Any]) -> bool:
    """Whether the library makes a plain class of ``schema`` (not a root model)."""
    return "properties" in schema or "allOf" in schema


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
