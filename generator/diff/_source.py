"""Where the two sides come from: a file, or ``REF:path`` read from git.

``REF:path`` runs ``git show REF:path`` in the current directory, so ``HEAD:specs/api.yaml``
compares the committed spec with the working copy. As in git, the path is relative to the
repository root (``REF:./path`` is relative to the current directory). An argument that names an
existing file is always a file, even if it contains a colon. The files a spec ``$ref``s are
read the same way: beside it on disk, or from git at the same ``REF``.
"""

from __future__ import annotations

import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ..load.document import Document, load, load_tree
from ..load.refs import Unreadable


@dataclass(frozen=True)
class Source:
    """A side as given on the command line: the document and the file it lives in."""

    document: Document
    file: str
    revision: str = ""  # the ``REF:`` its files' names start with, when read from git

    def place(self, ptr: str) -> tuple[str, int | None]:
        """The file (as a path in the working tree) and line where ``ptr`` lives."""
        name, line = self.document.locate(ptr)
        if name == self.document.name:
            return self.file, line
        return name.removeprefix(self.revision), line


def read(argument: str) -> Source:
    """Load ``argument`` (a path or ``REF:path``); :class:`SpecError` if it cannot be read."""
    path = Path(argument)
    rev, colon, inner = argument.partition(":")
    if path.exists() or not colon or not inner:
        return Source(load(path, argument), argument)
    folder, main = posixpath.split(inner)
    prefix = f"{rev}:"

    def name_of(file: str) -> str:
        return prefix + posixpath.join(folder, file) if file != main else argument

    def show(file: str) -> bytes:
        if file == main:
            return _git_show(argument)
        try:
            return _git_show(name_of(file))
        except SpecError as exc:
            raise Unreadable(exc.diagnostics[0].message) from None

    return Source(load_tree(main, show, name_of), inner, prefix)


def _git_show(argument: str) -> bytes:
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
    return done.stdout


def _error(argument: str, message: str) -> SpecError:
    return SpecError([Diagnostic(argument, None, "#", message)])
