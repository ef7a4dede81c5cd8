"""Cassettes: recorded HTTP interactions, read as scenarios and checked against the specs.

A cassette (VCR.py's YAML format, ``tests/contract/<api>/cassettes/<operationId>--<case>.yaml``)
is the single source of a contract scenario: its recorded request says which operation was called
with which arguments, its recorded response what the service answered. The replay test rebuilds
the call from the request, so re-recording against the live API (``make record``) needs no other
file. Everything that could carry a secret is scrubbed here, on the way into a cassette.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.calls import body_keywords, typed_value
from tests.specs import APIS, ROOT, Op, deref
from tests.specs import operations as _operations
from tests.specs import spec as _spec

# Parsed once per run: the specs do not change under a test session, and YAML parsing dominates.
spec = cache(_spec)
operations = cache(_operations)

HERE = Path(__file__).resolve().parent
REDACTED = "REDACTED"

# Query parameters of presigned URLs (S3, GCS, Azure, generic tokens): their values are
# credentials, so a recorded body or header never keeps them.
SIGNED_PARAMS = (
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "X-Goog-Signature",
    "X-Goog-Credential",
    "Signature",
    "sig",
    "token",
)
SIGNED = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, SIGNED_PARAMS)) + r")=([^&\"'\s<>\\]+)"
)
DROPPED_HEADERS = ("cookie", "set-cookie")


@dataclass(frozen=True)
class Interaction:
    """One recorded request and its response."""

    method: str
    uri: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int
    response_headers: dict[str, str]
    response_body: str

    def json_body(self) -> Any:
        """The request body as JSON, or None when the request had none."""
        return json.loads(self.request_body) if self.request_body else None

    def response_json(self) -> Any:
        """The response body as JSON ("" when empty), as the client's errors expose it."""
        return json.loads(self.response_body) if self.response_body else ""


def cassette_dir(api: str) -> Path:
    """Where the cassettes of ``api`` live."""
    return HERE / api / "cassettes"


def cassette_files(api: str) -> list[Path]:
    """Every cassette of ``api``, sorted."""
    return sorted(cassette_dir(api).glob("*.yaml"))


def relative(path: Path) -> str:
    """``path`` as shown in test ids and messages."""
    return str(path.relative_to(ROOT))


def _first(values: Any) -> str:
    return str(values[0]) if isinstance(values, list) else str(values)


def _body_text(body: Any) -> str:
    if isinstance(body, dict):
        body = body.get("string", "")
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return body or ""


def load(path: Path) -> list[Interaction]:
    """The interactions of the cassette at ``path``."""
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    found = []
    for item in data.get("interactions") or []:
        request, response = item["request"], item["response"]
        found.append(
            Interaction(
                method=request["method"].upper(),
                uri=request["uri"],
                request_headers={k: _first(v) for k, v in (request.get("headers") or {}).items()},
                request_body=_body_text(request.get("body")) or None,
                status=int(response["status"]["code"]),
                response_headers={k: _first(v) for k, v in (response.get("headers") or {}).items()},
                response_body=_body_text(response.get("body")),
            )
        )
    return found


# ---------------------------------------------------------------- the call a request stands for


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"({[^{}]+})", template)
    pattern = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(pattern + "$")


@cache
def server_url(api: str) -> str:
    """The spec's first server URL, its variables set to their defaults."""
    server = (spec(api).get("servers") or [{"url": "/"}])[0]
    url = str(server["url"])
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return url


@cache
def server_path(api: str) -> str:
    """The path part of the spec's first server URL."""
    return urlsplit(server_url(api)).path.rstrip("/")


@dataclass(frozen=True)
class Call:
    """The operation a recorded request stands for, and how to repeat it with the client."""

    op: Op
    base_url: str
    positional: list[Any]
    keywords: dict[str, Any]


def find_call(api: str, interaction: Interaction) -> Call:
    """Rebuild the client call that sends ``interaction``'s request."""
    url = urlsplit(interaction.uri)
    prefix = server_path(api)
    path = url.path[len(prefix) :] if url.path.startswith(prefix) else url.path
    base_url = f"{url.scheme}://{url.netloc}{url.path[: len(url.path) - len(path)]}"
    candidates = [op for op in operations(api) if op.method.upper() == interaction.method]
    candidates.sort(key=lambda op: op.path.count("{"))  # literal segments win over parameters
    for op in candidates:
        match = _template_regex(op.path).match(path)
        if match:
            return _call(op, base_url, match.groupdict(), url.query, interaction)
    raise LookupError(f"{interaction.method} {interaction.uri} matches no operation of {api}")


def _call(
    op: Op, base_url: str, path_values: dict[str, str], query: str, interaction: Interaction
) -> Call:
    params = op.parameters()
    positional = [typed_value(op, p, path_values[p["name"]]) for p in params if p["in"] == "path"]
    by_name = {p["name"]: p for p in params if p["in"] == "query"}
    keywords = {
        name: typed_value(op, by_name[name], text)
        for name, text in parse_qsl(query, keep_blank_values=True)
        if name in by_name
    }
    keywords.update(body_keywords(op, interaction.json_body()))
    return Call(op, base_url, positional, keywords)


# ---------------------------------------------------------------- secrets never reach a cassette


@cache
def credential_headers() -> frozenset[str]:
    """Lower-cased names of every header that carries a credential in any of our specs."""
    names = {"authorization", "proxy-authorization"}
    for api in APIS:
        for scheme in (spec(api).get("components") or {}).get("securitySchemes", {}).values():
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                names.add(str(scheme["name"]).lower())
    return frozenset(names)


@cache
def credential_query_params() -> frozenset[str]:
    """Names of query parameters that carry a credential in any of our specs."""
    return frozenset(
        str(scheme["name"])
        for api in APIS
        for scheme in (spec(api).get("components") or {}).get("securitySchemes", {}).values()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "query"
    )


def redact_credential(value: str) -> str:
    """A credential header value with the secret replaced; an auth scheme word is kept."""
    scheme, _, rest = value.partition(" ")
    return (
        f"{scheme} {REDACTED}"
        if rest and scheme.lower() in ("bearer", "basic", "token")
        else REDACTED
    )


def scrub_text(text: str) -> str:
    """``text`` with the values of presigned-URL signature parameters replaced."""
    return SIGNED.sub(lambda m: f"{m.group(1)}={REDACTED}", text)


def before_record_request(request: Any) -> Any:
    """VCR hook: credentials out of a request before it is stored (and before it is matched)."""
    for name in list(request.headers):
        if name.lower() in credential_headers():
            request.headers[name] = redact_credential(request.headers[name])
        elif name.lower() in DROPPED_HEADERS:
            del request.headers[name]
    return request


def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
    """VCR hook: cookies and presigned signatures out of a response before it is stored."""
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in DROPPED_HEADERS:
            del headers[name]
        else:
            headers[name] = [scrub_text(str(v)) for v in headers[name]]
    body = response.get("body") or {}
    raw = body.get("string")
    if isinstance(raw, bytes):
        body["string"] = scrub_text(raw.decode("utf-8", "replace")).encode("utf-8")
    elif isinstance(raw, str):
        body["string"] = scrub_text(raw)
    return response


def _credential_header_matches(r1: Any, r2: Any) -> None:
    """VCR matcher: the replayed request carries the same (redacted) credential headers."""

    def creds(request: Any) -> dict[str, str]:
        return {
            k.lower(): v for k, v in request.headers.items() if k.lower() in credential_headers()
        }

    assert creds(r1) == creds(r2), f"credential headers differ: {creds(r1)} != {creds(r2)}"


def vcr_config() -> dict[str, Any]:
    """The VCR.py configuration shared by replay and recording."""
    return {
        "before_record_request": before_record_request,
        "before_record_response": before_record_response,
        "filter_query_parameters": [(name, REDACTED) for name in credential_query_params()],
        "match_on": ("method", "scheme", "host", "port", "path", "query", "body", "credentials"),
        "decode_compressed_response": True,
    }


def register_matchers(vcr: Any) -> None:
    """Add the matchers :func:`vcr_config` names to a ``vcr.VCR``."""
    vcr.register_matcher("credentials", _credential_header_matches)


# ---------------------------------------------------------------- cassettes against the spec


def _close_objects(node: Any) -> Any:
    """A copy of a schema tree where every object schema that lists its properties and says
    nothing about others allows no others: a recorded field the spec does not declare is a spec
    bug to fix, not something to let through."""
    if isinstance(node, list):
        return [_close_objects(v) for v in node]
    if not isinstance(node, dict):
        return node
    copy = {k: _close_objects(v) for k, v in node.items()}
    composed = any(k in copy for k in ("allOf", "anyOf", "oneOf", "$ref"))
    if "properties" in copy and "additionalProperties" not in copy and not composed:
        copy["additionalProperties"] = False
    return copy


@cache
def strict_openapi(api: str) -> Any:
    """openapi-core's view of ``api``'s spec, with undeclared properties refused."""
    from openapi_core import OpenAPI

    doc = spec(api)
    closed = {
        **doc,
        "components": _close_objects(doc.get("components") or {}),
        "paths": _close_objects(doc["paths"]),
    }
    return OpenAPI.from_dict(closed)


def _describe(exc: Exception) -> str:
    cause = exc.__cause__
    errors = getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None)
    if errors:
        details = "; ".join(
            f"at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors
        )
        return f"{type(exc).__name__}: {details}"
    return f"{type(exc).__name__}: {exc}" + (f" ({cause})" if cause else "")


def spec_violations(api: str, interaction: Interaction) -> Iterator[str]:
    """What in ``interaction`` the spec of ``api`` does not allow (request, then response)."""
    from openapi_core.testing import MockRequest, MockResponse
    from werkzeug.datastructures import ImmutableMultiDict

    # Judged as if sent to the spec's own server: where it was recorded (a staging host, a
    # customer's Testmo instance) is not part of the contract, the operation is.
    url = urlsplit(interaction.uri)
    found = find_call(api, interaction)
    server = urlsplit(server_url(api))
    request = MockRequest(
        f"{server.scheme}://{server.netloc}",
        interaction.method.lower(),
        server.path.rstrip("/") + url.path[len(urlsplit(found.base_url).path) :],
        args=ImmutableMultiDict(parse_qsl(url.query, keep_blank_values=True)),
        headers=interaction.request_headers,
        data=(interaction.request_body or "").encode("utf-8") or None,
        content_type=_content_type(interaction.request_headers) or "application/json",
    )
    response = MockResponse(
        interaction.response_body.encode("utf-8"),
        status_code=interaction.status,
        headers=interaction.response_headers,
        content_type=_content_type(interaction.response_headers),
    )
    openapi = strict_openapi(api)
    checks: tuple[tuple[str, Callable[[], None]], ...] = (
        ("request", lambda: openapi.validate_request(request)),
        ("response", lambda: openapi.validate_response(request, response)),
    )
    for side, check in checks:
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - every openapi-core finding is reported, whatever its class
            yield f"{side}: {_describe(exc)}"


def _content_type(headers: dict[str, str]) -> str:
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return value.split(";")[0].strip()


def documented_statuses(op: Op) -> list[str]:
    """The response keys of ``op`` (``"200"``, ``"404"``, ``"default"``...)."""
    return [str(s) for s in op.raw["responses"]]


def response_of(op: Op, status: int) -> dict[str, Any]:
    """The spec's response object for ``status`` (exact code, then ``default``)."""
    responses = op.raw["responses"]
    raw = responses.get(str(status), responses.get(status, responses.get("default")))
    return dict(deref(op.doc, raw or {}))
