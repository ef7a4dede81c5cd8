"""Real-world documents nobody on this project wrote: every operation generated, typed, callable.

The openapi-python-client baseline documents (3.0 and 3.1) are a tour of OpenAPI features; each
must generate without dropping an operation, import, pass mypy --strict, and answer calls
through a mock transport. The documents live in ``shared/realworld`` beside the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.load import load
from generator.validate import operations
from tests.generator.realworld import realworld_dir, require
from tests.generator.util import generate, mypy_strict, run_python

BASELINES = {
    "baseline30": "openapi-python-client/baseline_openapi_3.0.json",
    "baseline31": "openapi-python-client/baseline_openapi_3.1.yaml",
    "specific31": "openapi-python-client/3.1_specific.openapi.yaml",
    "enums31": "openapi-python-client/openapi_3.1_enums.yaml",
}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every baseline document generated into one folder, one package each."""
    root = tmp_path_factory.mktemp("realworld")
    for package, relative in BASELINES.items():
        spec = require(realworld_dir() / relative)
        generate(spec, root, package)
    return root


# Calls every operation whose required arguments it can make up from their annotations, through
# a mock transport answering {} (a model that needs fields raises APIResponseValidationError:
# the request was still built and sent, which is what the smoke test is about).
_SMOKE = """
import ast, enum as enumlib, inspect, json, datetime, uuid, httpx
import {package} as pkg
sent = []
def handler(request):
    sent.append(request)
    return httpx.Response(200, json={{}})
name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
client = getattr(pkg, name)(api_key="k", base_url="https://api.test.invalid", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
SAMPLES = {{"str": "x", "int": 1, "float": 1.5, "bool": True, "bytes": b"\\x00\\xff",
            "UUID": uuid.uuid4(), "datetime": datetime.datetime.now(datetime.UTC),
            "date": datetime.date.today(), "Any": "x", "dict[str, Any]": {{}}}}
methods, called, skipped = 0, 0, []
for attr, resource in vars(client).items():
    if not hasattr(resource, "_client"):
        continue
    for mname in sorted(m for m in dir(resource) if not m.startswith("_")):
        methods += 1
        method = getattr(resource, mname)
        args, kwargs = [], {{}}
        for p in inspect.signature(method).parameters.values():
            if p.default is not inspect.Parameter.empty:
                continue
            annotation = str(p.annotation).split(" | ")[0]
            enum = getattr(pkg.models, annotation, None)
            if annotation.startswith("list["):
                value = []
            elif annotation.startswith("Literal["):
                value = ast.literal_eval(annotation[len("Literal["):-1].split(", ")[0])
            elif isinstance(enum, type) and issubclass(enum, enumlib.Enum):
                value = next(iter(enum))
            elif annotation in SAMPLES:
                value = SAMPLES[annotation]
            else:
                value = None
                skipped.append(f"{{attr}}.{{mname}}({{p.name}}: {{p.annotation}})")
                break
            (args.append(value) if p.kind is p.POSITIONAL_OR_KEYWORD else kwargs.__setitem__(p.name, value))
        else:
            before = len(sent)
            try:
                method(*args, **kwargs)
            except pkg.APIResponseValidationError:
                pass
            called += len(sent) - before
print(json.dumps({{"methods": methods, "called": called, "skipped": skipped}}))
"""


@pytest.mark.parametrize("package", sorted(BASELINES))
def test_every_operation_is_generated_and_callable(packages: Path, package: str) -> None:
    doc = load(realworld_dir() / BASELINES[package])
    expected = len(list(operations(doc)))
    run = run_python(_SMOKE.format(package=package), packages)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["methods"] == expected
    assert out["called"] >= expected * 0.6, out["skipped"]


def test_baselines_pass_mypy_strict(packages: Path) -> None:
    run = mypy_strict([packages / name for name in sorted(BASELINES)], packages)
    assert run.returncode == 0, run.stdout[-4000:]
