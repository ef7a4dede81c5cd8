"""``python -m generator spec-diff [--base REV]``: the CI gate against breaking spec changes.

Each configured spec is compared with its version at the base commit (off main: the merge base
with main; on main: the previous commit; see :mod:`generator.load.history`). The text report is
printed, then a second net runs on the code side: the packages generated from both versions are
compared by :mod:`generator.gate.surface`, and a removal or rename the spec diff did not call
client-breaking counts as a breaking change too. The gate fails (exit 1) only for breaking changes
that are not acknowledged (:mod:`generator.gate.acknowledge`). With nothing to compare with (a new
spec, the first commit, a shallow clone) it says so and passes. A spec that ``$ref``s other files
is read whole on both sides: the base's files all from the base commit.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import SpecError
from ..diff import CLIENT, Change, Report, apply_policy, diff, read_policy, render
from ..load.config import ApiConfig, read_config
from ..load.document import Document, load, load_tree
from ..load.history import Base, commit_of, merge_base, show
from ..pipeline import build
from .acknowledge import ack_path, major_bumped, read_acks
from .surface import compare, extract, unflagged

Say = Callable[[str], None]


def run(root: Path, base_rev: str | None, say: Say) -> int:
    """Gate every configured spec; 0 pass, 1 unacknowledged breaking changes, 2 unusable input."""
    base = _base(root, base_rev)
    if base.commit is None:
        say(f"spec-diff: nothing to compare with ({base.reason}); passing")
        return 0 if base_rev is None else 2
    why = f": {base.why}" if base.why else ""
    say(f"spec-diff: comparing with {base.commit[:12]} ({base.reason}){why}")
    return max([gate(root, config, base.commit, say) for config in read_config(root)], default=0)


def _base(root: Path, rev: str | None) -> Base:
    if rev is None:
        return merge_base(root)
    commit = commit_of(root, rev)
    return Base(commit, f"--base {rev}" if commit else f"--base {rev}: no such commit here")


def gate(root: Path, config: ApiConfig, commit: str, say: Say) -> int:
    """Gate one spec against its version at ``commit``; print why it passes or fails."""
    rel = config.spec.relative_to(root).as_posix()
    if show(root, commit, rel) is None:
        say(f"\n{rel}: new since {commit[:12]}; nothing to compare")
        return 0
    try:
        base, revision = _documents(root, commit, config.spec, rel)
        if base is None:
            say(f"\n{rel}: warning: the spec at {commit[:12]} is unusable; nothing to compare")
            return 0
        policy = read_policy(root / "pyproject.toml")
        return _judge(config, (rel, commit), (base, revision), say, policy=policy)
    except SpecError as exc:
        say(f"\n{rel}: cannot compare:\n{exc}")
        return 2


def _documents(root: Path, commit: str, spec: Path, rel: str) -> tuple[Document | None, Document]:
    """Both sides; the base is ``None`` when it is unusable (history is not ours to fix)."""
    revision = load(spec, rel)
    folder, main = posixpath.split(rel)

    def at_commit(file: str) -> bytes | None:
        return show(root, commit, posixpath.join(folder, file))

    def name_of(file: str) -> str:
        return f"{posixpath.join(folder, file)}@{commit[:12]}"

    try:
        base = load_tree(main, at_commit, name_of)
        diff(base, base)  # the diff tool's own checks of a side
    except SpecError:
        return None, revision
    return base, revision


def _judge(
    config: ApiConfig,
    spec: tuple[str, str],
    sides: tuple[Document, Document],
    say: Say,
    *,
    policy: dict[str, str],
) -> int:
    base, revision = sides
    rel, commit = spec
    report = apply_policy(diff(base, revision), policy)
    say("\n" + render(report, "text").rstrip("\n"))
    breaking = [c for c in report.changes if c.breaking]
    if base.sha256 != revision.sha256:
        breaking += _surface(config, base, revision, report, say)
    _stale(config, rel, commit, [*report.changes, *breaking], say)
    if not breaking:
        say(f"{rel}: ok, nothing breaks")
        return 0
    old_version, new_version = _version(base), _version(revision)
    if major_bumped(old_version, new_version):
        say(
            f"{rel}: ok, {len(breaking)} breaking, acknowledged by the major bump {old_version} → {new_version}"
        )
        return 0
    return _acknowledged(config, rel, breaking, say)


def _version(doc: Document) -> object:
    info = doc.data.get("info")
    return info.get("version") if isinstance(info, dict) else None


def _acknowledged(config: ApiConfig, rel: str, breaking: list[Change], say: Say) -> int:
    ack_name = ack_path(Path(rel)).as_posix()
    try:
        acks = read_acks(config.spec, ack_name)
    except SpecError as exc:
        say(str(exc))
        return 2
    open_ = [c for c in breaking if not any(a.covers(c.kind, c.where) for a in acks)]
    if not open_:
        say(f"{rel}: ok, {len(breaking)} breaking, each acknowledged in {ack_name}")
        return 0
    say(f"{rel}: FAIL: {len(open_)} breaking change(s) not acknowledged:")
    for change in open_:
        say(f"  - where: {change.where!r}\n    kind: {change.kind!r}")
    say(f"  Bump the major of info.version, or add these entries with a reason to {ack_name}.")
    return 1


def _stale(config: ApiConfig, rel: str, commit: str, changes: list[Change], say: Say) -> None:
    """Name the acknowledgements no change since the base matches: already on main, or never
    made, they only grow the file (an unreadable file is reported when it is needed)."""
    ack_name = ack_path(Path(rel)).as_posix()
    try:
        acks = read_acks(config.spec, ack_name)
    except SpecError:
        return
    stale = [a for a in acks if not any(a.covers(c.kind, c.where) for c in changes)]
    if stale:
        say(
            f"{rel}: {len(stale)} stale acknowledgement(s) in {ack_name}: no such change since"
            f" {commit[:12]} (already on main, or never made); remove them:"
        )
    for ack in stale:
        say(f"  - where: {ack.where!r}\n    kind: {ack.kind!r}")


def _surface(
    config: ApiConfig, base: Document, revision: Document, report: Report, say: Say
) -> list[Change]:
    """Surface breaks the spec diff missed, as client-breaking changes (``surface: <kind>``)."""
    loose = dataclasses.replace(config, strict=False)
    try:
        old = extract(build(loose, config.spec.name, doc=base, changelog=False).files)
        new = extract(build(loose, config.spec.name, doc=revision, changelog=False).files)
    except SpecError as exc:
        say(f"generated surface: warning: not compared, a side does not generate:\n{exc}")
        return []
    findings = compare(old, new)
    missed = unflagged(findings, report)
    say(
        f"generated surface: {len(findings)} break(s), {len(findings) - len(missed)} reported above"
    )
    for finding in missed:
        say(f"  not in the spec diff: {finding.kind}: {finding.detail}")
    return [Change(f"surface: {f.kind}", f.name, f.detail, (CLIENT,)) for f in missed]
