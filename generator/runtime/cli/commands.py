r"""The commands of a package's command line, as data rendered from its spec.

``__main__.py`` lists one :class:`Command` per method (its arguments as :class:`Option`\ s,
and what only the spec can say: the wait a ``--wait`` runs, when the tests failed, how the final
status reads as JUnit); :mod:`.argv` makes the parser from them and :mod:`.run` runs them.
The records are named tuples: every start of the command line builds these classes, and a
named tuple class is made in a sixth of the time of a frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from .._values import lookup

__all__ = [
    "Command",
    "Credential",
    "Option",
    "Outcome",
    "Program",
    "Report",
    "Starts",
]


class Option(NamedTuple):
    """One argument of a method, as a flag (or a positional when ``flag`` is empty).

    ``kind`` is ``string``, ``integer``, ``number``, ``boolean``, ``array`` (of ``items``),
    ``map`` (``key=value`` or JSON) or ``object`` (JSON). ``choices`` are an enum's documented
    values; others are accepted too, as the client accepts them. ``wire`` is the body field's
    wire name when the argument travels in the JSON body, so ``--json`` can supply it.
    """

    dest: str
    flag: str
    kind: str = "string"
    items: str = "string"
    choices: tuple[str, ...] = ()
    required: bool = False
    wire: str | None = None
    help: str = ""


class Outcome(NamedTuple):
    """When the tests of a finished status passed: ``total`` > 0 and the ``passed`` sum to it."""

    total: str
    passed: tuple[str, ...]

    def failed(self, status: object) -> bool:
        """Whether ``status`` (JSON) shows tests that did not pass, or no tests at all."""
        total = _number(lookup(status, self.total))
        passed = sum(_number(lookup(status, path)) for path in self.passed)
        return not (total > 0 and passed == total)


class Starts(NamedTuple):
    """The work an operation starts is awaited by ``wait`` with ``arguments`` read off its result.

    ``arguments`` maps each wait parameter to a dotted path of wire names into the answer; a
    path that reaches a list (``runs``, or ``runs.id``: every item's) runs the wait once per
    item. ``ids`` is the path of the ids ``--output ids`` prints.
    """

    wait: tuple[str, str]
    arguments: tuple[tuple[str, str], ...]
    ids: str | None = None


class Report(Protocol):
    """What writes a wait's final statuses as JUnit XML (the runtime's ``JUnitMap``)."""

    def write(self, statuses: Sequence[object], file: str) -> object:
        """Write the statuses to the file ``file`` names."""
        ...


class Command(NamedTuple):
    """One subcommand: which method it calls, its arguments, and what it does with the result.

    ``mode`` is ``call`` (print the result), ``iter`` (JSON Lines), ``wait`` (poll with a
    deadline; ``outcome`` decides exit 5, ``junit`` writes ``--junit FILE``), ``upload``
    (``PATH`` is the file) or ``submit`` (report ``--results`` JUnit files).
    """

    resource: str
    method: str
    name: str
    group: str
    help: str
    description: str = ""
    options: tuple[Option, ...] = ()
    body: bool = False
    mode: str = "call"
    starts: Starts | None = None
    outcome: Outcome | None = None
    progress: tuple[str, ...] = ()
    junit: Report | None = None


class Credential(NamedTuple):
    """A credential of the client: its argument (``--api-key`` as a flag), and what it is.

    Its environment variable is ``<PREFIX>_<ARGUMENT>``, as the client reads it.
    """

    argument: str
    help: str


class Program(NamedTuple):
    """The package's command line: its name, client, key variable and commands."""

    prog: str
    description: str
    env_prefix: str
    client: Callable[..., Any]
    commands: tuple[Command, ...]
    # The helper modules' errors, when the package ships them: a next-page marker that does
    # not advance (an API fault: exit 1), and a wait past its deadline (exit 4).
    paging_errors: tuple[type[Exception], ...] = ()
    wait_errors: tuple[type[Exception], ...] = ()
    # A submit that stopped part way (what landed, where): exit as its cause says. A function,
    # so the submit helper's modules load only for a command that failed.
    submit_errors: Callable[[], tuple[type[Exception], ...]] = tuple
    # The client's credentials, each a global flag.
    credentials: tuple[Credential, ...] = ()
    # The logger the client writes to (the package's name), which ``-v`` shows on stderr.
    logger: str = ""
    # The exit codes the commands can return (the package README's table).
    exit_codes: tuple[int, ...] = (0, 1, 2, 3, 4, 5)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
