"""Fixtures shared by every test folder."""

from tests.testmo_cli.fixtures import loopback_certificate, testmo_cli, testmo_server

__all__ = ["loopback_certificate", "testmo_cli", "testmo_server"]
