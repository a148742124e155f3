"""The seam holds by construction: components never reach the data, pages reach it only through the service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from settings import PROJECT_ROOT

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
COMPONENTS = sorted((PROJECT_ROOT / "components").glob("*.py"))
SEAM = {"db.service", "db.access"}  # what a page may import from db


def runtime_imports(path: Path) -> set[str]:
    """Modules a file imports when it runs (imports under ``if TYPE_CHECKING:`` are only for type hints)."""
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
                   for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update(f"{node.module}.{alias.name}" if node.module == "db" else node.module
                         for alias in node.names)
    return found


def test_the_scan_tells_runtime_from_type_only_imports(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("from typing import TYPE_CHECKING\nfrom db import service\nif TYPE_CHECKING:\n"
                      "    from db.queries import SourceBatch\nimport db.engine\n")
    assert runtime_imports(source) == {"typing", "db.service", "db.engine"}


@pytest.mark.parametrize("path", COMPONENTS, ids=lambda p: p.name)
def test_a_component_never_imports_the_database_or_the_flows(path: Path) -> None:
    reached = {m for m in runtime_imports(path) if m.split(".")[0] in ("db", "flows", "sqlalchemy")}
    assert not reached, f"{path.name} imports {sorted(reached)}: components receive values, they never query"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_a_page_reaches_data_only_through_the_seam(path: Path) -> None:
    reached = {m for m in runtime_imports(path) if m.split(".")[0] in ("db", "sqlalchemy") and m not in SEAM}
    assert not reached, f"{path.name} imports {sorted(reached)}: pages use db.service with the page's scope"
