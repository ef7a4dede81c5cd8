"""The IR of a whole package: its security schemes and credentials, its command line, and the
:class:`Api` every template renders from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..diagnostics import Diagnostic
from .calls import ParamType
from .helpers import JUnitMap
from .operations import Resource


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
        """The names ``__main__.py`` imports from the runtime's ``_cli.run``."""
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
        """The names ``__main__.py`` imports from the runtime's ``_junit.report`` (none without junit)."""
        maps = [c.junit for c in self.commands if c.junit]
        return tuple(sorted({"JUnitMap"} | {"JUnitTime" for m in maps if m.timed})) if maps else ()

    @property
    def cli_errors(self) -> dict[str, tuple[str, str]]:
        """The helper errors the command line reports: ``paging``/``wait``/``submit`` -> (module, class)."""
        roles = {"PaginationError": "paging", "WaitTimeoutError": "wait", "SubmitError": "submit"}
        return {roles[e]: (m, e) for m, e in self.helper_errors if e in roles}
