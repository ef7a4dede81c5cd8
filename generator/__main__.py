"""Entry point for ``python -m generator``."""

import os
import sys

from .cli import main

code = main()
# Everything is written and closed by now. Tearing the interpreter down would free, one by one,
# every object the run built (hundreds of thousands for a large spec: a tenth of a second or
# more, as long as a small spec's whole build), so flush the streams and leave, as mypy does.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
