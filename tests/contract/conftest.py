"""VCR.py settings for the contract tests: where cassettes live and what never gets recorded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.cassettes import HERE, register_matchers
from tests.contract.cassettes import vcr_config as shared_vcr_config


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """pytest-recording hook: our own request matcher (credential headers)."""
    register_matchers(vcr)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """Secrets filtered on the way in; requests matched on everything the client decides."""
    return shared_vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """Cassette names are ``<api>/cassettes/<name>``, relative to this folder."""
    return str(HERE)


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    """The cassette a parametrized test case names (its ``cassette`` parameter)."""
    path = request.node.callspec.params["cassette"]
    return str(path.relative_to(HERE).with_suffix(""))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """When recording, replay each cassette once (sync): the async twin would record it again."""
    if (config.getoption("--record-mode") or "none") == "none":
        return
    twins = [
        i
        for i in items
        if isinstance(i, pytest.Function)
        and hasattr(i, "callspec")
        and i.callspec.params.get("is_async")
    ]
    twins = [i for i in twins if i.path.parent == HERE]
    if twins:
        config.hook.pytest_deselected(items=twins)
        items[:] = [i for i in items if i not in twins]
