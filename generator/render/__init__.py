"""Stage 5, render: the IR as files.

:mod:`.render` fills the Jinja2 templates (``templates/``) from the IR and copies the runtime
modules a package needs; :mod:`.emit` puts the header on each file, formats it and writes the
package (or compares it, for the drift check); :mod:`.changelog` writes what changed in the
spec since the package was last generated.
"""
