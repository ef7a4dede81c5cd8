"""``multipleOf`` checked as decimals, over real HTTP on 127.0.0.1, on requests and responses.

pydantic checks a float's ``multiple_of`` in binary within a tolerance: it refuses
``5.21e19`` as a multiple of ``0.01`` (a budget amount of Apideck's that Prism made up, found
by ``make corpus-e2e``) and takes ``3.0000000001``. The generated models check the decimal a number is written as:
a request with a value that is no multiple is refused before anything is sent, an answer with
one is flagged (or raised when strict), and a multiple passes both ways.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pydantic
import pytest

from tests.generator.conftest import Generate
from tests.generator.util import mypy_strict

SPEC = """
openapi: 3.0.3
info: {title: Budgets, version: "1"}
servers: [{url: "https://budgets.test.invalid"}]
components:
  schemas:
    Budget:
      type: object
      properties:
        amount: {type: number, multipleOf: 0.01, nullable: true}
        hours: {type: number, multipleOf: 0.25}
        seats: {type: integer, multipleOf: 5}
paths:
  /budgets:
    post:
      operationId: budgets_create
      tags: [budgets]
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Budget"}}
      responses:
        "200":
          description: The budget as stored.
          content:
            application/json: {schema: {$ref: "#/components/schemas/Budget"}}
"""

# Multiples of their step whose binary value pydantic's check refuses, and values that are no
# multiples that it takes.
MULTIPLES: dict[str, object] = {"amount": 5.21e19, "hours": 8.75, "seats": 10}
NOT_MULTIPLES = [("amount", 3.0000000001), ("amount", 1e-9), ("hours", 2.2500000001)]


class _Answer(BaseHTTPRequestHandler):
    """Answers every POST with the body the test set, and keeps each request body."""

    answer: ClassVar[dict[str, object]]
    seen: ClassVar[list[str]]
    base_url: ClassVar[str]

    def do_POST(self) -> None:
        self.seen.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        payload = json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[type[_Answer]]:
    handler: type[_Answer] = type("Handler", (_Answer,), {"answer": {}, "seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    handler.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield handler
    httpd.shutdown()
    httpd.server_close()


def test_multiples_pass_both_ways(generate: Generate, server: type[_Answer]) -> None:
    pkg = generate(SPEC, "budgets_api")
    server.answer = MULTIPLES
    with pkg.BudgetsApiClient(base_url=server.base_url, max_retries=0) as client:
        budget = client.budgets.create(**MULTIPLES)
        assert json.loads(server.seen[0]) == MULTIPLES
        assert pkg.mismatches(budget) == ()
        assert client.budgets.create(**MULTIPLES, strict_responses=True).amount == 5.21e19


@pytest.mark.parametrize(("field", "value"), NOT_MULTIPLES)
def test_a_value_that_is_no_multiple_is_refused_both_ways(
    generate: Generate, server: type[_Answer], field: str, value: float
) -> None:
    pkg = generate(SPEC, "budgets_api")
    server.answer = {**MULTIPLES, field: value}
    with pkg.BudgetsApiClient(base_url=server.base_url, max_retries=0) as client:
        with pytest.raises(pydantic.ValidationError, match="multiple of"):
            client.budgets.create(**{**MULTIPLES, field: value})
        assert server.seen == []  # refused before anything was sent
        budget = client.budgets.create(**MULTIPLES)
        assert [m.path for m in pkg.mismatches(budget)] == [field]
        assert getattr(budget, field) == value  # kept as received
        with pytest.raises(pkg.APIResponseValidationError):
            client.budgets.create(**MULTIPLES, strict_responses=True)


def test_the_package_passes_mypy_strict(generate: Generate, tmp_path: Path) -> None:
    generate(SPEC, "budgets_api")
    run = mypy_strict([tmp_path / "budgets_api"], tmp_path)
    assert run.returncode == 0, run.stdout[-4000:]
