"""Rows 1 and 2: generating clients, ours against openapi-python-client, as fresh processes.

Ours generates into a scratch copy of the project (pyproject.toml and specs/), so the run does
all of its work, writing included, without touching the repository's generated/. The peer gets
the same specs one process per spec (it takes one document per run) and the same output disk.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from .measure import Run, child_environment, interleave, median, paired_ratio, run
from .rows import Row, seconds

ROOT = Path(__file__).resolve().parents[2]
APIS = ("autosana", "automated_future", "testmo", "panto")


def _realworld() -> Path:
    """shared/realworld beside the checkout (or beside one of its parents, for worktrees)."""
    for parent in ROOT.parents:
        if (parent / "shared" / "realworld").is_dir():
            return parent / "shared" / "realworld"
    return ROOT.parent / "shared" / "realworld"


OPENAI = _realworld() / "openai" / "openai-openapi.yml"
PEER = "openapi-python-client 0.29.1"
# Two of our specs declare enums whose values differ only in case; the peer's class enums
# collide on those and it stops, so it is given its own documented way out.
PEER_CONFIG = "literal_enums: true\n"


def _ours_environment() -> dict[str, str]:
    """The children's environment, with this checkout first on the import path: they run in
    the scratch folder, where ``-m generator`` would find the checkout the environment's
    editable install names, which for a second working tree is not this one."""
    env = child_environment()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _peer_bin() -> str:
    return str(Path(sys.executable).parent / "openapi-python-client")


def _peer(spec: Path, scratch: Path, name: str) -> Run:
    out = scratch / f"peer-{name}"
    shutil.rmtree(out, ignore_errors=True)
    config = scratch / "peer-config.yaml"
    config.write_text(PEER_CONFIG, "utf-8")
    command = [_peer_bin(), "generate", "--path", str(spec), "--output-path", str(out)]
    return run([*command, "--meta", "none", "--config", str(config), "--overwrite"], scratch)


def _ours_all(scratch: Path) -> Run:
    shutil.rmtree(scratch / "generated", ignore_errors=True)
    command = [sys.executable, "-m", "generator", "generate", "--root", str(scratch)]
    return run(command, scratch, _ours_environment())


def _project_copy(scratch: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    shutil.copytree(ROOT / "specs", scratch / "specs", dirs_exist_ok=True)


def regenerate_row(scratch: Path, rounds: int) -> Row:
    """Our `make regenerate` work against the peer on the same four specs."""
    _project_copy(scratch)
    failures: list[str] = []

    cpu: dict[str, list[float]] = {"ours": [], "peer": []}

    def ours() -> float:
        done = _ours_all(scratch)
        if done.returncode != 0:
            failures.append(f"ours exited {done.returncode}: {done.stderr.strip()[-300:]}")
        cpu["ours"].append(done.cpu)
        return done.wall

    def peer() -> float:
        runs = [_peer(ROOT / "specs" / f"{api}.yaml", scratch, api) for api in APIS]
        failures.extend(f"peer exited {r.returncode}" for r in runs if r.returncode != 0)
        cpu["peer"].append(sum(r.cpu for r in runs))
        return sum(r.wall for r in runs)

    mine, theirs = interleave(rounds, ours, peer)
    ratio = paired_ratio(mine, theirs)
    notes = [_cpu_note(cpu["ours"], cpu["peer"]), *sorted(set(failures))]
    return Row(
        figure="generate the four specs (fresh process: load, validate, models, render, format, write)",
        peer=f"{PEER}, one process per spec",
        ours=seconds(median(mine)),
        theirs=seconds(median(theirs)),
        ratio=f"{ratio:.2f}x",
        target="<= 0.40x",
        met=ratio <= 0.4 and not failures,
        note="; ".join(notes),
    )


def _cpu_note(mine: list[float], theirs: list[float]) -> str:
    """CPU time (user + system) beside the wall time: steadier on a loaded machine."""
    ours, peer = median(mine), median(theirs)
    return f"CPU time {seconds(ours)} against {seconds(peer)} ({ours / peer:.2f}x)"


def count_operations(spec_text: str) -> int:
    """Operations in an OpenAPI document: HTTP-method keys directly under a path."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    paths = yaml.load(spec_text, Loader=loader).get("paths") or {}  # noqa: S506 - a safe loader
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(1 for item in paths.values() for key in item if key in methods)


def _our_operations(out: Path) -> int:
    return sum(
        len(re.findall(r"^    async def ", path.read_text("utf-8"), re.M))
        for path in (out / "resources").glob("*.py")
    )


def _peer_operations(out: Path) -> int:
    return sum(
        len(re.findall(r"^def sync_detailed\(", path.read_text("utf-8"), re.M))
        for path in out.rglob("*.py")
    )


def generate_openai(scratch: Path) -> Path:
    """Our package of the OpenAI document in ``scratch`` (the one :func:`openai_row` made, when
    it ran); generated once."""
    out = scratch / "ours-openai"
    if not (out / "_client.py").is_file():
        command = [sys.executable, "-m", "generator", "generate", str(OPENAI), "-o", str(out)]
        done = run([*command, "--package", "openai_client"], scratch, _ours_environment())
        if done.returncode != 0:
            raise RuntimeError(f"generating the OpenAI document failed: {_failure([done])}")
    return out


def generate_openai_peer(scratch: Path) -> Path:
    """The peer's package of the OpenAI document in ``scratch``; generated once."""
    out = scratch / "peer-openai"
    if not (out / "client.py").is_file():
        done = _peer(OPENAI, scratch, "openai")
        if done.returncode != 0:
            raise RuntimeError(f"{PEER} failed on the OpenAI document: {done.stderr[-2000:]}")
    return out


def openai_row(scratch: Path, rounds: int) -> list[Row]:
    """Generating the OpenAI document: time, peak RSS and operations kept, against the peer."""
    if not OPENAI.is_file():
        return [_missing_row("OpenAI document not found beside the project")]
    total = count_operations(OPENAI.read_text("utf-8"))
    ours_out = scratch / "ours-openai"
    mine: list[Run] = []
    theirs: list[Run] = []

    def ours() -> float:
        shutil.rmtree(ours_out, ignore_errors=True)
        command = [sys.executable, "-m", "generator", "generate", str(OPENAI), "-o", str(ours_out)]
        mine.append(run([*command, "--package", "openai_client"], scratch, _ours_environment()))
        return mine[-1].wall

    def peer() -> float:
        theirs.append(_peer(OPENAI, scratch, "openai"))
        return theirs[-1].wall

    interleave(rounds, ours, peer)
    ok = all(r.returncode == 0 for r in mine)
    kept = _our_operations(ours_out) if ok and (ours_out / "resources").is_dir() else 0
    peer_kept = _peer_operations(scratch / "peer-openai")
    return _openai_rows(mine, theirs, ok, total - kept, total - peer_kept)


def _openai_rows(
    mine: list[Run], theirs: list[Run], ok: bool, dropped: int, peer_dropped: int
) -> list[Row]:
    note = _cpu_note([r.cpu for r in mine], [r.cpu for r in theirs])
    note += "" if ok else "; " + _failure(mine)
    time_ratio = paired_ratio([r.wall for r in mine], [r.wall for r in theirs])
    rss_ratio = paired_ratio([r.max_rss_mb for r in mine], [r.max_rss_mb for r in theirs])
    figure = "generate the OpenAI document"
    return [
        Row(
            figure=f"{figure}: time",
            peer=PEER,
            ours=seconds(median([r.wall for r in mine])) + ("" if ok else " (failed)"),
            theirs=seconds(median([r.wall for r in theirs])),
            ratio=f"{time_ratio:.2f}x",
            target="<= 1.00x",
            met=ok and time_ratio <= 1.0,
            note=note,
        ),
        Row(
            figure=f"{figure}: peak RSS",
            peer=PEER,
            ours=f"{median([r.max_rss_mb for r in mine]):.0f} MB",
            theirs=f"{median([r.max_rss_mb for r in theirs]):.0f} MB",
            ratio=f"{rss_ratio:.2f}x",
            target="<= 1.00x",
            met=ok and rss_ratio <= 1.0,
        ),
        Row(
            figure=f"{figure}: operations dropped",
            peer=PEER,
            ours=str(dropped) if ok else "all (failed)",
            theirs=str(peer_dropped),
            ratio="",
            target="0",
            met=ok and dropped == 0,
        ),
    ]


def _failure(runs: list[Run]) -> str:
    failed = next(r for r in runs if r.returncode != 0)
    lines = [line for line in failed.stderr.strip().splitlines() if line.strip()]
    text = " / ".join(lines[:3])[:400].replace(str(OPENAI), OPENAI.name)
    return f"our generator exited {failed.returncode}: {text}"


def _missing_row(why: str, figure: str = "generate the OpenAI document") -> Row:
    return Row(figure, PEER, "n/a", "n/a", "", "", met=False, note=why)


def corpus_row(scratch: Path, rounds: int) -> Row:
    """Our time over the real-world corpus against the peer's, on the documents both generate.

    Each document is one fresh process per side, as a user runs it, ours and the peer's back
    to back; a round is the whole corpus. Only documents both sides generate (exit 0) in
    every round are summed, so neither side is timed on what it refuses.
    """
    from tests.corpus.run import corpus_dir, documents, package_name

    figure = "generate the real-world corpus"
    specs = documents(corpus_dir()) if corpus_dir().is_dir() else []
    if not specs:
        return _missing_row("real-world corpus not found beside the project", figure)
    if not Path(_peer_bin()).is_file():
        why = f"{PEER} is not installed (`make bench` installs the bench extra)"
        return _missing_row(why, figure)
    mine: dict[Path, list[Run]] = {spec: [] for spec in specs}
    theirs: dict[Path, list[Run]] = {spec: [] for spec in specs}
    for index in range(rounds):
        for spec in specs:
            sides = [(mine, _ours_one), (theirs, _peer)]
            for runs, side in sides if index % 2 == 0 else sides[::-1]:
                runs[spec].append(side(spec, scratch, package_name(spec)))
    both = [s for s in specs if all(r.returncode == 0 for r in [*mine[s], *theirs[s]])]
    ours_total = [sum(mine[s][i].wall for s in both) for i in range(rounds)]
    peer_total = [sum(theirs[s][i].wall for s in both) for i in range(rounds)]
    ratio = paired_ratio(ours_total, peer_total) if both else float("nan")
    made = sum(all(r.returncode == 0 for r in mine[s]) for s in specs)
    peer_made = sum(all(r.returncode == 0 for r in theirs[s]) for s in specs)
    return Row(
        figure=f"{figure} ({len(both)} documents both generate)",
        peer=PEER,
        ours=seconds(median(ours_total)),
        theirs=seconds(median(peer_total)),
        ratio=f"{ratio:.2f}x",
        target="<= 1.00x",
        met=bool(both) and ratio <= 1.0,
        note=f"we generate {made} of {len(specs)}, the peer {peer_made} of {len(specs)}",
    )


def _ours_one(spec: Path, scratch: Path, name: str) -> Run:
    out = scratch / f"ours-{name}"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out)]
    return run([*command, "--package", name], scratch, _ours_environment())
