"""The Data page in AppTest: it runs, shows history with undo, data health, and SQL sources with masked URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components.text import as_typed
from db.engine import engine_for, session_scope
from db.imports import import_history, import_table
from db.workspaces import WorkspaceIn, create_workspace
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG
from tests.apptest_helpers import open_page

DATA = "pages/data.py"
PASSWORD = "s3cret-pw"


@pytest.fixture
def workspace(sqlite_url: str) -> int:
    """A workspace with one imported file (three months of revenue)."""
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Acme", currency="USD")).id
    table = read_file("finance.csv", b"Month,Revenue\n2026-01,100\n2026-02,110\n2026-03,120\n")
    mapping = suggest(table, STANDARD_CATALOG)
    assert import_table(engine, workspace_id, table, mapping, created_by="Dana", today=dt.date(2026, 11, 1)).accepted
    return workspace_id


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "code", "info", "success", "error", "warning")
             for e in getattr(at, kind)]
    parts += [d.value.to_string() for d in at.dataframe]
    return as_typed("\n".join(str(p) for p in parts).replace("\\", ""))  # markdown escapes removed


def test_the_page_runs_with_its_four_tabs(workspace: int) -> None:
    at = open_page(DATA)
    assert [t.label for t in at.tabs] == ["Import a file", "History", "SQL sources", "Data health"]
    history = at.dataframe[0].value
    assert history["File"].tolist() == ["finance.csv"] and history["By"].tolist() == ["Dana"]
    assert history["Periods"].tolist() == ["Jan 2026 – Mar 2026"]
    health = at.dataframe[1].value
    assert health["Metric"].tolist() == ["Revenue"] and health["Last month"].tolist() == ["Mar 2026"]


def test_undo_from_the_history_tab(workspace: int, sqlite_url: str) -> None:
    at = open_page(DATA)
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert any("undone" in s.value for s in at.success)
    with session_scope(engine_for(sqlite_url)) as session:
        assert [h.status for h in import_history(session, workspace)] == ["undone"]
    assert at.dataframe[0].value["Status"].tolist() == ["undone"]


def submit_sql_source(at: AppTest, name: str, url: str, query: str) -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["Name"].input(name)
    fields["Database URL"].input(url)
    at.text_area[0].input(query)
    next(b for b in at.button if b.label == "Add source").click()
    return at.run()


def test_sql_sources_refuse_writes_and_never_show_the_password(workspace: int) -> None:
    at = open_page(DATA)
    url = f"postgresql+psycopg://reader:{PASSWORD}@db.invalid:5432/finance"
    at = submit_sql_source(at, "Finance warehouse", url, "DELETE FROM invoices")
    assert any("must be a SELECT" in e.value for e in at.error)
    at = submit_sql_source(at, "Finance warehouse", url, "SELECT day, revenue FROM invoices")
    assert not at.exception
    assert any("SQL source 'Finance warehouse' added" in s.value for s in at.success)
    shown = texts(at)
    assert "postgresql+psycopg://reader:***@db.invalid:5432/finance" in shown
    assert PASSWORD not in shown
