"""The IR of an operation (one sync and one async method) and of a resource (one tag)."""

from __future__ import annotations

from dataclasses import dataclass

from .calls import Argument, Body, ErrorCase, Parameter, ParamType, Result
from .helpers import Pagination, Polling, Submit, Upload


@dataclass(frozen=True)
class Operation:
    """One API operation, rendered as one sync and one async method."""

    name: str
    operation_id: str
    http_method: str
    path: str
    summary: str
    description: str
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    body: Body | None
    result: Result
    errors: tuple[ErrorCase, ...]
    # The spec's requirements: any one of them (OR) of schemes sent together (AND); ``()``
    # sends nothing, an empty requirement ``()`` inside means the credentials are optional.
    security: tuple[tuple[str, ...], ...]
    deprecated: bool
    example_args: tuple[str, ...]
    pagination: Pagination | None = None
    polling: Polling | None = None
    upload: Upload | None = None
    submit: Submit | None = None
    # Whether a retry is harmless even if the server may have acted (HTTP method or x-idempotent).
    idempotent: bool = False
    retry_note: str = ""
    # For a call that is not safe to repeat: the (resource, method) of the GET that reads what
    # it did (the longest path it extends), named when its error says it may have been applied.
    check: tuple[str, str] | None = None
    # The header parameter (wire name) that carries an idempotency key, which the client fills
    # with a new key per call unless the caller gives one: the call is then retried like an
    # idempotent one.
    idempotency_key: str | None = None
    cookie_params: tuple[Parameter, ...] = ()
    # Every argument in signature order: positional path parameters, then the required
    # keywords, then the optional ones; rendered by the method and each of its helpers.
    arguments: tuple[Argument, ...] = ()
    # The module-level constant holding the operation's route (an ``Endpoint``).
    endpoint: str = ""
    # The ``Accept`` header: the media types the operation's responses declare, JSON first.
    accept: str = "application/json"

    @property
    def unexploded(self) -> tuple[str, ...]:
        """Wire names of the query parameters sent as one comma-joined value (``explode: false``)."""
        return tuple(
            p.wire_name for p in self.query_params if not p.explode and p.style != "deepObject"
        )

    @property
    def deep_objects(self) -> tuple[str, ...]:
        """Wire names of the query parameters sent as ``name[property]=value``."""
        return tuple(p.wire_name for p in self.query_params if p.style == "deepObject")


@dataclass(frozen=True)
class Resource:
    """A namespace of operations (one tag): ``client.<name>.<operation>()``."""

    name: str
    class_name: str
    module: str
    description: str
    operations: tuple[Operation, ...]
    models_used: tuple[str, ...]
    imports: tuple[str, ...]
    runtime_imports: tuple[str, ...]
    helper_imports: tuple[str, ...] = ()

    @property
    def collectable(self) -> bool:
        """Whether pytest would take the raw-response class for a test class."""
        return self.class_name.startswith("Test")

    @property
    def keyword_types(self) -> tuple[ParamType, ...]:
        """The TypedDicts of the keyword arguments of its paging helpers (``iter``)."""
        return tuple(op.pagination.keywords for op in self.operations if op.pagination)

    @property
    def keyword_imports(self) -> tuple[str, ...]:
        """The names :attr:`keyword_types` need from ``typing``."""
        if not self.keyword_types:
            return ()
        required = any(k.required for t in self.keyword_types for k in t.keys)
        return ("Required", "TypedDict", "Unpack") if required else ("TypedDict", "Unpack")
