"""Spec diff: two versions of an OpenAPI document -> the changes, and whom each one breaks.

Meaning is compared, not text: key order, YAML or JSON, ``$ref`` or an identical inline schema,
``allOf`` refactors and the spellings of nullable all compare equal. Each change says whether it
breaks the wire contract, the generated client's surface, or both, or only callers who validate
responses strictly (:data:`STRICT`, reported but not breaking); the policy is in
``_change.py`` and ``POLICY.md``. The command line is :func:`generator.diff.cli.main`.

```python
from generator.diff import diff, read, render
report = diff(read("HEAD:specs/api.yaml").document, read("specs/api.yaml").document)
print(render(report, "markdown"))
```
"""

from ._change import CLIENT, STRICT, WIRE, Change, Report
from ._document import diff
from ._format import FORMATS, render
from ._rules import RULES, apply_policy, read_policy
from ._source import Source, read

__all__ = [
    "CLIENT", "Change", "FORMATS", "RULES", "Report", "STRICT", "Source", "WIRE", "apply_policy",
    "diff", "read", "read_policy", "render",
]  # fmt: skip
