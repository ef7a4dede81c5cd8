"""Several specs at once: validation in a second process while this one builds.

Validation and the building stages only meet at the end (a package is kept only if its spec
is valid), so with more than one process they run side by side: repairs and validation in a
forked process, models and templates in this one. Each imports only its own libraries, which
are most of the time a small spec takes. The stages are :mod:`generator.pipeline`'s.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from .diagnostics import Diagnostic, SpecError
from .load.config import ApiConfig
from .load.document import Document
from .load.repair import Finding, located, mend
from .pipeline import Draft, assemble, build, check, read, warm_up


class InternalError(Exception):
    """A generator bug met on some spec (reported plainly, not as a traceback)."""


Outcome = Draft | SpecError | InternalError
Job = tuple[ApiConfig, str, str | None]


def attempt(job: Job) -> Outcome:
    """`pipeline.build` for one (config, spec name, display), its failure returned as a value."""
    try:
        return build(*job)
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
    # The time the checker takes to send the first mended document (without schemas, the
    # model library may never be needed).
    warm_up(models=any(_has_schemas(doc) for doc in docs))
    try:
        answers = _Answers(receiver, jobs, docs)
        made = [
            _assemble(job, doc, mended, workers)
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
        return read(config, display or spec_name)
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


def _assemble(job: Job, doc: Read, mended: Mended, workers: int) -> Draft | Exception:
    """`pipeline.assemble` of the mended document, without validation; what it raised, if anything,
    as a value."""
    if not isinstance(mended, tuple) or not isinstance(doc, Document):
        return _unusable(doc, mended)
    config, spec_name, _ = job
    try:
        return assemble(config, replace(doc, data=mended[0]), spec_name, workers=workers)
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
