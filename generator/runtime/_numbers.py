"""``multipleOf`` checked exactly, as the decimal numbers JSON writes.

pydantic checks ``multiple_of`` on a float in binary floating point, within a tolerance: it
refuses values that are multiples (``5.21e19`` of ``0.01``: the binary remainder is large)
and takes values that are not (``3.0000000001`` of ``0.01``). A number is checked here as the
decimal its shortest text writes (``repr``: the text a JSON body gave), by exact fractions.
"""

from __future__ import annotations

import decimal
import math
from fractions import Fraction
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticKnownError, core_schema

__all__ = ["MultipleOf"]


class MultipleOf:
    """``Annotated[float, MultipleOf("0.01")]``: the value is a whole multiple of the step.

    ``None`` and values that are not numbers are left to the type's own checks.
    """

    __slots__ = ("_step", "step")

    def __init__(self, step: str) -> None:
        self.step = step
        self._step = Fraction(step)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        exact = self._step.denominator == 1
        found["multipleOf"] = self._step.numerator if exact else float(self._step)
        return found

    def _check(self, value: Any) -> Any:
        number = _exact(value)
        if number is not None and (number / self._step).denominator != 1:
            raise PydanticKnownError("multiple_of", {"multiple_of": float(self._step)})
        return value


def _exact(value: Any) -> Fraction | None:
    """The exact decimal a number is written as (None for anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return None
    if isinstance(value, float):
        return Fraction(repr(value)) if math.isfinite(value) else None
    return Fraction(value) if not isinstance(value, decimal.Decimal) or value.is_finite() else None
