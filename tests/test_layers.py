"""Layer boundaries (STYLE.md 6): the ETL and the warehouse never import the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = ("etl", "warehouse")
UI_MODULES = {"streamlit"}


def core_files() -> list[Path]:
    files = sorted(p for package in CORE for p in (REPO / package).rglob("*.py"))
    assert files, "no core modules found"
    return files


def imported_roots(tree: ast.AST) -> set[str]:
    """The top-level package of every import in a module, wherever it stands (functions included)."""
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_core_module_does_not_import_the_ui(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert imported_roots(tree) & UI_MODULES == set()


@pytest.mark.parametrize(
    ("source", "roots"),
    [
        ("import streamlit as st", {"streamlit"}),
        ("from streamlit.testing.v1 import AppTest", {"streamlit"}),
        ("def f():\n    import streamlit\n", {"streamlit"}),
        ("import importlib\nimportlib.import_module('streamlit')", {"importlib", "streamlit"}),
        ("from . import sibling\nimport duckdb", {"duckdb"}),
    ],
)
def test_the_import_finder_sees_every_form(source: str, roots: set[str]) -> None:
    assert imported_roots(ast.parse(source)) == roots


def test_importing_the_core_loads_no_ui() -> None:
    modules = ["etl.pipeline", "etl.cli", "etl.evaluate", "warehouse"] + [
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in sorted((REPO / "etl").rglob("*.py"))
        if p.stem not in {"__init__", "__main__"}
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(UI_MODULES)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
