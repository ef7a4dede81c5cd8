"""``python -m generator.diff BASE REVISION``: the diff tool on its own."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
