"""SQL sources on the Data page (AppTest): refusals shown plainly, one message for a failed connection, and a
source changed without its URL ever coming back to the screen."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.source_guard import CONNECT_FAILED, OWN_DATABASE
from db.sql_sources import sql_sources
from db.workspaces import WorkspaceIn, create_workspace
from tests.apptest_helpers import open_page

DATA = "pages/data.py"
PASSWORD = "s3cret-pw"
UNREACHABLE = f"postgresql+psycopg://reader:{PASSWORD}@127.0.0.1:1/finance"


@pytest.fixture
def workspace(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", Fernet.generate_key().decode())
    with session_scope(engine_for(sqlite_url)) as session:
        return create_workspace(session, WorkspaceIn(name="Acme", currency="USD")).id


def add_source(at: AppTest, name: str, url: str, query: str = "SELECT day, revenue FROM invoices") -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["Name"].input(name)
    fields["Database URL"].input(url)
    at.text_area[0].input(query)
    next(b for b in at.button if b.label == "Add source").click()
    return at.run()


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "code", "info", "success", "error", "warning", "toast")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def test_the_apps_own_database_is_refused_on_the_page(workspace: int, sqlite_url: str) -> None:
    at = add_source(open_page(DATA), "Mine", sqlite_url)
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [OWN_DATABASE]
    with session_scope(engine_for(sqlite_url)) as session:
        assert sql_sources(session, workspace) == []


def test_a_source_that_cannot_connect_says_only_that(workspace: int) -> None:
    at = add_source(open_page(DATA), "Finance", UNREACHABLE)
    next(b for b in at.button if b.label == "Run the query and map its columns").click()
    at.run()
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error] == [CONNECT_FAILED]
    assert PASSWORD not in shown(at)


def test_a_source_is_renamed_and_its_query_changed_without_its_url(workspace: int, sqlite_url: str) -> None:
    at = add_source(open_page(DATA), "Finance", UNREACHABLE)
    at.text_input(key=f"sql_change_name_{_only_source(sqlite_url, workspace)}").input("Finance warehouse")
    at.text_area(key=f"sql_change_query_{_only_source(sqlite_url, workspace)}").input("SELECT day FROM invoices")
    next(b for b in at.button if b.label == "Save the changes").click()
    at.run()
    assert not at.exception
    with session_scope(engine_for(sqlite_url)) as session:
        [source] = sql_sources(session, workspace)
    assert (source.name, source.query) == ("Finance warehouse", "SELECT day FROM invoices")
    assert source.masked_url == "postgresql+psycopg://reader:***@127.0.0.1:1/finance"  # the URL was kept
    assert at.text_input(key=f"sql_change_url_{_only_source(sqlite_url, workspace)}").value == ""
    assert PASSWORD not in shown(at)


def _only_source(url: str, workspace_id: int) -> int:
    with session_scope(engine_for(url)) as session:
        [source] = sql_sources(session, workspace_id)
    return source.id
