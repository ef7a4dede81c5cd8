"""A 2xx answer read as the call's result type: a model, a typed value, text, bytes, plain JSON
or nothing.

:meth:`SyncAPIClient.call` hands the response here with its ``cast_to``: a model class, or a
:class:`Shape` for any other type the spec gives (``list[Task]``, ``Task | Project``,
``dict[str, Tag]``, ``int``). A body that matches its type is returned as usual; one that does
not raises in strict mode and is otherwise built leniently, flagged and logged (see
``_lenient.py``).
"""

from __future__ import annotations

import gc
from types import NoneType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError
from ._streaming import BinaryResponse
from ._types import Shape

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._lenient import Mismatch
    from ._request import RequestOptions


class _BaseClient(Protocol):
    """What parsing needs of the client that made the call (see ``_base_client.py``)."""

    def _strict(self, options: RequestOptions) -> bool: ...

    def _scrub(self, request: httpx.Request, outcome: httpx.Response) -> httpx.Request: ...

    def _warn_mismatches(self, options: RequestOptions, found: Sequence[Mismatch]) -> None: ...


__all__ = ["Shape", "cast", "item_parser", "parse_json", "parse_model", "parse_value"]

# A string bound: reading pydantic.BaseModel here would import pydantic.main with the package.
M = TypeVar("M", bound="pydantic.BaseModel")
T = TypeVar("T")


def cast(
    cast_to: type[Any] | Shape[Any],
    response: httpx.Response,
    client: _BaseClient,
    options: RequestOptions,
) -> Any:
    """The result of a call: ``None`` (``NoneType``), the text (``str``), the body (``bytes``),
    the body with its media type and headers (:class:`BinaryResponse` or its text twin), plain
    JSON (``object``), the value of a :class:`Shape` or the model ``cast_to``."""
    if isinstance(cast_to, Shape):
        return parse_value(cast_to, response, client, options)
    if cast_to is NoneType:
        return None
    if cast_to is str:
        return response.text
    if cast_to is bytes:
        return response.content
    if isinstance(cast_to, type) and issubclass(cast_to, BinaryResponse):
        return cast_to(response)
    if cast_to is object:
        return parse_json(response, client)
    return parse_model(cast_to, response, client, options)


def item_parser(
    cast_to: type[Any] | Shape[Any],
    response: httpx.Response,
    client: _BaseClient,
    options: RequestOptions,
) -> Callable[[str], Any]:
    """What reads one item of a streamed ``response`` (an event's data, a line) as ``cast_to``,
    strict or lenient as a whole body would be."""

    def parse(text: str) -> Any:
        # The item as a body of its own (no headers: the stream's encoding is already undone).
        item = httpx.Response(response.status_code, content=text.encode(), request=response.request)
        return cast(cast_to, item, client, options)

    return parse


def parse_model(
    model: type[M], response: httpx.Response, client: _BaseClient, options: RequestOptions
) -> M:
    """The response body as ``model``.

    A body that validates is returned as usual. One that does not raises
    :class:`APIResponseValidationError` in strict mode (``strict_responses``, per client or per
    call); by default it is built leniently (see ``_lenient.py``), flagged, and logged.
    """
    try:
        return _paused(model.model_validate_json, response.content)
    except pydantic.ValidationError as exc:
        if client._strict(options):
            raise _invalid_body(model.__name__, response, client, exc) from exc
    from ._lenient import build

    instance, found = build(model, parse_json(response, client))
    client._warn_mismatches(options, found)
    return instance


def parse_value(
    shape: Shape[T], response: httpx.Response, client: _BaseClient, options: RequestOptions
) -> T:
    """The response body as the type of ``shape``, strict or lenient as :func:`parse_model`."""
    from ._lenient import adapter  # its validators are cached there, beside the lenient build

    try:
        value: T = _paused(adapter(shape.annotation).validate_json, response.content)
        return value
    except pydantic.ValidationError as exc:
        if client._strict(options):
            raise _invalid_body(shape.name, response, client, exc) from exc
    from ._lenient import build_value

    built, found = build_value(shape.annotation, parse_json(response, client))
    client._warn_mismatches(options, found)
    result: T = built  # what did not fit is kept as received, and flagged
    return result


# A body from this size on is validated with the cyclic garbage collector paused (`_paused`).
_LARGE_BODY = 1 << 16


def _paused(validate: Callable[[bytes], T], content: bytes) -> T:
    """``validate(content)``, for a large body with the cyclic garbage collector paused.

    Validating a page of thousands of items makes tens of thousands of objects, every one of
    them kept in the result: the collector, run every few hundred allocations, would scan them
    again and again for garbage there is none of (a third of the time of such a page). It runs
    as usual once the result is made. A collector already paused is left as it is.
    """
    if len(content) < _LARGE_BODY or not gc.isenabled():
        return validate(content)
    gc.disable()
    try:
        return validate(content)
    finally:
        gc.enable()


def _invalid_body(
    name: str,
    response: httpx.Response,
    client: _BaseClient,
    exc: pydantic.ValidationError,
) -> APIResponseValidationError:
    request = client._scrub(response.request, response)
    # No input values: the body may be megabytes, and it is kept whole on the exception.
    errors = exc.errors(include_url=False, include_input=False)[:3]
    message = f"{request.method} {request.url}: the {response.status_code} body is not a valid {name}: {errors}"
    return APIResponseValidationError(message, response=response, body=response.text)


def parse_json(response: httpx.Response, client: _BaseClient) -> Any:
    """The response body as plain JSON."""
    try:
        return response.json()
    except ValueError as exc:
        request = client._scrub(response.request, response)
        message = f"{request.method} {request.url}: the {response.status_code} body is not JSON"
        raise APIResponseValidationError(message, response=response, body=response.text) from exc
