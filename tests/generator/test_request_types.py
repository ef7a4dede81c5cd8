"""Request TypedDicts: keyed by wire names, accepted as dicts, tuples, mappings and text.

A nested request object gets a ``TypedDict`` in ``params.py`` whose keys are the wire names
(``dueDate``, ``from``), since a dict is sent as given; the request model validates it, so
wire-name keys, tuples, read-only mappings, UUIDs and date-times as text are all sent right.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from types import MappingProxyType

import httpx

from tests.generator.conftest import Generate
from tests.generator.util import mypy_strict

SPEC = """
openapi: 3.1.0
info: {title: Tasks, version: "1"}
servers: [{url: "https://tasks.example.com"}]
paths:
  /tasks:
    post:
      operationId: tasks_create
      tags: [tasks]
      parameters:
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewTask"}
      responses:
        "204": {description: Created.}
components:
  schemas:
    NewTask:
      type: object
      required: [steps]
      properties:
        steps: {type: array, items: {$ref: "#/components/schemas/TestStep"}}
        owner: {type: string, format: uuid}
    TestStep:
      type: object
      required: [stepName]
      properties:
        stepName: {type: string}
        dueDate: {type: string, format: date-time}
        from: {type: string}
        labels: {type: object, additionalProperties: {type: string}}
"""


def test_nested_object_takes_a_dict_of_wire_names(generate: Generate) -> None:
    api = generate(SPEC, "tasks")
    params = api.params  # loaded on first use

    # "from" is a keyword: the TypedDict is declared with the functional syntax.
    assert typing.get_type_hints(params.TestStepParam).keys() == {
        "stepName",
        "dueDate",
        "from",
        "labels",
    }
    assert params.TestStepParam.__test__ is False
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = api.TasksClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    step = {"stepName": "s", "dueDate": "2024-01-15T10:30:00Z", "from": "ci"}
    labels = MappingProxyType({"k": "v"})
    client.tasks.create(
        steps=(step, {"stepName": "t", "labels": labels}),
        owner="550e8400-e29b-41d4-a716-446655440000",
        since="2024-01-01T00:00:00Z",
        order="asc",
    )
    assert json.loads(sent[0].content) == {
        "steps": [
            {"stepName": "s", "dueDate": "2024-01-15T10:30:00Z", "from": "ci"},
            {"stepName": "t", "labels": {"k": "v"}},
        ],
        "owner": "550e8400-e29b-41d4-a716-446655440000",
    }
    assert sent[0].url.params["since"] == "2024-01-01T00:00:00Z"


def test_the_request_types_pass_mypy_strict(generate: Generate, tmp_path: Path) -> None:
    generate(SPEC, "tasks")
    caller = tmp_path / "caller.py"
    caller.write_text(
        "from tasks import TasksClient\n"
        "def use(client: TasksClient) -> None:\n"
        "    client.tasks.create(steps=[{'stepName': 's', 'from': 'ci', 'labels': {'k': 'v'}}],"
        " owner='550e8400-e29b-41d4-a716-446655440000', since='2024-01-01T00:00:00Z', order='x')\n"
        "    client.tasks.create(steps=[{'step_name': 's'}])\n",
        "utf-8",
    )
    found = mypy_strict([tmp_path / "tasks", caller], tmp_path)
    errors = [line for line in found.stdout.splitlines() if ": error:" in line]
    # Only the attribute name where the wire name is due: a TypedDict key is a wire name.
    assert len(errors) == 1 and "caller.py:4:" in errors[0], found.stdout
