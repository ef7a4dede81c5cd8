"""What a generated method's help says: the response's own words, defaults spelled cleanly."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from tests.specs import APIS, package


def _methods(api: str) -> list[tuple[str, str]]:
    resources = importlib.import_module(f"{package(api).__name__}.resources")
    found = []
    for cls in (getattr(resources, name) for name in resources.__all__):
        for name, member in vars(cls).items():
            if inspect.isfunction(member) and not name.startswith("_"):
                found.append((f"{cls.__name__}.{name}", inspect.getdoc(member) or ""))
    return found


@pytest.mark.parametrize("api", APIS)
def test_an_empty_answer_is_documented_by_its_description_not_its_status(api: str) -> None:
    bare = [name for name, doc in _methods(api) if re.search(r"^\s*None: \d\w\w\s*$", doc, re.M)]
    assert bare == []


@pytest.mark.parametrize("api", APIS)
def test_a_server_default_has_no_stray_space_before_its_closing_quotes(api: str) -> None:
    stray = [name for name, doc in _methods(api) if re.search(r"Server default: ``[^`]*\s``", doc)]
    assert stray == []
    assert any("Server default: ``" in doc for api in APIS for _, doc in _methods(api))
