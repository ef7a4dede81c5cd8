"""OAuth2 client credentials and bearer tokens from a callable, over loopback HTTP.

A spec of our own declares an ``oauth2`` scheme with a ``clientCredentials`` flow; a threaded
loopback server is both its token endpoint (checking the client's basic credentials, the grant
and the scopes, and issuing numbered tokens) and the API (accepting only the token it issued
last). The tests see the client fetch a token once, reuse it, renew it before it expires (on a
fake clock) and once after a 401, keep every token and secret out of errors and logs, and take
tokens from a ``token_provider`` callable; sync, async and under ``mypy --strict``.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import logging
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import pytest

from .util import generate, loopback, mypy_strict

SPEC = """
openapi: 3.0.3
info: {title: Vault, version: "1"}
servers: [{url: "https://vault.test.invalid/api"}]
security: [{oauth: ["secrets:read"]}]
paths:
  /me:
    get:
      operationId: me
      tags: [account]
      responses:
        "200":
          description: Who the token is for.
          content:
            application/json: {schema: {$ref: "#/components/schemas/Me"}}
  /secrets:
    post:
      operationId: write
      tags: [account]
      security: [{oauth: ["secrets:write"]}]
      responses:
        "204": {description: Written.}
components:
  schemas:
    Me:
      type: object
      properties:
        token: {type: string}
        scope: {type: string}
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {"secrets:read": Read, "secrets:write": Write}
"""

BEARER = """
openapi: 3.0.3
info: {title: Plain, version: "1"}
servers: [{url: "https://plain.test.invalid"}]
security: [{token: []}]
paths:
  /me:
    get:
      operationId: me
      tags: [account]
      responses:
        "200":
          description: Who the token is for.
          content:
            application/json: {schema: {type: object, additionalProperties: true}}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
"""

CLIENT_ID, CLIENT_SECRET = "vault-client", "s3cret-of-the-client"


@dataclass
class Server:
    """The token endpoint and the API; ``lifetime`` is each token's ``expires_in``."""

    url: str = ""
    lifetime: int | None = 3600
    issued: list[str] = field(default_factory=list)
    forms: list[dict[str, list[str]]] = field(default_factory=list)
    bearers: list[str] = field(default_factory=list)
    # Answer 401 to every API call, whatever the token.
    refuse: bool = False

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if self.path == "/oauth/token":
                    self._token(body)
                    return
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                server.bearers.append(bearer)
                if server.refuse or not server.issued or bearer != server.issued[-1]:
                    # The answer echoes the token: the client must not show it.
                    self._send(401, {"error": f"invalid token {bearer}"})
                elif self.command == "POST":
                    self._send(204, None)
                else:
                    scope = server.forms[-1]["scope"][0] if server.forms else ""
                    self._send(200, {"token": bearer, "scope": scope})

            def _token(self, body: str) -> None:
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self._send(401, {"error": "invalid_client"})
                    return
                form = parse_qs(body)
                server.forms.append(form)
                token = f"tok-{len(server.issued) + 1}-{'x' * 12}"
                server.issued.append(token)
                answer: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
                if server.lifetime is not None:
                    answer["expires_in"] = server.lifetime
                self._send(200, answer)

            def _send(self, status: int, body: object) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        return Handler


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.time = 1_000_000.0

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.time += seconds

    async def asleep(self, seconds: float) -> None:
        self.time += seconds


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    root = tmp_path_factory.mktemp("oauth")
    for package, text in (("vault_api", SPEC), ("plain_api", BEARER)):
        spec = root / f"{package}.yaml"
        spec.write_text(textwrap.dedent(text), "utf-8")
        generate(spec, root, package)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("vault_api"), importlib.import_module("plain_api")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] in ("vault_api", "plain_api")]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    with loopback(running.handler()) as url:
        running.url = url
        yield running


@pytest.fixture(autouse=True)
def _no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VAULT_API_API_KEY", "VAULT_API_CLIENT_ID", "VAULT_API_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("PLAIN_API_API_KEY", raising=False)


def _vault(built: tuple[ModuleType, ModuleType], server: Server, **kwargs: Any) -> Any:
    vault = built[0]
    prefix = kwargs.pop("prefix", "")
    return getattr(vault, f"{prefix}VaultApiClient")(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        base_url=server.url + "/api",
        max_retries=0,
        **kwargs,
    )


def test_a_token_is_fetched_once_with_the_scopes_and_reused(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    with _vault(built, server) as client:
        first = client.account.me()
        second = client.account.me()
    assert server.issued == [first.token] == [second.token]
    assert server.forms == [
        {"grant_type": ["client_credentials"], "scope": ["secrets:read secrets:write"]}
    ]
    assert server.bearers == [first.token, first.token]


def test_the_token_is_renewed_before_it_expires(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    server.lifetime = 300
    clock = FakeClock()
    with _vault(built, server, clock=clock) as client:
        client.account.me()
        clock.time += 250  # within the last 30 s? not yet: 300 - 30 = 270
        client.account.me()
        clock.time += 25  # now within the last 30 s of the token's life
        client.account.me()
    assert len(server.issued) == 2
    assert server.bearers == [server.issued[0], server.issued[0], server.issued[1]]


def test_a_401_renews_the_token_once_and_sends_again(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    with _vault(built, server) as client:
        client.account.me()
        server.issued.append("revoked-elsewhere")  # the server no longer accepts ours
        client.account.write()  # 401, a new token, 204
        assert server.bearers[1:] == [server.issued[0], server.issued[2]]
        server.refuse = True  # every token refused: one renewal, then the 401 is raised
        bearers = len(server.bearers)
        with pytest.raises(built[0].AuthenticationError) as raised:
            client.account.me()
    assert server.bearers[bearers:] == [server.issued[2], server.issued[3]]
    shown = f"{raised.value} {raised.value.body} {raised.value.request.headers} {client!r}"
    assert "tok-" in json.dumps(server.bearers) and "tok-" not in shown
    assert CLIENT_SECRET not in shown


def test_tokens_and_secrets_never_reach_the_log(
    built: tuple[ModuleType, ModuleType], server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="vault_api"), _vault(built, server) as client:
        client.account.me()
        server.issued.append("revoked")
        client.account.me()
    logged = caplog.text
    assert "GET" in logged
    assert not any(token in logged for token in server.issued)
    assert CLIENT_SECRET not in logged


def test_a_refused_client_is_an_authentication_error_without_the_secret(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    vault = built[0]
    client = vault.VaultApiClient(
        client_id=CLIENT_ID, client_secret="wrong", base_url=server.url + "/api"
    )
    with pytest.raises(vault.AuthenticationError) as raised:
        client.account.me()
    assert "/oauth/token" in str(raised.value)
    assert "wrong" not in str(raised.value.request.headers)
    assert server.bearers == []  # the API was never called without a token


def test_a_client_id_without_its_secret_says_what_is_missing(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    vault = built[0]
    client = vault.VaultApiClient(client_id=CLIENT_ID, base_url=server.url + "/api")
    with pytest.raises(vault.ConfigurationError) as raised:
        client.account.me()
    said = str(raised.value)
    assert "pass api_key=... or set VAULT_API_API_KEY" in said
    assert "client_id=... and client_secret=..." in said and "VAULT_API_CLIENT_SECRET" in said
    assert server.forms == [] and server.bearers == []


def test_a_token_given_is_sent_as_before(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    server.issued.append("given-token")
    client = built[0].VaultApiClient("given-token", base_url=server.url + "/api")
    assert client.account.me().token == "given-token"
    assert server.forms == []


def test_the_async_client_fetches_and_renews_too(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    async def run() -> list[str]:
        async with _vault(built, server, prefix="Async") as client:
            tokens = [(await client.account.me()).token]
            server.issued.append("revoked")
            tokens.append((await client.account.me()).token)
            return tokens

    assert asyncio.run(run()) == [server.issued[0], server.issued[2]]


def test_a_token_provider_is_asked_for_each_request_and_after_a_401(
    built: tuple[ModuleType, ModuleType], server: Server
) -> None:
    plain = built[1]
    server.issued.append("from-the-vault-1")
    asked: list[str] = []

    def provider() -> str:
        asked.append(server.issued[-1])
        return server.issued[-1] if len(asked) != 2 else "stale"

    with plain.PlainApiClient(base_url=server.url, token_provider=provider) as client:
        client.account.me()
        client.account.me()  # the provider answers "stale" once: 401, asked again
    assert server.bearers == ["from-the-vault-1", "stale", "from-the-vault-1"]

    async def fetch() -> str:
        await asyncio.sleep(0)
        return server.issued[-1]

    async def run() -> list[Any]:
        answers = []
        for given in (provider, fetch):  # a function, or a coroutine function awaited
            async with plain.AsyncPlainApiClient(base_url=server.url, token_provider=given) as c:
                answers.append((await c.account.me())["token"])
        return answers

    assert asyncio.run(run()) == ["from-the-vault-1", "from-the-vault-1"]
    sync = plain.PlainApiClient(base_url=server.url, token_provider=fetch)
    with pytest.raises(plain.ConfigurationError, match="only the async client"):
        sync.account.me()


CALLER = """
from collections.abc import Callable

from plain_api import AsyncPlainApiClient, PlainApiClient
from vault_api import AsyncVaultApiClient, VaultApiClient


def fetch_token() -> str:
    return "token from a secret manager"


def use() -> None:
    vault = VaultApiClient(client_id="id", client_secret="secret")
    print(vault.account.me().scope)
    given = VaultApiClient("a token obtained beforehand")
    provider: Callable[[], str] = fetch_token
    plain = PlainApiClient(token_provider=provider)
    print(given, plain.account.me())


async def fetch_async() -> str:
    return "token from an async secret manager"


async def ause() -> None:
    async with AsyncPlainApiClient(token_provider=fetch_async) as plain:
        print(await plain.account.me())
    async with AsyncVaultApiClient(client_id="id", client_secret="secret") as vault:
        me = await vault.account.me()
        print(me.token)
"""


def test_callers_type_check_under_mypy_strict(tmp_path: Path) -> None:
    for package, text in (("vault_api", SPEC), ("plain_api", BEARER)):
        spec = tmp_path / f"{package}.yaml"
        spec.write_text(textwrap.dedent(text), "utf-8")
        generate(spec, tmp_path, package)
    (tmp_path / "caller.py").write_text(CALLER, "utf-8")
    paths = [tmp_path / "vault_api", tmp_path / "plain_api", tmp_path / "caller.py"]
    checked = mypy_strict(paths, tmp_path)
    assert checked.returncode == 0, checked.stdout
    (tmp_path / "caller.py").write_text(
        CALLER.replace('client_secret="secret")\n    print', "client_secret=1)\n    print"), "utf-8"
    )
    assert "caller.py" in mypy_strict([tmp_path / "caller.py"], tmp_path).stdout
