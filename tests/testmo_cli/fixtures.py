"""pytest fixtures: a recording Testmo over TLS on loopback, and Testmo's own CLI pointed at it.

Later tests compare our command with Testmo's on the same files and the same server: run
``testmo_cli(...)`` and our command against ``testmo_server`` and compare
``testmo_server.appended_tests()`` (or whole ``requests``).
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.specs import ROOT
from tests.testmo_cli.server import RecordingTestmo

CLI = ROOT / "tests" / "node_modules" / "@testmo" / "testmo-cli" / "dist" / "index.js"
TOKEN = "testmo-token-for-tests"


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and its key."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """A TLS context serving this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(folder: Path) -> Certificate:
    """A fresh self-signed certificate for 127.0.0.1 (openssl) in ``folder``."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to serve TLS on loopback for Testmo's CLI")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return Certificate(cert, key)


@pytest.fixture(scope="session")
def loopback_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A certificate the servers serve and the clients trust through its file."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def testmo_server(loopback_certificate: Certificate) -> Iterator[RecordingTestmo]:
    """A recording Testmo over HTTPS on 127.0.0.1, stopped after the test."""
    with RecordingTestmo(tls=loopback_certificate.server_context()) as server:
        yield server


@dataclass
class VendorCli:
    """Runs Testmo's CLI (from tests/node_modules) against one recording server."""

    server: RecordingTestmo
    certificate: Certificate

    def env(self) -> dict[str, str]:
        """The CLI's environment: the token, the loopback CA, no proxy, no colours."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(TESTMO_TOKEN=TOKEN, NODE_EXTRA_CA_CERTS=str(self.certificate.cert))
        env.update(NO_COLOR="1", FORCE_COLOR="0")
        return env

    def submit(
        self,
        results: Sequence[str | Path],
        *extra: str,
        cwd: Path | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """``testmo automation:run:submit`` with project 1, a name, a source and ``results``."""
        return self.run(
            "automation:run:submit", "--instance", self.server.instance, "--project-id", "1",
            "--name", "CI #42", "--source", "backend", "--results", *map(str, results), *extra,
            cwd=cwd, timeout=timeout,
        )  # fmt: skip

    def run(
        self, *args: str, cwd: Path | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """Any command of the CLI, with ``--no-ansi``."""
        node = shutil.which("node")
        if node is None or not CLI.exists():
            pytest.fail("Testmo's CLI is missing: run `make node_modules`")
        return subprocess.run(
            [node, str(CLI), *args, "--no-ansi"],
            env=self.env(),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture
def testmo_cli(testmo_server: RecordingTestmo, loopback_certificate: Certificate) -> VendorCli:
    """Testmo's own CLI, pointed at ``testmo_server``."""
    return VendorCli(testmo_server, loopback_certificate)
