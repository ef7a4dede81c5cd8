"""Base classes of the generated resource namespaces (``client.runs``, ``client.flows`` ...)."""

from __future__ import annotations

from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncAPIResource", "SyncAPIResource"]


class SyncAPIResource:
    """A group of operations (one spec tag) bound to a sync client."""

    # Resources of a tag named "test_runs" are called ``TestRunsResource``: users import them
    # into test modules, and pytest must not take them for test classes.
    __test__ = False

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    """A group of operations (one spec tag) bound to an async client."""

    # Resources of a tag named "test_runs" are called ``TestRunsResource``: users import them
    # into test modules, and pytest must not take them for test classes.
    __test__ = False

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
