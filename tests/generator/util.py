"""Shared by the generator tests: build a package from a spec in memory, and look at the result."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load.config import api_config
from generator.pipeline import build
from generator.render.emit import write
from generator.render.render import RUNTIME_MODULES

ROOT = Path(__file__).resolve().parents[2]

# Calls the templates and datamodel-code-generator write; anything else in a generated module
# came from somewhere it should not have.
ALLOWED_CALL = re.compile(
    r"(Endpoint|self\._client\.call(_stream)?"
    r"|frozenset|Field|ConfigDict|ClientConfig|SecurityScheme|RetryPolicy|super"
    r"|super\(\)\.__init__|\w+\.model_rebuild|\w+Resource|float|httpx\.Timeout"
    # the command line (__main__.py): its table of commands, and the client it builds
    r"|Program|Command|Credential|Option|Starts|Outcome|run|\w+Client"
    # with_raw_response, with_streaming_response: the resource's methods wrapped to return the
    # HTTP response too, or the answer with its body unread
    r"|\w+ResourceWith(Raw|Streaming)Response|(async_)?to_(raw|streamed)_response_wrapper"
    # a streamed result: the runtime's reader of events or lines
    r"|_Events|_Lines"
    # the lazy `models` attribute of the package
    r"|AttributeError|importlib\.import_module"
    # the lazy resource modules (resources/__init__.py's __getattr__)
    r"|getattr|_import_module|globals"
    # a result that is no single model class: the runtime's Shape of its type
    r"|_Shape\[.+\]"
    # workflow helpers: a method calling its own siblings and the runtime helpers
    r"|self\.\w+|model_validator|check_rules|PollSpec|a?poll_until|a?iterate_pages"
    r"|open_source|source\.require_name|a?read_back|created\.model_dump|derive|a?put_presigned"
    r"|a?rollback)"
)
_STATEMENT_CALL = re.compile(r"(self\._client\.call|self\.\w+|a?put_presigned|run)")
RUNTIME = RUNTIME_MODULES  # copied verbatim from generator/runtime, checked there


def write_spec(spec: dict[str, Any], directory: Path, name: str = "spec.json") -> Path:
    """``spec`` as a JSON file (JSON can hold NUL and control characters; YAML cannot)."""
    path = directory / name
    path.write_text(json.dumps(spec), "utf-8")
    return path


def generate(spec_path: Path, out: Path, package: str) -> list[Diagnostic]:
    """Generate ``package`` from ``spec_path`` into ``out/package`` as a user would (lenient)."""
    config = api_config(spec_path, package, out / package, strict=False)
    made = build(config, spec_path.name)
    files, warnings = made.finalized(), made.warnings
    write(config.output, files)
    return warnings


def foreign_code(package_dir: Path) -> list[str]:
    """Calls and statements in the generated modules that no template or model writes."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        if path.relative_to(package_dir).as_posix() in RUNTIME:
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and not ALLOWED_CALL.fullmatch(ast.unparse(node.func)):
                found.append(f"{path.name}: call {ast.unparse(node)[:120]}")
            elif isinstance(node, ast.Expr) and not _harmless(node.value):
                found.append(f"{path.name}: statement {ast.unparse(node)[:120]}")
            elif isinstance(node, ast.Name) and node.id in ("__import__", "eval", "exec", "open"):
                found.append(f"{path.name}: name {node.id}")
    return found


def _harmless(value: ast.expr) -> bool:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return True  # a docstring
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call) and _STATEMENT_CALL.fullmatch(ast.unparse(value.func)):
        return True  # a call made for its effect: a 204 operation, an upload step
    return isinstance(value, ast.Call) and (
        ast.unparse(value.func) in ("super().__init__",)
        or ast.unparse(value.func).endswith(".model_rebuild")
    )


def run_python(
    code: str, cwd: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with ``cwd`` first on the import path (and ``env``
    added to this process's environment)."""
    env = {**os.environ, **(env or {}), "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def mypy_strict(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over generated packages, outside this repository's configuration."""
    args = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--python-version",
        "3.11",
        "--no-incremental",
        "--config-file",
        os.devnull,
        *map(str, paths),
    ]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)


# Calls every operation whose required arguments it can make up from their annotations, through
# a mock transport answering {} (a model that needs fields raises APIResponseValidationError:
# the request was still built and sent, which is what the smoke test is about). An argument typed
# by a model gets a minimal valid instance: its required fields made up from their annotations,
# nested models too (a few levels deep). One allowing None gets None when nothing else fits.
# With the environment's SMOKE_ANSWERS (a JSON file of [method, path regex, status, content
# type, body] answers, see tests/corpus), each request gets the answer made for its operation,
# and a result the client cannot read is a failure, not a pass.
# What SMOKE and the property test share: values made up from annotations (module `pkg`).
ARGUMENTS = """
SAMPLES = {{"str": "x", "int": 1, "float": 1.5, "bool": True, "bytes": b"\\x00\\xff",
            "UUID": uuid.uuid4(), "datetime": datetime.datetime.now(datetime.UTC),
            "AwareDatetime": datetime.datetime.now(datetime.UTC), "date": datetime.date.today(),
            "time": datetime.time(12, 30),
            "Any": "x", "dict[str, Any]": {{}}, "SecretStr": pydantic.SecretStr("x"),
            "AnyUrl": "https://example.com/a",
            # a file argument (an upload body or a multipart part): its bytes
            "FileContent": b"\\x00\\xff", "FileTypes": b"\\x00\\xff"}}
# a value of the resolved annotation tp; LookupError when there is none to make up
def made_up(tp, depth=0, metadata=()):
    origin, options = typing.get_origin(tp), typing.get_args(tp)
    if tp is type(None) or tp is None:
        return None
    if origin is typing.Annotated:
        return made_up(options[0], depth)
    if origin in (typing.Union, types.UnionType):
        if type(None) in options:
            return None
        for option in options:
            try:
                return made_up(option, depth)
            except LookupError:
                pass
        raise LookupError(tp)
    if origin is typing.Literal:
        return options[0]
    if origin is list and options:  # as few items as the field's min_length allows
        least = max((getattr(m, "min_length", 0) or 0 for m in metadata), default=0)
        return [made_up(options[0], depth + 1) for _ in range(least)]
    if origin in (list, set, frozenset, dict):
        return origin()
    if tp is typing.Any:
        return "x"
    if isinstance(tp, type) and issubclass(tp, enumlib.Enum):
        return next(iter(tp))
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if depth >= 4:
            raise LookupError(tp)
        if issubclass(tp, pydantic.RootModel):
            return tp.model_validate(made_up(tp.model_fields["root"].annotation, depth + 1))
        return tp.model_validate({{
            field.alias or fname: made_up(field.annotation, depth + 1, field.metadata)
            for fname, field in tp.model_fields.items() if field.is_required()
        }})
    if getattr(tp, "__name__", None) in SAMPLES:
        return SAMPLES[tp.__name__]
    raise LookupError(tp)
def made_up_model(model):
    try:
        return made_up(model)
    except (LookupError, pydantic.ValidationError):
        return LookupError
FILL_LISTS = False
# The options of a union's text, outside brackets (`Sequence[A | B] | None` has two), the
# plain `str` last: `str | UUID` wants a UUID made up, which the text also accepts.
def options_of(annotation):
    found, depth, start = [], 0, 0
    for i, char in enumerate(annotation):
        depth += char == "["
        depth -= char == "]"
        if depth == 0 and annotation.startswith(" | ", i):
            found.append(annotation[start:i])
            start = i + 3
    found.append(annotation[start:])
    return sorted((o for o in found if o != "None"), key=lambda o: o == "str")
# A value for one option of an annotation's text (`list[str]`, `Colour`, `int`); LookupError
# when there is none to make up.
def value_of(annotation):
    options = options_of(annotation)
    if len(options) > 1:
        for option in options:
            try:
                return value_of(option)
            except LookupError:
                pass
        raise LookupError(annotation)
    annotation = annotation.removesuffix("_aliased")  # `date as date_aliased` in models.py
    named = getattr(pkg.models, annotation, None)
    if annotation.startswith(("list[", "Sequence[")):  # one item only when asked: a list that must hold some
        if not FILL_LISTS:
            return []
        try:
            return [value_of(annotation[annotation.index("[") + 1:-1])]
        except LookupError:
            return []
    if annotation.startswith(("dict[", "Mapping[")):
        return {{}}
    if annotation.startswith("Literal["):
        return ast.literal_eval(annotation[len("Literal["):-1].split(", ")[0])
    if isinstance(named, type) and issubclass(named, enumlib.Enum):
        return next(iter(named))
    if annotation in SAMPLES:
        return SAMPLES[annotation]
    if isinstance(named, type) and issubclass(named, pydantic.BaseModel) and (value := made_up_model(named)) is not LookupError:
        return value
    raise LookupError(annotation)
# The arguments of a method: every parameter without a default, made up from its annotation
# (the first option of a union that can be); LookupError, naming the parameter, when none can.
def arguments(method):
    args, kwargs = [], {{}}
    for p in inspect.signature(method).parameters.values():
        if p.default is not inspect.Parameter.empty:
            continue
        for option in options_of(str(p.annotation)):
            try:
                value = value_of(option)
                break
            except LookupError:
                pass
        else:
            if "None" not in str(p.annotation).split(" | "):
                raise LookupError(f"{{p.name}}: {{p.annotation}}")
            value = None
        (args.append(value) if p.kind is p.POSITIONAL_OR_KEYWORD else kwargs.__setitem__(p.name, value))
    return args, kwargs
"""
SMOKE = """
import ast, enum as enumlib, inspect, json, os, re, datetime, types, typing, uuid, httpx, pydantic
import {package} as pkg
sent, failed = [], []
ANSWERS = [(m, re.compile(p), s, t, b) for m, p, s, t, b in json.load(open(os.environ["SMOKE_ANSWERS"]))] if os.environ.get("SMOKE_ANSWERS") else []
def handler(request):
    sent.append(request)
    for method, path, status, ctype, body in ANSWERS:
        # A fragment (Box's `/shared_items#app_items`) is not sent, but tells operations apart.
        where = request.url.path + (f"#{{request.url.fragment}}" if request.url.fragment else "")
        if method == request.method and path.fullmatch(where):
            if ctype is None:
                return httpx.Response(status)
            if "json" in ctype:
                return httpx.Response(status, json=body, headers={{"content-type": ctype}})
            return httpx.Response(status, content=body.encode(), headers={{"content-type": ctype}})
    return httpx.Response(200, json={{}})
name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
OPTIONS = {{"base_url", "timeout", "http_client", "max_retries", "follow_redirects", "clock", "strict_responses"}}
# Every credential the client takes (api_key, username and password, one per scheme...).
CREDENTIALS = {{n: "k" for n in inspect.signature(getattr(pkg, name)).parameters if n not in OPTIONS}}
client = getattr(pkg, name)(**CREDENTIALS, base_url="https://api.test.invalid", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
{arguments}# The keyword arguments with the spec's example (kept only where it fits) in place of each
# made-up value the body model refused: a pattern or a length no annotation shows.
def with_examples(kwargs, exc):
    model = getattr(pkg.models, exc.title, None)
    fields = {{(f.alias or n): (n, f) for n, f in getattr(model, "model_fields", {{}}).items()}}
    for error in exc.errors():
        name, field = fields.get(error["loc"][0] if error["loc"] else None, (None, None))
        if name in kwargs and field.examples:
            kwargs[name] = field.examples[0]
    return kwargs
methods, called, skipped = 0, 0, []
for attr, resource in ((k, getattr(client, k)) for k in dir(client) if not k.startswith("_")):
    if not hasattr(resource, "_client"):
        continue
    for mname in sorted(m for m in dir(resource) if not m.startswith("_") and m not in ("with_raw_response", "with_streaming_response")):
        methods += 1
        method = getattr(resource, mname)
        try:
            args, kwargs = arguments(method)
        except LookupError as missing:
            skipped.append(f"{{attr}}.{{mname}}({{missing}})")
            continue
        before = len(sent)
        try:
            try:
                method(*args, **kwargs)
            except pydantic.ValidationError as exc:  # made-up values the body model refuses
                FILL_LISTS = True
                try:
                    args, kwargs = arguments(method)
                finally:
                    FILL_LISTS = False
                method(*args, **with_examples(kwargs, exc))
        except pkg.APIResponseValidationError as exc:
            if ANSWERS:
                failed.append(f"{{attr}}.{{mname}}: {{str(exc)[:300]}}")
        except pydantic.ValidationError as exc:
            skipped.append(f"{{attr}}.{{mname}}: made-up arguments rejected by the model: {{exc.errors(include_url=False)[:2]}}")
        called += len(sent) - before
print(json.dumps({{"methods": methods, "called": called, "skipped": skipped, "failed": failed}}))
""".replace("{arguments}", ARGUMENTS)


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on the loopback interface answering with ``handler``; its URL."""
    http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}"
    finally:
        http.shutdown()
        http.server_close()
