"""What a client is configured with: the spec's facts about the API, and the checked defaults.

Rendered once per package (``_client.py`` builds a :class:`ClientConfig`); kept apart from
``_base_client.py`` so the request machinery reads as one piece.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import NamedTuple

import httpx

from ._exceptions import ConfigurationError
from ._retry import RetryPolicy

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ClientConfig",
    "SecurityScheme",
    "checked_retries",
    "configure_logging",
    "resolve_base_url",
]

# Finite by default: a CI job must fail rather than hang on a server that never answers.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2


class SecurityScheme(NamedTuple):
    """How one scheme's credential travels, and the client arguments that hold it.

    ``kind`` is ``header``, ``query`` or ``cookie`` (an API key under ``name``), ``bearer``,
    ``basic`` (``credentials`` are the user name and the password), ``http``
    (``Authorization: <name> <credential>``) or ``oauth2`` (a bearer token: the one given, or
    one fetched from ``token_url`` with the client credentials, the second and third).
    """

    kind: str
    name: str = "Authorization"
    credentials: tuple[str, ...] = ("api_key",)
    # OAuth2's client-credentials flow: where a token is fetched, and the scopes asked for.
    token_url: str = ""
    scopes: tuple[str, ...] = ()


class ClientConfig(NamedTuple):
    """What the spec says about the API as a whole; rendered once per package."""

    package: str
    env_prefix: str
    default_base_url: str | None
    base_url_hint: str
    security_schemes: Mapping[str, SecurityScheme]
    user_agent: str
    retry: RetryPolicy = RetryPolicy()
    # A client given no credential at all is refused: the API's default requirements need one.
    credentials_required: bool = False


def configure_logging(env_prefix: str, logger: logging.Logger) -> None:
    """``<PREFIX>_LOG=debug`` (or ``info``) prints the package's log lines to stderr."""
    level = os.environ.get(f"{env_prefix}_LOG", "").strip().upper()
    if level not in ("DEBUG", "INFO"):
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def checked_retries(value: int) -> int:
    """``value`` if it is a valid ``max_retries`` (an int >= 0); else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an int >= 0, got {value!r}")
    return value


def resolve_base_url(config: ClientConfig, base_url: str | httpx.URL | None) -> httpx.URL:
    """``base_url``, ``<PREFIX>_BASE_URL`` or the spec's server, ending in "/"; checked."""
    chosen = base_url or os.environ.get(f"{config.env_prefix}_BASE_URL") or config.default_base_url
    if not chosen:
        raise ConfigurationError(
            f"no base URL: pass base_url=... or set {config.env_prefix}_BASE_URL"
            f" (for example {config.base_url_hint})"
        )
    url = httpx.URL(str(chosen))
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"base URL must be an absolute http(s) URL, got {str(chosen)!r}")
    return url.copy_with(raw_path=url.raw_path.rstrip(b"/") + b"/")
