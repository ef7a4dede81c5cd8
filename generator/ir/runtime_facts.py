"""Facts about the runtime the lowering needs, read from its source rather than by importing it.

The exception class of each documented status, and every name the clients already hold (so a
resource attribute never shadows one). Importing the runtime (and httpx) would cost a tenth of a
second of every generation for a list of names.
"""

from __future__ import annotations

import ast
from functools import cache

from .. import ir, runtime

# Runtime modules every package ships, by their path in the package: the HTTP core, and the
# command line as the private subpackage ``_cli`` (``runtime/cli/`` in the generator).
CORE_MODULES = (
    "_auth.py",
    "_base_client.py",
    "_body.py",
    "_cli/__init__.py",
    "_cli/argv.py",
    "_cli/commands.py",
    "_cli/output.py",
    "_cli/run.py",
    "_cli/submit.py",
    "_cli/wait.py",
    "_client_core.py",
    "_config.py",
    "_exceptions.py",
    "_files.py",
    "_lenient.py",
    "_parse.py",
    "_request.py",
    "_resource.py",
    "_response.py",
    "_retry.py",
    "_secrets.py",
    "_streaming.py",
    "_tokens.py",
    "_transport.py",
    "_types.py",
    "_url.py",
    "_values.py",
)
# What a package exports of ``_streaming.py``: the types its non-JSON results come back as.
STREAMING_EXPORTS = (
    "AsyncStream",
    "AsyncStreamedResponse",
    "BinaryResponse",
    "ServerSentEvent",
    "Stream",
    "StreamedResponse",
    "TextResponse",
)
# Each optional module, with the error it defines (exported by the packages that ship it).
# JUnit XML is the private subpackage ``_junit`` (``runtime/junit/`` in the generator).
HELPER_MODULES = {
    "_formats.py": "",
    "_junit/__init__.py": "",
    "_junit/read.py": "",
    "_junit/records.py": "JUnitError",
    "_junit/report.py": "",
    "_junit/submit.py": "",
    "_junit/submit_plan.py": "",
    "_junit/submit_types.py": "SubmitError",
    "_junit/templates.py": "",
    "_junit/write.py": "",
    "_model_base.py": "",
    "_numbers.py": "",
    "_pagination.py": "PaginationError",
    "_polling.py": "WaitTimeoutError",
    "_rules.py": "",
    "_upload.py": "UploadError",
}


def needed_modules(
    resources: tuple[ir.Resource, ...],
    rules: bool,
    formats: bool = False,
    models: bool = False,
    numbers: bool = False,
) -> tuple[str, ...]:
    """The runtime modules a package uses: the core, and a helper's only if something calls it."""
    ops = [op for resource in resources for op in resource.operations]
    junit = any(op.polling and op.polling.junit for op in ops)
    submit = any(op.submit for op in ops)
    used = {
        "_formats.py": formats,
        "_junit/__init__.py": junit or submit,
        "_junit/read.py": submit,
        "_junit/records.py": junit or submit,
        "_junit/report.py": junit,
        "_junit/submit.py": submit,
        "_junit/submit_plan.py": submit,
        "_junit/submit_types.py": submit,
        "_junit/templates.py": submit,
        "_junit/write.py": junit,
        "_model_base.py": models,
        "_numbers.py": numbers,
        "_pagination.py": any(op.pagination for op in ops),
        "_polling.py": any(op.polling for op in ops),
        "_rules.py": rules,
        "_upload.py": any(op.upload for op in ops),
    }
    return CORE_MODULES + tuple(name for name in HELPER_MODULES if used[name])


def helper_errors(modules: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(module, error class) of each helper module shipped that defines an error; a module in a
    subpackage is named with its dots (``_junit.records``)."""
    return tuple(
        (name.removesuffix(".py").replace("/", "."), HELPER_MODULES[name])
        for name in modules
        if HELPER_MODULES.get(name)
    )


def status_exception(status: str) -> str:
    """The runtime's exception class for a documented status (``404`` -> ``NotFoundError``)."""
    if status.isdigit() and int(status) in _status_classes():
        return _status_classes()[int(status)]
    if status[:1] == "5" and (status.isdigit() or status.upper() == "5XX"):
        return "InternalServerError"
    return "APIStatusError"


@cache
def _status_classes() -> dict[int, str]:
    """The runtime's ``_BY_STATUS`` table, read from its source (as :func:`client_attributes`)."""
    for node in ast.parse(runtime.source("_exceptions.py")).body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_BY_STATUS":
            table = node.value
            if isinstance(table, ast.Dict):
                return {
                    int(ast.literal_eval(key)): ast.unparse(value)
                    for key, value in zip(table.keys, table.values, strict=True)
                    if key is not None
                }
    raise RuntimeError("the runtime's _BY_STATUS table is missing")


@cache
def client_attributes() -> frozenset[str]:
    """What ``dir()`` lists for the runtime's sync and async clients, plus their properties.

    Read from the runtime's source rather than by importing it: importing it (and httpx) cost
    a tenth of a second of every generation for a list of names.
    """
    classes = {
        node.name: node
        for module in ("_base_client.py", "_client_core.py")  # the clients, and their base
        for node in ast.parse(runtime.source(module)).body
        if isinstance(node, ast.ClassDef)
    }
    names = {*dir(object), "base_url", "timeout"}
    pending = ["SyncAPIClient", "AsyncAPIClient"]
    while pending:
        node = classes.get(pending.pop())
        if node is None:
            continue
        pending.extend(ast.unparse(base).split("[")[0] for base in node.bases)
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(stmt.name)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                names.add(ast.unparse(stmt.target))
            elif isinstance(stmt, ast.Assign):
                names.update(ast.unparse(target) for target in stmt.targets)
    return frozenset(names | {"__dict__", "__module__", "__weakref__", "__annotations__"})


# What the workflow helpers of a resource print: their names, models and runtime imports.


def helper_names(op: ir.Operation) -> list[str]:
    """The method names the helpers of ``op`` take in its resource."""
    helpers = (op.pagination, op.polling, op.upload, op.submit)
    names = [h.method for h in helpers if h is not None]
    return [*names, "junit"] if op.polling and op.polling.junit else names


def helper_annotations(op: ir.Operation) -> list[str]:
    """Annotations the helpers of ``op`` print (so the resource imports their models)."""
    texts = [op.pagination.item_annotation] if op.pagination else []
    if op.upload and op.upload.read_back:
        texts.append(op.upload.read_back.annotation)
    return texts


def helper_imports(ops: list[ir.Operation]) -> tuple[str, ...]:
    """Import lines the helpers of a resource need."""
    lines = set()
    if any(op.pagination for op in ops):
        lines |= {
            "from collections.abc import AsyncIterator, Iterator",
            "from .._pagination import aiterate_pages, iterate_pages",
        }
    if any(op.polling for op in ops):
        lines |= {
            "from collections.abc import Awaitable, Callable",
            "from .._polling import PollSpec, apoll_until, poll_until",
        }
    if any(op.polling and op.polling.junit for op in ops):
        lines |= {"import os", "from typing import TextIO", "from .._junit.report import JUnitMap"}
        if any(op.polling and op.polling.junit and op.polling.junit.timed for op in ops):
            lines.add("from .._junit.report import JUnitTime")
    if any(op.submit for op in ops):
        lines |= {
            "from collections.abc import Callable",
            "from .._junit.submit import Results, Step, SubmitMap, SubmitReport, asubmit, result_paths, submit",
        }
    if any(op.upload for op in ops):
        lines.add(
            "from .._upload import FileInput, aput_presigned, aread_back, arollback, derive,"
            " open_source, put_presigned, read_back, rollback"
        )
    return tuple(sorted(lines))
