"""Every public method's annotations resolve at run time, as introspecting tools need.

``typing.get_type_hints`` evaluates the (postponed) annotations in the method's module: a name
imported only for the type checker would raise ``NameError`` there.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import subprocess
import sys
import typing

import pytest

from tests.specs import APIS, ROOT, package


def _resource_classes(api: str) -> list[type]:
    resources = importlib.import_module(f"{package(api).__name__}.resources")
    return [getattr(resources, name) for name in resources.__all__]


def _function(member: object) -> typing.Any:
    """The function behind a method, property or cached_property (None for data)."""
    if isinstance(member, property):
        return member.fget
    if isinstance(member, functools.cached_property):
        return member.func
    return member if inspect.isfunction(member) else None


@pytest.mark.parametrize("api", APIS)
def test_every_public_method_of_every_resource_resolves(api: str) -> None:
    checked = []
    for cls in _resource_classes(api):
        for name in dir(cls):
            if name.startswith("_"):
                continue
            func = _function(inspect.getattr_static(cls, name))
            if func is None:
                continue
            hints = typing.get_type_hints(func)
            assert "return" in hints, f"{cls.__name__}.{name}"
            checked.append(f"{cls.__name__}.{name}")
    # Sync and async operations, helpers (iter/wait/upload) and with_raw_response.
    assert len(checked) > 2 * len(_resource_classes(api))


def test_importing_a_package_builds_no_model() -> None:
    """The client imports its resource modules (and with them the models) on first use."""
    for api in APIS:
        name = package(api).__name__
        code = f"import sys, {name}; print(any(m.endswith('.models') for m in sys.modules))"
        found = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert found.stdout.strip() == "False", api
