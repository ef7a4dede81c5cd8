"""A declarative, spec-driven generator of typed Python API clients.

The pipeline is a list of pure stages: ``load`` (the only reader) -> ``validate`` ->
``models`` (datamodel-code-generator) -> ``lower`` (document -> IR) -> ``render`` (IR -> files)
-> ``emit`` (the only writer). ``cli`` wires them to the command line.
"""

__version__ = "0.1.0"
