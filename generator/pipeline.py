"""The generator as a list of stages: load -> validate -> models -> lower -> render -> finalize."""

from __future__ import annotations

from .changelog import changelog
from .config import ApiConfig
from .diagnostics import Diagnostic, SpecError
from .emit import finalize
from .load import Document, load
from .lower import lower
from .models import generate_models, hoist_request_bodies
from .render import render
from .validate import validate


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


def build(
    config: ApiConfig, spec_name: str, display: str | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Every file of the package for ``config`` (formatted, with headers), and the warnings.

    ``spec_name`` goes into the generated headers (so it must not depend on the machine);
    ``display`` is how diagnostics name the file (default: ``spec_name``). The changelog carries
    over what ``config.output`` already holds, plus the report of the spec change since then.
    """
    doc = load(config.spec, display or spec_name)
    files, warnings = package(config, doc)
    files["CHANGELOG.md"], notes = changelog(config, doc, spec_name)
    return finalize(files, spec_name, doc.sha256), warnings + notes
