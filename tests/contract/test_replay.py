"""Every cassette replayed through the generated clients, sync and async.

Each interaction's recorded request is turned back into the client call that sends it; VCR.py
answers with the recorded response only if the client's request matches the recording (method,
URL, query, JSON body, credential header), and never touches the network: a request the cassette
lacks fails the test. The typed result must then equal the recorded body, and an error status must
raise exactly the typed error of that status carrying the recorded body.

``make record API=<api>`` runs this same test with ``--record-mode=rewrite``: the calls go to the
live API (key from ``<API>_API_KEY``, base URL from ``<API>_BASE_URL`` or the spec) and the
cassettes are rewritten with what it answered, secrets filtered (see cassettes.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

from tests.calls import APIStatusErrorLike, call, close, error_class, make_client
from tests.contract.cassettes import (
    Call,
    Interaction,
    cassette_dir,
    cassette_files,
    find_call,
    load,
    register_matchers,
    relative,
    response_of,
    vcr_config,
)
from tests.specs import APIS, instants, package

REPLAY_KEY = "replay-key"  # any key does: recorded credentials are redacted, and so is this one


def _cassettes() -> list[Any]:
    return [
        # Loaded at collection: recording (rewrite mode) deletes the file before the test runs.
        pytest.param(api, path, load(path), id=f"{api}/{path.stem}")
        for api in APIS
        for path in cassette_files(api)
    ]


class Responses:
    """Every response the client received, read in full, through httpx event hooks."""

    def __init__(self) -> None:
        self.seen: list[httpx.Response] = []

    def sync_hook(self, response: httpx.Response) -> None:
        response.read()
        self.seen.append(response)

    async def async_hook(self, response: httpx.Response) -> None:
        await response.aread()
        self.seen.append(response)


def _credentials(api: str, recording: bool, base_url: str) -> tuple[str, str | None]:
    if not recording:
        return REPLAY_KEY, base_url
    key = os.environ.get(f"{api.upper()}_API_KEY")
    if not key:
        pytest.fail(f"recording {api} needs a real key in {api.upper()}_API_KEY")
    return key, os.environ.get(f"{api.upper()}_BASE_URL")


async def _outcome(found: Call, client: Any, is_async: bool) -> Any:
    try:
        return await call(found.op, client, found.positional, found.keywords, is_async)
    except package(found.op.api).APIStatusError as exc:
        return exc


def check_outcome(api: str, found: Call, outcome: Any, response: httpx.Response) -> None:
    """The typed result or typed error ``outcome`` says exactly what ``response`` said."""
    status = response.status_code
    where = f"{found.op.operation_id} -> {status}"
    if response.is_success:
        assert not isinstance(outcome, Exception), f"{where}: raised {outcome!r}"
        if (response_of(found.op, status).get("content") or {}).get("application/json"):
            dumped = outcome.model_dump(mode="json", by_alias=True, exclude_unset=True)
            assert instants(dumped) == instants(response.json()), where
        else:
            assert outcome is None, f"{where}: no body documented, got {outcome!r}"
        return
    expected = error_class(api, status)
    assert type(outcome) is expected, f"{where}: expected {expected.__name__}, got {outcome!r}"
    assert isinstance(outcome, APIStatusErrorLike)
    assert outcome.status_code == status
    assert outcome.body == (json.loads(response.text) if response.text else ""), where


@pytest.mark.vcr
@pytest.mark.block_network
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("api", "cassette", "interactions"), _cassettes())
async def test_replay(
    api: str, cassette: Path, interactions: list[Interaction], is_async: bool, record_mode: str
) -> None:
    assert interactions, f"{relative(cassette)} has no interactions"
    recording = record_mode != "none"
    calls = [find_call(api, interaction) for interaction in interactions]
    key, base_url = _credentials(api, recording, calls[0].base_url)
    responses = Responses()
    hook = responses.async_hook if is_async else responses.sync_hook
    client = make_client(api, is_async, base_url, key, event_hooks={"response": [hook]})
    try:
        for count, (interaction, found) in enumerate(zip(interactions, calls, strict=True), 1):
            outcome = await _outcome(found, client, is_async)
            assert len(responses.seen) == count, "one call, one exchange (retries are off)"
            response = responses.seen[-1]
            if not recording:
                assert response.status_code == interaction.status, relative(cassette)
            check_outcome(api, found, outcome, response)
    finally:
        await close(client, is_async)


def _drop_credential(request: httpx.Request) -> None:
    del request.headers["Authorization"]


@pytest.mark.block_network
@pytest.mark.parametrize(
    ("send", "hooks", "refused"),
    [
        pytest.param(lambda c: c.projects.list(page_size=10), [], False, id="recorded-request"),
        pytest.param(lambda c: c.status.get(), [], True, id="other-operation"),
        pytest.param(lambda c: c.projects.list(page_size=11), [], True, id="other-query"),
        pytest.param(
            lambda c: c.projects.list(page_size=10), [_drop_credential], True, id="no-credential"
        ),
    ],
)
def test_replay_refuses_what_the_cassette_lacks(send: Any, hooks: list[Any], refused: bool) -> None:
    """A request the cassette does not hold fails the test instead of reaching the network."""
    player = vcr.VCR(record_mode="none")
    register_matchers(player)
    cassette = cassette_dir("automated_future") / "projects_list--ok.yaml"
    base_url = "https://api.automatedfuture.co/v1/test"
    with player.use_cassette(str(cassette), **vcr_config()):
        client = make_client(
            "automated_future", False, base_url, REPLAY_KEY, event_hooks={"request": hooks}
        )
        if not refused:
            assert send(client).projects[0].project_id == "project_abc123"
            return
        with pytest.raises(CannotOverwriteExistingCassetteException):
            send(client)
