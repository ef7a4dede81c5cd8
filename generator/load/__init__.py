"""Stage 1, load: read a spec into a :class:`Document` every later stage reads.

The document is read from YAML or JSON with the line of every node (:mod:`.document`; the YAML
text turned into data by :mod:`.yaml_data`), its
``$ref`` s to other files followed (:mod:`.refs`), overlays applied (:mod:`.overlay`, which
selects nodes with :mod:`.jsonpath`), and a user's spec mended where that is safe
(:mod:`.repair`), each repair a located warning. :mod:`.config` reads which specs become which
packages from ``pyproject.toml``; :mod:`.spec` holds the walks several stages share;
:mod:`.history` reads earlier versions of a spec from git.
"""

from .document import Document, load

__all__ = ["Document", "load"]
