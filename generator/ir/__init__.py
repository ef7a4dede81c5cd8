"""The intermediate representation: what the templates render, decided in full beforehand.

Every name, annotation and order here is final; templates only print these values. All text is
stored raw and made safe by the :mod:`generator.ir.naming` filters at render time.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from functools import cached_property

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Parameter:
    """A path, query or header parameter of an operation."""

    name: str
    wire_name: str
    location: str
    required: bool
    annotation: str
    description: str
    default: object = None
    explode: bool = True
    # OpenAPI's ``style`` ("form", "deepObject", "simple", ...) as the spec declares it.
    style: str = "form"


@dataclass(frozen=True)
class BodyField:
    """One keyword argument that fills a property of the JSON request body."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    description: str


@dataclass(frozen=True)
class Body:
    """The request body: the model that validates it, its keyword arguments, its encoding."""

    model: str
    content_type: str
    required: bool
    fields: tuple[BodyField, ...]
    # "json", "form" (urlencoded), "multipart" or "content" (bytes/text sent as given).
    encoding: str = "json"
    # Wire names of the model's required ``readOnly`` properties: the server's, never sent,
    # so the body is validated without them.
    read_only: tuple[str, ...] = ()
    # Wire names of a multipart body's file parts (``format: binary``): sent as given (a path,
    # bytes, a file object or a tuple), never validated by the model.
    files: tuple[str, ...] = ()


def annotation_words(annotation: str) -> set[str]:
    """The names (dotted ones whole) an annotation's text uses."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", annotation))


@dataclass(frozen=True)
class Argument:
    """One argument of a generated method, in the order the signature lists it.

    ``location`` is where the value goes: ``path``, ``query``, ``header``, ``cookie``,
    ``body`` (a property of the body model) or ``content`` (the whole body). An optional
    argument left out is ``omitted`` (``NOT_GIVEN``: not sent; ``None``: a helper fills it);
    ``default`` is the server's default, for the docs.
    """

    name: str
    annotation: str
    required: bool
    wire_name: str
    location: str
    description: str
    positional: bool = False
    default: object = None
    omitted: str = "NOT_GIVEN"
    # The ``Args:`` entry: the description (or wire name) and the server default, if any.
    doc: str = ""

    @property
    def parameter(self) -> str:
        """The argument as the signature spells it: ``name: annotation[ | omitted = ...]``."""
        default = "" if self.required else f" = {self.omitted}"
        return f"{self.name}: {self.accepted}{default}"

    @property
    def accepted(self) -> str:
        """What the argument accepts: its annotation, and what leaves an optional one out."""
        if self.required:
            return self.annotation
        kind = "NotGiven" if self.omitted == "NOT_GIVEN" else self.omitted
        return f"{self.annotation} | {kind}"

    @property
    def passed(self) -> str:
        """The argument passed on to the method of the same signature."""
        return self.name if self.positional else f"{self.name}={self.name}"


@dataclass(frozen=True)
class ParamKey:
    """One key of a request TypedDict: its wire name and what a caller may give for it."""

    wire_name: str
    annotation: str
    required: bool
    description: str

    @property
    def declared(self) -> str:
        """The key's annotation as the TypedDict (``total=False``) declares it."""
        return f"Required[{self.annotation}]" if self.required else self.annotation


@dataclass(frozen=True)
class ParamType:
    """The TypedDict a caller may pass for a nested request model (``TagSelectorParam``).

    ``functional`` when some key cannot be a class attribute (not an identifier, a keyword, or a
    name its annotations use): ``TypedDict("XParam", {...})`` then.
    """

    name: str
    model: str
    description: str
    keys: tuple[ParamKey, ...]
    functional: bool = False

    @classmethod
    def of(cls, name: str, model: str, description: str, keys: tuple[ParamKey, ...]) -> ParamType:
        """The TypedDict of ``keys``, functional when some key cannot be a class attribute."""
        words = {w for k in keys for w in annotation_words(k.annotation)} | {"Required"}
        plain = all(
            k.wire_name.isidentifier()
            and not keyword.iskeyword(k.wire_name)
            and k.wire_name not in words
            for k in keys
        )
        return cls(name, model, description, keys, functional=not plain)

    @property
    def collectable(self) -> bool:
        """Whether pytest would take the class for a test class (its name starts with Test)."""
        return self.name.startswith("Test")


@dataclass(frozen=True)
class Result:
    """What a successful call returns.

    ``kind`` is ``model`` (one model class), ``typed`` (JSON of another type: ``list[Task]``, a
    union, a map, a scalar), ``json`` (JSON the spec does not type), ``text`` or ``binary`` (a
    body that is not JSON, in the runtime's wrapper with its media type and headers),
    ``events`` (server-sent events), ``lines`` (one JSON item per line) or ``none``.
    """

    kind: str
    annotation: str
    model: str | None
    status: str
    description: str
    # What the runtime parses the body as: the model, the runtime's ``Shape`` of the annotation
    # (``typed``), ``str``, ``bytes``, ``object`` (plain JSON) or ``NoneType`` (no body).
    cast_to: str = "NoneType"
    # Other documented success statuses that carry no body (a 204 beside a 207): the call
    # returns None for them, so the annotation allows None.
    empty: tuple[int, ...] = ()
    # The annotation of the async method when it differs (an async stream of the same items).
    async_annotation: str | None = None
    # Whether a stream's items are validated against a schema (not text or plain JSON).
    items_validated: bool = False

    @property
    def validated(self) -> bool:
        """Whether the body is validated against the spec (so ``strict_responses`` applies)."""
        return self.kind in ("model", "typed") or self.items_validated

    @property
    def streamed(self) -> bool:
        """Whether the call returns a stream of items read as they arrive."""
        return self.kind in STREAMED

    @property
    def call(self) -> str:
        """The client method the resource method hands the call to."""
        return "call_stream" if self.streamed else "call"

    def annotation_of(self, asynchronous: bool) -> str:
        """The method's return annotation, sync or async."""
        return (self.async_annotation or self.annotation) if asynchronous else self.annotation

    def shown(self, asynchronous: bool = False) -> str:
        """The return type as docs show it: the runtime's types by their exported names
        (``Stream[Tick]``), not the private aliases the resource module imports them as."""
        return _PRIVATE_ALIAS.sub(r"\1", self.annotation_of(asynchronous))


STREAMED = ("events", "lines")
# The runtime's result types, as resource modules import them (see lower.py).
_PRIVATE_ALIAS = re.compile(
    r"\b_(AsyncStream|BinaryResponse|ServerSentEvent|Stream|TextResponse)\b"
)


@dataclass(frozen=True)
class ErrorCase:
    """A documented non-2xx answer (``status`` may be ``4XX`` or ``default``)."""

    status: str
    description: str
    # The runtime's exception class raised for it (``NotFoundError``; ``APIStatusError`` when
    # the status names no single class, as ``4XX`` or ``default``).
    exception: str = "APIStatusError"


# --- workflow helpers (x-pagination, x-polling, x-presigned-upload); see generator/extensions/workflows.py


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


# --- end of workflow helpers


@dataclass(frozen=True)
class Operation:
    """One API operation, rendered as one sync and one async method."""

    name: str
    operation_id: str
    http_method: str
    path: str
    summary: str
    description: str
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    body: Body | None
    result: Result
    errors: tuple[ErrorCase, ...]
    # The spec's requirements: any one of them (OR) of schemes sent together (AND); ``()``
    # sends nothing, an empty requirement ``()`` inside means the credentials are optional.
    security: tuple[tuple[str, ...], ...]
    deprecated: bool
    example_args: tuple[str, ...]
    pagination: Pagination | None = None
    polling: Polling | None = None
    upload: Upload | None = None
    submit: Submit | None = None
    # Whether a retry is harmless even if the server may have acted (HTTP method or x-idempotent).
    idempotent: bool = False
    retry_note: str = ""
    # For a call that is not safe to repeat: the (resource, method) of the GET that reads what
    # it did (the longest path it extends), named when its error says it may have been applied.
    check: tuple[str, str] | None = None
    # The header parameter (wire name) that carries an idempotency key, which the client fills
    # with a new key per call unless the caller gives one: the call is then retried like an
    # idempotent one.
    idempotency_key: str | None = None
    cookie_params: tuple[Parameter, ...] = ()
    # Every argument in signature order: positional path parameters, then the required
    # keywords, then the optional ones; rendered by the method and each of its helpers.
    arguments: tuple[Argument, ...] = ()
    # The module-level constant holding the operation's route (an ``Endpoint``).
    endpoint: str = ""
    # The ``Accept`` header: the media types the operation's responses declare, JSON first.
    accept: str = "application/json"

    @property
    def unexploded(self) -> tuple[str, ...]:
        """Wire names of the query parameters sent as one comma-joined value (``explode: false``)."""
        return tuple(
            p.wire_name for p in self.query_params if not p.explode and p.style != "deepObject"
        )

    @property
    def deep_objects(self) -> tuple[str, ...]:
        """Wire names of the query parameters sent as ``name[property]=value``."""
        return tuple(p.wire_name for p in self.query_params if p.style == "deepObject")


@dataclass(frozen=True)
class Resource:
    """A namespace of operations (one tag): ``client.<name>.<operation>()``."""

    name: str
    class_name: str
    module: str
    description: str
    operations: tuple[Operation, ...]
    models_used: tuple[str, ...]
    imports: tuple[str, ...]
    runtime_imports: tuple[str, ...]
    helper_imports: tuple[str, ...] = ()

    @property
    def collectable(self) -> bool:
        """Whether pytest would take the raw-response class for a test class."""
        return self.class_name.startswith("Test")

    @property
    def keyword_types(self) -> tuple[ParamType, ...]:
        """The TypedDicts of the keyword arguments of its paging helpers (``iter``)."""
        return tuple(op.pagination.keywords for op in self.operations if op.pagination)

    @property
    def keyword_imports(self) -> tuple[str, ...]:
        """The names :attr:`keyword_types` need from ``typing``."""
        if not self.keyword_types:
            return ()
        required = any(k.required for t in self.keyword_types for k in t.keys)
        return ("Required", "TypedDict", "Unpack") if required else ("TypedDict", "Unpack")


@dataclass(frozen=True)
class Credential:
    """One secret the client takes: its constructor argument, environment variable and flag."""

    argument: str
    env: str
    help: str
    # Only the single ``api_key`` stays positional, as every client had it.
    positional: bool = False

    @property
    def flag(self) -> str:
        """The command line's flag: ``--api-key``."""
        return "--" + self.argument.replace("_", "-")


@dataclass(frozen=True)
class SecurityScheme:
    """How one scheme of the spec travels, and the credentials the client takes for it.

    ``kind`` is ``header``, ``query`` or ``cookie`` (an API key under ``name``), ``bearer``
    (``Authorization: Bearer``), ``oauth2`` (a bearer token given, or fetched from
    ``token_url`` with the client id and secret, the second and third credentials), ``basic``
    (``Authorization: Basic``, two credentials) or ``http`` (``Authorization: <name>
    <credential>``, a scheme HTTP does not standardise).
    ``summary`` says so in a sentence, for the README; ``description`` is the spec's.
    """

    key: str
    kind: str
    name: str
    credentials: tuple[Credential, ...] = ()
    summary: str = ""
    description: str = ""
    # ``oauth2`` (a bearer token, or one fetched with client credentials): the flow's
    # ``tokenUrl`` and the scopes the spec's requirements name.
    token_url: str = ""
    scopes: tuple[str, ...] = ()

    @property
    def arguments(self) -> tuple[str, ...]:
        """The client arguments holding this scheme's credentials."""
        return tuple(c.argument for c in self.credentials)


@dataclass(frozen=True)
class CliOption:
    """One argument of a command: a ``--flag`` (or a positional when ``flag`` is empty).

    ``kind`` is ``string``, ``integer``, ``number``, ``boolean``, ``array`` (of ``items``),
    ``map`` or ``object``; ``choices`` an enum's documented values (others are accepted too);
    ``wire`` the body field's wire name when the argument travels in the JSON body.
    """

    dest: str
    flag: str
    kind: str
    items: str
    choices: tuple[str, ...]
    required: bool
    wire: str | None
    help: str


@dataclass(frozen=True)
class Starts:
    """``--wait`` on an operation: the wait that awaits its work, and that wait's arguments.

    ``arguments`` pairs each wait argument with the path of its value in the operation's answer;
    ``ids`` is the path of the ids ``--output ids`` prints.
    """

    resource: str
    method: str
    arguments: tuple[tuple[str, str], ...]
    ids: str | None


@dataclass(frozen=True)
class Command:
    """One command of the package's command line: the method it calls and how."""

    resource: str
    method: str
    name: str
    group: str
    help: str
    description: str
    options: tuple[CliOption, ...]
    body: bool
    mode: str = "call"  # "call", "iter", "wait", "upload" or "submit"
    starts: Starts | None = None
    # wait: the paths shown per poll, and (total, passed paths) when the tests can fail.
    progress: tuple[str, ...] = ()
    outcome: tuple[str, tuple[str, ...]] | None = None
    # wait: how its final status is written as JUnit XML (``--junit FILE``).
    junit: JUnitMap | None = None

    @property
    def usage(self) -> str:
        """The command as the package README lists it: ``runs wait BATCH_ID``, ``... PATH``."""
        words = [self.group, self.name, *(o.dest.upper() for o in self.options if not o.flag)]
        words += ["PATH"] if self.mode == "upload" else []
        words += ["--results FILE..."] if self.mode == "submit" else []
        words += ["[--wait]"] if self.starts else []
        return " ".join(words)


@dataclass(frozen=True)
class Api:
    """Everything one generated package is made of."""

    package: str
    client_name: str
    env_prefix: str
    title: str
    version: str
    description: str
    spec_name: str
    spec_sha256: str
    default_base_url: str | None
    base_url_hint: str
    security_schemes: tuple[SecurityScheme, ...]
    resources: tuple[Resource, ...]
    model_names: tuple[str, ...]
    # Keyword arguments of the runtime's RetryPolicy, from the spec's x-retry (name, seconds).
    retry: tuple[tuple[str, float], ...] = ()
    # The runtime modules the package ships (file names): the core, and each helper's module
    # only when an operation or model uses it.
    runtime_modules: tuple[str, ...] = ()
    # The errors the package's helper modules define, to export: (module, class name).
    helper_errors: tuple[tuple[str, str], ...] = ()
    # The request TypedDicts (``params.py``) and the lines that import what they use.
    param_types: tuple[ParamType, ...] = ()
    param_imports: tuple[str, ...] = ()
    # The command line (``python -m <package>``): one command per method and helper.
    commands: tuple[Command, ...] = ()
    # Whether a client given no credential at all is refused at construction (the spec's own
    # default, or every operation, requires one).
    credentials_required: bool = False
    # What the client does about each scheme it cannot send (for the README), and the
    # located warnings saying so.
    security_notes: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def credentials(self) -> tuple[Credential, ...]:
        """Every credential argument of the client, in the order of its signature."""
        return tuple(c for s in self.security_schemes for c in s.credentials)

    @property
    def token_provider(self) -> bool:
        """Whether the client takes ``token_provider``: some scheme sends a bearer token."""
        return any(s.kind in ("bearer", "oauth2") for s in self.security_schemes)

    @property
    def client_credentials(self) -> bool:
        """Whether some scheme is OAuth2 with a client-credentials flow the client runs."""
        return any(s.kind == "oauth2" for s in self.security_schemes)

    @property
    def idempotency_headers(self) -> tuple[str, ...]:
        """The headers that carry an idempotency key, each once, in operation order."""
        keys = (op.idempotency_key for r in self.resources for op in r.operations)
        return tuple(dict.fromkeys(key for key in keys if key))

    @property
    def single_key(self) -> bool:
        """Whether the client takes one ``api_key``, as a client with one credential does."""
        return len(self.credentials) == 1 and self.credentials[0].positional

    @property
    def credential_example(self) -> str:
        """The credentials of the README's first example: ``api_key="..."``."""
        return ", ".join(f'{c.argument}="..."' for c in self.credentials)

    @property
    def credential_envs(self) -> str:
        """The environment variables the credentials come from, for a comment."""
        return ", ".join(c.env for c in self.credentials)

    @cached_property
    def shared_options(self) -> dict[CliOption, str]:
        """The command options more than one command takes, each named for the module constant
        ``__main__.py`` writes it once as."""
        uses: dict[CliOption, int] = {}
        for option in (o for c in self.commands for o in c.options):
            uses[option] = uses.get(option, 0) + 1
        names: dict[CliOption, str] = {}
        taken: set[str] = set()
        for option in (o for o, count in uses.items() if count > 1):
            base = name = "_" + option.dest.upper()  # _PROJECT_ID, then _PROJECT_ID_2
            number = 1
            while name in taken:
                number += 1
                name = f"{base}_{number}"
            names[option] = name
            taken.add(name)
        return names

    @property
    def cli_imports(self) -> tuple[str, ...]:
        """The names ``__main__.py`` imports from the runtime's ``_cli``."""
        names = {"Command", "Option", "Program", "run"}
        names |= {"Credential" for _ in self.credentials[:1]}
        names |= {"Starts" for c in self.commands if c.starts}
        names |= {"Outcome" for c in self.commands if c.outcome}
        return tuple(sorted(names))

    @property
    def exit_codes(self) -> tuple[tuple[int, str], ...]:
        """The exit codes this package's commands can return, each with its meaning."""
        waits = any(c.mode == "wait" or c.starts for c in self.commands)
        submits = any(c.mode == "submit" for c in self.commands)
        codes = [
            (0, "success"),
            (1, "the API answered with an error status (its message, status and body on stderr)"),
            (2, "usage, or a rule of the spec broken before anything was sent"),
            (3, "no answer: connection refused or dropped, timeout"),
        ]
        if waits:
            codes.append(
                (4, "a wait ran past its deadline (`--timeout SECONDS` on `wait` or `--wait`);"
                    " the last status on stdout")
            )  # fmt: skip
        if submits or any(c.outcome for c in self.commands):
            codes.append((5, self._failed_meaning(submits)))
        if submits:
            codes.append(
                (130, "a submit interrupted (Ctrl-C): what landed in which run, and the command"
                      " that sends the rest, on stderr")
            )  # fmt: skip
        return tuple(codes)

    def _failed_meaning(self, submits: bool) -> str:
        outcome = any(c.outcome for c in self.commands)
        parts = (
            ["a wait's tests failed, as the spec's `x-polling` `outcome` says"] if outcome else []
        )
        parts += ["`submit --fail-on-failures` reported a failed test"] if submits else []
        return "; ".join(parts)

    @property
    def report_imports(self) -> tuple[str, ...]:
        """The names ``__main__.py`` imports from the runtime's ``_report`` (none without junit)."""
        maps = [c.junit for c in self.commands if c.junit]
        return tuple(sorted({"JUnitMap"} | {"JUnitTime" for m in maps if m.timed})) if maps else ()

    @property
    def cli_errors(self) -> dict[str, tuple[str, str]]:
        """The helper errors the command line reports: ``paging``/``wait``/``submit`` -> (module, class)."""
        roles = {"PaginationError": "paging", "WaitTimeoutError": "wait", "SubmitError": "submit"}
        return {roles[e]: (m, e) for m, e in self.helper_errors if e in roles}
