"""The ``x-retry`` and ``x-idempotent`` extensions: checked by validate, obeyed by the client."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from generator.load.document import load
from generator.validate.openapi import validate
from tests.generator.conftest import Generate
from tests.generator.loopback import MARKED

SPEC = """
openapi: 3.1.0
info: {title: Jobs, version: "1"}
servers: [{url: "https://jobs.example.com"}]
security: [{key: []}]
x-retry: {default-retry-after: 5, max-retry-after: 20}
paths:
  /jobs/{job_id}/cancel:
    post:
      operationId: jobs_cancel
      tags: [jobs]
      summary: Cancel a job
      description: Cancelling twice leaves the job cancelled.
      x-idempotent: true
      parameters:
        - {name: job_id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Cancelled.}
  /jobs:
    post:
      operationId: jobs_start
      tags: [jobs]
      summary: Start a job
      description: Each call starts another job.
      responses:
        "204": {description: Started.}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
"""
KEY = "sk-LEAKCHECK-0123456789"


class Clock:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def now(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def _client(
    generate: Generate, answers: list[int], sent: list[httpx.Request]
) -> tuple[object, Clock]:
    pkg = generate(SPEC, "jobs_api")

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(answers[min(len(sent), len(answers)) - 1])

    clock = Clock()
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.JobsApiClient(KEY, http_client=http, clock=clock), clock


def test_declared_idempotent_post_is_retried_after_a_500(generate: Generate) -> None:
    sent: list[httpx.Request] = []
    client, clock = _client(generate, [500, 204], sent)
    client.jobs.cancel("j1")  # type: ignore[attr-defined]
    assert len(sent) == 2 and len(clock.sleeps) == 1


def test_undeclared_post_is_not_retried_after_a_500(generate: Generate) -> None:
    sent: list[httpx.Request] = []
    client, _ = _client(generate, [500, 204], sent)
    with pytest.raises(Exception, match="500") as caught:
        client.jobs.start()  # type: ignore[attr-defined]
    assert type(caught.value).__name__ == "InternalServerError"
    assert len(sent) == 1


def test_default_retry_after_comes_from_x_retry(generate: Generate) -> None:
    sent: list[httpx.Request] = []
    client, clock = _client(generate, [429, 429, 204], sent)
    client.jobs.start()  # type: ignore[attr-defined]
    assert clock.sleeps == [5.0, 5.0]


def test_key_in_the_query_is_redacted_everywhere(
    generate: Generate, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent: list[httpx.Request] = []
    client, _ = _client(generate, [503], sent)
    with pytest.raises(Exception, match="after 3 attempts") as caught:
        client.jobs.start()  # type: ignore[attr-defined]
    assert sent[0].url.params["api_key"] == KEY
    exc = caught.value
    shown = f"{exc} {exc!r} {exc.url} {exc.request.url} {exc.response.request.url}"  # type: ignore[attr-defined]
    shown += " ".join(r.getMessage() for r in caplog.records if r.name == "jobs_api")
    assert KEY not in shown
    assert "api_key=%5BREDACTED%5D" in str(exc.url)  # type: ignore[attr-defined]


BAD = {
    "x-retry-not-a-mapping": ("x-retry: 60\n", "#/x-retry", "must be a mapping"),
    "x-retry-string": (
        "x-retry: {default-retry-after: soon}\n",
        "#/x-retry/default-retry-after",
        "number of seconds",
    ),
    "x-retry-negative": (
        "x-retry: {max-retry-after: -1}\n",
        "#/x-retry/max-retry-after",
        "number of seconds",
    ),
    "x-retry-bool": ("x-retry: {max-delay: true}\n", "#/x-retry/max-delay", "number of seconds"),
    "x-retry-unknown": ("x-retry: {retries: 3}\n", "#/x-retry/retries", "unknown x-retry key"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_x_retry_is_a_located_error(case: str, tmp_path: Path) -> None:
    text, where, words = BAD[case]
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC.replace("x-retry: {default-retry-after: 5, max-retry-after: 20}\n", text))
    errors = [d for d in validate(load(spec)) if d.severity == "error"]
    assert [(d.pointer, words in d.message) for d in errors] == [(where, True)]


def test_non_boolean_x_idempotent_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC.replace("x-idempotent: true", "x-idempotent: 'yes'"))
    errors = [d for d in validate(load(spec)) if d.severity == "error"]
    assert [d.pointer for d in errors] == ["#/paths/~1jobs~1{job_id}~1cancel/post/x-idempotent"]
    assert errors[0].line == 14  # SPEC starts with a blank line


def test_well_formed_extensions_pass(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC)
    assert validate(load(spec)) == []


def test_non_boolean_x_idempotency_key_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(MARKED.replace("x-idempotency-key: true", "x-idempotency-key: 'yes'"))
    errors = [d for d in validate(load(spec)) if d.severity == "error"]
    assert [d.pointer for d in errors] == ["#/paths/~1charges/post/parameters/0/x-idempotency-key"]
    spec.write_text(MARKED)
    assert validate(load(spec)) == []


def test_which_header_carries_an_idempotency_key() -> None:
    from generator.extensions.idempotency import idempotency_key

    def header(name: str, **more: object) -> dict[str, object]:
        return {"name": name, "in": "header", **more}

    assert idempotency_key([header("X-Trace"), header("idempotency-key")]) == "idempotency-key"
    assert idempotency_key([header("X-Idempotency-Key")]) == "X-Idempotency-Key"
    assert idempotency_key([header("Request-Id", **{"x-idempotency-key": True})]) == "Request-Id"
    assert idempotency_key([header("Idempotency-Key", **{"x-idempotency-key": False})]) is None
    assert idempotency_key([{"name": "Idempotency-Key", "in": "query"}]) is None
