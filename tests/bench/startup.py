"""Start-up rows: importing a generated package, the first call of a large one, and the
spec-diff tool on a large document.

Import time is measured as whole fresh interpreters (``python -c``), ours and the bare
dependencies alternately; the difference of the medians is what the package itself costs.
The first call of the OpenAI document's package is measured the same way against the peer's
package for that document, each making one call over ``httpx.MockTransport``.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .generation import OPENAI, PEER, ROOT, generate_openai, generate_openai_peer
from .measure import interleave, median, paired_ratio, run
from .rows import Row, seconds


def import_row(rounds: int) -> Row:
    """``import generated.testmo`` against ``import httpx, pydantic``, fresh interpreters."""
    return fresh_row(
        rounds,
        [sys.executable, "-c", "import generated.testmo"],
        figure="`import generated.testmo` in a fresh interpreter",
        limit=0.040,
    )


def fresh_row(rounds: int, command: list[str], *, figure: str, limit: float) -> Row:
    """``command`` against ``import httpx, pydantic``, each a fresh interpreter, alternately."""
    walls: dict[str, list[float]] = {"ours": [], "peer": []}

    def timed(argv: list[str], side: str) -> float:
        done = run(argv, ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"{argv!r} failed: {done.stderr}")
        walls[side].append(done.wall)
        return done.cpu

    mine, theirs = interleave(
        rounds,
        lambda: timed(command, "ours"),
        lambda: timed([sys.executable, "-c", "import httpx, pydantic"], "peer"),
    )
    # Like every ratio row, the median of the rounds' own figures: here, differences.
    extra = median([a - b for a, b in zip(mine, theirs, strict=True)])
    wall_extra = median([a - b for a, b in zip(walls["ours"], walls["peer"], strict=True)])
    return Row(
        figure=figure,
        peer="`import httpx, pydantic` in a fresh interpreter",
        ours=seconds(median(mine)),
        theirs=seconds(median(theirs)),
        ratio=f"{extra * 1000:+.0f} ms",
        target=f"<= +{limit * 1000:.0f} ms",
        met=extra <= limit,
        note=f"CPU time of each interpreter (user + system); wall time {wall_extra * 1000:+.0f} ms",
    )


# One file as the API describes it: what `GET /files/{file_id}` answers.
_FILE = (
    '{"id": "file-abc", "bytes": 120, "created_at": 1677610602, "filename": "a.jsonl", '
    '"object": "file", "purpose": "fine-tune", "status": "processed"}'
)
_TRANSPORT = (
    "import httpx, json\n"
    f"transport = httpx.MockTransport(lambda r: httpx.Response(200, json=json.loads({_FILE!r})))\n"
)


def first_call_row(scratch: Path, rounds: int) -> Row:
    """Import + first resource + first call of the OpenAI document's package, against the peer's
    package importing the endpoint module of the same call; each a fresh interpreter."""
    figure = "first call of the OpenAI document's package: import + first resource"
    if not OPENAI.is_file():
        return Row(figure, PEER, "n/a", "n/a", "", "<= 1.00x", met=False, note="no document")
    where = scratch / "first-call"
    where.mkdir(exist_ok=True)
    ours = _linked(where / "openai_client", generate_openai(scratch))
    _linked(where / "openai_peer", generate_openai_peer(scratch))
    client = re.search(
        r"^class (\w+)\(SyncAPIClient\)", (ours / "_client.py").read_text("utf-8"), re.M
    )
    if client is None:
        raise RuntimeError(f"no client class in {ours / '_client.py'}")
    mine = _TRANSPORT + (
        f"from openai_client import {client[1]}\n"
        f"client = {client[1]}(api_key_auth='k', base_url='http://bench.invalid',"
        " http_client=httpx.Client(transport=transport))\n"
        "assert type(client.files.retrieve_file('file-abc')).__name__ == 'OpenAIFile'\n"
    )
    theirs = _TRANSPORT + (
        "from openai_peer.client import AuthenticatedClient\n"
        "from openai_peer.api.files import retrieve_file\n"
        "client = AuthenticatedClient(base_url='http://bench.invalid', token='k',"
        " httpx_args={'transport': transport})\n"
        "assert type(retrieve_file.sync('file-abc', client=client)).__name__ == 'OpenAIFile'\n"
    )
    walls: dict[str, list[float]] = {"ours": [], "peer": []}

    def timed(code: str, side: str) -> float:
        done = run([sys.executable, "-c", code], where)
        if done.returncode != 0:
            raise RuntimeError(f"the first call ({side}) failed: {done.stderr}")
        walls[side].append(done.wall)
        return done.cpu

    # Once each first, untimed: the bytecode is written, as an installed package has it.
    timed(mine, "ours")
    timed(theirs, "peer")
    for side in walls.values():
        side.clear()
    cpu_mine, cpu_theirs = interleave(
        rounds, lambda: timed(mine, "ours"), lambda: timed(theirs, "peer")
    )
    ratio = paired_ratio(walls["ours"], walls["peer"])
    return Row(
        figure=figure,
        peer=f"{PEER}: import its `api.files.retrieve_file` module + the same call",
        ours=seconds(median(walls["ours"])),
        theirs=seconds(median(walls["peer"])),
        ratio=f"{ratio:.2f}x",
        target="<= 1.00x",
        met=ratio <= 1.0,
        note=(
            "`client.files.retrieve_file(...)` over httpx.MockTransport, wall time; CPU time "
            f"{seconds(median(cpu_mine))} against {seconds(median(cpu_theirs))} "
            f"({paired_ratio(cpu_mine, cpu_theirs):.2f}x)"
        ),
    )


def _linked(link: Path, package: Path) -> Path:
    """``package`` under the importable name ``link`` (the generators' folders are named for
    the rows that made them)."""
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(package, target_is_directory=True)
    return link


def inject_changes(data: dict[str, Any]) -> int:
    """Make twenty edits a revision typically brings, in place; how many were made.

    Four of each kind, spread over the document (every n-th candidate in sorted order) so the
    diff has to walk all of it: operations removed, operations added, parameters made
    required, property types changed, and enum values removed.
    """
    paths = data.get("paths") or {}
    made = 0
    for path in _spread(sorted(paths)):
        item = paths[path]
        method = next((m for m in ("get", "post", "delete") if m in item), None)
        if method:
            del item[method]
            made += 1
    for index in range(4):
        paths[f"/bench-added-{index}"] = {
            "get": {
                "operationId": f"benchAdded{index}",
                "responses": {"200": {"description": "ok"}},
            }
        }
        made += 1
    schemas = (data.get("components") or {}).get("schemas") or {}
    made += _require_parameters(paths) + _retype_properties(schemas) + _shrink_enums(schemas)
    return made


def _spread(items: list[str], count: int = 4) -> list[str]:
    step = max(1, len(items) // count)
    return items[::step][:count]


def _require_parameters(paths: dict[str, Any]) -> int:
    found = [
        param
        for path in sorted(paths)
        for op in paths[path].values()
        if isinstance(op, dict)
        for param in op.get("parameters") or []
        if isinstance(param, dict) and "name" in param and not param.get("required")
    ]
    for param in found[:: max(1, len(found) // 4)][:4]:
        param["required"] = True
    return min(4, len(found))


def _retype_properties(schemas: dict[str, Any]) -> int:
    found = [
        prop
        for name in sorted(schemas)
        for prop in (schemas[name].get("properties") or {}).values()
        if isinstance(prop, dict) and prop.get("type") == "string"
    ]
    for prop in found[:: max(1, len(found) // 4)][:4]:
        prop["type"] = "integer"
    return min(4, len(found))


def _shrink_enums(schemas: dict[str, Any]) -> int:
    found = [s for n in sorted(schemas) if len((s := schemas[n]).get("enum") or []) > 1]
    for schema in found[:: max(1, len(found) // 4)][:4]:
        schema["enum"] = schema["enum"][:-1]
    return min(4, len(found))


def _write_revision(scratch: Path) -> tuple[Path, Path, int]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    base = scratch / "base.yml"
    shutil.copy(OPENAI, base)
    data = yaml.load(OPENAI.read_text("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    made = inject_changes(data)
    revision = scratch / "revision.yml"
    revision.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True))
    return base, revision, made


def diff_row(scratch: Path, rounds: int) -> Row:
    """``python -m generator diff`` of the OpenAI document against a copy with 20 changes."""
    figure = "spec diff: OpenAI document against a copy with 20 injected changes"
    if not (ROOT / "generator" / "diff").is_dir():
        return Row(
            figure,
            "(absolute)",
            "not available",
            "",
            "",
            "< 2 s",
            met=False,
            note="generator/diff/ is not in this tree yet",
        )
    base, revision, made = _write_revision(scratch)
    walls = []
    codes = set()
    for _ in range(rounds):
        start = time.perf_counter()
        done = run([sys.executable, "-m", "generator", "diff", str(base), str(revision)], ROOT)
        walls.append(time.perf_counter() - start)
        codes.add(done.returncode)
    wall = median(walls)
    note = f"{made} edits injected; exit codes {sorted(codes)}"
    return Row(figure, "(absolute)", seconds(wall), "", "", "< 2 s", met=wall < 2.0, note=note)
