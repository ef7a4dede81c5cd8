"""Line numbers for JSON pointers, so GitHub annotations land on the changed line.

:meth:`Document.line_of` re-reads the YAML for every pointer, which is right for the odd
diagnostic and too slow for dozens of annotations on a 3 MB spec: this reads it once.
"""

from __future__ import annotations

import yaml

from ..diagnostics import split_pointer
from ..load import Document

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Lines:
    """The node tree of one document, composed on first use."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._root: yaml.Node | None = None
        self._read = False

    def __call__(self, ptr: str) -> int | None:
        """Line of the key (or item) at ``ptr``, or of its nearest existing parent."""
        node = self._tree()
        line = 1 if node is not None else None
        for token in split_pointer(ptr):
            found = _child(node, token)
            if found is None:
                break
            line, node = found
        return line

    def _tree(self) -> yaml.Node | None:
        if not self._read:
            self._read = True
            try:
                self._root = yaml.compose(self.doc.text, Loader=_Loader)
            except yaml.YAMLError:
                self._root = None
        return self._root


def _child(node: yaml.Node | None, token: str) -> tuple[int, yaml.Node] | None:
    """(line of the key or item, value node) for one pointer token."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return key.start_mark.line + 1, value
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        item = node.value[int(token)]
        return item.start_mark.line + 1, item
    return None
