"""The types of formatted strings: read as their Python type, written back as received.

pydantic rewrites many values it parses when it writes them back: ``2020-09-30T07:43:32.000Z``
comes back as ``2020-09-30T07:43:32Z``, ``http://example.com`` as ``http://example.com/``, an
upper-case UUID in lower case, ``PT90M`` as ``PT1H30M``. A client must give back what the
server sent, so each type here keeps the text it was read from and writes exactly that text
in JSON. A value made in Python (a ``datetime`` you pass) is written as pydantic writes it.

A URI is a string checked to be one: no type of its own is worth the rewriting. It is valid
as RFC 3986 writes a URI (what ``format: uri`` names: ``https://`` has an empty host, which
RFC 3986 allows), or as a URL a browser reads (``https://example.com/{id}``).
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import ipaddress as _ipaddress
import re as _re
import uuid as _uuid
from collections.abc import Callable
from typing import Annotated, Any

import pydantic

__all__ = [
    "UUID",
    "UUID1",
    "UUID3",
    "UUID4",
    "UUID5",
    "AnyUrl",
    "AwareDatetime",
    "Decimal",
    "IPv6Address",
    "NaiveDatetime",
    "time",
    "timedelta",
]


class _ReceivedDateTime(_dt.datetime):
    __slots__ = ("_received",)


class _ReceivedTime(_dt.time):
    __slots__ = ("_received",)


class _ReceivedTimeDelta(_dt.timedelta):
    __slots__ = ("_received",)


class _ReceivedUUID(_uuid.UUID):
    __slots__ = ("_received",)


class _ReceivedDecimal(_decimal.Decimal):
    __slots__ = ("_received",)


class _ReceivedIPv6Address(_ipaddress.IPv6Address):
    __slots__ = ("_received",)


def _keeping(
    received: type[Any], *, copy: Callable[[Any], Any] | None = None, text_only: bool = False
) -> pydantic.WrapValidator:
    """A validator that keeps the text a value was parsed from, on a copy of it as ``received``.

    The copy is built from the value's pickled state (for a ``datetime``, a few bytes and the
    zone): one C-level construction, where a page of thousands of date-times would pay for
    reading each attribute in Python. A value parsed from text has ``fold`` 0 (no text carries
    it), the one attribute that state leaves out. A UUID pickles as its attributes: ``copy``
    makes it.

    With ``text_only``, a number is refused rather than read as seconds since 1970: the spec
    declares a string, and ``12345`` read as ``1970-01-01T03:25:45Z`` would change its meaning
    (a response keeps it as received, flagged, as any value that does not match).
    """

    def validate(value: Any, handler: pydantic.ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, str):  # the common case first: a value read from JSON
            if copy is None:
                kept = received(*handler(value).__reduce__()[1])
                kept._received = value
            else:
                kept = copy(handler(value))
                object.__setattr__(kept, "_received", value)  # UUID refuses plain assignment
            return kept
        if text_only and isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"expected a date-time string, got the number {value!r}")
        return handler(value)

    return pydantic.WrapValidator(validate)


def _as_received(value: Any, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
    received = getattr(value, "_received", None)
    return received if isinstance(received, str) else handler(value)


_WRITTEN_AS_RECEIVED = pydantic.WrapSerializer(_as_received, when_used="json")

_KEEP_DATETIME = _keeping(_ReceivedDateTime, text_only=True)
AwareDatetime = Annotated[pydantic.AwareDatetime, _KEEP_DATETIME, _WRITTEN_AS_RECEIVED]
NaiveDatetime = Annotated[pydantic.NaiveDatetime, _KEEP_DATETIME, _WRITTEN_AS_RECEIVED]
time = Annotated[_dt.time, _keeping(_ReceivedTime), _WRITTEN_AS_RECEIVED]
timedelta = Annotated[_dt.timedelta, _keeping(_ReceivedTimeDelta), _WRITTEN_AS_RECEIVED]
_KEEP_UUID = _keeping(_ReceivedUUID, copy=lambda v: _ReceivedUUID(int=v.int))
UUID = Annotated[_uuid.UUID, _KEEP_UUID, _WRITTEN_AS_RECEIVED]
UUID1 = Annotated[pydantic.UUID1, _KEEP_UUID, _WRITTEN_AS_RECEIVED]
UUID3 = Annotated[pydantic.UUID3, _KEEP_UUID, _WRITTEN_AS_RECEIVED]
UUID4 = Annotated[pydantic.UUID4, _KEEP_UUID, _WRITTEN_AS_RECEIVED]
UUID5 = Annotated[pydantic.UUID5, _KEEP_UUID, _WRITTEN_AS_RECEIVED]
Decimal = Annotated[_decimal.Decimal, _keeping(_ReceivedDecimal), _WRITTEN_AS_RECEIVED]
IPv6Address = Annotated[
    _ipaddress.IPv6Address, _keeping(_ReceivedIPv6Address), _WRITTEN_AS_RECEIVED
]


# RFC 3986's URI: a scheme, then only the characters a URI holds (``%`` before two hex digits).
_URI = _re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
)


def _url(value: str) -> str:
    if _URI.fullmatch(value) is None:
        pydantic.AnyUrl(value)  # raises on a string that is no URL either
    return value


AnyUrl = Annotated[str, pydantic.AfterValidator(_url)]
