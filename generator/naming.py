"""Identifiers and literals: the only way text from a spec reaches generated code.

Spec text is untrusted. Templates never interpolate it raw: names go through
:func:`identifier`/:func:`class_name`, values through :func:`literal`, prose through
:func:`docstring` and :func:`comment`. Each result is valid Python that cannot end the construct
it sits in.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata

# Names a generated method or attribute must not take: they would shadow what the code needs.
RESERVED = frozenset(
    {
        *keyword.kwlist,
        *keyword.softkwlist,
        *dir(builtins),
        "self",
        "cls",
        "client",
        "timeout",
        "max_retries",
        "extra_headers",
        "extra_query",
        "extra_body",
        "httpx",
        "typing",
        "models",
        # Names the body of a generated method uses: a parameter must not shadow them.
        "response",
        "options",
        "strict_responses",
        "with_raw_response",
        "with_streaming_response",
        "RequestOptions",
        "dump_body",
        "parse_model",
        "parse_json",
        "NOT_GIVEN",
        "NotGiven",
        "TimeoutTypes",
    }
)

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, kebab-case, spaces, dots) into lower-case ASCII words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w.lower() for w in _WORD.findall(ascii_text)]


def snake(text: str) -> str:
    """``listAutomationRuns`` -> ``list_automation_runs``; may be empty or start with a digit."""
    return "_".join(words(text))


def identifier(text: str, fallback: str = "value") -> str:
    """A valid, non-reserved snake_case Python identifier for ``text``."""
    name = snake(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in RESERVED:
        name += "_"
    return name


def method_name(text: str, fallback: str = "call") -> str:
    """A snake_case method name: builtins are fine as attributes (``list``), keywords are not."""
    name = snake(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def operation_method(operation_id: str, tag: str) -> str:
    """The client method of an operation: its operationId less the ``<tag>_`` prefix.

    ``runs_get`` under tag ``runs`` is ``client.runs.get``. The lowering, the workflow helpers
    and the spec diff all name methods through this one rule.
    """
    prefixed = operation_id.startswith(tag + "_") and len(operation_id) > len(tag) + 1
    return method_name(operation_id[len(tag) + 1 :] if prefixed else operation_id)


def class_name(text: str, fallback: str = "Model") -> str:
    """A valid PascalCase class name for ``text``."""
    name = "".join(w.capitalize() for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    # The builtins' own mapping: ``dir()`` built and sorted a list of them at every call.
    if keyword.iskeyword(name) or name in vars(builtins):
        name += "_"
    return name


def literal(value: object) -> str:
    """A Python literal for a JSON value (str, int, float, bool, None, lists, dicts, tuples)."""
    if isinstance(value, str):
        return _str_literal(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _str_literal(text: str) -> str:
    # repr() escapes quotes, backslashes, newlines and control characters; we always use
    # double quotes so the formatter leaves the text alone.
    body = repr(text)
    if body.startswith("'"):
        body = '"' + body[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return body


def docstring(text: str | None, indent: str = "") -> str:
    """Prose safe inside a triple-quoted docstring: no closing quotes, no stray escapes."""
    if not text:
        return ""
    cleaned = _printable(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in cleaned.strip().splitlines()]
    if lines and lines[-1].endswith('"'):
        lines[-1] += " "
    return ("\n" + indent).join(lines).replace(indent + "\n", "\n")


def comment(text: str | None) -> str:
    """Prose safe on one ``#`` comment line."""
    return " ".join(_printable(text or "").split())


def header_value(text: str) -> str:
    """Text an HTTP header can carry: printable ASCII only, other characters dropped."""
    return " ".join("".join(ch for ch in text if " " <= ch <= "~").split())


def _printable(text: str) -> str:
    # No control, format or separator character but the space (a line break and a tab kept):
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)


def unique(names: list[str]) -> list[str]:
    """Make names distinct by suffixing ``_2``, ``_3``... in order of appearance."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        candidate = name if count == 1 else f"{name}_{count}"
        while candidate in seen and candidate != name:
            count += 1
            candidate = f"{name}_{count}"
        seen.setdefault(candidate, 1)
        result.append(candidate)
    return result
