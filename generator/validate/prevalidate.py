"""A fast first opinion for openapi-spec-validator: jsonschema-rs says "valid" or asks for details.

openapi-spec-validator checks a document against the OpenAPI meta-schema and then every Schema
Object against its dialect, with the pure-Python ``jsonschema`` library; on a large document
(the OpenAI one has two thousand schemas) that took most of generation time. jsonschema-rs
answers the same yes/no question an order of magnitude faster. Only a "no" goes on to the
pure-Python check, whose errors (messages, paths) are the ones users see, so diagnostics are
unchanged: the fast answer can only skip work on what is valid.

Both checkers are given the same meta-schemas (from the validator's own packages) and the same
choice about ``format``; the tests hold them to the same verdict on a set of broken schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for
from jsonschema_specifications import REGISTRY as JSON_SCHEMA_META_SCHEMAS
from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_META_SCHEMAS
from openapi_spec_validator.validation.keywords import (
    OpenAPIV30SchemaValidator,
    OpenAPIV31SchemaValidator,
)


class FastFirst:
    """A ``jsonschema`` validator whose ``iter_errors`` asks jsonschema-rs first."""

    def __init__(self, slow: Any, schema: Any, *, formats: bool) -> None:
        self._slow = slow
        self._fast = _fast_validator(schema, formats=formats)

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        """No errors when jsonschema-rs finds none; otherwise every error ``jsonschema`` finds."""
        if self._fast.is_valid(instance):
            return iter(())
        return iter(self._slow.iter_errors(instance))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._slow, name)


class _CycleSafe:
    """The library's gathering of the properties an ``allOf`` member brings, made safe on
    cycles: it follows ``allOf``/``oneOf``/``anyOf`` through ``$ref``\\ s with no memory of where
    it has been, so a recursive tree (a ``oneOf`` of members that ``allOf`` their base) made
    it recurse until Python stopped it, and the document was not checked at all."""

    _gathering: set[int] | None = None

    def _collect_properties(self, schema: Any) -> set[str]:
        key = id(schema.read_value())
        gathering = self._gathering if self._gathering is not None else set()
        if key in gathering:
            return set()  # already being gathered, further up: its properties are counted there
        self._gathering = gathering | {key}
        try:
            found: set[str] = super()._collect_properties(schema)  # type: ignore[misc]
            return found
        finally:
            self._gathering = gathering


class SchemaValidator30(_CycleSafe, OpenAPIV30SchemaValidator):
    """openapi-spec-validator's 3.0 Schema Object check, safe on recursive compositions."""


class FastSchemaValidator(_CycleSafe, OpenAPIV31SchemaValidator):
    """openapi-spec-validator's Schema Object check, asking jsonschema-rs first.

    Only schemas of the OpenAPI 3.1 base dialect take the fast path; a schema declaring another
    ``$schema`` is checked by the library alone. The library remembers which schemas it has
    seen in lists, whose membership test made its walk quadratic in the number of schemas.
    """

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()
        self._meta: Any = None

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        slow: Callable[[Any], None] = super()._get_schema_checker(schema, schema_value)
        if self._get_schema_dialect_id(schema, schema_value) != OAS31_BASE_DIALECT_ID:
            return slow
        fast = _dialect_validator()
        meta = self._meta_validator()

        def check(value: Any) -> None:
            if fast.is_valid(value):
                return
            # The library raises the first error `jsonschema` yields, and that order changes
            # with the interpreter's hash seed: a schema with two mistakes reported one or the
            # other from run to run. The first in path order is the same every run.
            errors = sorted(meta.iter_errors(value), key=_path_order)
            if errors:
                raise SchemaError.create_from(errors[0])

        return check

    def _meta_validator(self) -> Any:
        """A validator of schemas against the 3.1 base dialect, made once."""
        if self._meta is None:
            dialect = OPENAPI_META_SCHEMAS[OAS31_BASE_DIALECT_ID].contents
            # Every error is wanted, so every vocabulary the dialect refers to must resolve
            # (the library's check stops at the first error, before most of them are needed).
            registry = JSON_SCHEMA_META_SCHEMAS.combine(OPENAPI_META_SCHEMAS).crawl()
            checker = self.schema_validator_format_checker
            self._meta = validator_for(dialect)(dialect, registry=registry, format_checker=checker)
        return self._meta

    def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
        """The library's check, its error marked with where the schema is in the document.

        The error's path is relative to the schema; ``validate`` then had to guess the
        schema, and took the first one in the document where that path leads to the same
        value, so the same mistake in three schemas was reported once, at the first.
        """
        error = super()._validate_schema_meta(schema, schema_value)
        if error is not None:
            error.schema_location = tuple(schema.parts)
        return error


def _path_order(error: Any) -> tuple[list[str], str]:
    return [str(token) for token in error.absolute_path], error.message


class _IdList(list[int]):
    """A list (as the library expects) that answers ``in`` from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        """Remember ``item``."""
        self._members.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@cache
def _dialect_validator() -> Any:
    """The OpenAPI 3.1 base dialect, formats asserted (as the library checks Schema Objects)."""
    return _fast_validator(OPENAPI_META_SCHEMAS[OAS31_BASE_DIALECT_ID].contents, formats=True)


def _fast_validator(schema: Any, *, formats: bool) -> Any:
    resources = [(uri, OPENAPI_META_SCHEMAS[uri].contents) for uri in OPENAPI_META_SCHEMAS]
    registry = jsonschema_rs.Registry(resources)
    return jsonschema_rs.validator_for(schema, registry=registry, validate_formats=formats)
