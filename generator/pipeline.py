"""The generator as a list of stages, and :func:`build`, which runs them for one spec.

1. load      (:mod:`generator.load`): read the spec, its ``$ref`` s to other files and the
   overlays -> :func:`read`;
2. repair    (:mod:`generator.load.repair`): mend a user's spec, each repair a located warning;
   for our own (strict) specs, only report -> :func:`repaired`;
3. validate  (:mod:`generator.validate`): the OpenAPI validator, the ``x-`` extensions
   (:mod:`generator.extensions`), the house rules -> :func:`check`;
4. models    (:mod:`generator.models`): datamodel-code-generator, post-processed;
5. IR        (:mod:`generator.ir`): every naming, typing and ordering decision;
6. render    (:mod:`generator.render`): the templates, the runtime and the changelog as files
   (4 to 6: :func:`assemble`), then formatted, each with its header.

:func:`build` is the one entry point; :func:`check` alone is what ``validate`` runs. Running
several specs at once, with validation in a second process, is :mod:`generator.jobs`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .diagnostics import Diagnostic, SpecError
from .load.config import ApiConfig
from .load.document import Document, load
from .load.overlay import overlaid
from .load.repair import repair
from .models import empty_enums, generate_models, hoist_inline_schemas
from .models import warm_up as warm_up_models
from .render.emit import finalize


@dataclass(frozen=True)
class Draft:
    """A package's files before formatting and headers, with what the run has to say."""

    files: dict[str, str]
    warnings: list[Diagnostic]
    spec_name: str

    def finalized(self) -> dict[str, str]:
        """The files as written: formatted, each with its header."""
        return finalize(self.files, self.spec_name)


def build(
    config: ApiConfig,
    spec_name: str,
    display: str | None = None,
    *,
    doc: Document | None = None,
    changelog: bool = True,
) -> Draft:
    """Every stage for the package of ``config``: its files (:meth:`Draft.finalized` formats
    them and adds the headers) and every warning; raise :class:`SpecError` if the spec cannot
    be used.

    ``spec_name`` goes into the generated headers (so it must not depend on the machine);
    ``display`` is how diagnostics name the file (default: ``spec_name``). ``doc`` is the spec
    when it is already read (an earlier version, from git); ``changelog=False`` leaves out the
    changelog (which reads the spec's history).
    """
    doc, warnings = repaired(doc or read(config, display or spec_name), config.strict)
    warnings += check(doc, config.strict)
    made = assemble(config, doc, spec_name, changelog=changelog)
    return replace(made, warnings=warnings + made.warnings)


def read(config: ApiConfig, display: str) -> Document:
    """Stage 1: the spec with ``config``'s overlays applied; their warnings are the notes."""
    doc = load(config.spec, display)
    if not config.overlays:
        return doc
    doc, notes = overlaid(doc, config.overlays)
    return replace(doc, notes=(*doc.notes, *notes))


def repaired(doc: Document, strict: bool) -> tuple[Document, list[Diagnostic]]:
    """Stage 2: the document every later stage reads, and the notes and repairs' warnings;
    a strict run's findings raised as :class:`SpecError`."""
    notes = list(doc.notes)
    doc, repairs = repair(doc, strict)
    errors = [d for d in repairs if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return doc, notes + repairs


def check(doc: Document, strict: bool) -> list[Diagnostic]:
    """Stage 3: validate; raise :class:`SpecError` on errors, return the warnings."""
    # The OpenAPI validator: imported by the process that checks.
    from .validate.openapi import validate

    found = validate(doc, strict=strict)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return found


def assemble(
    config: ApiConfig, doc: Document, spec_name: str, *, changelog: bool = True, workers: int = 1
) -> Draft:
    """Stages 4 to 6 for a spec already checked: models, IR, files (the changelog too, unless
    told not to); the warnings are the lowering's and the changelog's notes. With ``workers``
    > 1, a large document's models are made by two processes."""
    # The stages after the models: imported by the process that builds (see warm_up).
    from .ir.lower import lower
    from .render.changelog import changelog as changes
    from .render.render import render

    doc = hoist_inline_schemas(doc)
    models = generate_models(doc, workers)
    api = lower(doc, config, models)
    files, notes = render(api, models), list(api.warnings)
    if changelog:
        files["CHANGELOG.md"], said = changes(config, doc, spec_name)
        notes += said
    return Draft(files, notes + empty_enums(doc), spec_name)


def warm_up(models: bool = True) -> None:
    """Import what building takes and checking never needs: the model library (unless not
    ``models``), the lowering and the templates, loaded. :mod:`.jobs` calls it in the process
    that builds while the other repairs the documents, which it waits for."""
    if models:
        warm_up_models()
    from .ir import lower  # noqa: F401 - imported for its cost
    from .render import changelog  # noqa: F401 - imported for its cost
    from .render.render import load_templates

    load_templates()
