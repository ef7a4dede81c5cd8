"""The runtime every generated package carries: copied verbatim into each package.

These modules are real Python checked with the generator (lint, mypy strict), and
:mod:`generator.render` copies them byte for byte, adding only the generated-file header, so a
generated package depends on nothing but httpx and pydantic. The HTTP core sits here; the
command line in :mod:`.cli` and JUnit XML in :mod:`.junit` become the private subpackages
``_cli`` and ``_junit`` of a package, and import the core relatively (``from .._values``), so a
package works wherever it is copied.
"""

from functools import cache
from importlib import resources


@cache
def source(name: str) -> str:
    """The text of the runtime module a package ships as ``name`` (``"_base_client.py"``,
    ``"_cli/run.py"``), read without importing it."""
    folder, _, file = name.rpartition("/")
    here = resources.files(__name__)
    return (
        here.joinpath(folder.removeprefix("_"), file) if folder else here.joinpath(file)
    ).read_text("utf-8")
