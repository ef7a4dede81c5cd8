"""The generator as a list of stages: load -> repair -> validate -> models -> lower -> render -> finalize.

Repairs (``generator/load/repair.py``) mend a user's spec before anything else reads it, and say
what they did; for our own (strict) specs they only report.

Validation and the other stages only meet at the end (a package is kept only if its spec is
valid), so with more than one process they run side by side: repairs and validation in a forked
process, models and templates in this one. Each imports only its own libraries, which are most
of the time a small spec takes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from .diagnostics import Diagnostic, SpecError
from .ir.lower import lower
from .load.config import ApiConfig
from .load.document import Document, load
from .load.overlay import overlaid
from .load.repair import Finding, located, mend, repair
from .models import empty_enums, generate_models, hoist_inline_schemas, warm_up
from .render.changelog import changelog
from .render.emit import finalize
from .render.render import render


def prepare(config: ApiConfig, display: str) -> tuple[Document, list[Diagnostic]]:
    """Load the spec and repair it as ``config.strict`` allows: the document every later stage
    reads, and the repairs' warnings; raise :class:`SpecError` if it cannot be used."""
    return repaired(read_spec(config, display), config.strict)


def read_spec(config: ApiConfig, display: str) -> Document:
    """The spec with ``config``'s overlays applied; their warnings are the document's notes."""
    doc = load(config.spec, display)
    if not config.overlays:
        return doc
    doc, notes = overlaid(doc, config.overlays)
    return replace(doc, notes=(*doc.notes, *notes))


def repaired(doc: Document, strict: bool) -> tuple[Document, list[Diagnostic]]:
    """:func:`repair.repair`, its errors (a strict run's findings) raised as :class:`SpecError`."""
    notes = list(doc.notes)
    doc, repairs = repair(doc, strict)
    errors = [d for d in repairs if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return doc, notes + repairs


def check(doc: Document, strict: bool) -> list[Diagnostic]:
    """Validate; raise :class:`SpecError` on errors, return the warnings."""
    from .validate.openapi import (
        validate,  # the OpenAPI validator: imported by the process that checks
    )

    found = validate(doc, strict=strict)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return found


def package(config: ApiConfig, doc: Document) -> tuple[dict[str, str], list[Diagnostic]]:
    """The package's files before headers and formatting (no changelog), and the warnings."""
    doc, repairs = repaired(doc, config.strict)
    warnings = repairs + check(doc, config.strict)
    files, said = unchecked_package(config, doc)
    return files, warnings + said + empty_enums(doc)


def unchecked_package(config: ApiConfig, doc: Document) -> tuple[dict[str, str], list[Diagnostic]]:
    """The package's files before headers and formatting, for a spec assumed valid, and what
    the lowering warns of (a scheme the client cannot send)."""
    doc = hoist_inline_schemas(doc)
    models = generate_models(doc)
    api = lower(doc, config, models)
    return render(api, models), list(api.warnings)


@dataclass(frozen=True)
class Draft:
    """A package's files before formatting and headers, with what the run has to say."""

    files: dict[str, str]
    warnings: list[Diagnostic]
    spec_name: str


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
    files, said = unchecked_package(config, doc)
    files["CHANGELOG.md"], notes = changelog(config, doc, spec_name)
    return Draft(files, said + empty_enums(doc) + notes, spec_name)


def build(
    config: ApiConfig, spec_name: str, display: str | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Every file of the package for ``config`` (formatted, with headers), and the warnings.

    ``spec_name`` goes into the generated headers (so it must not depend on the machine);
    ``display`` is how diagnostics name the file (default: ``spec_name``).
    """
    made = draft(config, spec_name, display)
    return finalize(made.files, made.spec_name), made.warnings


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
    """:func:`attempt` every job; with ``workers`` > 1, repairs and validation run in a second
    process.

    Every spec is loaded once, here; the checking process is then forked with the documents
    loaded. It repairs each one and sends the mended document straight back (a pickle of its
    data costs a few hundredths of a second), then finds the lines of the repairs' warnings and
    validates, while this process imports the model libraries and builds. So this process never
    imports the validators, nor reads a large document again for lines. Where fork is not the
    platform's safe default (Windows, macOS) everything runs in this process.
    """
    if workers <= 1 or sys.platform != "linux":
        return [attempt(job) for job in jobs]
    docs = [_read(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    checker = context.Process(target=_check_and_send, args=(jobs, docs, sender), daemon=True)
    checker.start()
    sender.close()
    if any(_has_schemas(doc) for doc in docs):  # else the library may never be needed
        warm_up()  # the time the checker takes to send the first mended document
    try:
        answers = _Answers(receiver, jobs, docs)
        made = [
            _assemble(job, doc, mended)
            for job, doc, mended in zip(jobs, docs, map(answers.mended, jobs), strict=True)
        ]
        verdicts = answers.verdicts()
    finally:
        receiver.close()
        checker.join()
    return [_outcome(v, m) for v, m in zip(verdicts, made, strict=True)]


Read = Document | SpecError | InternalError
# A repaired spec as it crosses the pipe: its data and the repairs' findings, or why not.
Mended = tuple[Any, list[Finding]] | SpecError | InternalError
# Validation's answer: the repairs' warnings and its own, or why the spec cannot be used.
Verdict = tuple[list[Diagnostic], list[Diagnostic]] | SpecError | InternalError


def _has_schemas(doc: Read) -> bool:
    data = doc.data if isinstance(doc, Document) else None
    return isinstance(data, dict) and bool((data.get("components") or {}).get("schemas"))


def _read(job: Job) -> Read:
    config, spec_name, display = job
    try:
        return read_spec(config, display or spec_name)
    except SpecError as exc:
        return exc
    except _BUGS as exc:
        return _bug(exc)


def _mend(job: Job, doc: Read) -> Mended:
    """The repairs of one loaded spec; a strict run's findings are its errors."""
    if not isinstance(doc, Document):
        return doc
    try:
        mended, findings = mend(doc, job[0].strict)
    except _BUGS as exc:
        return _bug(exc)
    errors = [f for f in findings if f[3] == "error"]
    return SpecError(located(doc, errors)) if errors else (mended.data, findings)


def _check_and_send(jobs: Sequence[Job], docs: Sequence[Read], sender: Connection) -> None:
    """The checking process: each mended document as soon as it is ready, then the verdicts."""
    mended = []
    for job, doc in zip(jobs, docs, strict=True):
        mended.append(_mend(job, doc))
        sender.send(mended[-1])
    sender.send(check_all(jobs, docs, mended))
    sender.close()


class _Answers:
    """What the checking process sends, in order; if it died, the same work done here."""

    def __init__(self, receiver: Connection, jobs: Sequence[Job], docs: Sequence[Read]) -> None:
        self._receiver, self._jobs, self._docs = receiver, jobs, docs
        self._mended: list[Mended] = []
        self._alive = True

    def _receive(self) -> Any:
        if self._alive:
            try:
                return self._receiver.recv()
            except EOFError:  # killed without a word: nothing it did is trusted
                self._alive = False
        return None

    def mended(self, job: Job) -> Mended:
        """The next job's mended document."""
        answer: Mended | None = self._receive()
        if answer is None:
            answer = _mend(job, self._docs[len(self._mended)])
        self._mended.append(answer)
        return answer

    def verdicts(self) -> list[Verdict]:
        """Every job's verdict."""
        answer: list[Verdict] | None = self._receive()
        return answer if answer is not None else check_all(self._jobs, self._docs, self._mended)


def check_all(jobs: Sequence[Job], docs: Sequence[Read], mended: Sequence[Mended]) -> list[Verdict]:
    """Validate each job's mended spec: the repairs' warnings and its own, or why it cannot
    be used."""
    verdicts: list[Verdict] = []
    for (config, _, _), doc, fixed in zip(jobs, docs, mended, strict=True):
        if not isinstance(fixed, tuple) or not isinstance(doc, Document):
            verdicts.append(_unusable(doc, fixed))
            continue
        try:
            repairs = [*doc.notes, *located(doc, fixed[1])]
            verdicts.append((repairs, check(replace(doc, data=fixed[0]), config.strict)))
        except SpecError as exc:
            verdicts.append(exc)
        except _BUGS as exc:
            verdicts.append(_bug(exc))
    return verdicts


def _assemble(job: Job, doc: Read, mended: Mended) -> Draft | Exception:
    """:func:`draft` of the mended document, without validation; what it raised, if anything,
    as a value."""
    if not isinstance(mended, tuple) or not isinstance(doc, Document):
        return _unusable(doc, mended)
    config, spec_name, _ = job
    try:
        return _built(config, replace(doc, data=mended[0]), spec_name)
    except Exception as exc:  # noqa: BLE001 - judged below, once validation has spoken
        return exc


def _unusable(doc: Read, mended: Mended) -> SpecError | InternalError:
    """Why a spec was not mended (a spec that did not load is mended into its own error)."""
    if isinstance(mended, tuple):
        return doc if isinstance(doc, SpecError | InternalError) else _bug(TypeError(doc))
    return mended


def _outcome(verdict: Verdict, made: Draft | Exception) -> Outcome:
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
    repairs, warnings = verdict
    return replace(made, warnings=warnings + repairs + made.warnings)


def default_workers() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
