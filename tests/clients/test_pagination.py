"""``iter`` follows the spec's ``x-pagination`` across pages, lazily, and refuses to loop.

Automated Future pages by cursor (``page_token`` in and out), Testmo by page number (``page`` in,
``next_page`` out); both end on a null marker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from tests.clients.support import client, collect, result
from tests.specs import package

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


def _project(n: int) -> dict[str, Any]:
    return {
        "project_id": f"p{n}",
        "name": f"Project {n}",
        "description": None,
        "status": "Active",
        "created_at": "2025-01-15T10:30:00Z",
    }


def _cursor_pages(sent: list[httpx.Request], tokens: Mapping[str | None, str | None]) -> Any:
    """Pages of two projects; ``tokens`` maps the page_token received to the one returned."""

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        token = request.url.params.get("page_token")
        n = len(sent)
        body = {"projects": [_project(2 * n - 1), _project(2 * n)], "page_token": tokens[token]}
        return httpx.Response(200, json=body)

    return handler


@SYNC_ASYNC
async def test_cursor_iter_yields_every_page_in_order(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    tokens = {None: "t2", "t2": "t3", "t3": None}
    api = client("automated_future", _cursor_pages(sent, tokens), is_async)
    projects = await collect(api.projects.iter(page_size=2))
    assert [p.project_id for p in projects] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert isinstance(projects[0], package("automated_future").models.Project)
    assert [r.url.params.get("page_token") for r in sent] == [None, "t2", "t3"]
    assert all(r.url.params["page_size"] == "2" for r in sent)
    assert all(r.headers["Authorization"] == "test-key" for r in sent)


@SYNC_ASYNC
async def test_cursor_iter_is_lazy(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("automated_future", _cursor_pages(sent, {None: "t2", "t2": None}), is_async)
    assert len(await collect(api.projects.iter(), limit=2)) == 2
    assert len(sent) == 1


@SYNC_ASYNC
async def test_list_still_returns_one_page(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("automated_future", _cursor_pages(sent, {None: "t2"}), is_async)
    page = await result(api.projects.list())
    assert page.page_token == "t2"
    assert len(page.projects) == 2
    assert len(sent) == 1


@SYNC_ASYNC
async def test_a_repeated_cursor_stops_with_pagination_error(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    tokens = {None: "t2", "t2": "t3", "t3": "t2"}
    api = client("automated_future", _cursor_pages(sent, tokens), is_async)
    with pytest.raises(package("automated_future").PaginationError, match="does not advance"):
        await collect(api.projects.iter())
    assert len(sent) == 3


def _numbered_pages(sent: list[httpx.Request], last: int, next_of: Any = None) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        page = int(request.url.params.get("page", "1"))
        following = next_of(page) if next_of else (page + 1 if page < last else None)
        body = {
            "page": page,
            "prev_page": page - 1 or None,
            "next_page": following,
            "last_page": last,
            "per_page": 15,
            "total": 2 * last,
            "result": [{"id": 2 * page - 1}, {"id": 2 * page}],
        }
        return httpx.Response(200, json=body)

    return handler


@SYNC_ASYNC
async def test_page_number_iter_passes_filters_and_ends_on_null(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("testmo", _numbered_pages(sent, last=3), is_async)
    runs = await collect(api.automation_runs.iter(7, per_page=15, status=[3, 4]))
    assert [r.id for r in runs] == [1, 2, 3, 4, 5, 6]
    assert [r.url.path for r in sent] == ["/v1/projects/7/automation/runs"] * 3
    assert [r.url.params["page"] for r in sent] == ["1", "2", "3"]
    assert all(r.url.params["status"] == "3,4" for r in sent)
    assert all(r.url.params["per_page"] == "15" for r in sent)


@SYNC_ASYNC
async def test_a_page_number_going_back_stops_with_pagination_error(is_async: bool) -> None:
    sent: list[httpx.Request] = []
    api = client("testmo", _numbered_pages(sent, last=3, next_of=lambda page: 1), is_async)
    with pytest.raises(package("testmo").PaginationError):
        await collect(api.automation_runs.iter(7))
    assert len(sent) == 1


@SYNC_ASYNC
async def test_an_empty_result_yields_nothing(is_async: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"page": None, "next_page": None, "last_page": None, "per_page": 100, "total": 0}
        return httpx.Response(200, json={**body, "result": []})

    assert await collect(client("testmo", handler, is_async).automation_runs.iter(7)) == []


@SYNC_ASYNC
async def test_drifted_pages_still_iterate_reading_only_items_and_marker(is_async: bool) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        n = len(sent)
        broken = {"project_id": f"p{n}", "name": n, "surprise": True}  # no status, name retyped
        body = {"projects": [broken], "page_token": "t2" if n == 1 else None}
        return httpx.Response(200, json=body)  # and no other page field the spec lists

    pkg = package("automated_future")
    projects = await collect(client("automated_future", handler, is_async).projects.iter())
    assert [p.project_id for p in projects] == ["p1", "p2"]
    assert [p.name for p in projects] == [1, 2]
    assert {m.path for m in pkg.mismatches(projects[0])} >= {"name", "status"}
    assert projects[0].model_extra == {"surprise": True}
