"""Helpers that read our specs the way a test needs them: operations, examples, call arguments."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.load.document import load

ROOT = Path(__file__).resolve().parent.parent
APIS = ("autosana", "automated_future", "testmo", "panto")
METHODS = ("get", "put", "post", "delete", "patch")


@functools.cache
def spec(api: str) -> dict[str, Any]:
    """The parsed spec of ``api`` (cached: treat it as read-only)."""
    data: dict[str, Any] = load(ROOT / "specs" / f"{api}.yaml").data
    return data


def package(api: str) -> ModuleType:
    """The generated package of ``api``, imported from the repository."""
    return importlib.import_module(f"generated.{api}")


def deref(doc: dict[str, Any], value: Any) -> Any:
    """Follow local ``$ref`` chains."""
    while isinstance(value, dict) and "$ref" in value:
        target: Any = doc
        for token in value["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        value = target
    return value


@dataclass(frozen=True)
class Op:
    """One operation of a spec, with what a test needs to call it."""

    api: str
    path: str
    method: str
    raw: dict[str, Any]
    doc: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.raw["operationId"])

    @property
    def resource(self) -> str:
        return str(self.raw["tags"][0])

    @property
    def method_name(self) -> str:
        return self.operation_id[len(self.resource) + 1 :]

    def parameters(self) -> list[dict[str, Any]]:
        item = self.doc["paths"][self.path]
        params = [*(item.get("parameters") or []), *(self.raw.get("parameters") or [])]
        return [deref(self.doc, p) for p in params]

    def args(self) -> tuple[list[Any], dict[str, Any]]:
        """Positional path arguments and required query arguments, from the params' examples."""
        positional = [p["example"] for p in self.parameters() if p["in"] == "path"]
        keywords = {
            p["name"]: p["example"]
            for p in self.parameters()
            if p["in"] == "query" and p.get("required")
        }
        return positional, keywords

    def request_examples(self) -> dict[str, Any]:
        body = deref(self.doc, self.raw.get("requestBody") or {})
        media = (body.get("content") or {}).get("application/json") or {}
        return {k: deref(self.doc, v)["value"] for k, v in (media.get("examples") or {}).items()}

    def request_model(self) -> str | None:
        body = deref(self.doc, self.raw.get("requestBody") or {})
        media = (body.get("content") or {}).get("application/json") or {}
        ref = (media.get("schema") or {}).get("$ref", "")
        return ref.rsplit("/", 1)[-1] or None

    def response_examples(self) -> Iterator[tuple[int, str, Any]]:
        """(status, example name, value) for every JSON response example."""
        for status, response in (self.raw.get("responses") or {}).items():
            response = deref(self.doc, response)
            media = (response.get("content") or {}).get("application/json") or {}
            for name, example in (media.get("examples") or {}).items():
                yield (
                    (int(status) if str(status).isdigit() else 0),
                    name,
                    deref(self.doc, example)["value"],
                )

    def success_status(self) -> int:
        return min(int(s) for s in self.raw["responses"] if str(s).startswith("2"))


@functools.cache
def operations(api: str) -> list[Op]:
    """Every operation of the spec of ``api``."""
    doc = spec(api)
    return [
        Op(api, path, method, item[method], doc)
        for path, item in doc["paths"].items()
        for method in METHODS
        if method in item
    ]


def instants(value: Any) -> Any:
    """``value`` with ISO 8601 date-time strings turned into aware datetimes, for comparison."""
    if isinstance(value, dict):
        return {k: instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [instants(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and "T" in value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value
