"""A throwaway project in a real git repository: one configured spec, commits, branches.

The gate and the changelog read history with git, so their tests make real commits rather than
faking git's answers.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

SPEC = (Path(__file__).parent / "items.yaml").read_text("utf-8")
PYPROJECT = """\
[[tool.generator.apis]]
spec = "specs/items.yaml"
package = "items"
output = "generated/items"
"""


class Repo:
    """A project at ``root`` whose ``specs/items.yaml`` becomes ``generated/items``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.spec = root / "specs" / "items.yaml"
        self.spec.parent.mkdir(parents=True)
        (root / "pyproject.toml").write_text("[tool.generator]\n" + PYPROJECT, "utf-8")
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str) -> str:
        """Run git in the project; fail the test if git fails."""
        argv = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args]
        done = subprocess.run(argv, cwd=self.root, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def write(self, text: str, replace: tuple[str, str] | None = None) -> None:
        """Write the spec: ``text``, with ``replace`` = (old, new) applied once if given."""
        if replace is not None:
            assert replace[0] in text, replace[0]
            text = text.replace(replace[0], replace[1], 1)
        self.spec.write_text(text, "utf-8")

    def commit(self, message: str) -> str:
        """Commit everything; return the new commit's hash."""
        self.git("add", "-A")
        self.git("commit", "--quiet", "-m", message)
        return self.git("rev-parse", "HEAD")
