"""Cross-field rules: the JSON Schema presence constructs pydantic does not enforce on a model.

Vendor docs state rules across fields in words ("``bundle_id`` or ``app_id``", "exactly one
selector"). The specs declare them with ``required``, ``anyOf``, ``oneOf``, ``allOf``, ``not`` and
``dependentRequired``; the generator keeps those constructs as data and every model that has
some checks them in a ``model_validator``, so a request that breaks one fails before it is sent,
with a message that names the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from ._lenient import fields_of

__all__ = ["check_rules", "present_names", "violations"]

Rule = Mapping[str, Any]
M = TypeVar("M", bound=pydantic.BaseModel)


def present_names(instance: pydantic.BaseModel) -> set[str]:
    """The wire names of the fields the caller set (explicit ``None`` counts as set)."""
    fields = fields_of(type(instance))
    names = {fields[name].alias or name for name in instance.model_fields_set if name in fields}
    return names | set(instance.model_extra or {})


def satisfied(rule: Rule, present: set[str]) -> bool:
    """Whether the set of given fields satisfies ``rule`` (a presence-only JSON Schema)."""
    if not set(rule.get("required", ())) <= present:
        return False
    for name, needs in (rule.get("dependentRequired") or {}).items():
        if name in present and not set(needs) <= present:
            return False
    if "not" in rule and satisfied(rule["not"], present):
        return False
    if not all(satisfied(sub, present) for sub in rule.get("allOf", ())):
        return False
    if "anyOf" in rule and not any(satisfied(sub, present) for sub in rule["anyOf"]):
        return False
    return "oneOf" not in rule or sum(satisfied(sub, present) for sub in rule["oneOf"]) == 1


def describe(rule: Rule) -> str:
    """The rule in words: its ``title`` or ``description``, else what it requires."""
    name = rule.get("title") or rule.get("description")
    if name:
        return str(name)
    parts = []
    if rule.get("required"):
        parts.append(" and ".join(f"`{n}`" for n in rule["required"]))
    for name, needs in (rule.get("dependentRequired") or {}).items():
        parts.append(f"`{name}` needs " + " and ".join(f"`{n}`" for n in needs))
    for key, word in (("anyOf", "at least one of"), ("oneOf", "exactly one of")):
        if key in rule:
            parts.append(f"{word}: " + "; ".join(f"({describe(s)})" for s in rule[key]))
    parts += [describe(sub) for sub in rule.get("allOf", ())]
    if "not" in rule:
        parts.append(f"not ({describe(rule['not'])})")
    return ", ".join(parts) or "(empty rule)"


def violations(rule: Rule, present: set[str]) -> list[str]:
    """Each broken rule in words: each ``allOf`` part on its own, so messages stay precise."""
    if rule.get("title") or rule.get("description") or "allOf" not in rule:
        return [] if satisfied(rule, present) else [_explain(rule)]
    rest = {k: v for k, v in rule.items() if k != "allOf"}
    found = [] if satisfied(rest, present) else [_explain(rest)]
    for sub in rule["allOf"]:
        found += violations(sub, present)
    return found


def _explain(rule: Rule) -> str:
    """``rule 'name' is not met: description``, from what the spec gives."""
    title, text = rule.get("title"), rule.get("description")
    if title and text:
        return f"rule {str(title)!r} is not met: {text}"
    return f"rule {describe(rule)!r} is not met"


def check_rules(instance: M, rule: Rule) -> M:
    """Return ``instance`` if it satisfies ``rule``; raise ``ValueError`` naming each broken part.

    Raised inside a pydantic validator, the ``ValueError`` reaches the caller as a
    ``pydantic.ValidationError`` whose message carries the rule's name.
    """
    present = present_names(instance)
    broken = violations(rule, present)
    if broken:
        given = ", ".join(sorted(present)) or "nothing"
        raise ValueError(f"{type(instance).__name__}: {'; '.join(broken)} (given: {given})")
    return instance
