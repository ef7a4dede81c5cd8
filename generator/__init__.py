"""A declarative, spec-driven generator of typed Python API clients.

The folders are the stages a spec goes through, in order (:mod:`generator.pipeline` lists them
and runs them with :func:`~generator.pipeline.build`):

- :mod:`.load`: read the spec (files, ``$ref`` s, overlays) and mend a user's mistakes;
- :mod:`.validate`: the OpenAPI validator, the extensions' checks, the house rules;
- :mod:`.extensions`: one module per ``x-`` key, each with its schema, checks and lowering;
- :mod:`.models`: the component schemas as pydantic models, by datamodel-code-generator;
- :mod:`.ir`: every decision about the package (names, types, methods, commands);
- :mod:`.render`: the IR as files, the runtime copied in, formatted with headers;
- :mod:`.runtime`: the code every generated package ships.

Beside them: :mod:`.diff` (two versions of a spec -> the changes, and whom they break),
:mod:`.gate` (the CI gate against breaking changes), :mod:`.jobs` (several specs at once),
:mod:`.naming` (every Python name and literal the stages write) and :mod:`.cli`
(``python -m generator``).
"""

__version__ = "0.1.0"
