"""metrics/ stays pure: no UI and no database, so it tests and runs anywhere."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from settings import PROJECT_ROOT

FORBIDDEN = ("streamlit", "sqlalchemy")
METRICS_DIR = PROJECT_ROOT / "metrics"
MODULES = sorted(METRICS_DIR.glob("*.py"))


def imported_roots(source: str) -> set[str]:
    """Top-level package names a module imports, wherever the import statement sits."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_scan_sees_imports() -> None:
    source = "import os\nfrom streamlit import cache_data\ndef f():\n    import sqlalchemy.orm\n"
    assert imported_roots(source) == {"os", "streamlit", "sqlalchemy"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_does_not_import_ui_or_database(path: Path) -> None:
    assert not imported_roots(path.read_text()) & set(FORBIDDEN)


def test_importing_all_of_metrics_loads_neither() -> None:
    names = [f"metrics.{p.stem}" for p in MODULES if p.stem != "__init__"]
    assert len(names) >= 8
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
