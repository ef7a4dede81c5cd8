"""Fixtures of the client tests: the loopback server the command-line tests answer from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.clients.test_cli import Server


@pytest.fixture
def server() -> Iterator[Server]:
    """A :class:`Server` on a free loopback port, shut down after the test."""
    running = Server()
    yield running
    running.http.shutdown()
    running.http.server_close()
