"""The argument list of each operation and of each of its helpers, decided once.

A method's signature, the call a helper makes to it and its docstring's ``Args`` are all
rendered from one tuple of :class:`ir.Argument`. The order is the lowering's: path parameters
positional (in path order), then the required keywords, then the optional ones, parameters
before body fields. Helpers derive their lists from the operation's, so what they accept and
what they pass on cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace

from .. import ir
from ..naming import literal


def _doc(description: str, wire_name: str, default: object) -> str:
    text = description or wire_name
    return text if default is None else f"{text} Server default: ``{literal(default)}``."


def _from_parameter(param: ir.Parameter) -> ir.Argument:
    return ir.Argument(
        name=param.name,
        annotation=param.annotation,
        required=param.required,
        wire_name=param.wire_name,
        location=param.location,
        description=param.description,
        positional=param.location == "path",
        default=param.default,
        doc=_doc(param.description, param.wire_name, param.default),
    )


def _from_field(body: ir.Body, field: ir.BodyField) -> ir.Argument:
    return ir.Argument(
        name=field.name,
        annotation=field.annotation,
        required=field.required,
        wire_name=field.wire_name,
        location="body" if body.model else "content",
        description=field.description,
        doc=_doc(field.description, field.wire_name or field.name, None),
    )


def _ordered(arguments: list[ir.Argument]) -> tuple[ir.Argument, ...]:
    """Positional first, then required keywords, then optional ones; stable otherwise."""
    return tuple(sorted(arguments, key=lambda a: (not a.positional, not a.required)))


def of_operation(op: ir.Operation) -> tuple[ir.Argument, ...]:
    """The operation's own arguments."""
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    found = [_from_parameter(p) for p in params]
    found += [_from_field(op.body, f) for f in op.body.fields] if op.body else []
    return _ordered(found)


def paged(op: ir.Operation, param: str) -> tuple[ir.Argument, ...]:
    """``iter``: the operation's arguments except the page marker it follows."""
    return tuple(a for a in op.arguments if a.name != param)


def polled(op: ir.Operation) -> tuple[ir.Argument, ...]:
    """``wait``: the operation's arguments, the required ones positional (``wait(batch_id)``)."""
    return _ordered([replace(a, positional=a.required) for a in op.arguments])


def uploaded(op: ir.Operation, upload: ir.Upload) -> tuple[ir.Argument, ...]:
    """``upload``: the create arguments less the size; the fields it can fill default to None."""
    result = []
    for argument in op.arguments:
        if argument.name == upload.size_field:
            continue
        if argument.name in upload.inferred:
            argument = replace(argument, required=False, omitted="None")
        result.append(argument)
    return _ordered(result)


def with_helpers(op: ir.Operation) -> ir.Operation:
    """``op`` with the argument list of each helper it declares."""
    if op.pagination:
        op = replace(
            op, pagination=replace(op.pagination, arguments=paged(op, op.pagination.param))
        )
    if op.polling:
        op = replace(op, polling=replace(op.polling, arguments=polled(op)))
    if op.upload:
        op = replace(op, upload=replace(op.upload, arguments=uploaded(op, op.upload)))
    return op
