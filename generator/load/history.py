"""Earlier versions of a spec, read from git: what the CI gate and the changelog compare against.

Git is an optional collaborator: outside a repository, in a shallow clone or without git at all
every helper answers ``None`` and the caller says why it has nothing to compare with, rather than
failing. Paths are given relative to ``root`` and read as ``REV:./path``, so ``root`` need not be
the top of the repository.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

_MAIN = ("origin/main", "main")
_SEARCH_DEPTH = 200  # commits searched for the spec a package was generated from


@dataclass(frozen=True)
class Base:
    """The commit to compare with (``None``: nothing to compare with) and why it was chosen."""

    commit: str | None
    reason: str
    why: str = ""  # why this base was chosen, for the gate's first line


def git(root: Path, *args: str) -> str | None:
    """The stripped output of ``git args`` run in ``root``; ``None`` when git fails."""
    raw = git_bytes(root, *args)
    return None if raw is None else raw.decode("utf-8", "replace").strip()


def git_bytes(root: Path, *args: str) -> bytes | None:
    """The raw output of ``git args`` run in ``root``; ``None`` when git fails or is missing."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed executable, arguments passed as words
            ["git", *args],  # noqa: S607 - git is looked up on PATH on purpose
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def commit_of(root: Path, rev: str) -> str | None:
    """The full hash ``rev`` names, or ``None`` when it is not in this clone."""
    return git(root, "rev-parse", "--verify", "--quiet", rev + "^{commit}")


def merge_base(root: Path) -> Base:
    """Off main: the merge base with main. On main (or with no main): the previous commit."""
    head = commit_of(root, "HEAD")
    if head is None:
        return Base(None, "no commit yet")
    branch = git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    for main in _MAIN:
        tip = commit_of(root, main)
        if tip is None:
            continue
        fork = git(root, "merge-base", "HEAD", main)
        if branch != "main" and tip != head and fork and fork != head:
            why = f"this branch forked from {main} there, so every change it would bring is judged"
            return Base(fork, f"merge base with {main}", why)
        return _previous(root, f"HEAD is {main}" if tip == head or branch == "main" else "")
    return _previous(root, "there is no main branch to fork from")


def _previous(root: Path, why: str) -> Base:
    parent = commit_of(root, "HEAD~1")
    if parent is not None:
        why = why or "HEAD has no commit of its own since main"
        return Base(parent, "previous commit", f"{why}, so the last commit is judged")
    if git(root, "rev-parse", "--is-shallow-repository") == "true":
        return Base(
            None, "shallow clone: the previous commit is not available (fetch more history)"
        )
    return Base(None, "first commit: nothing before it")


def show(root: Path, rev: str, path: str) -> bytes | None:
    """The bytes of ``path`` (relative to ``root``) at ``rev``; ``None`` if it did not exist."""
    return git_bytes(root, "show", f"{rev}:./{path}")


def commits(root: Path, path: str) -> list[str]:
    """The newest commits (up to a search depth) that touched ``path``, newest first."""
    log = git(root, "log", f"-n{_SEARCH_DEPTH}", "--format=%H", "--", path)
    return (log or "").split()


def find_by_sha256(root: Path, path: str, sha256: str) -> tuple[str, bytes] | None:
    """The newest commit whose ``path`` has this sha256, and those bytes; ``None`` if none has."""
    for commit in commits(root, path):
        data = show(root, commit, path)
        if data is not None and hashlib.sha256(data).hexdigest() == sha256:
            return commit, data
    return None
