"""Every security scheme of every public document of the shared corpus: usable, or reported.

The security decisions need no models, so each document is loaded, repaired as a user's spec
is, and lowered as far as its security only: a scheme is usable when the client takes a
credential for it and some operation sends it; otherwise a warning located at the scheme says
what the client does. The documents are those ``make corpus`` generates in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import split_pointer
from generator.ir import security
from generator.load.document import load
from generator.load.repair import repair
from tests.corpus.run import corpus_dir, documents
from tests.generator.realworld import require


def _documents() -> list[Path]:
    folder = corpus_dir()
    return documents(folder) if folder.exists() else []


@pytest.mark.parametrize("spec", _documents() or [corpus_dir()], ids=lambda p: p.name)
def test_every_declared_scheme_is_usable_or_reported(spec: Path) -> None:
    doc, _ = repair(load(require(spec)), strict=False)
    found = security.lower(doc, "CORPUS")
    declared = (doc.data.get("components") or {}).get("securitySchemes") or {}
    sent = {key for reqs in found.requirements.values() for req in reqs for key in req}
    usable = {s.key for s in found.schemes if s.credentials and s.key in sent}
    warned = {split_pointer(w.pointer)[-1] for w in found.warnings if w.line}
    missing = [key for key in declared if key not in usable and key not in warned]
    assert missing == [], f"{spec.name}: neither usable nor reported: {missing}"
    arguments = [c.argument for scheme in found.schemes for c in scheme.credentials]
    assert len(arguments) == len(set(arguments)), arguments
