"""The generator as a list of stages: load -> repair -> validate -> models -> lower -> render -> finalize.

Repairs (``generator/repair.py``) mend a user's spec before anything else reads it, and say
what they did; for our own (strict) specs they only report.

Validation and the other stages only meet at the end (a package is kept only if its spec is
valid), so with more than one process they run side by side: validation in a forked process,
models and templates in this one. Each imports only its own libraries, which are most of the
time a small spec takes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from .changelog import changelog
from .config import ApiConfig
from .diagnostics import Diagnostic, SpecError
from .emit import finalize
from .load import Document, load
from .lower import lower
from .models import generate_models, hoist_request_bodies
from .render import render
from .repair import repair


def prepare(config: ApiConfig, display: str) -> tuple[Document, list[Diagnostic]]:
    """Load the spec and repair it as ``config.strict`` allows: the document every later stage
    reads, and the repairs' warnings; raise :class:`SpecError` if it cannot be used."""
    return repaired(load(config.spec, display), config.strict)


def repaired(doc: Document, strict: bool) -> tuple[Document, list[Diagnostic]]:
    """:func:`repair.repair`, its errors (a strict run's findings) raised as :class:`SpecError`."""
    doc, repairs = repair(doc, strict)
    errors = [d for d in repairs if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return doc, repairs


def check(doc: Document, strict: bool) -> list[Diagnostic]:
    """Validate; raise :class:`SpecError` on errors, return the warnings."""
    from .validate import validate  # the OpenAPI validator: imported by the process that checks

    found = validate(doc, strict=strict)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return found


def package(config: ApiConfig, doc: Document) -> tuple[dict[str, str], list[Diagnostic]]:
    """The package's files before headers and formatting (no changelog), and the warnings."""
    doc, repairs = repaired(doc, config.strict)
    warnings = repairs + check(doc, config.strict)
    return unchecked_package(config, doc), warnings


def unchecked_package(config: ApiConfig, doc: Document) -> dict[str, str]:
    """The package's files before headers and formatting, for a spec assumed valid."""
    doc = hoist_request_bodies(doc)
    models = generate_models(doc)
    return render(lower(doc, config, models), models)


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
    doc, repairs = prepare(config, display or spec_name)
    warnings = repairs + check(doc, config.strict)
    made = _built(config, doc, spec_name)
    return replace(made, warnings=warnings + made.warnings)


def _built(config: ApiConfig, doc: Document, spec_name: str) -> Draft:
    """The draft of a spec assumed valid; its warnings are the changelog's notes."""
    files = unchecked_package(config, doc)
    files["CHANGELOG.md"], notes = changelog(config, doc, spec_name)
    return Draft(files, notes, spec_name, doc.sha256)


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
    except _BUGS as exc:
        return _bug(exc)


# What a generator bug met on some spec raises: reported plainly rather than with a traceback.
_BUGS = (RecursionError, RuntimeError, TypeError, ValueError, KeyError)


def _bug(exc: BaseException) -> InternalError:
    return InternalError(f"internal generator error ({exc!r}); please report it")


def draft_all(jobs: Sequence[Job], workers: int) -> list[Outcome]:
    """:func:`attempt` every job; with ``workers`` > 1, validation runs in a second process.

    Every spec is loaded once, here; the validating process is then forked, so it starts with
    the documents loaded and the model libraries not imported, and this process never imports
    the validator. Where fork is not the platform's safe default (Windows, macOS) everything
    runs in this process.
    """
    if workers <= 1 or sys.platform != "linux":
        return [attempt(job) for job in jobs]
    loaded = [_loaded(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    checker = context.Process(target=_check_and_send, args=(jobs, loaded, sender), daemon=True)
    checker.start()
    sender.close()
    try:
        made = [
            doc if isinstance(doc, Exception) else _assemble(job, doc[0], doc[1])
            for job, doc in zip(jobs, loaded, strict=True)
        ]
        try:
            verdicts = receiver.recv()
        except EOFError:  # the checker died without a word (killed): check here instead
            verdicts = check_all(jobs, loaded)
    finally:
        receiver.close()
        checker.join()
    return [_outcome(v, m) for v, m in zip(verdicts, made, strict=True)]


Loaded = tuple[Document, list[Diagnostic]] | SpecError | InternalError


def _loaded(job: Job) -> Loaded:
    config, spec_name, display = job
    try:
        return prepare(config, display or spec_name)
    except SpecError as exc:
        return exc
    except _BUGS as exc:
        return _bug(exc)


def _check_and_send(jobs: Sequence[Job], loaded: Sequence[Loaded], sender: Connection) -> None:
    sender.send(check_all(jobs, loaded))
    sender.close()


def check_all(
    jobs: Sequence[Job], loaded: Sequence[Loaded]
) -> list[list[Diagnostic] | SpecError | InternalError]:
    """Validate each job's loaded spec: its warnings, or why it cannot be used."""
    verdicts: list[list[Diagnostic] | SpecError | InternalError] = []
    for (config, _, _), doc in zip(jobs, loaded, strict=True):
        if not isinstance(doc, tuple):  # it could not be loaded: that is its verdict
            verdicts.append(doc)
            continue
        try:
            verdicts.append(check(doc[0], config.strict))
        except SpecError as exc:
            verdicts.append(exc)
        except _BUGS as exc:
            verdicts.append(_bug(exc))
    return verdicts


def _assemble(job: Job, doc: Document, repairs: list[Diagnostic]) -> Draft | Exception:
    """:func:`draft` without validation; what it raised, if anything, as a value."""
    config, spec_name, _ = job
    try:
        made = _built(config, doc, spec_name)
        return replace(made, warnings=repairs + made.warnings)
    except Exception as exc:  # noqa: BLE001 - judged below, once validation has spoken
        return exc


def _outcome(
    verdict: list[Diagnostic] | SpecError | InternalError, made: Draft | Exception
) -> Outcome:
    """A spec's outcome: validation's errors first (what the build did with an invalid spec
    does not matter), then the build's own failure, then the package."""
    if isinstance(verdict, SpecError | InternalError):
        return verdict
    if isinstance(made, SpecError):
        return made
    if isinstance(made, _BUGS):
        return _bug(made)
    if isinstance(made, Exception):
        raise made
    return replace(made, warnings=verdict + made.warnings)


def default_workers() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
