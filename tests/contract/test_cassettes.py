"""The cassettes themselves: each one allowed by its spec, every operation covered, no secrets.

A cassette that the spec does not allow is either a stale cassette or, once it is a real
recording, a spec that no longer says what the service does: both fail here with the cassette,
the interaction and the violation named. Validation is openapi-core's, over a copy of the spec in
which an object that lists its properties admits no others (see ``strict_openapi``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import vcr.request

from tests.contract.cassettes import (
    REDACTED,
    SIGNED,
    before_record_request,
    before_record_response,
    cassette_files,
    credential_headers,
    find_call,
    load,
    relative,
    spec_violations,
)
from tests.specs import APIS, operations


def _cassettes() -> list[Any]:
    return [
        pytest.param(api, path, id=f"{api}/{path.stem}")
        for api in APIS
        for path in cassette_files(api)
    ]


@pytest.mark.parametrize(("api", "cassette"), _cassettes())
def test_cassette_matches_spec(api: str, cassette: Path) -> None:
    problems = [
        f"{relative(cassette)}, interaction {index} ({item.method} {item.uri} -> {item.status}): {violation}"
        for index, item in enumerate(load(cassette))
        for violation in spec_violations(api, item)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("api", APIS)
def test_every_operation_has_success_and_error_cassettes(api: str) -> None:
    statuses: dict[str, set[int]] = {op.operation_id: set() for op in operations(api)}
    for path in cassette_files(api):
        for item in load(path):
            statuses[find_call(api, item).op.operation_id].add(item.status)
    missing = [
        f"{op_id}: {kind}"
        for op_id, seen in statuses.items()
        for kind, ok in (
            ("success", any(200 <= s < 300 for s in seen)),
            ("error", any(s >= 400 for s in seen)),
        )
        if not ok
    ]
    assert not missing, f"operations of {api} without a cassette: {missing}"


def _credential_values(path: Path) -> list[str]:
    return [
        value
        for item in load(path)
        for name, value in item.request_headers.items()
        if name.lower() in credential_headers()
    ]


@pytest.mark.parametrize(("api", "cassette"), _cassettes())
def test_cassette_holds_no_secret(api: str, cassette: Path) -> None:
    text = cassette.read_text("utf-8")
    for value in _credential_values(cassette):
        assert value in (REDACTED, f"Bearer {REDACTED}"), (
            f"{relative(cassette)}: credential header kept"
        )
    signed = [m.group(0) for m in SIGNED.finditer(text) if m.group(2) != REDACTED]
    assert not signed, f"{relative(cassette)}: presigned signature kept: {signed}"
    assert not re.search(r"Bearer (?!REDACTED)\S", text), f"{relative(cassette)}: bearer token kept"
    for name, key in os.environ.items():
        if name.endswith("_API_KEY") and len(key) >= 8:
            assert key not in text, f"{relative(cassette)}: contains the value of {name}"


def test_recording_filters_credentials_and_signatures() -> None:
    request = vcr.request.Request(
        "GET",
        "https://api.example.test/v1/x",
        b"",
        {"X-API-Key": "sk_live_123456", "Authorization": "Bearer tok_abcdef", "Cookie": "s=1"},
    )
    cleaned = before_record_request(request)
    assert cleaned.headers["X-API-Key"] == REDACTED
    assert cleaned.headers["Authorization"] == f"Bearer {REDACTED}"
    assert "Cookie" not in cleaned.headers
    url = "https://bucket.s3.amazonaws.com/a.log?X-Amz-Credential=AKIA123&X-Amz-Signature=deadbeef&x=1"
    response = {
        "headers": {"Location": [url], "Set-Cookie": ["s=1"]},
        "body": {"string": f'{{"upload_url": "{url}"}}'.encode()},
    }
    scrubbed = before_record_response(response)
    body = scrubbed["body"]["string"].decode()
    assert "deadbeef" not in body and "AKIA123" not in body
    assert f"X-Amz-Signature={REDACTED}" in body and "x=1" in body
    assert "deadbeef" not in scrubbed["headers"]["Location"][0]
    assert "Set-Cookie" not in scrubbed["headers"]
