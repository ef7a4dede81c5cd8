"""Every security scheme a spec declares: sent as it says over loopback HTTP, or reported.

Two specs are generated once for the module: a tour of every scheme kind (HTTP basic beside
API keys in a header, the query and a cookie, OAuth2, a non-standard HTTP scheme, digest and
mutual TLS, which the client cannot send) with AND, OR, ``security: []`` and optional
requirements; and a lone HTTP basic scheme, as Twilio declares it. The clients talk to a real
server on the loopback interface, sync, async and through the command line.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.diagnostics import Diagnostic
from tests.generator.util import generate, mypy_strict

TOUR = """
openapi: 3.1.0
info: {title: Auth Tour, version: "1"}
servers: [{url: "https://tour.test.invalid"}]
security: [{basicAuth: []}]
paths:
  /basic: {get: {operationId: getBasic, tags: [auth], responses: {"200": {$ref: "#/components/responses/Ok"}}}}
  /both:
    get: {operationId: getBoth, tags: [auth], security: [{keyHeader: [], keyQuery: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /either:
    get: {operationId: getEither, tags: [auth], security: [{keyHeader: []}, {token: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /public:
    get: {operationId: getPublic, tags: [auth], security: [], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /optional:
    get: {operationId: getOptional, tags: [auth], security: [{}, {token: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /cookie:
    get: {operationId: getCookie, tags: [auth], security: [{session: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /custom:
    get: {operationId: getCustom, tags: [auth], security: [{custom: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /digest:
    get: {operationId: getDigest, tags: [auth], security: [{digestAuth: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
  /tls:
    get: {operationId: getTls, tags: [auth], security: [{mtls: [], keyHeader: []}], responses: {"200": {$ref: "#/components/responses/Ok"}}}
components:
  responses:
    Ok:
      description: The request as the server saw it.
      content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}
  schemas:
    Ok: {type: object, properties: {ok: {type: boolean}}}
  securitySchemes:
    basicAuth: {type: http, scheme: basic, description: Account SID and auth token.}
    keyHeader: {type: apiKey, in: header, name: X-Key}
    keyQuery: {type: apiKey, in: query, name: key}
    token:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://tour.test.invalid/token", scopes: {}}}
    session: {type: apiKey, in: cookie, name: sid}
    custom: {type: http, scheme: Token}
    digestAuth: {type: http, scheme: digest}
    mtls: {type: mutualTLS}
"""

TWILIO = """
openapi: 3.0.3
info: {title: Messages, version: "1"}
servers: [{url: "https://api.test.invalid"}]
security: [{accountSid_authToken: []}]
paths:
  /Accounts/{AccountSid}/Messages.json:
    post:
      operationId: createMessage
      tags: [messages]
      parameters: [{name: AccountSid, in: path, required: true, schema: {type: string}}]
      responses:
        "201":
          description: Created.
          content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}
components:
  schemas:
    Ok: {type: object, properties: {ok: {type: boolean}}}
  securitySchemes:
    accountSid_authToken: {type: http, scheme: basic}
"""

OPTIONAL = """
openapi: 3.0.3
info: {title: Optional, version: "1"}
servers: [{url: "https://api.test.invalid"}]
security: [{}, {key: []}]
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      responses: {"200": {description: OK, content: {application/json: {schema: {$ref: "#/components/schemas/Ok"}}}}}
components:
  schemas:
    Ok: {type: object, properties: {ok: {type: boolean}}}
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
"""

USER, PASSWORD = "AC0123456789", "s3cret-auth-token"


@dataclass
class Seen:
    """One request as the loopback server received it."""

    path: str
    query: str
    headers: dict[str, str]


@dataclass
class Server:
    """A loopback HTTP server recording every request; ``/fail...`` answers 401 echoing it."""

    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def start(self) -> ThreadingHTTPServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                path, _, query = self.path.partition("?")
                server.seen.append(
                    Seen(path, query, {k.lower(): v for k, v in self.headers.items()})
                )
                status = 200
                body: dict[str, object] = {"ok": True}
                if "fail" in query or self.headers.get("X-Fail"):
                    status, body = 401, {"message": f"bad credentials {self.headers}{query}"}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{http.server_address[1]}"
        threading.Thread(target=http.serve_forever, daemon=True).start()
        return http


@dataclass
class Built:
    root: Path
    tour: ModuleType
    twilio: ModuleType
    optional: ModuleType
    warnings: list[Diagnostic]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("security")
    warnings = []
    for package, text in (("auth_tour", TOUR), ("twilio_like", TWILIO), ("optional", OPTIONAL)):
        spec = root / f"{package}.yaml"
        spec.write_text(textwrap.dedent(text), "utf-8")
        warnings += generate(spec, root, package)
    sys.path.insert(0, str(root))
    try:
        yield Built(
            root,
            importlib.import_module("auth_tour"),
            importlib.import_module("twilio_like"),
            importlib.import_module("optional"),
            warnings,
        )
    finally:
        sys.path.remove(str(root))
        for name in [
            m for m in sys.modules if m.split(".")[0] in ("auth_tour", "twilio_like", "optional")
        ]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    http = running.start()
    yield running
    http.shutdown()
    http.server_close()


@pytest.fixture(autouse=True)
def _no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("AUTH_TOUR_", "TWILIO_LIKE_", "OPTIONAL_")):
            monkeypatch.delenv(name)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


ALL = {
    "basic_auth_username": USER,
    "basic_auth_password": PASSWORD,
    "key_header": "hdr-key-1",
    "key_query": "qry-key-2",
    "token": "oauth-token-3",
    "session": "cookie-4",
    "custom": "custom-5",
}


def _tour(built: Built, server: Server, **credentials: str) -> Any:
    return built.tour.AuthTourClient(**credentials, base_url=server.url, max_retries=0)


# --- HTTP basic, the only scheme (Twilio) --------------------------------------------------


def test_http_basic_sends_username_and_password(built: Built, server: Server) -> None:
    client = built.twilio.TwilioLikeClient(username=USER, password=PASSWORD, base_url=server.url)
    assert client.messages.create_message(USER).ok is True
    assert server.seen[0].headers["authorization"] == _basic(USER, PASSWORD)


def test_http_basic_async(built: Built, server: Server) -> None:
    async def call() -> None:
        async with built.twilio.AsyncTwilioLikeClient(
            username=USER, password=PASSWORD, base_url=server.url
        ) as client:
            await client.messages.create_message(USER)

    asyncio.run(call())
    assert server.seen[0].headers["authorization"] == _basic(USER, PASSWORD)


def test_http_basic_from_the_environment(
    built: Built, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_LIKE_USERNAME", USER)
    monkeypatch.setenv("TWILIO_LIKE_PASSWORD", PASSWORD)
    built.twilio.TwilioLikeClient(base_url=server.url).messages.create_message(USER)
    assert server.seen[0].headers["authorization"] == _basic(USER, PASSWORD)


def test_no_credential_at_all_is_refused_at_construction(built: Built) -> None:
    with pytest.raises(built.twilio.ConfigurationError, match="TWILIO_LIKE_USERNAME"):
        built.twilio.TwilioLikeClient(base_url="http://127.0.0.1:9")
    with pytest.raises(built.tour.ConfigurationError, match=r"basic_auth_username=\.\.\."):
        built.tour.AuthTourClient(base_url="http://127.0.0.1:9")


def test_a_user_name_with_a_colon_is_refused(built: Built) -> None:
    with pytest.raises(built.twilio.ConfigurationError, match="':'"):
        built.twilio.TwilioLikeClient(username="a:b", password="p", base_url="http://127.0.0.1:9")


# --- requirements: AND, OR, none, optional --------------------------------------------------


def test_every_scheme_of_a_requirement_is_sent_together(built: Built, server: Server) -> None:
    _tour(built, server, **ALL).auth.get_both()
    (seen,) = server.seen
    assert seen.headers["x-key"] == "hdr-key-1"
    assert seen.query == "key=qry-key-2"
    assert "authorization" not in seen.headers  # basic is the default, not this operation's


def test_an_and_requirement_missing_one_part_raises_before_sending(
    built: Built, server: Server
) -> None:
    client = _tour(built, server, basic_auth_username=USER, key_header="hdr-key-1")
    with pytest.raises(built.tour.ConfigurationError) as caught:
        client.auth.get_both()
    assert "key_header=... and key_query=..." in str(caught.value)
    assert "AUTH_TOUR_KEY_QUERY" in str(caught.value)
    assert server.seen == []


def test_the_first_requirement_met_is_sent(built: Built, server: Server) -> None:
    _tour(built, server, **ALL).auth.get_either()
    _tour(built, server, basic_auth_username=USER, token="oauth-token-3").auth.get_either()
    first, second = server.seen
    assert first.headers["x-key"] == "hdr-key-1" and "authorization" not in first.headers
    assert second.headers["authorization"] == "Bearer oauth-token-3"
    assert "x-key" not in second.headers


def test_no_requirement_met_names_every_way(built: Built, server: Server) -> None:
    client = _tour(built, server, basic_auth_username=USER, basic_auth_password=PASSWORD)
    with pytest.raises(built.tour.ConfigurationError) as caught:
        client.auth.get_either()
    message = str(caught.value)
    assert message.startswith("GET /either needs credentials")
    assert "key_header=..." in message and "token=..." in message
    assert server.seen == []


def test_security_none_sends_nothing(built: Built, server: Server) -> None:
    _tour(built, server, **ALL).auth.get_public()
    (seen,) = server.seen
    assert {"authorization", "x-key", "cookie"}.isdisjoint(seen.headers) and seen.query == ""


def test_optional_credentials(built: Built, server: Server) -> None:
    _tour(built, server, basic_auth_username=USER).auth.get_optional()
    _tour(built, server, basic_auth_username=USER, token="oauth-token-3").auth.get_optional()
    without, with_token = server.seen
    assert "authorization" not in without.headers
    assert with_token.headers["authorization"] == "Bearer oauth-token-3"


def test_a_spec_whose_credentials_are_optional_works_without_any(
    built: Built, server: Server
) -> None:
    built.optional.OptionalClient(base_url=server.url).things.list_things()
    built.optional.OptionalClient("the-key", base_url=server.url).things.list_things()
    without, with_key = server.seen
    assert "x-key" not in without.headers
    assert with_key.headers["x-key"] == "the-key"  # one credential: api_key, as ever


def test_the_default_requirement_and_the_other_kinds(built: Built, server: Server) -> None:
    client = _tour(built, server, **ALL)
    client.auth.get_basic()
    client.auth.get_cookie()
    client.auth.get_custom()
    basic, cookie, custom = server.seen
    assert basic.headers["authorization"] == _basic(USER, PASSWORD)
    assert cookie.headers["cookie"] == "sid=cookie-4"
    assert custom.headers["authorization"] == "Token custom-5"


def test_async_requirements(built: Built, server: Server) -> None:
    async def calls() -> None:
        async with built.tour.AsyncAuthTourClient(**ALL, base_url=server.url) as client:
            await client.auth.get_both()
            await client.auth.get_public()
        async with built.tour.AsyncAuthTourClient(
            basic_auth_username=USER, base_url=server.url
        ) as client:
            with pytest.raises(built.tour.ConfigurationError, match=r"token=\.\.\."):
                await client.auth.get_either()

    asyncio.run(calls())
    both, public = server.seen
    assert both.headers["x-key"] == "hdr-key-1" and both.query == "key=qry-key-2"
    assert "x-key" not in public.headers


def test_environment_variables_per_scheme(
    built: Built, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for argument, value in ALL.items():
        monkeypatch.setenv(f"AUTH_TOUR_{argument.upper()}", value)
    client = built.tour.AuthTourClient(base_url=server.url, key_header="given-wins")
    client.auth.get_both()
    client.auth.get_basic()
    both, basic = server.seen
    assert both.headers["x-key"] == "given-wins" and both.query == "key=qry-key-2"
    assert basic.headers["authorization"] == _basic(USER, PASSWORD)


# --- what the client cannot send: reported, and sent without it -----------------------------


def test_unsendable_schemes_are_located_warnings(built: Built, server: Server) -> None:
    said = {w.pointer: w.message for w in built.warnings if w.kind == "security"}
    digest = said["#/components/securitySchemes/digestAuth"]
    assert "digest" in digest and "httpx.DigestAuth" in digest
    assert "cert=" in said["#/components/securitySchemes/mtls"]
    assert "Authorization: Token <credential>" in said["#/components/securitySchemes/custom"]
    assert all(w.line for w in built.warnings if w.kind == "security")
    client = _tour(built, server, **ALL)
    client.auth.get_digest()  # only digest: nothing the client can send, nothing refused
    client.auth.get_tls()  # mutual TLS and a key: the key is sent
    digest_seen, tls = server.seen
    assert "authorization" not in digest_seen.headers
    assert tls.headers["x-key"] == "hdr-key-1"
    readme = (built.root / "auth_tour" / "README.md").read_text("utf-8")
    assert "## Authentication" in readme and "`AUTH_TOUR_KEY_QUERY`" in readme
    assert "`digestAuth` (HTTP digest)" in readme and "clientCredentials" in readme


# --- redaction ------------------------------------------------------------------------------


def test_no_credential_shows_in_errors_reprs_or_logs(
    built: Built, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="auth_tour")
    told_to_fail = httpx.Client(headers={"X-Fail": "1"})  # the server answers 401, echoing all
    client = built.tour.AuthTourClient(
        **ALL, base_url=server.url, max_retries=0, http_client=told_to_fail
    )
    secrets = [*ALL.values(), _basic(USER, PASSWORD).split()[1]]
    shown = [repr(client)]
    for call in (client.auth.get_basic, client.auth.get_both, client.auth.get_cookie):
        with pytest.raises(built.tour.AuthenticationError) as caught:
            call()
        error = caught.value
        shown += [str(error), repr(error.args), error.url, str(error.body)]
        shown += [str(error.request.headers), str(error.request.url)]
        shown += [str(error.response.request.headers), str(error.response.request.url)]
    shown += [r.getMessage() for r in caplog.records]
    assert len(server.seen) == 3 and caplog.records
    assert USER not in str(server.seen[0].headers)  # sent encoded, as HTTP basic is
    leaked = [(s, text) for s in secrets for text in shown if s in text]
    assert leaked == []


# --- the command line -----------------------------------------------------------------------


def _cli(
    built: Built, package: str, argv: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(package.upper())}
    return subprocess.run(
        [sys.executable, "-m", package, *argv],
        cwd=built.root,
        env={**clean, **env, "PYTHONPATH": str(built.root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_help_lists_every_credential(built: Built) -> None:
    shown = _cli(built, "auth_tour", ["--help"], {}).stdout
    for argument in ALL:
        assert f"--{argument.replace('_', '-')}" in shown
        assert f"AUTH_TOUR_{argument.upper()}" in shown
    twilio = _cli(built, "twilio_like", ["--help"], {}).stdout
    assert "--username" in twilio and "TWILIO_LIKE_PASSWORD" in twilio and "--api-key" not in twilio


def test_cli_credentials_from_the_environment_and_flags(built: Built, server: Server) -> None:
    env = {"TWILIO_LIKE_USERNAME": USER, "TWILIO_LIKE_PASSWORD": PASSWORD}
    argv = ["--base-url", server.url, "messages", "create-message", USER]
    done = _cli(built, "twilio_like", argv, env)
    assert done.returncode == 0, done.stderr
    flags = ["--username", "flag-user", "--password", "flag-pass", *argv]
    assert _cli(built, "twilio_like", flags, {}).returncode == 0
    from_env, from_flags = server.seen
    assert from_env.headers["authorization"] == _basic(USER, PASSWORD)
    assert from_flags.headers["authorization"] == _basic("flag-user", "flag-pass")


def test_cli_unmet_requirement_exits_2_before_sending(built: Built, server: Server) -> None:
    env = {"AUTH_TOUR_BASIC_AUTH_USERNAME": USER}
    done = _cli(built, "auth_tour", ["--base-url", server.url, "auth", "get-both"], env)
    assert done.returncode == 2
    assert "--key-header" in done.stderr or "key_header" in done.stderr
    both = ["--key-header", "h", "--key-query", "q", "--base-url", server.url, "auth", "get-both"]
    assert _cli(built, "auth_tour", both, env).returncode == 0
    (seen,) = server.seen
    assert seen.headers["x-key"] == "h" and seen.query == "key=q"


# --- types ----------------------------------------------------------------------------------

CALLER = """
from auth_tour import AsyncAuthTourClient, AuthTourClient
from twilio_like import TwilioLikeClient

tour = AuthTourClient(basic_auth_username="u", basic_auth_password="p", key_header="k", token="t")
result = tour.auth.get_either()
flag: bool | None = result.ok
twilio = TwilioLikeClient(username="u", password="p")
twilio.messages.create_message("AC1")
AsyncAuthTourClient(session="s", custom="c", key_query=None)
"""


def test_generated_code_and_a_caller_pass_mypy_strict(built: Built) -> None:
    caller = built.root / "caller.py"
    caller.write_text(CALLER, "utf-8")
    paths = [built.root / "auth_tour", built.root / "twilio_like", caller]
    run = mypy_strict(paths, built.root)
    assert run.returncode == 0, run.stdout[-3000:]
    wrong = built.root / "wrong.py"
    wrong.write_text("from twilio_like import TwilioLikeClient\nTwilioLikeClient(api_key='k')\n")
    assert mypy_strict([wrong], built.root).returncode == 1
