"""Models that parse a body into the class the spec names, and give it back as received.

Each construct is written as real specs write it (Discord's ``{enum: [6], allOf: [$ref]}``
tags, ``const`` tags, a ``oneOf`` of ``const``, nullable maps, pattern-checked ID strings,
``allOf`` of one ``$ref``, declared discriminators with and without ``mapping``); the package
is generated once, imported, and each body is read, checked for its class and dumped back.
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import pytest

from generator.diagnostics import Diagnostic
from tests.generator.util import generate, mypy_strict, write_spec

_REF = "#/components/schemas/"
_PACKAGE = "parsing_api"
_Model = TypeVar("_Model", bound=pydantic.BaseModel)


def _select(tag: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Discord-style select menu: its tag an `enum` of one value beside the enum it narrows."""
    return {
        "type": "object",
        "required": ["type", "custom_id"],
        "properties": {
            "type": {
                "type": "integer",
                "enum": [tag],
                "allOf": [{"$ref": _REF + "ComponentTypes"}],
            },
            "custom_id": {"type": "string"},
            **(extra or {}),
        },
    }


def _schemas() -> dict[str, Any]:
    return {
        "ComponentTypes": {"type": "integer", "enum": [1, 2, 3, 6, 8]},
        "SnowflakeType": {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"},
        "RoleSelect": _select(6),
        "ChannelSelect": _select(
            8, {"channel_types": {"type": "array", "items": {"type": "integer"}}}
        ),
        "Button": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"const": 2}, "label": {"type": "string"}},
        },
        "Component": {
            "oneOf": [
                {"$ref": _REF + "ChannelSelect"},
                {"$ref": _REF + "RoleSelect"},
                {"$ref": _REF + "Button"},
            ]
        },
        "ActionRow": {
            "type": "object",
            "required": ["components"],
            "properties": {"components": {"type": "array", "items": {"$ref": _REF + "Component"}}},
        },
        "Level": {
            "oneOf": [
                {"const": "low", "description": "Few members."},
                {"const": "high", "description": "Many members."},
            ]
        },
        "Guild": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"$ref": _REF + "SnowflakeType"},
                "owner_id": {"allOf": [{"$ref": _REF + "SnowflakeType"}], "description": "Owner."},
                "roles": {
                    "type": ["object", "null"],
                    "additionalProperties": {"$ref": _REF + "RoleSelect"},
                },
                "level": {"$ref": _REF + "Level"},
                "tier": {"type": "string", "enum": []},
                "row": {"allOf": [{"$ref": _REF + "ActionRow"}], "description": "The first row."},
            },
        },
        "GuildPreview": {"allOf": [{"$ref": _REF + "Guild"}]},
        "GuildWithCount": {
            "allOf": [
                {"$ref": _REF + "Guild"},
                {"type": "object", "properties": {"count": {"type": "integer"}}},
            ]
        },
        "Flavour": {"type": "string", "enum": ["none", "None", "", "1", "in-progress"]},
        "Priority": {"type": "integer", "enum": [0, 1, -1]},
        "ErrorResponse": {
            "type": "object",
            "properties": {
                "cleared": {"enum": [None]},
                "error": {
                    "oneOf": [
                        {
                            "type": "object",
                            "properties": {"code": {"const": "rate_limited"}},
                        },
                        {
                            "type": "object",
                            "title": "Validation failure",
                            "properties": {"field": {"type": "string"}},
                        },
                    ]
                },
            },
        },
        # declared discriminators, without and with a mapping
        "Cat": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "meow": {"type": "boolean"}},
        },
        "Dog": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}},
        },
        "Pet": {
            "oneOf": [{"$ref": _REF + "Cat"}, {"$ref": _REF + "Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
        "Car": {
            "type": "object",
            "required": ["wheels"],
            "properties": {"wheels": {"type": "string"}, "doors": {"type": "integer"}},
        },
        "Bike": {
            "type": "object",
            "required": ["wheels"],
            "properties": {"wheels": {"type": "string"}, "bell": {"type": "boolean"}},
        },
        "Vehicle": {
            "oneOf": [{"$ref": _REF + "Car"}, {"$ref": _REF + "Bike"}],
            "discriminator": {
                "propertyName": "wheels",
                "mapping": {"four": _REF + "Car", "two": _REF + "Bike"},
            },
        },
        # a discriminator on the base of an allOf hierarchy that does not require its tag
        "Rule": {
            "type": "object",
            "discriminator": {"propertyName": "type"},
            "properties": {"type": {"type": "string"}, "logic": {"type": "string"}},
        },
        "NestedRule": {"allOf": [{"$ref": _REF + "Rule"}]},
        "SingleRule": {
            "allOf": [
                {"$ref": _REF + "Rule"},
                {"type": "object", "properties": {"field": {"type": "string"}}},
            ]
        },
        "RuleHolder": {
            "type": "object",
            "properties": {
                "rules": {"$ref": _REF + "Rule"},
                "many": {"type": "array", "items": {"$ref": _REF + "Rule"}},
            },
        },
    }


def _spec() -> dict[str, Any]:
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": _REF + "Guild"}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "parsing", "version": "1"},
        "paths": {"/guilds/{id}": {"get": {"operationId": "get_guild", "responses": ok}}},
        "components": {"schemas": _schemas()},
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Diagnostic]]]:
    root = tmp_path_factory.mktemp("parsing")
    found = generate(write_spec(_spec(), root), root, _PACKAGE)
    sys.path.insert(0, str(root))
    yield root, found
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == _PACKAGE or m.startswith(_PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def models(generated: tuple[Path, list[Diagnostic]]) -> types.ModuleType:
    return importlib.import_module(f"{_PACKAGE}.models")


def _round_trip(cls: type[_Model], body: Any) -> _Model:
    """``body`` read as ``cls``, checked to be exactly that class and to dump back unchanged."""
    parsed = cls.model_validate(body)
    assert type(parsed) is cls
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a serializer warning is a value written back wrong
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == body
    return parsed


def test_single_values_are_literals_not_wrappers(models: types.ModuleType) -> None:
    assert models.RoleSelect.model_fields["type"].annotation == typing.Literal[6]
    assert models.Button.model_fields["type"].annotation == typing.Literal[2]
    assert not [name for name in vars(models) if name.endswith("SelectType")]


def test_a_union_reads_the_member_its_tag_names(models: types.ModuleType) -> None:
    for body, member in [
        ({"type": 6, "custom_id": "r"}, models.RoleSelect),
        ({"type": 8, "custom_id": "c", "channel_types": [0]}, models.ChannelSelect),
        ({"type": 2, "label": "ok"}, models.Button),
    ]:
        assert type(_round_trip(models.Component, body).root) is member
        row = _round_trip(models.ActionRow, {"components": [body]})
        assert type(row.components[0].root) is member
    with pytest.raises(pydantic.ValidationError) as caught:
        models.Component.model_validate({"type": 99, "custom_id": "x"})
    assert len(caught.value.errors()) == 1  # the tag alone, not one error per member


def test_an_unknown_tag_is_kept_by_the_lenient_reader(
    generated: tuple[Path, list[Diagnostic]], models: types.ModuleType
) -> None:
    lenient = importlib.import_module(f"{_PACKAGE}._lenient")
    body = {"type": 7, "custom_id": "x"}
    select, found = lenient.build(models.RoleSelect, body)
    assert select.type == 7 and [m.path for m in found] == ["type"]
    dumped = select.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    assert dumped == body


def test_declared_discriminators_with_and_without_mapping(models: types.ModuleType) -> None:
    assert type(_round_trip(models.Pet, {"kind": "Dog", "bark": True}).root) is models.Dog
    assert type(_round_trip(models.Vehicle, {"wheels": "two", "bell": True}).root) is models.Bike
    assert type(_round_trip(models.Vehicle, {"wheels": "four", "doors": 3}).root) is models.Car


def test_a_tag_the_base_does_not_require_may_be_left_out(models: types.ModuleType) -> None:
    # The spec lists no `type` in the base's `required`: a body without it is a `Rule`, one
    # whose tag names a subclass is that subclass, one with another tag is a `Rule` too.
    for rule, cls in [
        ({"logic": "OR"}, models.Rule),
        ({"type": "NestedRule", "logic": "OR"}, models.NestedRule),
        ({"type": "SingleRule", "field": "price"}, models.SingleRule),
        ({"type": "Grouped"}, models.Rule),
    ]:
        holder = _round_trip(models.RuleHolder, {"rules": rule, "many": [rule]})
        assert type(holder.rules) is cls
        assert type(holder.many[0]) is cls


def test_a_one_of_consts_is_an_open_enum(models: types.ModuleType) -> None:
    assert issubclass(models.Level, str) and {m.value for m in models.Level} == {"low", "high"}
    known = _round_trip(models.Guild, {"id": "1", "level": "high"})
    assert known.level == models.Level.HIGH
    unknown = _round_trip(models.Guild, {"id": "1", "level": "medium"})
    assert unknown.level == "medium"


def test_nullable_maps_keep_their_value_type(models: types.ModuleType) -> None:
    # dict[str, RoleSelect], spelled so that no checker reads a module attribute as a type.
    roles = types.GenericAlias(dict, (str, models.RoleSelect))
    assert models.Guild.model_fields["roles"].annotation == roles | None
    guild = _round_trip(models.Guild, {"id": "1", "roles": {"a": {"type": 6, "custom_id": "x"}}})
    assert type(guild.roles["a"]) is models.RoleSelect
    assert _round_trip(models.Guild, {"id": "1", "roles": None}).roles is None


def test_constrained_strings_are_strings(models: types.ModuleType) -> None:
    guild = _round_trip(models.Guild, {"id": "41771983423143937", "owner_id": "7"})
    assert guild.id == "41771983423143937"
    assert str(guild.id) == "41771983423143937"
    assert guild.owner_id == "7"
    with pytest.raises(pydantic.ValidationError):
        models.Guild.model_validate({"id": "not a snowflake"})
    assert models.Guild.model_fields["row"].annotation == models.ActionRow | None


def test_all_of_one_ref_is_that_class(models: types.ModuleType) -> None:
    assert models.GuildPreview.__mro__[1] is models.Guild
    assert set(models.GuildPreview.model_fields) == set(models.Guild.model_fields)
    counted = _round_trip(models.GuildWithCount, {"id": "1", "count": 2})
    assert isinstance(counted, models.Guild)


def test_an_empty_enum_is_its_base_type_with_a_located_warning(
    generated: tuple[Path, list[Diagnostic]], models: types.ModuleType
) -> None:
    _, found = generated
    assert models.Guild.model_fields["tier"].annotation == str | None
    (warning,) = [d for d in found if "enum" in d.message and "tier" in str(d)]
    assert "#/components/schemas/Guild/properties/tier" in str(warning)


def test_generated_names_read_as_a_person_would_name_them(models: types.ModuleType) -> None:
    assert [m.name for m in models.Flavour] == ["NONE", "NONE_2", "EMPTY", "VALUE_1", "IN_PROGRESS"]
    assert [m.name for m in models.Priority] == ["INTEGER_0", "INTEGER_1", "INTEGER_MINUS_1"]
    error = models.ErrorResponse.model_fields["error"].annotation
    assert {m.__name__ for m in typing.get_args(error) if m is not type(None)} == {
        "ErrorResponseErrorRateLimited",
        "ErrorResponseErrorValidationFailure",
    }
    assert models.ErrorResponse.model_fields["cleared"].annotation is type(None)


def test_the_package_passes_mypy_strict(generated: tuple[Path, list[Diagnostic]]) -> None:
    root, _ = generated
    run = mypy_strict([root / _PACKAGE], root)
    assert run.returncode == 0, run.stdout[-4000:]
