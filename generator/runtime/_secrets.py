"""Keeping credentials out of exceptions, logs and other origins.

An exception or a log line ends up in a CI build log, so everything the client shows or keeps
about a request goes through a :class:`Redactor` first: every credential (and the encoded pair
HTTP basic sends) is replaced wherever it appears
(header values, query values, message text), and so is every query value named like a
credential (``X-Amz-Signature``, ``sig``, ``token`` ...: a presigned URL's signature). Redirects are followed here rather than by httpx,
because httpx drops only ``Authorization`` on a cross-origin hop, not an ``X-API-Key`` header or
a key in the query.
"""

from __future__ import annotations

import httpx

from ._request import QueryPairs

__all__ = ["REDACTED", "Redactor", "redirect_request", "too_many_redirects"]

REDACTED = "[REDACTED]"
MAX_REDIRECTS = 20
# Query parameters that carry a credential whatever their value: the signature of a presigned
# URL (S3, GCS, Azure SAS) and the usual token names. Compared in lower case.
CREDENTIAL_PARAMS = frozenset(
    {
        "x-amz-signature",
        "x-amz-credential",
        "x-amz-security-token",
        "x-goog-signature",
        "x-goog-credential",
        "signature",
        "sig",
        "token",
        "access_token",
        "api_key",
        "apikey",
        "key",
    }
)
_BODY_HEADERS = ("Content-Type", "Content-Length", "Transfer-Encoding")


class Redactor:
    """Replaces every secret (each credential, and how HTTP basic encodes them) wherever it could be shown."""

    def __init__(self, *secrets: str | None) -> None:
        # Longest first: a secret that holds another is replaced whole.
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def __repr__(self) -> str:
        return "Redactor()"

    def add(self, secret: str) -> None:
        """Replace ``secret`` too from now on (a token the client obtained)."""
        if secret and secret not in self._secrets:
            self._secrets = tuple(sorted({*self._secrets, secret}, key=len, reverse=True))

    def including(self, url: httpx.URL) -> Redactor:
        """This redactor, also hiding the credentials ``url`` carries in its query (a presigned
        URL's signature, which a storage host's error body may quote back)."""
        found = [v for k, v in url.params.multi_items() if k.lower() in CREDENTIAL_PARAMS]
        return Redactor(*self._secrets, *found) if found else self

    def text(self, text: str) -> str:
        """``text`` with every secret replaced."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def holds(self, value: str) -> bool:
        """Whether ``value`` contains a secret."""
        return any(secret in value for secret in self._secrets)

    def url(self, url: httpx.URL) -> httpx.URL:
        """``url`` with every query value that holds a secret, or is a credential by its name
        (a presigned URL's signature), replaced."""
        if not url.query:
            return url
        items = url.params.multi_items()
        if not any(self._hides(k, v) for k, v in items):
            return url
        pairs: QueryPairs = [(k, REDACTED if self._hides(k, v) else v) for k, v in items]
        return url.copy_with(params=httpx.QueryParams(pairs))

    def _hides(self, name: str, value: str) -> bool:
        return name.lower() in CREDENTIAL_PARAMS or self.holds(value)

    def request(self, request: httpx.Request) -> httpx.Request:
        """A copy of ``request`` safe to keep on an exception: no secret in URL or headers."""
        headers = [(k, REDACTED if self.holds(v) else v) for k, v in request.headers.multi_items()]
        content = request.content if isinstance(request.stream, httpx.ByteStream) else b""
        return httpx.Request(
            request.method, self.url(request.url), headers=headers, content=content
        )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _becomes_get(status: int, method: str) -> bool:
    # What browsers (and httpx) do: 303 always, 301/302 for POST, switch to a bodiless GET.
    return (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST")


def redirect_request(
    request: httpx.Request, response: httpx.Response, redactor: Redactor
) -> httpx.Request:
    """The request a redirect asks for; credentials stay behind when the origin changes."""
    url = request.url.join(response.headers["Location"])
    method, content = request.method, request.content
    headers = httpx.Headers(request.headers)
    del headers["Host"]
    if _becomes_get(response.status_code, method):
        method, content = "GET", b""
        for name in _BODY_HEADERS:
            headers.pop(name, None)
    if _origin(url) != _origin(request.url):
        for name, value in list(headers.multi_items()):
            if name.lower() in ("authorization", "cookie") or redactor.holds(value):
                headers.pop(name, None)
        pairs: QueryPairs = [(k, v) for k, v in url.params.multi_items() if not redactor.holds(v)]
        url = url.copy_with(params=httpx.QueryParams(pairs))
    return httpx.Request(
        method, url, headers=headers, content=content, extensions=request.extensions
    )


def too_many_redirects(request: httpx.Request) -> httpx.TooManyRedirects:
    """The error of a chain of redirects longer than :data:`MAX_REDIRECTS`."""
    return httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=request)
