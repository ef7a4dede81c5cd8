"""Over the real-world corpus: no method returns ``Any`` where its success response has a schema.

Vendors write most responses inline (objects wrapping a ``$ref``, arrays of them, unions); a
client whose methods return ``Any`` there is not the typed client it claims to be. Each document
is lowered as ``generate`` lowers it (repairs, hoisting, models, lowering) and its IR read: the
method of every operation whose first success response declares a JSON schema (a type, a
``$ref``, properties, items, a combination) must return a type. Writing, formatting and
type-checking the packages is ``make corpus``'s job; the IR is what decides the annotations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.ir.lower import lower
from generator.load.config import api_config
from generator.load.document import load
from generator.load.repair import repair
from generator.load.spec import json_media, operations, success
from generator.models import generate_models, hoist_inline_schemas
from tests.corpus.run import corpus_dir, documents, package_name
from tests.generator.realworld import require

# Keywords that give a schema a type (a schema of only a description says nothing).
_TYPING = frozenset(
    {"$ref", "type", "properties", "items", "oneOf", "anyOf", "allOf", "enum", "const"}
    | {"additionalProperties"}
)
_CORPUS = documents(corpus_dir()) if corpus_dir().is_dir() else []


def _declared(doc: Any, op: dict[str, Any]) -> bool:
    """Whether the response the method returns declares a JSON schema with a type."""
    found = success(doc, op)
    if found is None:
        return False
    content = doc.deref(found[1]).get("content") or {}
    media = json_media(content)
    schema = (content.get(media) or {}).get("schema") if media else None
    return isinstance(schema, dict) and bool(_TYPING & set(schema))


@pytest.mark.parametrize("spec", _CORPUS, ids=[f"{p.parent.name}/{p.name}" for p in _CORPUS])
def test_no_method_returns_any_where_the_response_declares_a_schema(
    spec: Path, tmp_path: Path
) -> None:
    doc, _ = repair(load(require(spec)), strict=False)
    declared = {
        (method.upper(), path) for path, method, op, _ in operations(doc) if _declared(doc, op)
    }
    hoisted = hoist_inline_schemas(doc)
    config = api_config(spec, package_name(spec), tmp_path / "out")
    api = lower(hoisted, config, generate_models(hoisted))
    untyped = [
        f"{op.http_method} {op.path} -> {op.result.annotation}"
        for resource in api.resources
        for op in resource.operations
        if (op.http_method, op.path) in declared
        and op.result.annotation.removesuffix(" | None") == "Any"
    ]
    assert untyped == []
