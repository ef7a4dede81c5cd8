"""Small types shared by the runtime and the generated resources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Generic, Literal, TypeVar

import httpx

__all__ = [
    "NOT_GIVEN",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "NotGiven",
    "Shape",
    "TimeoutTypes",
]

T = TypeVar("T")

TimeoutTypes = float | httpx.Timeout | None

# A call's escape hatches: headers, query parameters and body fields the spec does not declare.
ExtraHeaders = Mapping[str, str]
ExtraQuery = Mapping[str, object]
ExtraBody = Mapping[str, object]


class NotGiven:
    """The type of :data:`NOT_GIVEN`: "the caller passed nothing", as opposed to ``None``.

    ``None`` can be a meaningful value (send JSON ``null``); an argument left at
    ``NOT_GIVEN`` is not sent at all.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class Shape(Generic[T]):
    """A call's result type that is not one model class: ``Shape[list[Task]](list[Task])``.

    The type argument is what a type checker reads as the call's result; the argument, the same
    type, is what the body is validated as.
    """

    def __init__(self, annotation: object) -> None:
        self.annotation = annotation

    @property
    def name(self) -> str:
        """The type as its source spells it (``list[Task]``), for messages."""
        shown = self.annotation
        text = shown.__name__ if isinstance(shown, type) else repr(shown)
        return _QUALIFIER.sub("", text)


_QUALIFIER = re.compile(r"(?<![\w'\".])(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])")
