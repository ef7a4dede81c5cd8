"""A 2xx answer read as the call's result type: a model, text, bytes, plain JSON or nothing.

:meth:`SyncAPIClient.call` hands the response here with its ``cast_to``. A body that matches its
model is returned as usual; one that does not raises in strict mode and is otherwise built
leniently, flagged and logged (see ``_lenient.py``).
"""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._lenient import Mismatch
    from ._request import RequestOptions


class _BaseClient(Protocol):
    """What parsing needs of the client that made the call (see ``_base_client.py``)."""

    def _strict(self, options: RequestOptions) -> bool: ...

    def _scrub(self, request: httpx.Request, outcome: httpx.Response) -> httpx.Request: ...

    def _warn_mismatches(self, options: RequestOptions, found: Sequence[Mismatch]) -> None: ...


__all__ = ["cast", "parse_json", "parse_model"]

# A string bound: reading pydantic.BaseModel here would import pydantic.main with the package.
M = TypeVar("M", bound="pydantic.BaseModel")


def cast(
    cast_to: type[Any], response: httpx.Response, client: _BaseClient, options: RequestOptions
) -> Any:
    """The result of a call: ``None`` (``NoneType``), the text (``str``), the body (``bytes``),
    plain JSON (``object``) or the model ``cast_to``."""
    if cast_to is NoneType:
        return None
    if cast_to is str:
        return response.text
    if cast_to is bytes:
        return response.content
    if cast_to is object:
        return parse_json(response, client)
    return parse_model(cast_to, response, client, options)


def parse_model(
    model: type[M], response: httpx.Response, client: _BaseClient, options: RequestOptions
) -> M:
    """The response body as ``model``.

    A body that validates is returned as usual. One that does not raises
    :class:`APIResponseValidationError` in strict mode (``strict_responses``, per client or per
    call); by default it is built leniently (see ``_lenient.py``), flagged, and logged.
    """
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        if client._strict(options):
            raise _invalid_body(model, response, client, exc) from exc
    from ._lenient import build

    instance, found = build(model, parse_json(response, client))
    client._warn_mismatches(options, found)
    return instance


def _invalid_body(
    model: type[pydantic.BaseModel],
    response: httpx.Response,
    client: _BaseClient,
    exc: pydantic.ValidationError,
) -> APIResponseValidationError:
    request = client._scrub(response.request, response)
    # No input values: the body may be megabytes, and it is kept whole on the exception.
    errors = exc.errors(include_url=False, include_input=False)[:3]
    message = f"{request.method} {request.url}: the {response.status_code} body is not a valid {model.__name__}: {errors}"
    return APIResponseValidationError(message, response=response, body=response.text)


def parse_json(response: httpx.Response, client: _BaseClient) -> Any:
    """The response body as plain JSON."""
    try:
        return response.json()
    except ValueError as exc:
        request = client._scrub(response.request, response)
        message = f"{request.method} {request.url}: the {response.status_code} body is not JSON"
        raise APIResponseValidationError(message, response=response, body=response.text) from exc
