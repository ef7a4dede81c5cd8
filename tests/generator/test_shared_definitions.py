"""What a generated package would otherwise repeat is written once: the keyword arguments
``iter`` passes on to the paged method, the JUnit submit mapping of the sync and async
``submit``, and the command options more than one command of ``__main__.py`` takes.

Read from the committed packages (each regenerated and drift-checked before commit).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from tests.specs import ROOT

TESTMO = ROOT / "generated" / "testmo"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def _methods(tree: ast.Module, cls: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    return {m.name: m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_iter_takes_the_keyword_arguments_of_list_but_the_page_it_follows() -> None:
    tree = _tree(TESTMO / "resources" / "automation_runs.py")
    for cls in ("AutomationRunsResource", "AsyncAutomationRunsResource"):
        methods = _methods(tree, cls)
        listed, paged = methods["list"].args, methods["iter"].args
        assert [a.arg for a in paged.args] == [a.arg for a in listed.args]  # self, project_id
        assert paged.kwarg is not None and paged.kwarg.annotation is not None
        assert not paged.kwonlyargs
        unpacked = ast.unparse(paged.kwarg.annotation)
        assert unpacked == "Unpack[_IterArguments]", unpacked
    keys = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_IterArguments")
    declared = {
        ast.unparse(s.target): ast.unparse(s.annotation)
        for s in keys.body
        if isinstance(s, ast.AnnAssign)
    }
    taken = {a.arg: ast.unparse(a.annotation) for a in listed.kwonlyargs if a.annotation}
    assert declared == {k: v for k, v in taken.items() if k in declared}
    assert set(taken) - set(declared) == {
        "page",  # followed by iter itself
        "strict_responses",
        "extra_headers",
        "extra_query",
        "extra_body",
    }


def test_the_submit_map_is_one_module_constant_both_twins_use() -> None:
    tree = _tree(TESTMO / "resources" / "automation_runs.py")
    maps = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "SubmitMap"
    ]
    assert len(maps) == 1
    constant = next(
        n for n in tree.body if isinstance(n, ast.Assign) and n.value is maps[0]
    ).targets[0]
    for cls in ("AutomationRunsResource", "AsyncAutomationRunsResource"):
        body = ast.unparse(_methods(tree, cls)["submit"])
        assert ast.unparse(constant) in body


def test_every_command_option_is_written_once() -> None:
    for main in sorted((ROOT / "generated").glob("*/__main__.py")):
        calls = Counter(
            ast.unparse(n)
            for n in ast.walk(_tree(main))
            if isinstance(n, ast.Call) and ast.unparse(n.func) == "Option"
        )
        assert calls and max(calls.values()) == 1, main
    shared = [n for n in _tree(TESTMO / "__main__.py").body if isinstance(n, ast.Assign)]
    assert "_PROJECT_ID" in {ast.unparse(n.targets[0]) for n in shared}
