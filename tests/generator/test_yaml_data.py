"""The YAML reader: the event walk reads every document as the node tree does.

``load_yaml`` builds the common case straight from the C parser's events and leaves the rare
constructs to the composed node tree; the two must never disagree. Checked on every YAML
document in this repository and in the real-world collection, and on each construct the walk
hands over, against PyYAML's own reading with the same loader.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.load import yaml_data
from generator.load.yaml_data import DuplicateKey, StrictLoader, load_strict, load_yaml

from .realworld import realworld_dir, require

ROOT = Path(__file__).resolve().parents[2]


def _by_nodes(text: str) -> Any:
    """The node tree's reading: the path ``load_yaml`` falls back to (PyYAML's own for a merge)."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else yaml_data._construct(node, loader)
    except yaml_data._MergeKey:
        return load_strict(text)
    finally:
        loader.dispose()


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def _readable(path: Path) -> str | None:
    text = path.read_text("utf-8", errors="replace")
    try:
        _by_nodes(text)
    except (yaml.YAMLError, DuplicateKey):
        return None  # a broken file of a test: the error cases below cover those
    return text


def _compare_all(files: list[Path]) -> int:
    """How many of ``files`` were compared (each read alike by both paths)."""
    compared = 0
    for path in files:
        text = _readable(path)
        if text is not None:
            assert load_yaml(text) == _by_nodes(text), path
            compared += 1
    return compared


def test_every_yaml_file_of_the_project_reads_the_same() -> None:
    files = [*_yaml_files(ROOT / "specs"), *_yaml_files(ROOT / "tests")]
    assert _compare_all([f for f in files if "node_modules" not in f.parts]) > 100


def test_every_real_world_yaml_document_reads_the_same() -> None:
    assert _compare_all(_yaml_files(require(realworld_dir()))) >= 10


SCALARS = """\
plain: text
quoted: "123"
single: '1e-3'
int: 12
octal: 0o17
float: 1.5
exponent: 9.2e18
small: 1e-3
yes_word: yes
bool: true
null_word: ~
empty:
date: 2025-01-31
datetime: 2025-01-31T10:00:00Z
bang: ! 12
"1": quoted key
2: int key
true: bool key
~: null key
3.5: float key
list: [1, "2", three, {a: b}, [c]]
block: |
  two
  lines
folded: >-
  one
  line
nan: .nan
inf: -.inf
"""


def test_scalars_keys_and_collections_read_as_pyyaml_reads_them() -> None:
    data = load_yaml(SCALARS)
    expected = load_strict(SCALARS)
    nan, expected_nan = data.pop("nan"), expected.pop("nan")
    assert math.isnan(nan) and math.isnan(expected_nan)
    assert data == expected
    assert data["quoted"] == "123" and data["small"] == 0.001 and data["exponent"] == 9.2e18
    assert data["date"] == "2025-01-31" and data["datetime"] == "2025-01-31T10:00:00Z"
    assert data["empty"] is None and data[2] == "int key" and data[None] == "null key"
    assert list(data)[:3] == ["plain", "quoted", "single"]  # order kept


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: &x {b: 1}\nc: *x\n", id="alias"),
        pytest.param("a: &x [1, 2]\nc: *x\nd: *x\n", id="alias-list"),
        pytest.param("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n", id="merge-key"),
        pytest.param("a: !!str 12\nb: !!int '7'\n", id="explicit-tags"),
        pytest.param("a: !!binary aGVsbG8=\n", id="binary"),
        pytest.param("? [a, b]\n: value\n", id="list-as-key"),
        pytest.param("a: !!set {x, y}\n", id="tagged-mapping"),
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="comment"),
        pytest.param("just text\n", id="scalar-root"),
        pytest.param("- 1\n- two\n", id="list-root"),
    ],
)
def test_constructs_left_to_the_node_tree_read_as_before(text: str) -> None:
    """Every construct the walk hands over, read as the node tree reads it (or refused alike)."""
    try:
        expected: Any = _by_nodes(text)
    except (yaml.YAMLError, DuplicateKey) as exc:
        with pytest.raises(type(exc)):
            load_yaml(text)
        return
    assert load_yaml(text) == expected


def test_an_alias_is_a_copy_not_the_same_object() -> None:
    """A repair that edits one place must not edit the other: as the node tree reads it."""
    data = load_yaml("a: &x {b: 1}\nc: *x\n")
    assert data["a"] == data["c"] and data["a"] is not data["c"]


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "a", 3),
        ("outer:\n  x: 1\n  y: [1, 2]\n  x: 2\n", "x", 4),
        ("list:\n  - k: 1\n    k: 2\n", "k", 3),
        ("1: one\n1: uno\n", 1, 2),
    ],
)
def test_a_duplicate_key_is_refused_with_its_line(text: str, key: object, line: int) -> None:
    with pytest.raises(DuplicateKey) as caught:
        load_yaml(text)
    assert (caught.value.key, caught.value.line) == (key, line)


@pytest.mark.parametrize(
    "text",
    ["a: [1, 2\n", "a: b: c\n", "a: 1\n---\nb: 2\n", "a: *missing\n", "a:\n\t- 1\n"],
)
def test_broken_yaml_raises_what_pyyaml_raises(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        load_strict(text)
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml(text)
    assert type(caught.value) is type(expected.value)
    assert str(caught.value) == str(expected.value)
