"""The IR of the workflow helpers an operation declares with an ``x-`` extension (see
:mod:`generator.extensions`): ``iter`` (``x-pagination``), ``wait`` (``x-polling``, with its
JUnit map), ``upload`` (``x-presigned-upload``) and ``submit`` (``x-junit-submit``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .calls import Argument, ParamKey, ParamType


@dataclass(frozen=True)
class Pagination:
    """An ``iter`` method beside a paged operation: items across pages, fetched lazily."""

    method: str
    style: str
    param: str
    first: object
    items: str
    next: str
    item_annotation: str
    # The paged operation's arguments less ``param`` (which the helper follows).
    arguments: tuple[Argument, ...] = ()

    @property
    def keywords(self) -> ParamType:
        """The TypedDict of what the helper passes on by keyword (``**kwargs: Unpack[...]``):
        the paged operation's keyword arguments, ``timeout`` and ``max_retries``."""
        name = "_" + "".join(w.capitalize() for w in self.method.split("_")) + "Arguments"
        options = (
            Argument("timeout", "TimeoutTypes", False, "", "option", ""),
            Argument("max_retries", "int", False, "", "option", ""),
        )
        passed = [a for a in self.arguments if not a.positional]
        keys = tuple(ParamKey(a.name, a.accepted, a.required, "") for a in [*passed, *options])
        return ParamType.of(name, "", "", keys)


@dataclass(frozen=True)
class JUnitMap:
    """``x-polling`` ``junit``: where a final status holds its tests, and what each status means.

    Paths are dotted wire names: ``groups`` from the answer, ``group_*`` and ``cases`` from each
    group, the rest from each case. ``outcomes`` pairs a JUnit outcome (``passed``, ``failure``,
    ``error``, ``skipped``) with its status values; ``unit`` is seconds per ``duration`` unit.
    """

    groups: str
    group_name: str
    group_url: str | None
    cases: str
    name: str
    status: str
    outcomes: tuple[tuple[str, tuple[str, ...]], ...]
    classname: str | None = None
    id: str | None = None
    message: str | None = None
    url: str | None = None
    duration: str | None = None
    unit: float = 1.0
    started: str | None = None
    finished: str | None = None
    title: str | None = None

    @property
    def timed(self) -> bool:
        """Whether the cases carry a time (a duration, or start and end)."""
        return self.duration is not None or self.started is not None


@dataclass(frozen=True)
class Polling:
    """A ``wait`` method beside a status operation: poll until the value at ``path`` is final.

    ``path`` and ``every`` are steps of (attribute name, wire name), so the runtime can read a
    part of the response that is a model or plain JSON. The value must equal ``equals``, or be
    set (not null) when ``is_set``; with ``every`` it is read on each item of that list, which
    must not be empty. ``maximum`` is the spec's recommendation, not a limit.
    """

    method: str
    path: tuple[tuple[str, str], ...]
    equals: object
    is_set: bool
    every: tuple[tuple[str, str], ...] | None
    interval: float
    minimum: float | None
    maximum: float | None
    # The polled operation's arguments, its required ones positional.
    arguments: tuple[Argument, ...] = ()
    # How a final status is written as JUnit XML (the ``junit`` helper, ``--junit``).
    junit: JUnitMap | None = None
    # The command line's ``wait``: the wire paths one progress line per poll shows, and when a
    # final status means the tests failed (the path of the total, the paths of the passed counts).
    progress: tuple[str, ...] = ()
    outcome: tuple[str, tuple[str, ...]] | None = None
    # The operations whose work the wait awaits (``--wait`` on them): operationId, each wait
    # argument's wire name with the path of its value in their answer, the path of their ids.
    started_by: tuple[tuple[str, tuple[tuple[str, str], ...], str | None], ...] = ()

    @property
    def attribute(self) -> str:
        """The dotted attribute path of the value (on each item with ``every``), for docs."""
        return ".".join(attribute for attribute, _ in self.path)

    @property
    def items(self) -> str:
        """The dotted attribute path of the ``every`` list ("" without one), for docs."""
        return ".".join(attribute for attribute, _ in self.every or ())


@dataclass(frozen=True)
class UploadReadBack:
    """The operation that reads the uploaded record back, and how to find it in the answer."""

    method: str
    args: tuple[tuple[str, str], ...]
    items: str
    key: str
    annotation: str


@dataclass(frozen=True)
class Upload:
    """An ``upload`` method beside a create operation: create, PUT to the URL, confirm."""

    method: str
    size_field: str
    minimum: int | None
    maximum: int | None
    content_type_field: str
    name_field: str | None
    derived: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    url: str
    id: str
    confirm: str
    abort: str
    read_back: UploadReadBack | None
    # The create operation's arguments less the size (taken from the file); the fields the
    # helper fills are optional, left out as ``None``.
    arguments: tuple[Argument, ...] = ()

    @property
    def inferred(self) -> tuple[str, ...]:
        """Body fields the helper fills when the caller leaves them out."""
        names = [self.content_type_field, *(name for name, _ in self.derived)]
        return tuple([self.name_field, *names] if self.name_field else names)

    @property
    def derived_map(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Each derived body field and its (content type prefix, value) table."""
        return dict(self.derived)


@dataclass(frozen=True)
class SubmitStep:
    """One call of a submit: ``client.<resource>.<method>(...)`` with its argument templates."""

    resource: str
    method: str
    # (argument name, template): JSON where "{name}" stands for a value (see runtime _submit).
    arguments: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Submit:
    """A ``submit`` method beside a create-run operation: report JUnit files in one call.

    Create the run (``run`` is the path of its id in the answer), then the ``thread`` (its id
    at ``thread_id``), append the cases (``batch`` per call, each rendered from ``case``; one
    per call without it), then the ``complete`` calls. ``statuses`` pairs JUnit's outcomes with
    the API's values; ``unit`` is the seconds per unit of a time.
    """

    method: str
    run: str
    append: SubmitStep
    statuses: tuple[tuple[str, str], ...]
    unit: float
    case: object
    batch: int
    thread: SubmitStep | None
    thread_id: str | None
    complete: tuple[SubmitStep, ...]
    # The create operation's arguments: the submit method takes them too.
    arguments: tuple[Argument, ...] = ()

    @property
    def per_request(self) -> str:
        """How many cases one append sends, for docs: ``250`` or ``one``."""
        return str(self.batch) if self.case is not None else "one"

    @property
    def constant(self) -> str:
        """The module constant holding the mapping, shared by the sync and async methods."""
        return f"_{self.method.upper()}_MAP"
