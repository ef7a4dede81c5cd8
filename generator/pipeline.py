"""The generator as a list of stages: load -> validate -> models -> lower -> render -> finalize."""

from __future__ import annotations

from .config import ApiConfig
from .diagnostics import Diagnostic, SpecError
from .emit import finalize
from .load import Document, load
from .lower import lower
from .models import generate_models
from .render import render
from .validate import validate


def check(doc: Document, strict: bool) -> list[Diagnostic]:
    """Validate; raise :class:`SpecError` on errors, return the warnings."""
    found = validate(doc, strict=strict)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise SpecError(errors)
    return found


def build(
    config: ApiConfig, spec_name: str, display: str | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Every file of the package for ``config`` (formatted, with headers), and the warnings.

    ``spec_name`` goes into the generated headers (so it must not depend on the machine);
    ``display`` is how diagnostics name the file (default: ``spec_name``).
    """
    doc = load(config.spec, display or spec_name)
    warnings = check(doc, config.strict)
    models = generate_models(doc)
    api = lower(doc, config, models)
    return finalize(render(api, models), spec_name, doc.sha256), warnings
