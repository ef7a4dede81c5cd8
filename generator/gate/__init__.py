"""The breaking-change gate: ``python -m generator spec-diff`` in CI.

:mod:`.gate` compares every configured spec with its version at the base commit through the
spec diff (:mod:`generator.diff`), then compares the public surface of the packages generated
from both (:mod:`.surface`) as a second net; :mod:`.acknowledge` reads the acknowledgements
that let a deliberate break through.
"""
