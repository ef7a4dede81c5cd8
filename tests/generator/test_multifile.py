"""Multi-file specs: external ``$ref``s to files and fragments, and the ones that are refused.

``multifile/split`` spreads one spec over YAML and JSON files in nested folders (path items,
parameters, responses and schemas, chains of refs across files, a recursive model, a ``$ref``
beside ``description``, a ``~1`` pointer); ``multifile/inlined/spec.yaml`` is the same spec written by
hand as one file. They must generate the same package, byte for byte, but for the spec hash.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load.config import api_config
from generator.load.document import load
from generator.pipeline import build
from tests.generator.util import ROOT

FIXTURES = Path(__file__).parent / "multifile"
SPLIT = FIXTURES / "split"
_SHA = re.compile(r'SPEC_SHA256 = "[0-9a-f]{64}"')
MAIN = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      summary: List things
      responses:
        "200":
          description: Things.
          content:
            application/json:
              schema: {$ref: "REF"}
"""


def _package(spec: Path, name: str) -> dict[str, str]:
    made = build(api_config(spec, "pets", spec.parent / "out"), name)
    files, warnings = made.finalized(), made.warnings
    assert warnings == []
    return files


def test_split_spec_generates_what_its_inlined_twin_generates() -> None:
    split = _package(SPLIT / "spec.yaml", "pets.yaml")
    inlined = _package(FIXTURES / "inlined" / "spec.yaml", "pets.yaml")
    assert sorted(split) == sorted(inlined)
    for path, text in split.items():
        assert _SHA.sub("-", text) == _SHA.sub("-", inlined[path]), path
    assert _SHA.findall(split["_version.py"]) != _SHA.findall(inlined["_version.py"])


def test_the_spec_hash_covers_every_file_read(tmp_path: Path) -> None:
    tree = shutil.copytree(SPLIT, tmp_path / "split")
    files = sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())
    listing = "".join(
        f"{hashlib.sha256((tree / f).read_bytes()).hexdigest()}  {f}\n" for f in files
    )
    before = load(tree / "spec.yaml").sha256
    assert before == hashlib.sha256(listing.encode()).hexdigest()
    models = tree / "resources" / "pets" / "models.yml"
    models.write_text(models.read_text("utf-8") + "# a comment\n", "utf-8")
    assert load(tree / "spec.yaml").sha256 != before


def test_a_single_file_spec_keeps_the_hash_of_its_text() -> None:
    spec = FIXTURES / "inlined" / "spec.yaml"
    assert load(spec).sha256 == hashlib.sha256(spec.read_bytes()).hexdigest()


def test_diagnostics_point_into_the_file_where_the_construct_lives(tmp_path: Path) -> None:
    tree = shutil.copytree(SPLIT, tmp_path / "split")
    models = tree / "resources" / "pets" / "models.yml"
    models.write_text(models.read_text("utf-8").replace("id: {type: integer}", "id: {type: 7}"))
    found = _validate(tree / "spec.yaml")
    assert found.returncode == 1 and "Traceback" not in found.stderr
    assert f"{models}:5: error: #/Pet/properties/id/type" in found.stderr


def _validate(spec: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "generator", "validate", str(spec)]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)


def _refused(tmp_path: Path, ref: str) -> str:
    """The single diagnostic for a spec whose one ``$ref`` is ``ref``."""
    spec = tmp_path / "tree" / "spec.yaml"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(MAIN.replace("REF", ref), "utf-8")
    with pytest.raises(SpecError) as caught:
        load(spec, "tree/spec.yaml")
    return "\n".join(str(d) for d in caught.value.diagnostics)


WHERE = "tree/spec.yaml:14: error: #/paths/~1things/get/responses/200/content/application~1json/schema/$ref"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A valid schema file next to the spec's folder, not in it: never to be read."""
    path = tmp_path / "outside.yml"
    path.write_text("Thing: {type: object}\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("ref", "why"),
    [
        ("../outside.yml#/Thing", "leaves the spec's folder"),
        ("../../etc/passwd", "leaves the spec's folder"),
        ("sub/../../outside.yml#/Thing", "leaves the spec's folder"),
        ("/etc/passwd", "is an absolute path"),
        ("C:/x.yml#/Thing", "is a URL"),  # a drive letter reads as a URL scheme
        ("file:///etc/passwd", "is a URL"),
        ("//example.com/x.yml", "is a URL"),
        ("missing.yml#/Thing", "cannot read missing.yml: No such file or directory"),
        ("models.yml#/Nothing", "models.yml has nothing at #/Nothing"),
        ("models.yml#/a~1c", "models.yml has nothing at #/a~1c"),
        ("models.yml#Thing", "has a plain-name fragment"),
    ],
)
def test_refused_refs_are_located_at_the_ref(
    tmp_path: Path, outside: Path, ref: str, why: str
) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "models.yml").write_text("Thing: {type: object}\na/b: {}\n", "utf-8")
    message = _refused(tmp_path, ref)
    assert message.startswith(f"{WHERE}: $ref {ref!r}"), message
    assert why in message


def test_a_fragment_with_escapes_is_followed(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "models.yml").write_text("a/b~c: {type: integer}\n", "utf-8")
    spec = tmp_path / "tree" / "spec.yaml"
    spec.write_text(MAIN.replace("REF", "models.yml#/a~1b~0c"), "utf-8")
    schema = load(spec).data["paths"]["/things"]["get"]["responses"]["200"]["content"]
    assert schema["application/json"]["schema"] == {"type": "integer"}


def test_a_symlink_leaving_the_tree_is_not_followed(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link.yml").symlink_to(outside)
    message = _refused(tmp_path, "link.yml#/Thing")
    assert (
        message
        == f"{WHERE}: $ref 'link.yml#/Thing': link.yml leads outside the spec's folder (a symlink)"
    )


def test_a_cycle_across_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.yml").write_text("A: {type: array, items: {$ref: 'b.yml#/B'}}\n")
    (tmp_path / "tree" / "b.yml").write_text("B: {type: array, items: {$ref: 'a.yml#/A'}}\n")
    message = _refused(tmp_path, "a.yml#/A")
    assert message.startswith("tree/b.yml:1: error: #/B/items/$ref: $ref 'a.yml#/A' is circular")
    assert "(a.yml#/A -> b.yml#/B -> a.yml#/A)" in message


def test_a_broken_referenced_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "m.yml").write_text("A: {type: object}\nA: {type: string}\n")
    message = _refused(tmp_path, "m.yml#/A")
    assert "tree/m.yml:2: error: #/A: duplicate key 'A'" in message
    assert f"{WHERE}: $ref 'm.yml#/A': m.yml cannot be used" in message


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the handler instances on purpose

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"Thing: {type: object}\n")

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """A loopback HTTP server that serves a valid schema file and records every request."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_url_is_refused_without_a_request(tmp_path: Path, server: str, scheme: str) -> None:
    url = server.replace("http", scheme, 1) + "/x.yml#/Thing"
    _Recorder.hits.clear()
    message = _refused(tmp_path, url)
    assert "is a URL; only relative paths to files beside the spec are followed" in message
    assert _Recorder.hits == []


def test_the_command_line_reports_a_refused_ref_without_a_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(MAIN.replace("REF", "../../etc/passwd"), "utf-8")
    found = _validate(spec)
    assert found.returncode == 1
    assert (
        found.stderr
        == f"{spec}:14: error: {WHERE.split('error: ')[1]}: $ref '../../etc/passwd' leaves the spec's folder\n"
    )
