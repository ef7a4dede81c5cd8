"""The runtime every generated package carries: copied verbatim into each package.

These modules are real Python checked with the generator (lint, mypy strict), and
:mod:`generator.render` copies them byte for byte, adding only the generated-file header, so a
generated package depends on nothing but httpx and pydantic.
"""

from functools import cache
from importlib import resources


@cache
def source(name: str) -> str:
    """The text of runtime module ``name`` (``"_base_client.py"``), read without importing it."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")
