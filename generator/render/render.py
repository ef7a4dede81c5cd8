"""IR -> ``{relative path: text}``: pure, no I/O beyond reading the templates and runtime.

Templates only print what the IR decided; the few filters they may use are the safe-text
functions of :mod:`generator.naming`.
"""

from __future__ import annotations

from functools import cache

import jinja2

from .. import __version__, ir, naming, runtime
from ..ir.runtime_facts import CORE_MODULES, HELPER_MODULES, STREAMING_EXPORTS
from ..models import ModelsModule
from . import provenance

# Every runtime module a package may ship; each package ships those its IR lists.
RUNTIME_MODULES = CORE_MODULES + tuple(HELPER_MODULES)
_MODELS_DOC = """\"\"\"Pydantic models of the {title}: one class per component schema.

Responses keep fields the spec does not list (``extra="allow"``) and enum fields accept values
it does not list (``Enum | str``), so nothing the server sends is lost.
\"\"\"

"""


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - we emit Python, not HTML; text goes through naming.*
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiled templates are kept per user (a private directory Jinja creates and checks),
        # keyed by each template's checksum, as Python keeps .pyc files: compiling the
        # templates took longer than rendering a package.
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["lit"] = naming.literal
    env.filters["doc"] = lambda text, indent="": naming.docstring(str(text), indent)
    env.filters["comment"] = lambda text: naming.comment(str(text))
    env.filters["header"] = lambda text: naming.header_value(str(text))
    return env


def load_templates() -> None:
    """Read (or compile) every template now, rather than at the first package rendered."""
    env = _environment()
    for name in env.list_templates():
        env.get_template(name)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no private temporary directory: compile every time
        return None


def _exception_names() -> list[str]:
    source = runtime.source("_exceptions.py")
    start = source.index("__all__ = [")
    block = source[start : source.index("]", start)]
    return sorted(part.strip().strip('",') for part in block.splitlines()[1:] if part.strip())


def render(api: ir.Api, models: ModelsModule) -> dict[str, str]:
    """Every file of the package, unformatted and without headers."""
    env = _environment()
    files = {name: runtime.source(name) for name in api.runtime_modules}
    files["models.py"] = _MODELS_DOC.format(title=naming.docstring(api.title)) + models.source
    files["py.typed"] = ""
    files[provenance.NAME] = provenance.source(api.spec_sha256, __version__)
    files["_client.py"] = env.get_template("client.py.jinja").render(api=api)
    files["__main__.py"] = env.get_template("main.py.jinja").render(api=api)
    exceptions = _exception_names()
    exports = sorted(
        [
            "MISSING",
            "NOT_GIVEN",
            "APIResponse",
            *STREAMING_EXPORTS,
            "Mismatch",
            "NotGiven",
            "mismatches",
            "models",
            *(["params"] if api.param_types else []),
            api.client_name,
            "Async" + api.client_name,
            *exceptions,
            *(name for _, name in api.helper_errors),
        ]
    )
    files["__init__.py"] = env.get_template("package_init.py.jinja").render(
        api=api, exceptions=exceptions, exports=exports, streaming=STREAMING_EXPORTS
    )
    resource_exports = sorted(
        n for r in api.resources for n in (r.class_name, "Async" + r.class_name)
    )
    files["resources/__init__.py"] = env.get_template("resources_init.py.jinja").render(
        api=api, resource_exports=resource_exports
    )
    for resource in api.resources:
        files[f"resources/{resource.module}.py"] = env.get_template("resource.py.jinja").render(
            resource=resource
        )
    if api.param_types:
        files["params.py"] = env.get_template("params.py.jinja").render(api=api)
    files["README.md"] = env.get_template("README.md.jinja").render(api=api)
    return files
