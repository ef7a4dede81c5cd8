"""Where the two sides come from: a file, or ``REF:path`` read from git.

``REF:path`` runs ``git show REF:path`` in the current directory, so ``HEAD:specs/api.yaml``
compares the committed spec with the working copy. As in git, the path is relative to the
repository root (``REF:./path`` is relative to the current directory). An argument that names an
existing file is always a file, even if it contains a colon.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ..load import Document, load, parse


@dataclass(frozen=True)
class Source:
    """A side as given on the command line: the document and the file it lives in."""

    document: Document
    file: str


def read(argument: str) -> Source:
    """Load ``argument`` (a path or ``REF:path``); :class:`SpecError` if it cannot be read."""
    path = Path(argument)
    _, colon, inner = argument.partition(":")
    if path.exists() or not colon or not inner:
        return Source(load(path, argument), argument)
    return Source(parse(_git_show(argument), argument), inner)


def _git_show(argument: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed executable, argument passed as one word
            ["git", "show", argument],  # noqa: S607 - git is looked up on PATH on purpose
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise _error(argument, f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _error(argument, "git show failed: " + (message[-1] if message else "no output"))
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(argument, f"not UTF-8: {exc}") from None


def _error(argument: str, message: str) -> SpecError:
    return SpecError([Diagnostic(argument, None, "#", message)])
