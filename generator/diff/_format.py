"""Reports for people (text), for changelogs and PR comments (markdown), for machines (json),
and for GitHub Actions (workflow annotations on the changed lines).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ._change import Change, Report

FORMATS = ("text", "json", "markdown", "github")
Locate = Callable[[str], tuple[str, int | None]]  # pointer -> the file it lives in, and the line

# Changes that break nothing but deserve a look: a warning annotation rather than a notice.
_NOTABLE = frozenset(
    {"enum value added", "default changed", "default added", "default removed"}
    | {"schema keyword changed", "deprecated"}
    | {"operation deprecated", "parameter deprecated", "security scheme changed"}
    | {"reference changed"}
    | {"sunset date removed", "sunset date invalid", "stability level invalid"}
    | {"stability level changed", "sunset date changed"}
)


def render(report: Report, fmt: str, *, file: str = "", locate: Locate | None = None) -> str:
    """``report`` in format ``fmt`` (one of :data:`FORMATS`); ``file``/``locate`` place annotations."""
    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines = _github(report, file, locate)
    elif fmt in ("text", "markdown"):
        lines = _text(report) if fmt == "text" else _markdown(report)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return "\n".join(lines) + "\n"


def _count(report: Report) -> str:
    total, breaking = len(report.changes), sum(c.breaking for c in report.changes)
    strict = sum(c.strict_only for c in report.changes)
    extra = f", {strict} {_STRICT}" if strict else ""
    return f"{total} change{'s' * (total != 1)}, {breaking} breaking{extra}"


# Said of a change that fails only strict response validation, in every format alike.
_STRICT = "strict mode only"


def _breaks(change: Change) -> str:
    """``client, wire``; ``strict mode only``; or empty when nothing breaks."""
    return _STRICT if change.strict_only else ", ".join(change.breaks)


def _sections(report: Report) -> Iterator[tuple[str, list[Change]]]:
    for title, breaking in (("Breaking", True), ("Not breaking", False)):
        changes = [c for c in report.changes if c.breaking == breaking]
        if changes:
            yield title, changes


def _text(report: Report) -> Iterator[str]:
    yield f"{report.base} → {report.revision}: {_count(report) if report.changes else 'no changes'}"
    for title, changes in _sections(report):
        yield ""
        yield f"{title}:"
        where = None
        for change in changes:
            if change.where != where:
                where = change.where
                yield f"  {where}"
            breaks = f"  [breaks {_breaks(change)}]" if change.breaks else ""
            policy = f"  [{change.level} by policy]" if change.level else ""
            yield f"    {change.kind}: {change.detail}{breaks}{policy}"


def _markdown(report: Report) -> Iterator[str]:
    yield f"### API changes: {_count(report)}" if report.changes else "### API changes: none"
    yield ""
    yield f"`{report.base}` → `{report.revision}`"
    for title, changes in _sections(report):
        yield ""
        yield f"#### {title} ({len(changes)})"
        yield ""
        yield "| Where | Change | Detail | Breaks |"
        yield "|---|---|---|---|"
        for c in changes:
            policy = f" ({c.level} by policy)" if c.level else ""
            cells = (f"`{c.where}`", c.kind, c.detail, (_breaks(c) or "—") + policy)
            yield "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _github(report: Report, file: str, locate: Locate | None) -> Iterator[str]:
    for change in report.changes:
        yield _annotation(change, file, locate)
    yield f"::notice title=API diff::{_count(report) if report.changes else 'no changes'}"


def _annotation(change: Change, file: str, locate: Locate | None) -> str:
    if change.level:
        level = "notice" if change.level == "info" else change.level
        title = f"API change ({change.level} by policy): {change.kind}"
    elif change.breaking:
        level, title = "error", f"Breaking API change ({', '.join(change.breaks)}): {change.kind}"
    elif change.strict_only:
        level, title = "warning", f"API change (breaks {_STRICT}): {change.kind}"
    else:
        level = "warning" if change.kind in _NOTABLE else "notice"
        title = f"API change: {change.kind}"
    line = None
    if locate and file:
        file, line = locate(change.pointer)
    where = [f"file={_property(file)}"] if file else []
    where += [f"line={line}"] if line else []
    props = ",".join([*where, f"title={_property(title)}"])
    return f"::{level} {props}::{_data(change.where + ': ' + change.detail)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
