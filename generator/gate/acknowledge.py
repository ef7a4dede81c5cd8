"""Breaking changes made on purpose: the acknowledgement file next to a spec, and major bumps.

The CI gate fails on a breaking change unless someone said it is intended, in one of two ways:
a bump of the spec's ``info.version`` major number (acknowledges every change of that spec), or an
entry naming the change in ``<spec stem>.ack.yaml`` beside the spec::

    acknowledged:
      - where: "GET /runs/{run_id}"        # the change's location, exactly as reported
        kind: "parameter removed"          # the change's kind, exactly as reported
        reason: "The vendor dropped it."   # why breaking callers is acceptable (required)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, SpecError

_MAJOR = re.compile(r"^\s*v?(\d+)")
_FIELDS = ("where", "kind", "reason")


@dataclass(frozen=True)
class Acknowledgement:
    """One intended breaking change: where it is, what kind it is, and why it is fine."""

    where: str
    kind: str
    reason: str

    def covers(self, kind: str, where: str) -> bool:
        """True when this entry names the change ``kind`` at ``where``."""
        return self.kind == kind and self.where == where


def ack_path(spec: Path) -> Path:
    """Where the acknowledgements of ``spec`` live: ``specs/api.yaml`` -> ``specs/api.ack.yaml``."""
    return spec.with_name(spec.stem + ".ack.yaml")


def read_acks(spec: Path, display: str) -> list[Acknowledgement]:
    """The entries of ``spec``'s acknowledgement file (none if there is no file)."""
    path = ack_path(spec)
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _error(display, f"unreadable: {exc}") from None
    entries = data.get("acknowledged") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise _error(display, "expected a mapping with an `acknowledged` list")
    return [_entry(display, index, entry) for index, entry in enumerate(entries)]


def _entry(display: str, index: int, entry: Any) -> Acknowledgement:
    values = [entry.get(key) if isinstance(entry, dict) else None for key in _FIELDS]
    missing = [key for key, value in zip(_FIELDS, values, strict=True) if not _text(value)]
    if missing:
        message = f"entry {index + 1} needs non-empty string fields: {', '.join(missing)}"
        raise _error(display, message)
    return Acknowledgement(*(str(value).strip() for value in values))


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _error(display: str, message: str) -> SpecError:
    return SpecError([Diagnostic(display, None, "#", message)])


def major(version: object) -> int | None:
    """The major number of an ``info.version`` such as ``2.1.0`` or ``v3``; ``None`` if none."""
    match = _MAJOR.match(str(version)) if version is not None else None
    return int(match[1]) if match else None


def major_bumped(base: object, revision: object) -> bool:
    """True when ``revision``'s major version is greater than ``base``'s."""
    old, new = major(base), major(revision)
    return old is not None and new is not None and new > old
