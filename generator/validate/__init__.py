"""Stage 2, validate: is the document an OpenAPI document the generator can trust?

:mod:`.openapi` runs openapi-spec-validator (after the fast first opinion of
:mod:`.prevalidate`), the checks of every ``x-`` extension (from :mod:`generator.extensions`),
and, for our own specs or on request, the house rules. :mod:`.findings` decides how a run
reports the warnings: grouped by kind, the house rules silent on a user's spec unless asked for.
"""
