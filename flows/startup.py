"""Getting a freshly started server ready before its first visitor: the modules the app and its pages import,
loaded once into the process, and the database migrated (and on an empty one, seeded) in the background.

Streamlit runs ``app.py`` only when a browser connects, so without this the first person pays for every import
(about two seconds here) on top of the page itself. ``serve.py`` calls ``warm_start`` from its start-up hook.
"""

from __future__ import annotations

import ast
import importlib
import logging
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What Streamlit itself imports only when a first rerun needs it: the page icon's emoji table, the material icon
# names, Arrow's pandas bridge (tables and charts) and the components manifest scanner.
STREAMLIT_ON_FIRST_RUN = ("streamlit.emojis", "streamlit.material_icon_names", "pyarrow.pandas_compat",
                          "streamlit.components.v2.manifest_scanner")
log = logging.getLogger(__name__)


def imported_modules(source: str) -> list[str]:
    """The absolute modules a script imports at its top level or anywhere below (``from x import y`` gives x)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return list(dict.fromkeys(found))


def app_scripts(root: Path = ROOT) -> list[Path]:
    """The app's entry script and every page script."""
    return [root / "app.py", *sorted((root / "pages").glob("*.py"))]


def import_all(modules: Iterable[str]) -> list[str]:
    """Import each module; the ones that fail are logged and named (the page that needs one shows why)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a warm-up never stops the server
            log.exception("warm-up could not import %s", name)
            failed.append(name)
    return failed


def warm_start(root: Path = ROOT) -> float:
    """Import what the app's scripts import and start the database's start-up; the seconds it took."""
    start = time.perf_counter()
    modules = [m for script in app_scripts(root) for m in imported_modules(script.read_text(encoding="utf-8"))]
    import_all(dict.fromkeys([*modules, *STREAMLIT_ON_FIRST_RUN]))
    from flows.frame import start_database

    start_database()  # in the start-up worker: the first session waits for the same one
    return time.perf_counter() - start
