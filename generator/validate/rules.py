"""Cross-field rules: the JSON Schema presence constructs the models enforce.

``required`` inside ``anyOf``/``oneOf``/``not``, and ``dependentRequired``, say which properties
must come together (the models stage turns them into a validator). A rule that names a property
the schema does not have is most likely a typo, so it is a located warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, pointer
from ..load.document import Document
from ..models import split_rules


def _rule_names(rule: Any) -> Iterator[str]:
    """Every property name a presence rule mentions."""
    if not isinstance(rule, dict):
        return
    yield from (str(n) for n in rule.get("required") or ())
    for name, needs in (rule.get("dependentRequired") or {}).items():
        yield from (str(name), *(str(n) for n in needs))
    for sub in [*rule.get("anyOf", ()), *rule.get("oneOf", ()), *rule.get("allOf", ())]:
        yield from _rule_names(sub)
    yield from _rule_names(rule.get("not"))


def check(doc: Document) -> list[Diagnostic]:
    """Cross-field rules that name a property the schema does not have (a likely typo)."""
    found = []
    for name, schema in ((doc.data.get("components") or {}).get("schemas") or {}).items():
        if not isinstance(schema, dict) or not schema.get("properties"):
            continue
        for unknown in sorted(
            set(_rule_names(split_rules({name: schema})[1].get(name))) - set(schema["properties"])
        ):
            where = pointer("components", "schemas", name)
            message = f"a cross-field rule names {unknown!r}, which is not a property"
            found.append(replace(doc.diagnostic(where, message, "warning"), kind="rule-name"))
    return found
