"""No value is rewritten by parsing: every ``format`` the models map gives back what it read.

The formats come from datamodel-code-generator's own table (every one it types differently
from plain text or numbers), so a format it learns to map fails here until it has samples.
Each sample is valid for its format and written the way servers write it, which pydantic's
own types would change (``.000Z``, ``+00:00``, upper-case UUIDs, ``PT90M``, a URL without a
path, a zero-padded IPv6 address, base64 of binary data).
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.generator.util import generate, mypy_strict, write_spec

_DATE_TIMES = [
    "2020-09-30T07:43:32.000Z",
    "2024-01-02T03:04:05+00:00",
    "2024-01-02T03:04:05.1234567+02:00",
]
SAMPLES: dict[tuple[str, str], list[Any]] = {
    ("string", "byte"): ["AAEC/w=="],
    ("string", "binary"): ["raw text"],
    ("string", "date"): ["2024-01-02"],
    ("string", "date-time"): _DATE_TIMES,
    ("string", "timestamp with time zone"): _DATE_TIMES,
    ("string", "date-time-local"): ["2024-01-02T03:04:05.000"],
    ("string", "duration"): ["PT90M", "P1W"],
    ("string", "time"): ["12:30", "12:30:00.500Z"],
    ("string", "time-local"): ["12:30"],
    ("string", "path"): ["a/b/"],
    ("string", "email"): ["A@Example.com"],
    ("string", "idn-email"): ["A@Example.com"],
    ("string", "uuid"): ["123E4567-E89B-12D3-A456-426614174000"],
    ("string", "uuid1"): ["C232AB00-9414-11EC-B3C8-9F6BDECED846"],
    ("string", "uuid2"): ["000003E8-9414-21EC-B300-9F6BDECED846"],
    ("string", "uuid3"): ["6FA459EA-EE8A-3CA4-894E-DB77E160355E"],
    ("string", "uuid4"): ["123E4567-E89B-42D3-A456-426614174000"],
    ("string", "uuid5"): ["886313E1-3B8A-5372-9B90-0C9AEE199E5D"],
    # RFC 3986 allows an empty host (Prism makes `https://` from `pattern: ^https://`).
    ("string", "uri"): ["http://example.com", "HTTPS://Example.com/a%20b?q#f", "https://"],
    ("string", "hostname"): ["Example.COM"],
    ("string", "ipv4"): ["127.0.0.1"],
    ("string", "ipv4-network"): ["10.0.0.0/255.0.0.0"],
    ("string", "ipv6"): ["2001:0db8::0001"],
    ("string", "ipv6-network"): ["2001:0db8::/32"],
    ("string", "decimal"): ["1.50", "1e3"],
    ("string", "integer"): ["012"],
    ("string", "unixtime"): ["1700000000"],
    ("string", "ulid"): ["01ARZ3NDEKTSV4RRFFQ69G5FAV"],
    ("string", "password"): ["hunter2"],
    ("integer", "int32"): [5],
    ("integer", "int64"): [9007199254740993],
    ("integer", "date-time"): [1700000000],
    ("integer", "unix-time"): [1700000000],
    ("integer", "unixtime"): [1700000000],
    ("number", "float"): [1.5],
    ("number", "double"): [1.5],
    ("number", "decimal"): [1.5, 10],
    ("number", "date-time"): [1700000000.5],
    ("number", "time"): [1.5],
    ("number", "time-delta"): [1.5],
    ("number", "unixtime"): [1700000000.5],
}
_PACKAGE = "formats_api"


def mapped_formats() -> list[tuple[str, str]]:
    """(type, format) for every format of a scalar type the library's table names."""
    from datamodel_code_generator.parser.schema_version import get_data_formats

    table = get_data_formats(is_openapi=True)
    return sorted(
        (kind, fmt)
        for kind in ("string", "integer", "number")
        for fmt in table[kind]
        if fmt != "default"
        and not (kind == "string" and table[kind][fmt] == table[kind]["default"])
    )


def _field(kind: str, fmt: str) -> str:
    return f"{kind}_{fmt}".replace("-", "_").replace(" ", "_")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    properties = {_field(k, f): {"type": k, "format": f} for k, f in mapped_formats()}
    # A field named like the type it holds: models.py imports that type under an alias.
    properties["time"] = {"type": "string", "format": "time"}
    ok = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Formats"}}},
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "formats", "version": "1"},
        "paths": {
            "/formats": {
                "get": {"operationId": "get_formats", "responses": {"200": ok}},
                # The formats as arguments: the resource module imports their types too.
                "post": {
                    "operationId": "put_formats",
                    "requestBody": {"content": ok["content"]},
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        "components": {"schemas": {"Formats": {"type": "object", "properties": properties}}},
    }
    root = tmp_path_factory.mktemp("formats")
    generate(write_spec(spec, root), root, _PACKAGE)
    sys.path.insert(0, str(root))
    yield importlib.import_module(f"{_PACKAGE}.models").Formats, root
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == _PACKAGE or m.startswith(_PACKAGE + ".")]:
        del sys.modules[name]


def test_every_mapped_format_has_samples() -> None:
    assert set(mapped_formats()) <= set(SAMPLES), sorted(set(mapped_formats()) - set(SAMPLES))


@pytest.mark.parametrize(("kind", "fmt"), sorted(SAMPLES))
def test_a_value_comes_back_as_received(model: tuple[Any, Path], kind: str, fmt: str) -> None:
    formats, _ = model
    for sample in SAMPLES[kind, fmt]:
        text = json.dumps({_field(kind, fmt): sample})
        parsed = formats.model_validate_json(text)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert json.loads(
                parsed.model_dump_json(by_alias=True, exclude_unset=True)
            ) == json.loads(text)
            assert parsed.model_dump(mode="json", exclude_unset=True) == {_field(kind, fmt): sample}


def test_a_string_that_is_no_uri_is_refused(model: tuple[Any, Path]) -> None:
    import pydantic

    formats, _ = model
    for text in ["example.com", "https://exa mple.com", "://x", ""]:
        with pytest.raises(pydantic.ValidationError, match="string_uri"):
            formats.model_validate({"string_uri": text})


def test_a_value_made_in_python_is_written_as_usual(model: tuple[Any, Path]) -> None:
    import datetime
    import uuid

    formats, _ = model
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    made = formats(string_date_time=when, string_uuid=uuid.UUID(int=1))
    assert made.model_dump(mode="json", exclude_unset=True) == {
        "string_date_time": "2024-01-02T03:04:05Z",
        "string_uuid": "00000000-0000-0000-0000-000000000001",
    }
    read = formats.model_validate_json('{"string_date_time": "2024-01-02T03:04:05.000+00:00"}')
    assert read.string_date_time == when and isinstance(read.string_date_time, datetime.datetime)


def test_formatted_arguments_are_sent_as_given(model: tuple[Any, Path]) -> None:
    import datetime

    import httpx

    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    package = importlib.import_module(_PACKAGE)
    transport = httpx.MockTransport(answer)
    client = package.FormatsApiClient(
        base_url="https://api.test.invalid", http_client=httpx.Client(transport=transport)
    )
    client.default.put_formats(
        time=datetime.time(12, 30), string_uuid="123E4567-E89B-12D3-A456-426614174000"
    )
    assert json.loads(sent[0].content) == {
        "time": "12:30:00",
        "string_uuid": "123E4567-E89B-12D3-A456-426614174000",
    }


def test_the_formats_pass_mypy_strict(model: tuple[Any, Path]) -> None:
    _, root = model
    run = mypy_strict([root / _PACKAGE], root)
    assert run.returncode == 0, run.stdout[-4000:]
