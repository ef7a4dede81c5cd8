"""Spec text never becomes code: hostile strings in every position of a spec stay data.

Each payload of :mod:`tests.generator.hostile` fills every free-text position of a spec; the
generated package must compile, carry no call or statement that a template did not write,
import and run a call through a mock transport without creating a file, and pass mypy --strict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.generator.hostile import PAYLOADS, hostile_spec
from tests.generator.util import foreign_code, generate, mypy_strict, run_python, write_spec

CASES = range(len(PAYLOADS))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory holding a package per payload (``hostile0`` ...)."""
    root = tmp_path_factory.mktemp("hostile")
    for index in CASES:
        spec = write_spec(hostile_spec(index), root, f"spec{index}.json")
        generate(spec, root, f"hostile{index}")
    return root


@pytest.mark.parametrize("index", CASES)
def test_generated_code_holds_nothing_from_spec_text(workdir: Path, index: int) -> None:
    package = workdir / f"hostile{index}"
    assert sorted(p.name for p in package.glob("resources/*.py"))
    assert foreign_code(package) == []


_CALL = """
import inspect, json, httpx
import {package} as pkg

payload = {payload!r}
sent = []

def handler(request):
    sent.append(request)
    return httpx.Response(200, json={{"kind": "add", payload: payload}})

name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
http = httpx.Client(transport=httpx.MockTransport(handler))
client = getattr(pkg, name)(api_key="k", base_url="https://api.test.invalid/v1", http_client=http)
resource = next(v for k, v in ((k, getattr(client, k)) for k in dir(client) if not k.startswith("_")) if hasattr(v, "_client"))
method = next(getattr(resource, m) for m in dir(resource) if not m.startswith("_") and m not in ("with_raw_response", "with_streaming_response"))
query = next(p for p in inspect.signature(method).parameters.values() if p.kind is p.KEYWORD_ONLY)
result = method("t/1", **{{query.name: payload}})
(request,) = sent
assert request.url.raw_path.startswith(b"/v1/things/t%2F1?"), request.url
assert request.url.params.get_list(payload) == [payload, "k"], request.url.params
print(type(result).__name__, json.dumps(result.model_dump(mode="json", by_alias=True)[payload]))
"""


@pytest.mark.parametrize("index", CASES)
def test_package_imports_and_calls_without_side_effects(workdir: Path, index: int) -> None:
    payload = PAYLOADS[index]
    run = run_python(_CALL.format(package=f"hostile{index}", payload=payload), workdir)
    assert run.returncode == 0, run.stderr
    name, value = run.stdout.strip().split(" ", 1)
    assert name == "Thing"
    assert value.strip('"') != ""
    assert not list(workdir.rglob("PWNED"))
    assert not Path("PWNED").exists()


def test_packages_pass_mypy_strict(workdir: Path) -> None:
    run = mypy_strict([workdir / f"hostile{i}" for i in CASES], workdir)
    assert run.returncode == 0, run.stdout[-4000:]
