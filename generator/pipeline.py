"""The generator as a list of stages: load -> validate -> models -> lower -> render -> finalize."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .changelog import changelog
from .config import ApiConfig
from .diagnostics import Diagnostic, SpecError
from .emit import finalize
from .load import Document, load
from .lower import lower
from .models import generate_models, hoist_request_bodies, preload_models
from .render import preload_templates, render
from .validate import preload_validators, validate


def check(doc: Document, strict: bool) -> list[Diagnostic]:
    """Validate; raise :class:`SpecError` on errors, return the warnings."""
    found = validate(doc, strict=strict)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return found


def package(config: ApiConfig, doc: Document) -> tuple[dict[str, str], list[Diagnostic]]:
    """The package's files before headers and formatting (no changelog), and the warnings."""
    warnings = check(doc, config.strict)
    doc = hoist_request_bodies(doc)
    models = generate_models(doc)
    return render(lower(doc, config, models), models), warnings


@dataclass(frozen=True)
class Draft:
    """A package's files before formatting and headers, with what the run has to say."""

    files: dict[str, str]
    warnings: list[Diagnostic]
    spec_name: str
    sha256: str


def draft(config: ApiConfig, spec_name: str, display: str | None = None) -> Draft:
    """Load, check and render the package for ``config``; raise :class:`SpecError` if unusable.

    The changelog carries over what ``config.output`` already holds, plus the report of the
    spec change since then.
    """
    doc = load(config.spec, display or spec_name)
    files, warnings = package(config, doc)
    files["CHANGELOG.md"], notes = changelog(config, doc, spec_name)
    return Draft(files, warnings + notes, spec_name, doc.sha256)


def build(
    config: ApiConfig, spec_name: str, display: str | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Every file of the package for ``config`` (formatted, with headers), and the warnings.

    ``spec_name`` goes into the generated headers (so it must not depend on the machine);
    ``display`` is how diagnostics name the file (default: ``spec_name``).
    """
    made = draft(config, spec_name, display)
    return finalize(made.files, made.spec_name, made.sha256), made.warnings


class InternalError(Exception):
    """A generator bug met on some spec (reported plainly, not as a traceback)."""


Outcome = Draft | SpecError | InternalError
Job = tuple[ApiConfig, str, str | None]


def attempt(job: Job) -> Outcome:
    """:func:`draft` for one (config, spec name, display), its failure returned as a value."""
    try:
        return draft(*job)
    except SpecError as exc:
        return exc
    except (RecursionError, RuntimeError, TypeError, ValueError, KeyError) as exc:
        return InternalError(f"internal generator error ({exc!r}); please report it")


def draft_all(jobs: Sequence[Job], workers: int) -> list[Outcome]:
    """:func:`attempt` every job, in ``workers`` processes at once when there is more than one.

    Workers are forked after the libraries are imported and warmed here, so each starts at
    once and the expensive imports are paid one time. Where fork is not the platform's safe
    default (Windows, macOS) the jobs run one after the other in this process.
    """
    workers = min(workers, len(jobs))
    if workers <= 1 or sys.platform != "linux":
        return [attempt(job) for job in jobs]
    warm_up()
    # Largest specs first, so that no worker is left with a large one at the end.
    order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i][0].spec))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = dict(zip(order, pool.map(attempt, [jobs[i] for i in order]), strict=True))
    return [done[i] for i in range(len(jobs))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported by the job itself


def warm_up() -> None:
    """Import and build once what every package needs, before workers are forked."""
    preload_models()
    preload_templates()
    preload_validators()


def default_workers() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
