"""Stage 4, the IR: what the templates render, decided in full beforehand.

Every name, annotation and order here is final; templates only print these values. All text is
stored raw and made safe by the :mod:`generator.naming` filters at render time.

The dataclasses live in :mod:`.calls` (a call's parameters, body and result),
:mod:`.operations` (an operation and its resource), :mod:`.helpers` (the
workflow helpers the ``x-`` extensions declare) and :mod:`.package` (security, command line,
the whole :class:`Api`); :mod:`.lower` builds them from the document and the models, with
:mod:`.arguments`, :mod:`.methods`, :mod:`.inputs`, :mod:`.security` and
:mod:`.commands`.
"""

from .calls import (
    STREAMED,
    Argument,
    Body,
    BodyField,
    ErrorCase,
    Parameter,
    ParamKey,
    ParamType,
    Result,
    annotation_words,
)
from .helpers import JUnitMap, Pagination, Polling, Submit, SubmitStep, Upload, UploadReadBack
from .operations import Operation, Resource
from .package import Api, CliOption, Command, Credential, SecurityScheme, Starts

__all__ = [
    "STREAMED",
    "Api",
    "Argument",
    "Body",
    "BodyField",
    "CliOption",
    "Command",
    "Credential",
    "ErrorCase",
    "JUnitMap",
    "Operation",
    "Pagination",
    "ParamKey",
    "ParamType",
    "Parameter",
    "Polling",
    "Resource",
    "Result",
    "SecurityScheme",
    "Starts",
    "Submit",
    "SubmitStep",
    "Upload",
    "UploadReadBack",
    "annotation_words",
]
