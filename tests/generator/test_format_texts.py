"""A date-time, time or duration read from text is pydantic's own value, and written back as sent.

The runtime's format types (``_formats.py``) copy the value pydantic parsed into a subclass that
keeps the text. Every text here is read both ways, by the runtime's type and by pydantic's own,
in JSON and from Python: each is refused by both with the same error, or read
by both as the same value (equal, the same ``tzinfo`` type and offset, the same ``repr``), and
ours is written back in JSON as exactly the text received.
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import json
import uuid
from typing import Any

import pydantic
import pytest

from generator.runtime import _formats

_ZONED = [
    "2023-02-20T09:15:42.000Z",
    "2023-02-20T09:15:42Z",
    "2023-02-20t09:15:42z",
    "2023-02-20 09:15:42Z",
    "2023-02-20_09:15:42+01:00",
    "2023-02-20T09:15:42+00:00",
    "2023-02-20T09:15:42-00:00",
    "2023-02-20T09:15:42+05:30",
    "2023-02-20T09:15:42+0530",
    "2023-02-20T09:15:42-23:59",
    "2023-02-20T09:15:42.5+02:00",
    "2023-02-20T09:15:42,5Z",
    "2023-02-20T09:15Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999-01:00",
    "2024-02-29T12:00:00Z",
]
# One to nine digits of a second, and more: pydantic keeps six and drops the rest.
_FRACTIONS = [f"2023-02-20T09:15:42.{'123456789'[:n]}Z" for n in range(1, 10)] + [
    "2023-02-20T09:15:42.9999995Z",
    "2023-02-20T09:15:42.1234567890Z",
]
_NAIVE = ["2023-02-20T09:15:42", "2023-02-20T09:15:42.000", "2023-02-20 09:15", "2023-02-20"]
_REFUSED = [
    "2016-12-31T23:59:60Z",  # a leap second
    "2023-02-29T00:00:00Z",
    "2023-02-20T24:00:00Z",
    "2023-02-20T09:15:42+24:00",
    "2023-02-20T09:15:42+05",
    "2023-02-20T09:15:42+00:00:30",
    "2023-02-20T09:15:42.Z",
    "20230220T091542Z",
    " 2023-02-20T09:15:42Z",
    "2023-02-20T09:15:42Z ",
    "2023-02-20X09:15:42Z",
    "",
]
_TEXTS = [*_ZONED, *_FRACTIONS, *_NAIVE, *_REFUSED, "1676884542", "1676884542.5"]

# Each type of the runtime's, pydantic's own for the same format, and the Python type both read.
_PAIRS: dict[str, tuple[Any, Any, type]] = {
    "AwareDatetime": (_formats.AwareDatetime, pydantic.AwareDatetime, dt.datetime),
    "NaiveDatetime": (_formats.NaiveDatetime, pydantic.NaiveDatetime, dt.datetime),
    "time": (_formats.time, dt.time, dt.time),
    "timedelta": (_formats.timedelta, dt.timedelta, dt.timedelta),
    "UUID": (_formats.UUID, uuid.UUID, uuid.UUID),
    "Decimal": (_formats.Decimal, decimal.Decimal, decimal.Decimal),
    "IPv6Address": (_formats.IPv6Address, ipaddress.IPv6Address, ipaddress.IPv6Address),
}


def _read(kind: Any, value: Any, *, json_mode: bool, strict: bool) -> Any:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(kind)
    try:
        if json_mode:
            return adapter.validate_json(json.dumps(value), strict=strict)
        return adapter.validate_python(value, strict=strict)
    except pydantic.ValidationError as exc:
        return [(e["type"], e["msg"]) for e in exc.errors()]


def _same_reading(name: str, value: Any, *, json_mode: bool, strict: bool) -> Any:
    """What ours read, after checking that pydantic's own type read the same."""
    ours_type, theirs_type, _ = _PAIRS[name]
    ours = _read(ours_type, value, json_mode=json_mode, strict=strict)
    theirs = _read(theirs_type, value, json_mode=json_mode, strict=strict)
    assert ours == theirs  # the same errors, or equal values
    if not isinstance(theirs, list):
        # The same fields, zone and fold: the repr but for the class name (ours is a subclass).
        assert repr(ours).split("(", 1)[1] == repr(theirs).split("(", 1)[1]
        assert getattr(ours, "fold", 0) == getattr(theirs, "fold", 0)
        if isinstance(theirs, dt.datetime | dt.time):
            assert type(ours.tzinfo) is type(theirs.tzinfo)
            assert (ours.utcoffset(), ours.tzname()) == (theirs.utcoffset(), theirs.tzname())
    return ours


def _written(kind: Any, value: Any) -> Any:
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(kind)
    return json.loads(adapter.dump_json(value)), adapter.dump_python(value, mode="json")


def _reads_and_writes_back(name: str, text: str) -> None:
    """``text`` read as pydantic reads it, from JSON and from Python, and written back as is."""
    for json_mode in (True, False):
        read = _same_reading(name, text, json_mode=json_mode, strict=False)
        if not isinstance(read, list):
            assert isinstance(read, _PAIRS[name][2])
            assert _written(_PAIRS[name][0], read) == (text, text)


@pytest.mark.parametrize("name", ["AwareDatetime", "NaiveDatetime"])
@pytest.mark.parametrize("text", _TEXTS)
def test_a_date_time_text_reads_as_pydantic_reads_it_and_writes_back_as_sent(
    name: str, text: str
) -> None:
    _reads_and_writes_back(name, text)
    # Strict validation from Python refuses a string for a datetime, as pydantic's does.
    assert isinstance(_same_reading(name, text, json_mode=False, strict=True), list)


@pytest.mark.parametrize("name", ["time", "timedelta"])
@pytest.mark.parametrize(
    "text",
    [
        "12:30",
        "12:30:00.500Z",
        "12:30:00.123456789+05:30",
        "23:59:60",
        "24:00",
        "PT90M",
        "P1W",
        "-P1DT0.5S",
        "P1DT25H",
        "1.5",
        "nope",
    ],
)
def test_a_time_or_duration_text_reads_as_pydantic_reads_it_and_writes_back_as_sent(
    name: str, text: str
) -> None:
    _reads_and_writes_back(name, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("UUID", "123E4567-E89B-12D3-A456-426614174000"),
        ("UUID", "{123e4567-e89b-12d3-a456-426614174000}"),
        ("UUID", "123e4567e89b12d3a456426614174000"),
        ("UUID", "nope"),
        ("Decimal", "1.50"),
        ("Decimal", "-0E+3"),
        ("Decimal", "1e3"),
        ("Decimal", "NaN"),
        ("Decimal", "1,5"),
        ("IPv6Address", "2001:0db8::0001"),
        ("IPv6Address", "fe80::1%eth0"),
        ("IPv6Address", "::ffff:127.0.0.1"),
        ("IPv6Address", "127.0.0.1"),
    ],
)
def test_a_uuid_decimal_or_address_reads_as_pydantic_reads_it_and_writes_back_as_sent(
    name: str, text: str
) -> None:
    _reads_and_writes_back(name, text)


@pytest.mark.parametrize("number", [12345, 1676884542.5, 0, -1])
@pytest.mark.parametrize("name", ["AwareDatetime", "NaiveDatetime"])
def test_a_number_is_refused_for_a_date_time(name: str, number: float) -> None:
    for json_mode in (True, False):
        errors = _read(_PAIRS[name][0], number, json_mode=json_mode, strict=False)
        assert errors == [
            ("value_error", f"Value error, expected a date-time string, got the number {number!r}")
        ]


def test_a_date_time_made_in_python_is_written_as_pydantic_writes_it() -> None:
    for name in ("AwareDatetime", "NaiveDatetime"):
        ours, theirs, _ = _PAIRS[name]
        zone = dt.timezone(dt.timedelta(hours=2)) if name == "AwareDatetime" else None
        made = dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=zone, fold=1)
        read = pydantic.TypeAdapter(ours).validate_python(made)
        assert read is pydantic.TypeAdapter(theirs).validate_python(made)
        assert _written(ours, read) == _written(theirs, made)
