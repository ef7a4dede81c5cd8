"""``CHANGELOG.md`` of a generated package: the spec-diff report of each spec change, newest first.

A package keeps no copy of its spec. The spec it was last generated from is named by the sha256
its ``_version.py`` records (:mod:`.provenance`); its text comes from git (the newest commit whose spec
has that sha256). When the spec changed since, a section with the markdown report is put on top
of what the changelog already says. When it did not, the changelog is carried over unchanged, so
generating twice appends nothing and ``generate --check`` compares like with like. When the
earlier spec cannot be found (never committed, or no git), nothing is added and a warning says so.
A spec split over files is looked for whole: each commit that touched its folder is read with
every file at that commit, until one has the sha256 (which covers all of them).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostic, SpecError
from ..diff import diff, render
from ..load.config import ApiConfig
from ..load.document import Document, load_tree, parse
from ..load.history import commits, find_by_sha256, show
from . import provenance

NAME = "CHANGELOG.md"
_HEADER = re.compile(r"^<!-- Code generated .* DO NOT EDIT\. -->\n")
_INTRO = (
    "Every change of the spec this package is generated from, newest first, as reported by\n"
    "`python -m generator diff` when the package was regenerated.\n"
)


def changelog(config: ApiConfig, doc: Document, spec_name: str) -> tuple[str, list[Diagnostic]]:
    """The changelog text (without header) for a package generated from ``doc``, and warnings."""
    path = config.output / NAME
    if not path.is_file():
        return f"# Changelog of `{config.package}`\n\n{_INTRO}", []
    match = _HEADER.match(old := path.read_text("utf-8"))
    body = old[match.end() :] if match else old
    made_from = provenance.recorded(config.output)
    sha = made_from.sha256 if made_from else ""
    if sha == doc.sha256:
        return body, []
    section = _section(config, doc, spec_name, sha)
    if isinstance(section, Diagnostic):
        return body, [section]
    return _prepend(body, section), []


def _section(config: ApiConfig, doc: Document, spec_name: str, sha: str) -> str | Diagnostic:
    """The new changelog section, or a warning saying why there is none."""
    found = _earlier(config.spec, doc, spec_name, sha) if sha else None
    if found is None:
        why = f"the spec {config.package} was generated from (sha256 {sha[:12] or '?'}) is in no commit"
        return Diagnostic(
            spec_name, None, "#", f"{NAME} not updated: {why}", "warning", "changelog"
        )
    commit, earlier = found
    try:
        report = diff(earlier(), doc)
    except (SpecError, UnicodeDecodeError) as exc:
        why = f"the spec at {commit[:12]} cannot be compared: {exc}"
        return Diagnostic(
            spec_name, None, "#", f"{NAME} not updated: {why}", "warning", "changelog"
        )
    report = dataclasses.replace(report, revision=f"{spec_name}@{doc.sha256[:12]}")
    version = (doc.data.get("info") or {}).get("version", "?")
    return f"## {version} — spec sha256 {doc.sha256[:12]}\n\n{render(report, 'markdown')}"


def _earlier(
    spec: Path, doc: Document, spec_name: str, sha: str
) -> tuple[str, Callable[[], Document]] | None:
    """The newest commit holding the spec with this sha256, and how to read that spec."""
    if not doc.parts:  # one file: its sha256 is that of its bytes, found without parsing
        found = find_by_sha256(spec.parent, spec.name, sha)
        if found is None:
            return None
        commit, data = found
        return commit, lambda: parse(data.decode("utf-8"), f"{spec_name}@{commit[:12]}")
    for commit in commits(spec.parent, "."):
        try:
            earlier = load_tree(
                spec.name, _reader(spec.parent, commit), _namer(spec, spec_name, commit)
            )
        except SpecError:
            continue
        if earlier.sha256 == sha:
            return commit, lambda earlier=earlier: earlier
    return None


def _reader(folder: Path, commit: str) -> Callable[[str], bytes | None]:
    return lambda file: show(folder, commit, file)


def _namer(spec: Path, spec_name: str, commit: str) -> Callable[[str], str]:
    return lambda file: f"{spec_name if file == spec.name else file}@{commit[:12]}"


def _prepend(body: str, section: str) -> str:
    """``section`` above the newest existing section (below the title and introduction)."""
    at = body.find("\n## ")
    if at < 0:
        return body.rstrip("\n") + "\n\n" + section
    return body[: at + 1] + section + "\n" + body[at + 1 :]
