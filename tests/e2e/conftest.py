"""One Prism per API per test session, started on first use and always stopped at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.e2e.prism import Prism, start, stop


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Prism]]:
    """``prism(api)``: the running Prism serving ``api``'s spec."""
    servers: dict[str, Prism] = {}
    log_dir = tmp_path_factory.mktemp("prism")

    def get(api: str) -> Prism:
        if api not in servers:
            servers[api] = start(api, log_dir)
        return servers[api]

    try:
        yield get
    finally:
        for server in servers.values():
            stop(server)
