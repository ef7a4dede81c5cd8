"""Auto-pagination: follow an API's next-page marker lazily, so callers never write the loop.

A spec declares how an operation pages (``x-pagination``: the response property holding the
items, the one holding the next cursor or page number, and the query parameter it goes back
in). The generated ``iter`` method passes a ``fetch(cursor)`` callable and two accessors here;
this module owns the loop and its one safety rule: a marker that does not advance (the same
cursor again, a page number not above the last) stops with :class:`PaginationError` instead of
requesting the same page forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, TypeVar

from ._exceptions import ClientError

__all__ = ["PaginationError", "aiterate_pages", "iterate_pages"]


class PaginationError(ClientError):
    """The API sent a next-page marker that does not advance; iterating further would loop."""


P = TypeVar("P")
T = TypeVar("T")


class _Cursor:
    """The markers seen so far: refuses one that repeats (cursor) or goes back (page numbers)."""

    def __init__(self, first: object, style: str) -> None:
        self.value = first
        self.style = style
        self.seen: list[object] = [first]

    def advance(self, marker: object) -> bool:
        """Move to ``marker``; ``False`` at the end (``None``); raise if it does not advance."""
        if marker is None:
            return False
        stuck = marker in self.seen
        if self.style == "page" and isinstance(self.value, int) and isinstance(marker, int):
            stuck = stuck or marker <= self.value
        if stuck:
            raise PaginationError(
                f"the next-page marker {marker!r} does not advance past {self.value!r};"
                " stopping instead of requesting the same page again"
            )
        self.value = marker
        self.seen.append(marker)
        return True


def iterate_pages(
    fetch: Callable[[Any], P],
    items: Callable[[P], Sequence[T] | None],
    next_marker: Callable[[P], object],
    *,
    first: object,
    style: str,
) -> Iterator[T]:
    """Every item of every page, fetching each page only when the previous one is used up."""
    cursor = _Cursor(first, style)
    while True:
        page = fetch(cursor.value)
        yield from items(page) or ()
        if not cursor.advance(next_marker(page)):
            return


async def aiterate_pages(
    fetch: Callable[[Any], Awaitable[P]],
    items: Callable[[P], Sequence[T] | None],
    next_marker: Callable[[P], object],
    *,
    first: object,
    style: str,
) -> AsyncIterator[T]:
    """The async twin of :func:`iterate_pages`."""
    cursor = _Cursor(first, style)
    while True:
        page = await fetch(cursor.value)
        for item in items(page) or ():
            yield item
        if not cursor.advance(next_marker(page)):
            return
