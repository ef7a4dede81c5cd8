"""Security schemes and requirements: which credentials a client takes, and which it sends.

OpenAPI declares schemes under ``components.securitySchemes`` and requirements in ``security``
(the document's default, or an operation's own): a list of requirement objects, any one of
which (OR) authorises a call, each naming the schemes sent together (AND). ``security: []``
needs nothing; an empty object ``{}`` in the list makes the credentials optional.

This module decides, for the IR: the client's credential arguments (``api_key`` when the spec
has exactly one credential, ``username``/``password`` for a lone HTTP basic scheme, otherwise
one argument per scheme named after it), each operation's requirements, and whether a client
without any credential is refused at construction. A scheme the client cannot send is a
located warning that says what the client does instead; none is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .. import ir
from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ..load.spec import operations
from ..naming import RESERVED, snake, unique

# HTTP schemes that answer a challenge: a fixed credential per request cannot do it.
_CHALLENGED = frozenset(
    {"digest", "negotiate", "ntlm", "hoba", "mutual", "scram-sha-1", "scram-sha-256"}
)
# A scheme name HTTP can carry (RFC 9110 token).
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Constructor and command-line names a credential argument must not take.
_TAKEN = frozenset(
    {*RESERVED, "base_url", "http_client", "follow_redirects", "clock", "log", "verbose"}
)
_ONE_KEY = "api_key"


@dataclass
class Security:
    """The security of one API, lowered: schemes with their credentials, and the findings."""

    schemes: tuple[ir.SecurityScheme, ...]
    required: bool
    notes: tuple[str, ...]
    warnings: tuple[Diagnostic, ...]
    # Each operation's requirements, by (path, method).
    requirements: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def of(self, path: str, method: str) -> tuple[tuple[str, ...], ...]:
        """The requirements of the operation at ``path`` and ``method``."""
        return self.requirements.get((path, method), ())


class _Lowering:
    def __init__(self, doc: Document, env_prefix: str) -> None:
        self.doc, self.prefix = doc, env_prefix
        self.warnings: list[Diagnostic] = []
        self.notes: list[str] = []
        components = doc.data.get("components") or {}
        declared = components.get("securitySchemes") if isinstance(components, dict) else None
        self.declared: dict[str, Any] = declared if isinstance(declared, dict) else {}

    def warn(self, where: str, message: str, note: str = "") -> None:
        found = self.doc.diagnostic(where, message, "warning")
        self.warnings.append(replace(found, kind="security"))
        if note:
            self.notes.append(note)

    def security(self) -> Security:
        supported = {}
        for key in sorted(self.declared):
            scheme = self._scheme(key, self.doc.deref(self.declared[key]))
            if scheme is not None:
                supported[key] = scheme
        root = self.doc.data.get("security")
        raw = {
            (path, method): (op.get("security", root), "security" in op)
            for path, method, op, _ in operations(self.doc)
        }
        named = self._named(raw)
        fallback = bool(supported) and not named
        if fallback:
            self.warn(
                pointer("components", "securitySchemes"),
                "no operation names a security requirement (`security`): the client sends"
                f" the credentials given for {_listed(supported)} on every operation, and none"
                " when none is given",
            )
            used = supported
        else:
            used = {k: s for k, s in supported.items() if k in named}
            for key in sorted(set(supported) - set(named)):
                self.warn(
                    pointer("components", "securitySchemes", key),
                    f"security scheme {key!r} is declared but no operation requires it:"
                    " the client takes no credential for it",
                    f"`{key}`: declared, but no operation requires it.",
                )
        schemes = _with_credentials(list(used.values()), self.prefix)
        anyone = (*((k,) for k in used), ())
        requirements = {
            place: anyone if fallback and not own else _lowered(reqs, used)
            for place, (reqs, own) in raw.items()
        }
        default = _lowered(root, used)
        every = list(requirements.values())
        required = _needs_one(default) or (bool(every) and all(map(_needs_one, every)))
        return Security(
            schemes=tuple(schemes),
            required=not fallback and required,
            notes=tuple(self.notes),
            warnings=tuple(self.warnings),
            requirements=requirements,
        )

    def _named(self, raw: dict[tuple[str, str], tuple[Any, bool]]) -> set[str]:
        """The scheme keys some operation's requirements name (its own, or the document's
        default when it has none); a warning for each one not declared."""
        named: set[str] = set()
        for (path, method), (reqs, own) in raw.items():
            where = pointer("paths", path, method, "security") if own else pointer("security")
            for req in reqs if isinstance(reqs, list) else ():
                for key in req if isinstance(req, dict) else ():
                    if key not in self.declared and key not in named:
                        self.warn(
                            where,
                            f"the security requirement names {key!r}, which"
                            " components.securitySchemes does not declare: the client sends"
                            " no credential for it",
                        )
                    named.add(key)
        return named

    def _scheme(self, key: str, scheme: Any) -> ir.SecurityScheme | None:
        """The scheme as the client sends it; ``None`` (and a warning) if it cannot."""
        where = pointer("components", "securitySchemes", key)
        if not isinstance(scheme, dict):
            return None
        kind = scheme.get("type")
        description = str(scheme.get("description") or "")
        found = ir.SecurityScheme(key=key, kind="", name="", description=description)
        if kind == "apiKey":
            place, name = scheme.get("in"), scheme.get("name")
            if place in ("header", "query", "cookie") and isinstance(name, str) and name:
                summary = (
                    f"an API key in the `{name}` {'query parameter' if place == 'query' else place}"
                )
                return replace(found, kind=str(place), name=name, summary=summary)
            return self._unsupported(where, key, f"an API key in {place!r} named {name!r}")
        if kind == "http":
            return self._http(where, found, str(scheme.get("scheme") or ""))
        if kind == "oauth2" and self._token_url(scheme):
            summary = (
                "OAuth2 (clientCredentials): a token fetched from"
                f" `{self._token_url(scheme)}` with the client id and secret (cached, renewed"
                " before it expires), or an access token obtained beforehand; sent as a bearer"
                " token"
            )
            return replace(
                found,
                kind="oauth2",
                name="Authorization",
                summary=summary,
                token_url=self._token_url(scheme),
                scopes=self._scopes(key),
            )
        if kind in ("oauth2", "openIdConnect"):
            flows = sorted(scheme.get("flows") or {}) if kind == "oauth2" else []
            what = f"OAuth2 ({', '.join(flows)})" if flows else "OAuth2"
            what = what if kind == "oauth2" else "OpenID Connect"
            summary = f"{what}: an access token obtained beforehand, sent as a bearer token"
            return replace(found, kind="bearer", name="Authorization", summary=summary)
        if kind == "mutualTLS":
            self.warn(
                where,
                f"security scheme {key!r} is mutual TLS, a certificate of the connection rather"
                " than a credential of each request: the client sends none; pass"
                " http_client=httpx.Client(cert=...) to present one",
                f"`{key}` (mutual TLS): pass `http_client=httpx.Client(cert=...)`.",
            )
            return None
        return self._unsupported(where, key, f"of type {kind!r}")

    def _token_url(self, scheme: dict[str, Any]) -> str:
        """The ``tokenUrl`` of an OAuth2 scheme's client-credentials flow ("" without one)."""
        flows = scheme.get("flows")
        flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
        url = flow.get("tokenUrl") if isinstance(flow, dict) else None
        return url.strip() if isinstance(url, str) else ""

    def _scopes(self, key: str) -> tuple[str, ...]:
        """The scopes the document's requirements name for scheme ``key``, sorted."""
        root = self.doc.data.get("security")
        found: set[str] = set()
        for _, _, op, _ in operations(self.doc):
            for req in op.get("security", root) or ():
                names = req.get(key) if isinstance(req, dict) else None
                found.update(str(n) for n in names or () if isinstance(names, list))
        return tuple(sorted(found))

    def _http(self, where: str, found: ir.SecurityScheme, scheme: str) -> ir.SecurityScheme | None:
        word = scheme.lower()
        if word == "bearer":
            summary = "a bearer token (`Authorization: Bearer ...`)"
            return replace(found, kind="bearer", name="Authorization", summary=summary)
        if word == "basic":
            summary = "HTTP basic authentication (`Authorization: Basic ...`)"
            return replace(found, kind="basic", name="Authorization", summary=summary)
        if word in _CHALLENGED:
            self.warn(
                where,
                f"security scheme {found.key!r} is HTTP {scheme}, a challenge the client does"
                " not answer: it sends no credential for it; pass an http_client that"
                " authenticates (for digest: httpx.Client(auth=httpx.DigestAuth(...)))",
                f"`{found.key}` (HTTP {scheme}): pass an `http_client` whose `auth` answers it"
                " (`httpx.DigestAuth` for digest).",
            )
            return None
        if not _TOKEN.fullmatch(scheme):
            return self._unsupported(where, found.key, f"HTTP scheme {scheme!r}")
        self.warn(
            where,
            f"security scheme {found.key!r}: HTTP scheme {scheme!r} is not a standard one;"
            f" the client sends `Authorization: {scheme} <credential>`",
        )
        summary = f"`Authorization: {scheme} <credential>`"
        return replace(found, kind="http", name=scheme, summary=summary)

    def _unsupported(self, where: str, key: str, what: str) -> ir.SecurityScheme | None:
        """``None``, with the warning that the client sends no credential for ``key``."""
        self.warn(
            where,
            f"security scheme {key!r} ({what}) is not supported: the client sends no credential"
            " for it; operations that require it are sent with the rest of their requirement",
            f"`{key}` ({what}): not supported; the client sends no credential for it.",
        )
        return None


def _listed(schemes: dict[str, ir.SecurityScheme]) -> str:
    return ", ".join(repr(k) for k in schemes)


def _lowered(reqs: Any, used: dict[str, ir.SecurityScheme]) -> tuple[tuple[str, ...], ...]:
    """Requirements as the client checks them: each one's usable schemes, sorted, deduplicated.

    A scheme the client cannot send is left out of its requirement (an ``http_client`` may
    carry it: a certificate, a digest ``auth``), so a requirement of only such schemes needs
    nothing of the client.
    """
    found: list[tuple[str, ...]] = []
    for req in reqs if isinstance(reqs, list) else ():
        keys = tuple(sorted(k for k in (req if isinstance(req, dict) else {}) if k in used))
        if keys not in found:
            found.append(keys)
    return tuple(found)


def _needs_one(reqs: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``reqs`` cannot be met without a credential."""
    return bool(reqs) and () not in reqs


def _with_credentials(schemes: list[ir.SecurityScheme], prefix: str) -> list[ir.SecurityScheme]:
    """Each scheme with the client arguments holding its credentials."""
    if len(schemes) == 1 and schemes[0].kind not in ("basic", "oauth2"):
        help_text = "the API key"
        key = ir.Credential(_ONE_KEY, f"{prefix}_API_KEY", help_text, positional=True)
        return [replace(schemes[0], credentials=(key,))]
    names = unique([_argument(s.key) for s in schemes])
    found = []
    for scheme, name in zip(schemes, names, strict=True):
        if scheme.kind == "oauth2":
            # The token argument keeps its name (api_key for a lone scheme): a token obtained
            # beforehand works as it did before the client could fetch one.
            token, prefix_of = (_ONE_KEY, "") if len(schemes) == 1 else (name, f"{name}_")
            parts: tuple[str, ...] = (token, f"{prefix_of}client_id", f"{prefix_of}client_secret")
            helps: tuple[str, ...] = (
                f"an access token of {scheme.key!r} (OAuth2), obtained beforehand",
                f"the OAuth2 client id of {scheme.key!r}: the client fetches its token",
                f"the OAuth2 client secret of {scheme.key!r}",
            )
            credentials = tuple(
                ir.Credential(part, f"{prefix}_{part.upper()}", text, positional=part == _ONE_KEY)
                for part, text in zip(parts, helps, strict=True)
            )
        elif scheme.kind == "basic":
            parts = (
                ("username", "password")
                if len(schemes) == 1
                else (f"{name}_username", f"{name}_password")
            )
            helps = (
                f"the user name of {scheme.key!r} (HTTP basic)",
                f"the password of {scheme.key!r} (HTTP basic)",
            )
            credentials = tuple(
                ir.Credential(part, f"{prefix}_{part.upper()}", text)
                for part, text in zip(parts, helps, strict=True)
            )
        else:
            text = f"the credential of {scheme.key!r}: {_plain(scheme.summary)}"
            credentials = (ir.Credential(name, f"{prefix}_{name.upper()}", text),)
        found.append(replace(scheme, credentials=credentials))
    return found


def _argument(key: str) -> str:
    """The argument named after a scheme: ``key_header``, never an option of the client."""
    name = snake(key) or "credential"
    if name[0].isdigit():
        name = f"credential_{name}"
    return name + "_" if name in _TAKEN else name


def _plain(text: str) -> str:
    return text.replace("`", "")


def lower(doc: Document, env_prefix: str) -> Security:
    """The security of ``doc`` for a client whose variables start with ``env_prefix``."""
    return _Lowering(doc, env_prefix).security()
