"""Real documents: our specs, the Autosana docs' history, and OpenAI's 1,400-schema spec at speed."""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.diff import Report, diff
from generator.load.document import Document, load, parse

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
OPENAI = SHARED / "realworld" / "openai" / "openai-openapi.yml"
PYTHON_CLIENT = SHARED / "realworld" / "openapi-python-client"
APIDECK = SHARED / "realworld" / "corpus" / "apideck"
OLDER = Path(__file__).parent / "fixtures" / "autosana-older.yaml"
SPECS = sorted(p for p in (ROOT / "specs").glob("*.yaml") if not p.name.endswith(".ack.yaml"))
RESULT_ADDED = (
    "actor", "source", "platform", "performance_data_url", "device_log_url", "network_log_url",
)  # fmt: skip


def _changes(report: Report) -> set[tuple[str, str]]:
    return {(change.kind, change.where) for change in report.changes}


def test_autosana_older_docs_show_only_additions() -> None:
    report = diff(load(OLDER), load(ROOT / "specs" / "autosana.yaml"))
    assert not report.breaking
    added = {c for c in _changes(report) if c[0] != "description changed"}
    schemas = "#/components/schemas/"
    assert added == {
        ("response status added", "POST /api/v1/flows/run"),
        ("response status added", "GET /api/v1/runs/status"),
        ("response status added", "GET /api/v1/runs/{run_id}"),
        ("schema added", schemas + "Actor"),
        ("schema added", schemas + "RunSource"),
        ("schema added", schemas + "ErrorResponse"),
        ("schema added", schemas + "ErrorDetail"),
        ("enum value added", schemas + "Platform"),
        ("enum value added", schemas + "RunStatus"),
        *(
            ("property added", f"{schemas}RunFlowsRequest/properties/{name}")
            for name in (
                "app_build_id",
                "labels",
                "resolve_suite_context",
                "suite_overrides",
                "web_browser",
            )
        ),
        *(
            ("property added", f"{schemas}RunGroup/properties/{name}")
            for name in ("actor", "source")
        ),
        *(("property added", f"{schemas}RunResult/properties/{name}") for name in RESULT_ADDED),
    }
    # reworded descriptions, reported as such
    assert sum(c.kind == "description changed" for c in report.changes) == 11
    # the seven API-wide error statuses of the API reference page, on each of the 3 operations
    assert sum(c.kind == "response status added" for c in report.changes) == 21


def test_autosana_back_to_the_older_docs_breaks() -> None:
    report = diff(load(ROOT / "specs" / "autosana.yaml"), load(OLDER))
    removed = {c.where: c.breaks for c in report.changes if c.kind == "property removed"}
    # the older answers lack the field, so dropping it again breaks the client's model only
    assert removed["#/components/schemas/RunResult/properties/platform"] == ("client",)
    assert removed["#/components/schemas/RunFlowsRequest/properties/web_browser"] == (
        "client",
        "wire",
    )
    assert ("schema removed", "#/components/schemas/Actor") in _changes(report)


def _reordered(value: Any) -> Any:
    """``value`` with every mapping's keys in reverse order: the same document, written anew."""
    if isinstance(value, dict):
        return {key: _reordered(value[key]) for key in reversed(list(value))}
    return [_reordered(item) for item in value] if isinstance(value, list) else value


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_our_specs_against_themselves_and_a_json_rewrite(spec: Path) -> None:
    doc = load(spec)
    rewritten = parse(json.dumps(_reordered(doc.data), indent=1), spec.stem + ".json")
    assert diff(doc, doc).changes == ()
    assert diff(doc, rewritten).changes == ()


def test_openapi_30_and_31_spellings_of_one_api() -> None:
    """openapi-python-client's baseline, written in 3.0 (JSON) and in 3.1 (YAML)."""
    if not PYTHON_CLIENT.exists():
        pytest.skip(f"{PYTHON_CLIENT} is not available")
    report = diff(
        load(PYTHON_CLIENT / "baseline_openapi_3.0.json"),
        load(PYTHON_CLIENT / "baseline_openapi_3.1.yaml"),
    )
    # The only real difference: the 3.0 document has `application/json; version=1.2.3`.
    assert [(c.kind, c.detail) for c in report.changes] == [
        ("media type added", "response `200`: `application/json` added"),
        ("media type removed", "response `200`: `application/json; version=1.2.3` removed"),
    ]


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (PYTHON_CLIENT / "documents_with_errors").glob("*.yaml")),
)
def test_broken_documents_are_refused_or_compared(name: str) -> None:
    from generator.diff.cli import main

    path = str(PYTHON_CLIENT / "documents_with_errors" / name)
    assert main([path, path, "--format", "json"]) in (0, 2)


def _apideck(name: str) -> Document:
    if not (APIDECK / name).exists():
        pytest.skip(f"{APIDECK / name} is not available")
    return load(APIDECK / name)


@pytest.mark.parametrize(
    ("name", "target", "used", "breaks"),
    [
        # `Email.email` (`minLength: 1`) travels only in responses of Apideck's ecommerce API:
        # a caller that relied on a non-empty address can fail, so it breaks, naming who returns it.
        ("ecommerce.yaml", ("Email", "email", "minLength"), "used in responses of `GET", ("wire",)),
        # `Url` (`pattern: ^(https?)://`) is a schema no operation of Apideck's ATS API uses.
        ("ats.yaml", ("Url", None, "pattern"), "used by no operation", ("strict",)),
    ],
)
def test_apideck_widening_breaks_where_a_caller_receives_it(
    name: str, target: tuple[str, str | None, str], used: str, breaks: tuple[str, ...]
) -> None:
    """A bound dropped from a response breaks; from an unused schema, only strict validation."""
    schema, prop, keyword = target
    base = _apideck(name)
    data = copy.deepcopy(base.data)
    found = data["components"]["schemas"][schema]
    del (found["properties"][prop] if prop else found)[keyword]
    report = diff(base, replace(base, data=data))
    where = f"#/components/schemas/{schema}" + (f"/properties/{prop}" if prop else "")
    assert [(c.where, c.breaks) for c in report.changes] == [(where, breaks)]
    assert f"(looser); {used}" in report.changes[0].detail
    assert report.breaking == (breaks != ("strict",))


@pytest.fixture(scope="module")
def openai() -> Document:
    """OpenAI's spec (2.9 MB, 1,443 schemas), loaded once."""
    if not OPENAI.exists():
        pytest.skip(f"{OPENAI} is not available")
    return load(OPENAI)


def _timed(base: Document, revision: Document) -> tuple[Report, float]:
    start = time.perf_counter()
    report = diff(base, revision)
    return report, time.perf_counter() - start


def test_openai_against_itself(openai: Document) -> None:
    report, seconds = _timed(openai, openai)
    assert report.changes == ()
    assert seconds < 2.0


def test_openai_five_injected_changes(openai: Document) -> None:
    data = copy.deepcopy(openai.data)
    expected = _inject(data, per_kind=1)
    report, _ = _timed(openai, replace(openai, data=data))
    assert _changes(report) == {(kind, where) for kind, where, _ in expected}
    assert {(c.kind, c.where): c.breaks for c in report.changes} == {
        (kind, where): breaks for kind, where, breaks in expected
    }


def test_openai_twenty_injected_changes_under_two_seconds(openai: Document) -> None:
    data = copy.deepcopy(openai.data)
    expected = _inject(data, per_kind=4)
    report, seconds = _timed(openai, replace(openai, data=data))
    assert len(expected) == 20
    assert _changes(report) == {(kind, where) for kind, where, _ in expected}
    assert seconds < 2.0, f"{seconds:.2f} s"


# -------------------------------------------------------------------------- injection


def _inject(data: dict[str, Any], per_kind: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """Apply ``per_kind`` changes of each of five kinds to ``data``; return what the diff must say."""
    schemas = data["components"]["schemas"]
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for path in _paths_with(data, "delete", others=True)[:per_kind]:
        del data["paths"][path]["delete"]
        found.append(("operation removed", f"DELETE {path}", ("client", "wire")))
    for name in list(_sole_users(data, "post", "request"))[:per_kind]:
        schemas[name]["properties"]["injected_flag"] = {"type": "boolean"}
        schemas[name]["required"] = [*schemas[name].get("required", []), "injected_flag"]
        found.append(("property added", _at(name, "injected_flag"), ("client", "wire")))
    for name in list(_sole_users(data, "get", "response"))[:per_kind]:
        prop = sorted(schemas[name]["properties"])[0]
        required = prop in schemas[name].get("required", [])
        del schemas[name]["properties"][prop]
        schemas[name]["required"] = [p for p in schemas[name].get("required", []) if p != prop]
        found.append(
            ("property removed", _at(name, prop), ("client", "wire") if required else ("client",))
        )
    for name, prop in _request_enums(data)[:per_kind]:
        schemas[name]["properties"][prop]["enum"].append("injected-value")
        found.append(("enum value added", _at(name, prop), ()))
    for path in _paths_with(data, "get", others=False)[:per_kind]:
        data["paths"][path]["get"]["operationId"] += "Renamed"
        found.append(("operationId changed", f"GET {path}", ("client",)))
    return found


def _at(name: str, prop: str) -> str:
    return f"#/components/schemas/{name}/properties/{prop}"


def _paths_with(data: dict[str, Any], method: str, *, others: bool) -> list[str]:
    """Paths with a ``method`` operation (and, if ``others``, further operations)."""
    methods = ("get", "put", "post", "delete", "patch")
    return [
        path
        for path, item in data["paths"].items()
        if method in item and (not others or sum(m in item for m in methods) > 1)
    ]


def _plain(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("properties"), dict)
        and not {"allOf", "oneOf", "anyOf"} & schema.keys()
    )


def _sole_users(data: dict[str, Any], method: str, side: str) -> Iterator[str]:
    """Plain component schemas named once in the whole document: by one JSON body of ``method``."""
    text = json.dumps(data)
    for item in data["paths"].values():
        op = item.get(method) or {}
        holder = (
            op.get("requestBody", {})
            if side == "request"
            else op.get("responses", {}).get("200", {})
        )
        ref = (
            holder.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        )
        name = ref.rsplit("/", 1)[-1]
        if ref and text.count(f'"{ref}"') == 1 and _plain(data["components"]["schemas"][name]):
            yield name


def _request_enums(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, property) with an inline string enum, in schemas only request bodies use."""
    found = []
    for name in _sole_users(data, "post", "request"):
        for prop, schema in sorted(data["components"]["schemas"][name]["properties"].items()):
            if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
                found.append((name, prop))
    return found


BOX = SHARED / "realworld" / "corpus" / "box"
# Box's spec and its two versioned successors, each against the one before it.
BOX_VERSIONS = ("openapi.json", "openapi-v2025.0.json", "openapi-v2026.0.json")


@pytest.mark.parametrize("step", range(len(BOX_VERSIONS) - 1), ids=["2025.0", "2026.0"])
def test_consecutive_box_versions_get_stable_explained_verdicts(step: int) -> None:
    """The gate on a vendor's consecutive releases: every change is judged by a documented rule,
    every break says what it breaks, and the verdict does not depend on how the files are
    written (key order) or on the run."""
    from generator.diff._rules import RULES

    paths = [BOX / name for name in BOX_VERSIONS[step : step + 2]]
    if not all(path.is_file() for path in paths):
        pytest.skip("the shared real-world corpus is not beside the project")
    base, revision = (load(path) for path in paths)
    report = diff(base, revision)
    again = diff(load(paths[0]), load(paths[1]))
    shuffled = diff(
        replace(base, data=_reordered(base.data)), replace(revision, data=_reordered(revision.data))
    )

    assert report.changes and report.breaking
    assert [c.kind for c in report.changes if c.kind not in RULES] == []
    for change in report.changes:
        if change.breaking:
            assert change.breaks and change.detail, change
    assert report == again
    assert sorted(map(_verdict, shuffled.changes)) == sorted(map(_verdict, report.changes))


def _verdict(change: Any) -> tuple[str, str, bool, tuple[str, ...]]:
    return (change.kind, change.where, change.breaking, tuple(change.breaks))
