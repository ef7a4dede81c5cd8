"""Every example of the shared corpus that names its schema parses into exactly that class.

An example names its schema when it is a component schema's own (``components/schemas/X``
``example`` / ``examples``) or a media type's (``example`` / ``examples``) whose schema is a
``$ref`` to a component. Each is validated with the class generated for that component, must
come out an instance of exactly that class, and must dump back
(``model_dump(mode="json", by_alias=True, exclude_unset=True)``) to the example as given.

Examples that break their own schema are the spec's mistake, not the model's: the repairs
take them out of the document (with a warning), and this test counts and lists them instead
of failing on them. Each document's models are generated once, as the pipeline makes them.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import pytest

from generator.diagnostics import split_pointer
from generator.load.document import Document, load
from generator.load.repair import repair
from generator.load.spec import _example_sites
from generator.models import generate_models, hoist_inline_schemas
from tests.corpus.run import corpus_dir, documents, package_name
from tests.generator.realworld import require

_COMPONENT = "#/components/schemas/"
_RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"


def _documents() -> list[Path]:
    corpus = corpus_dir()
    return documents(corpus) if corpus.is_dir() else [corpus / "missing"]


@dataclass
class Tally:
    """What the examples of one document came to."""

    parsed: int = 0
    broken: list[str] = field(default_factory=list)  # examples that break their own schema
    wrong: list[str] = field(default_factory=list)  # valid examples the models get wrong


def named_examples(doc: Document) -> Iterator[tuple[str, str, Any]]:
    """(pointer, component, value) for each example of ``doc`` that names its schema."""
    for ptr, schema, value in _example_sites(doc):
        tokens = split_pointer(ptr)
        if "parameters" in tokens:
            continue  # a parameter's example is a value as it is sent, not a body
        if tokens[:2] == ["components", "schemas"] and tokens[3:] in (["example"], ["examples"]):
            yield ptr, tokens[2], value  # a component's own example (3.0)
        elif (
            tokens[:2] == ["components", "schemas"] and len(tokens) == 5 and tokens[3] == "examples"
        ):
            yield ptr, tokens[2], value  # one of a component's examples (3.1)
        elif isinstance(schema, dict) and set(schema) == {"$ref"}:
            ref = schema["$ref"]
            if isinstance(ref, str) and ref.startswith(_COMPONENT):
                yield ptr, ref[len(_COMPONENT) :], value


def _import_models(doc: Document, root: Path, package: str) -> tuple[Any, dict[str, str]]:
    """The models module of ``doc`` as the pipeline makes it, imported; and its class names."""
    models = generate_models(hoist_inline_schemas(doc))
    folder = root / package
    folder.mkdir()
    (folder / "__init__.py").write_text("", "utf-8")
    (folder / "models.py").write_text(models.source, "utf-8")
    # The runtime modules models.py may import, and _lenient.py, which _rules.py imports.
    for runtime in ("_rules.py", "_formats.py", "_model_base.py", "_numbers.py", "_lenient.py"):
        shutil.copy(_RUNTIME / runtime, folder / runtime)
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"{package}.models"), models.names
    finally:
        sys.path.remove(str(root))


def _forget(package: str) -> None:
    """``package`` out of ``sys.modules``, once the test has read its models: a model builds its
    schema on first use, resolving the names it refers to in its module's namespace."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def check_examples(spec: Path, root: Path) -> Tally:
    """Every named example of ``spec`` through the class generated for its component."""
    written = load(spec)
    mended, _ = repair(written, strict=False)
    kept = {ptr for ptr, _, _ in _example_sites(mended)}  # the repairs drop the broken ones
    package = package_name(spec) + "_examples"
    module, names = _import_models(mended, root, package)
    try:
        return _read_examples(written, kept, module, names)
    finally:
        _forget(package)


def _read_examples(written: Document, kept: set[str], module: Any, names: dict[str, str]) -> Tally:
    tally = Tally()
    for ptr, component, value in named_examples(written):
        if ptr not in kept:
            tally.broken.append(ptr)
            continue
        cls = getattr(module, names[component])
        try:
            parsed, dumped, said = _read_back(cls, value)
        except ValueError as exc:
            tally.wrong.append(f"{ptr}: not read as {cls.__name__}: {str(exc)[:300]}")
            continue
        if type(parsed) is not cls:
            tally.wrong.append(f"{ptr}: read as {type(parsed).__name__}, not {cls.__name__}")
            continue
        if dumped != value or said:
            tally.wrong.append(f"{ptr}: dumped back as {_difference(value, dumped)} {said}")
            continue
        tally.parsed += 1
    return tally


def _read_back(cls: type, value: Any) -> tuple[Any, Any, str]:
    """``value`` read as ``cls`` (a model, or an enum), its JSON dump, and what the
    serializer warned about (``""`` if nothing)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if issubclass(cls, pydantic.BaseModel):
            parsed: Any = cls.model_validate(value)
            dumped = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
        else:
            adapter = pydantic.TypeAdapter(cls)
            parsed = adapter.validate_python(value)
            dumped = adapter.dump_python(parsed, mode="json")
    return parsed, dumped, "; ".join(str(w.message)[:200] for w in caught)


def _difference(given: Any, dumped: Any, at: str = "") -> str:
    """Where ``dumped`` first differs from ``given``, and how."""
    if isinstance(given, dict) and isinstance(dumped, dict):
        for key in sorted(set(given) | set(dumped), key=str):
            if given.get(key, _ABSENT) != dumped.get(key, _ABSENT):
                return _difference(given.get(key, _ABSENT), dumped.get(key, _ABSENT), f"{at}/{key}")
    if isinstance(given, list) and isinstance(dumped, list) and len(given) == len(dumped):
        for index, (a, b) in enumerate(zip(given, dumped, strict=True)):
            if a != b:
                return _difference(a, b, f"{at}/{index}")
    return f"{at or '/'}: {dumped!r:.120} instead of {given!r:.120}"


_ABSENT = "(absent)"


@pytest.mark.parametrize("spec", _documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_named_examples_parse_into_their_class(
    spec: Path, tmp_path: Path, record_property: Any
) -> None:
    require(spec)
    tally = check_examples(spec, tmp_path)
    record_property("parsed", tally.parsed)
    record_property("broken", len(tally.broken))
    # Listed, not failed: examples that break their own schema (the repairs warn about each).
    print(
        f"{spec.parent.name}/{spec.name}: {tally.parsed} parsed, {len(tally.broken)} break their schema"
    )
    for ptr in tally.broken:
        print(f"  breaks its schema: {ptr}")
    assert not tally.wrong, "\n".join(tally.wrong[:20]) + f"\n({len(tally.wrong)} in all)"
