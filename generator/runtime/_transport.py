"""The transport a client makes for itself: httpx's own, the TLS one made at first use.

``httpx.Client()`` loads the certificate authorities into a TLS context when it is made, about
20 ms, which a command line pays on every run even when it only talks plain HTTP (a loopback
mock, a local gateway). These transports hand each request to httpx's own transport for its
scheme, made when the first request of that scheme is sent: ``https`` gets
``httpx.HTTPTransport()`` exactly as ``httpx.Client()`` would make it (the same certificates,
``SSL_CERT_FILE`` honoured, verification on); ``http`` gets one whose TLS context holds no
certificate at all, so it can never be the one that trusts a server.

httpx reads proxies from the environment only when it makes its own transport, so a client
behind a proxy (``HTTPS_PROXY`` and the like, as ``urllib`` finds them) gets httpx's own
transport and mounts, as before: :func:`owned_transports` says which.
"""

from __future__ import annotations

import ssl
import threading
import urllib.request
from types import TracebackType

import httpx

__all__ = ["AsyncSchemeTransport", "SchemeTransport", "owned_transports"]


def owned_transports() -> bool:
    """Whether a client may use these transports: no proxy is configured for it to honour."""
    return not any(scheme in ("http", "https", "all") for scheme in urllib.request.getproxies())


def _no_trust() -> ssl.SSLContext:
    """A TLS context that verifies and trusts nothing: plain HTTP never uses it."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class SchemeTransport(httpx.BaseTransport):
    """httpx's transport per scheme, each made on the first request that needs it."""

    def __init__(self) -> None:
        self._by_scheme: dict[str, httpx.HTTPTransport] = {}
        self._lock = threading.Lock()  # two first requests at once make one transport

    def transport_for(self, scheme: str) -> httpx.HTTPTransport:
        """The transport of ``scheme``, made now if no request needed it yet."""
        with self._lock:
            transport = self._by_scheme.get(scheme)
            if transport is None:
                transport = httpx.HTTPTransport(verify=True if scheme != "http" else _no_trust())
                self._by_scheme[scheme] = transport
            return transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the transport of its scheme."""
        return self.transport_for(request.url.scheme).handle_request(request)

    def close(self) -> None:
        """Close every transport made."""
        for transport in self._by_scheme.values():
            transport.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()


class AsyncSchemeTransport(httpx.AsyncBaseTransport):
    """:class:`SchemeTransport` for an async client."""

    def __init__(self) -> None:
        self._by_scheme: dict[str, httpx.AsyncHTTPTransport] = {}

    def transport_for(self, scheme: str) -> httpx.AsyncHTTPTransport:
        """The transport of ``scheme``, made now if no request needed it yet."""
        transport = self._by_scheme.get(scheme)
        if transport is None:
            verify = True if scheme != "http" else _no_trust()
            transport = httpx.AsyncHTTPTransport(verify=verify)
            self._by_scheme[scheme] = transport
        return transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the transport of its scheme."""
        return await self.transport_for(request.url.scheme).handle_async_request(request)

    async def aclose(self) -> None:
        """Close every transport made."""
        for transport in self._by_scheme.values():
            await transport.aclose()
