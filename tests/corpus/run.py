"""`make corpus`: the generator over every document of the real-world corpus, one row each.

```
python tests/corpus/run.py [-j N] [--corpus DIR] [--only NAME...]
```
The corpus is ``../shared/realworld/corpus`` beside the project (``REALWORLD_DIR`` moves it,
as for the real-world tests); without it the run says so and exits 0. Each document, as a new
user would take it (``generate SPEC -o DIR --package NAME``, in a fresh process), must be:
generated with exit 0 and no traceback; byte-identical on a second run; a method for every
operation (one that cannot be made needs a warning located at it, and is still a miss);
importable from a folder holding nothing else; ``mypy --strict`` clean; and each operation
called through ``httpx.MockTransport``, answered with a body made from its response schema,
must return its typed result. Exit 1 if any document misses any of these.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.diagnostics import pointer
from generator.jobs import default_workers
from generator.load.document import load
from generator.load.repair import repair
from generator.load.spec import json_media, operations
from tests.calls import sample_schema_value
from tests.generator.realworld import realworld_dir
from tests.generator.util import ROOT, SMOKE, mypy_strict, run_python

_WARNING = re.compile(r"^\S+: warning: (?P<ptr>#\S*): .*?(?: \[(?P<kind>[\w-]+)\])?$")


def corpus_dir() -> Path:
    """``shared/realworld/corpus`` beside the project."""
    return realworld_dir() / "corpus"


def documents(corpus: Path) -> list[Path]:
    """Every OpenAPI document of the corpus (its vendors' folders), in a stable order."""
    return sorted(p for p in corpus.glob("*/*") if p.suffix in (".json", ".yaml", ".yml"))


def package_name(spec: Path) -> str:
    """The package a document becomes: ``<vendor>_<file>`` as an identifier."""
    return re.sub(r"\W", "_", f"{spec.parent.name}_{spec.stem}").lower()


@dataclass
class Result:
    """What one document came to."""

    name: str
    operations: int = 0
    methods: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    mypy_errors: int | None = None
    called: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def generate(spec: Path, out: Path, package: str) -> subprocess.CompletedProcess[str]:
    """Our generator on ``spec`` in a fresh process, as a user runs it."""
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out / package)]
    return subprocess.run(
        # Every warning on its own line: a dropped operation must have one located at it.
        [*command, "--package", package, "-j", "1", "--verbose"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def check_document(spec: Path, scratch: Path) -> Result:
    """Every criterion of the module docstring, for one document."""
    package = package_name(spec)
    result = Result(spec.relative_to(spec.parents[1]).as_posix())
    first, second = scratch / "first", scratch / "second"
    start = time.perf_counter()
    made = generate(spec, first, package)
    result.seconds = time.perf_counter() - start
    if made.returncode != 0 or "Traceback" in made.stderr:
        tail = made.stderr.strip().splitlines()[-3:]
        result.problems.append(f"exit {made.returncode}: " + " / ".join(tail)[:400])
        return result
    warned = [m for m in map(_WARNING.match, made.stderr.splitlines()) if m]
    result.warnings = Counter(m["kind"] or "other" for m in warned)
    if generate(spec, second, package).returncode != 0 or _differs(first, second):
        result.problems.append("not deterministic: a second run wrote other bytes")
    doc, _ = repair(load(spec), strict=False)  # answers made from what the client was made from
    ops = list(operations(doc))
    result.operations = len(ops)
    _smoke(doc.data, ops, first, package, result)
    if result.methods < result.operations:
        result.problems.append(_dropped(ops, warned, result.methods))
    typed = mypy_strict([first / package], first)
    found = re.search(r"Found (\d+) errors?", typed.stdout)
    result.mypy_errors = int(found.group(1)) if found else (0 if typed.returncode == 0 else -1)
    if result.mypy_errors:
        result.problems.append(f"mypy --strict: {typed.stdout.strip().splitlines()[0][:200]}")
    return result


def _differs(first: Path, second: Path) -> bool:
    """True unless the two trees hold the same files with the same bytes."""
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    others = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    if names != others:
        return True
    return any(not filecmp.cmp(first / n, second / n, shallow=False) for n in names)


def _dropped(ops: list[Any], warned: list[re.Match[str]], methods: int) -> str:
    """How many operations have no method, and how many of those a warning locates."""
    wheres = {m["ptr"] for m in warned}
    located = sum(1 for path, method, _, _ in ops if pointer("paths", path, method) in wheres)
    return f"{len(ops) - methods} operations dropped ({min(located, len(ops) - methods)} located)"


def _smoke(data: Any, ops: list[Any], out: Path, package: str, result: Result) -> None:
    """Call every method through a mock transport answering from the response schemas."""
    answers = out / "answers.json"
    answers.write_text(json.dumps(_answers(data, ops), default=str), "utf-8")
    run = run_python(
        SMOKE.format(package=package), out, timeout=600, env={"SMOKE_ANSWERS": str(answers)}
    )
    if run.returncode != 0:
        lines = run.stderr.strip().splitlines()
        result.problems.append("does not import alone: " + (lines[-1] if lines else "?")[:300])
        return
    smoke = json.loads(run.stdout)
    result.methods, result.called = smoke["methods"], smoke["called"]
    for what in [*smoke["skipped"], *smoke["failed"]][:3]:
        result.problems.append(f"smoke: {what}")
    missed = len(smoke["skipped"]) + len(smoke["failed"])
    if missed > 3:
        result.problems.append(f"smoke: {missed - 3} more operations not called or not read")


def _answers(data: Any, ops: list[Any]) -> list[list[Any]]:
    """[method, path regex, status, content type, body] for each operation's first success,
    literal paths before templated ones so ``/items/search`` is not taken for ``/items/{id}``."""
    rows = []
    for path, method, op, _ in ops:
        status, ctype, body = _success(data, op)
        regex = re.sub(r"\\{[^{}]*\\}", "[^/]+", re.escape(path))  # the base URL has no path
        rows.append([path.count("{"), method.upper(), regex, status, ctype, body])
    return [row[1:] for row in sorted(rows, key=lambda r: r[0])]


def _success(data: Any, op: dict[str, Any]) -> tuple[int, str | None, Any]:
    from tests.specs import deref

    responses = op.get("responses") or {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2"))
    code = codes[0] if codes else "200"
    response = deref(data, responses.get(code) or responses.get(int(code)) or {})
    status = int(code) if code.isdigit() else 200
    content = response.get("content") or {}
    chosen = json_media(content)
    schema = (content[chosen] or {}).get("schema") if chosen else None
    if chosen is not None and schema is not None:
        # The body the method reads as JSON; a wildcard (`*/*`) is answered as the servers
        # that declare one answer, with JSON.
        ctype = chosen if "json" in chosen else "application/json"
        return status, ctype, sample_schema_value(data, schema)
    for ctype, media in content.items():
        if (media or {}).get("schema") is not None:
            return status, ctype, "x"
    return status, None, None


R = TypeVar("R")


def each_document(
    specs: list[Path], check: Callable[[Path, Path], R], jobs: int, prefix: str
) -> list[R]:
    """``check(spec, folder)`` for every document, ``jobs`` at once, each with a scratch
    folder of its own (removed once every document is done)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        work = [Path(scratch) / package_name(spec) for spec in specs]
        for folder in work:
            folder.mkdir()
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            results = list(pool.map(check, specs, work))
            for folder in work:
                shutil.rmtree(folder, ignore_errors=True)
    return results


def row(result: Result) -> str:
    """One document as a table row."""
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.warnings.items())) or "-"
    mypy = "-" if result.mypy_errors is None else str(result.mypy_errors)
    verdict = "ok" if not result.problems else "**NO**: " + "; ".join(result.problems)
    cells = [result.name, str(result.operations), str(result.methods), kinds, mypy]
    cells += [f"{result.called}/{result.methods}", f"{result.seconds:.1f}", verdict]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| document | operations | methods | warnings by kind | mypy errors | smoke calls "
    "| seconds | verdict |\n|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    """Check every document; print the table; 1 if any document misses a criterion."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-j", "--jobs", type=int, default=default_workers())
    parser.add_argument("--corpus", type=Path, default=corpus_dir())
    parser.add_argument("--only", nargs="*", default=[], help="document names (vendor/file)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus: skipped, no corpus at {args.corpus} (set REALWORLD_DIR)")
        return 0
    specs = [s for s in documents(args.corpus) if not args.only or _name(s) in args.only]
    start = time.perf_counter()
    results = each_document(specs, check_document, args.jobs, "corpus-")
    print(HEADER)
    for result in results:
        print(row(result))
    good = sum(1 for r in results if not r.problems)
    elapsed = time.perf_counter() - start
    print(f"\n{good} of {len(results)} documents generate fully ({elapsed:.0f} s, -j {args.jobs})")
    return 0 if good == len(results) else 1


def _name(spec: Path) -> str:
    return spec.relative_to(spec.parents[1]).as_posix()


if __name__ == "__main__":
    sys.exit(main())
