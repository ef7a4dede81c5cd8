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
from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_META_SCHEMAS
from openapi_spec_validator.validation.keywords import OpenAPIV31SchemaValidator


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


class FastSchemaValidator(OpenAPIV31SchemaValidator):
    """openapi-spec-validator's Schema Object check, asking jsonschema-rs first.

    Only schemas of the OpenAPI 3.1 base dialect take the fast path; a schema declaring another
    ``$schema`` is checked by the library alone. The library remembers which schemas it has
    seen in lists, whose membership test made its walk quadratic in the number of schemas.
    """

    def __init__(self, registry: Any) -> None:
        super().__init__(registry)
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()

    def _get_schema_checker(self, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        slow: Callable[[Any], None] = super()._get_schema_checker(schema, schema_value)
        if self._get_schema_dialect_id(schema, schema_value) != OAS31_BASE_DIALECT_ID:
            return slow
        fast = _dialect_validator()

        def check(value: Any) -> None:
            if not fast.is_valid(value):
                slow(value)

        return check


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
