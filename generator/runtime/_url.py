"""URLs and timeouts spelled as httpx would, without the parsing httpx would repeat per call.

A generated call appends a percent-encoded path to the client's base URL; parsing that text
again cost more than the rest of building the request, so the base URL's parsed parts are
reused when the result is provably the same (see ``tests/bench``).
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from ._types import TimeoutTypes

__all__ = ["append_path", "joinable_parts", "timeouts"]

# Path text that httpx's URL parser keeps exactly as it is: characters it never escapes in a
# path, and %XX escapes. (Dot segments, which it resolves, are checked apart.)
_KEPT_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


def joinable_parts(base: httpx.URL) -> Any:
    """``base``'s parsed parts when a path can be appended to them without parsing, else None.

    The parts are httpx's own (``URL._uri_reference``); if this httpx keeps them differently,
    or appending does not give what parsing the text gives, every URL is parsed instead.
    """
    try:
        parts = base._uri_reference
        if parts.query is not None or parts.fragment is not None or not parts.path.endswith("/"):
            return None
        sample = "a/b%2F~c:d@e;f"
        joined = httpx.URL.__new__(httpx.URL)
        joined._uri_reference = parts._replace(path=parts.path + sample)
        parsed = httpx.URL(str(base) + sample)
        if joined != parsed or joined.raw_path != parsed.raw_path or str(joined) != str(parsed):
            return None
    except (AttributeError, TypeError, ValueError):
        return None
    return parts


def timeouts(timeout: TimeoutTypes) -> dict[str, float | None]:
    """``httpx.Timeout(timeout).as_dict()``, without copying a timeout that is one already."""
    if isinstance(timeout, httpx.Timeout):
        return timeout.as_dict()
    return httpx.Timeout(timeout).as_dict()


def append_path(base_text: str, parts: Any, path: str) -> httpx.URL:
    """The base URL with ``path`` (no leading "/") appended, as ``httpx.URL(text)`` parses it.

    Parsing the whole text again costs more than the rest of building the request. When
    parsing cannot change ``path`` (only characters httpx keeps, no dot segment), the base
    URL's parsed parts (``parts``, from :func:`joinable_parts`) are reused with the path
    appended: the same URL, without the parse.
    """
    if parts is None or not _KEPT_PATH.fullmatch(path) or "/." in "/" + path:
        return httpx.URL(base_text + path)
    url = httpx.URL.__new__(httpx.URL)
    url._uri_reference = parts._replace(path=parts.path + path)
    return url
