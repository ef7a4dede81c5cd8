"""The base classes of every model in ``models.py``: pydantic's, with the schema built on first use.

The configuration every model shares is written here, once, rather than in each class.

A large API declares thousands of schemas, and building each one's validator when ``models``
is imported would cost seconds a caller pays before the first call, for classes it may never
use. ``defer_build`` builds a class's validator the first time it validates, serializes or
describes itself; what it accepts, returns and reports stays the same.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "RootModel"]

RootT = TypeVar("RootT")


class BaseModel(pydantic.BaseModel):
    """A pydantic model whose schema is built when it is first used.

    Every model keeps the fields the spec does not list (``extra="allow"``), so nothing the
    server sends is lost, and is filled by field name as well as by wire name.
    """

    model_config = ConfigDict(defer_build=True, extra="allow", populate_by_name=True)


class RootModel(pydantic.RootModel[RootT], Generic[RootT]):
    """A pydantic root model whose schema is built when it is first used.

    ``RootModel[X]`` makes a class of its own for ``X``: it inherits the deferral, so no schema
    is built when a class names another as its root.
    """

    model_config = ConfigDict(defer_build=True)
