"""Where the real-world OpenAPI documents are: ``shared/realworld`` beside the repository.

``REALWORLD_DIR`` overrides it (a worktree kept elsewhere). Without the folder the real-world
tests skip on a developer's machine and fail in CI (``CI=true``), where it must be present.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def realworld_dir() -> Path:
    """The folder holding ``openapi-python-client/`` and ``openai/``."""
    override = os.environ.get("REALWORLD_DIR")
    return Path(override) if override else ROOT.parent / "shared" / "realworld"


def require(path: Path) -> Path:
    """``path`` if it exists; else skip, or fail in CI."""
    if not path.exists():
        message = f"real-world document missing: {path} (set REALWORLD_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
