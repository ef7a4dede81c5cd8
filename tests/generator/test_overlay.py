"""OpenAPI Overlays 1.0: ``generate SPEC --overlay FILE`` (and ``overlays`` in
``[tool.generator]``) fixes or extends a vendor's spec before validation, and ``diff --overlay``
compares overlaid documents. Problems are located in the overlay file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from generator.load.jsonpath import JSONPathError, find

VENDOR = """
openapi: 3.0.3
info: {title: Vendor, version: "1"}
servers: [{url: "https://vendor.test.invalid"}]
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      responses:
        "200":
          description: OK
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
  /internal:
    get:
      operationId: internal_debug
      tags: [internal]
      responses:
        "204": {description: Nothing}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
"""

FIX = """
overlay: 1.0.0
info: {title: Our fixes, version: "1"}
actions:
  - target: $.paths['/internal']
    description: Not for customers.
    remove: true
  - target: $.components.schemas.Thing.properties
    update:
      label: {type: string, description: Added by the vendor last week.}
  - target: $.paths.*[?@.operationId == 'things_list']
    update:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def _generate(tmp_path: Path, *overlays: str) -> int:
    spec = _write(tmp_path, "vendor.yaml", VENDOR)
    args = ["generate", str(spec), "-o", str(tmp_path / "out"), "--package", "vendor_api"]
    for index, text in enumerate(overlays):
        args += ["--overlay", str(_write(tmp_path, f"overlay{index}.yaml", text))]
    return main(args)


def test_an_overlay_removes_updates_and_extends_before_generation(tmp_path: Path) -> None:
    assert _generate(tmp_path, FIX) == 0
    out = tmp_path / "out"
    assert not (out / "resources" / "internal.py").exists()
    assert "label: str | None = None" in (out / "models.py").read_text()
    assert "limit: int | NotGiven = NOT_GIVEN" in (out / "resources" / "things.py").read_text()


def test_overlays_apply_in_order_each_on_the_last_result(tmp_path: Path) -> None:
    rename = """
    overlay: 1.0.0
    info: {title: Then, version: "1"}
    actions:
      - target: $.components.schemas.Thing.properties.label
        update: {type: integer}
    """
    assert _generate(tmp_path, FIX, rename) == 0
    assert "label: int | None = None" in (tmp_path / "out" / "models.py").read_text()


def test_a_target_that_selects_nothing_is_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = FIX + "  - target: $.paths['/gone']\n    remove: true\n"
    assert _generate(tmp_path, stale) == 0
    err = capsys.readouterr().err
    assert "overlay0.yaml:15: warning: #/actions/3/target: target $.paths['/gone'] selects" in err


@pytest.mark.parametrize(
    ("overlay", "where"),
    [
        ("overlay: 2.0.0\ninfo: {title: t, version: v}\nactions: []\n", "overlay0.yaml:1: error"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: v}\nactions:\n"
            "  - {target: '$.paths[0:1]', remove: true}\n",
            "overlay0.yaml:4: error: #/actions/0/target",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: v}\nactions:\n"
            "  - target: $.info.title\n    update: {x: 1}\n",
            "overlay0.yaml:5: error: #/actions/0/update",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: v}\nactions:\n"
            "  - target: $.components.schemas.Thing.properties\n"
            "    update:\n      label:\n        type: strin\n",
            "overlay0.yaml:7: error: #/actions/0/update/label/type",
        ),
    ],
    ids=["version", "jsonpath", "update-a-string", "invalid-content"],
)
def test_a_bad_overlay_is_an_error_located_in_the_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], overlay: str, where: str
) -> None:
    assert _generate(tmp_path, overlay) == 1
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err


def test_overlays_in_the_generator_table_apply_too(tmp_path: Path) -> None:
    _write(tmp_path, "vendor.yaml", VENDOR)
    _write(tmp_path, "fix.yaml", FIX)
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.generator.apis]]\nspec = "vendor.yaml"\npackage = "vendor_api"\n'
        'output = "out"\nstrict = false\noverlays = ["fix.yaml"]\n',
        "utf-8",
    )
    assert main(["generate", "--root", str(tmp_path)]) == 0
    assert not (tmp_path / "out" / "resources" / "internal.py").exists()
    assert main(["generate", "--root", str(tmp_path), "--check"]) == 0


def test_the_diff_compares_overlaid_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _write(tmp_path, "base.yaml", VENDOR)
    without = (
        VENDOR.split("  /internal:", maxsplit=1)[0] + "components:" + VENDOR.split("components:")[1]
    )
    revision = _write(tmp_path, "revision.yaml", without)
    fix = _write(tmp_path, "fix.yaml", FIX)
    assert main(["diff", str(base), str(revision)]) == 1  # the vendor dropped /internal
    assert "internal" in capsys.readouterr().out
    assert main(["diff", str(base), str(revision), "--overlay", str(fix)]) == 0
    shown = capsys.readouterr()
    assert shown.out.strip().endswith("no changes")
    # The revision has no /internal left to remove: said, at the action's line.
    assert "fix.yaml:5: warning: #/actions/0/target" in shown.err


def test_the_jsonpath_subset_overlay_targets_use() -> None:
    doc = {
        "paths": {
            "/a": {"get": {"operationId": "a"}, "post": {"operationId": "b", "deprecated": True}},
            "/b": {"get": {"operationId": "c"}},
        },
        "tags": [{"name": "x"}, {"name": "y"}],
    }

    def paths(expression: str) -> list[tuple[str | int, ...]]:
        return [path for path, _ in find(expression, doc)]

    assert paths("$") == [()]
    assert paths("$.paths['/a'].get") == [("paths", "/a", "get")]
    assert paths("$.paths.*.get") == [("paths", "/a", "get"), ("paths", "/b", "get")]
    assert paths("$.paths[*][?@.deprecated]") == [("paths", "/a", "post")]
    assert paths("$.paths.*[?(@.operationId != 'a' && !@.deprecated)]") == [("paths", "/b", "get")]
    assert paths("$..operationId")[-1] == ("paths", "/b", "get", "operationId")
    assert paths("$.tags[-1]") == paths("$.tags[?@.name == 'y']") == [("tags", 1)]
    assert paths('$["tags"][0,1]') == [("tags", 0), ("tags", 1)]
    assert paths("$.nothing.here") == []
    for unsupported in ("paths", "$.tags[0:1]", "$.tags[?length(@.name) > 1]", "$.a b"):
        with pytest.raises(JSONPathError):
            find(unsupported, doc)
