"""SQL sources: read-only queries, mapped like a file, refreshed on demand; credentials never shown or logged.

The refusals (the app's own database, limits, roles, connection errors) are in test_sql_sources_guard.py and
test_sql_sources_postgres.py, encryption at rest in test_sql_sources_secrets.py, the commands in
test_sql_sources_cli.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError
from sqlalchemy import Engine

from db.audit import events
from db.engine import session_scope, write_scope
from db.imports import import_history
from db.queries import monthly_data
from db.source_guard import SqliteFile
from db.source_reading import ReadLimits, read_source
from db.sql_sources import (
    SqlSourceChange,
    SqlSourceError,
    SqlSourceIn,
    add_sql_source,
    change_sql_source,
    check_query,
    delete_sql_source,
    fetch_sql_source,
    masked_url,
    refresh_sql_source,
    run_query,
    scrub,
    set_sql_mapping,
    sql_sources,
)
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

TODAY = dt.date(2026, 11, 24)
QUERY = "SELECT day, revenue FROM daily_revenue ORDER BY day"


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", key)
    return key


@pytest.fixture
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Another database to read from: a SQLite file with daily revenue, outside the app's data folder."""
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE daily_revenue (day TEXT, revenue REAL)")
        connection.executemany("INSERT INTO daily_revenue VALUES (?, ?)",
                               [("2026-03-01", 100.0), ("2026-03-02", 50.5), ("2026-04-01", 10.0)])
    return f"sqlite:///{path}"


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg://reader:s3cret-pw@db.example.com:5432/finance",
     "postgresql+psycopg://reader:***@db.example.com:5432/finance"),
    ("mysql+pymysql://reader@db/finance?password=s3cret-pw&charset=utf8",
     "mysql+pymysql://reader@db/finance?charset=utf8&password=***"),
    ("not a url", "(not a valid database URL)"),
])
def test_urls_are_only_ever_shown_masked(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_messages_are_scrubbed_of_the_password() -> None:
    url = "postgresql+psycopg://reader:s3cret-pw@db.example.com/finance"
    message = scrub(f"could not connect to {url} with password s3cret-pw", url)
    assert "s3cret-pw" not in message and "***" in message


@pytest.mark.parametrize("query", [
    "SELECT 1", "select day, sum(x) from t group by day;", "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
    "SELECT 'delete me' AS note", "-- monthly\nSELECT update_date FROM t",
])
def test_plain_selects_are_accepted(query: str) -> None:
    assert check_query(query)


@pytest.mark.parametrize(("query", "reason"), [
    ("DELETE FROM t", "must be a SELECT"),
    ("SELECT 1; DROP TABLE t", "one query only"),
    ("SELECT * INTO backup FROM t", "'INTO' is not allowed"),
    ("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone", "'DELETE' is not allowed"),
    ("   ", "the query is empty"),
])
def test_anything_but_a_select_is_refused(query: str, reason: str) -> None:
    with pytest.raises(SqlSourceError, match=reason):
        check_query(query)


def test_sqlite_sources_are_opened_read_only(warehouse: str) -> None:
    """Even a statement that got past the query check cannot write: the file is opened mode=ro, query_only."""
    target = SqliteFile(Path(warehouse.removeprefix("sqlite:///")))
    limits = ReadLimits(timeout_seconds=5, max_bytes=10**6, max_rows=10)
    for statement in ("DELETE FROM daily_revenue", "CREATE TABLE written (x)", "PRAGMA query_only = OFF"):
        with pytest.raises(SqlSourceError, match="may only read data"):
            read_source(target, statement, limits, [], warehouse)
    assert len(run_query(warehouse, QUERY)) == 3


def test_unsupported_databases_and_bad_urls_are_refused() -> None:
    with pytest.raises(SqlSourceError, match="not supported"):
        run_query("oracle://u:p@host/db", "SELECT 1")
    with pytest.raises(SqlSourceError, match="not a valid database URL"):
        run_query("finance warehouse", "SELECT 1")


def test_a_failing_source_never_shows_or_logs_its_password(caplog: pytest.LogCaptureFixture) -> None:
    url = "postgresql+psycopg://reader:s3cret-pw@127.0.0.1:1/finance"
    with caplog.at_level(logging.DEBUG), pytest.raises(SqlSourceError) as failed:
        run_query(url, "SELECT 1")
    assert str(failed.value) == "Could not connect to the SQL source with these settings."
    assert "could not connect" in caplog.text and "127.0.0.1:1" in caplog.text  # the detail is in the log
    assert "s3cret-pw" not in caplog.text


def test_a_source_is_stored_mapped_and_refreshed_like_a_file(engine: Engine, workspace_id: int,
                                                              warehouse: str) -> None:
    with write_scope(engine, workspace_id) as session:
        source_id = add_sql_source(session, workspace_id, SqlSourceIn(name="Warehouse", url=warehouse, query=QUERY),
                                   actor="Dana", can_manage_sources=True)
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
    assert view.masked_url == warehouse and view.mapping is None
    table = fetch_sql_source(engine, workspace_id, source_id)
    mapping = suggest(table, STANDARD_CATALOG)
    assert mapping.metric_columns() == {"revenue": "revenue"}
    with pytest.raises(SqlSourceError, match="map the query's columns first"):
        refresh_sql_source(engine, workspace_id, source_id, today=TODAY)
    with write_scope(engine, workspace_id) as session:
        set_sql_mapping(session, workspace_id, source_id, mapping, actor="Dana", can_manage_sources=True)
    assert refresh_sql_source(engine, workspace_id, source_id, dry_run=True, today=TODAY).accepted
    for _ in range(2):  # refreshing twice replaces, never doubles
        assert refresh_sql_source(engine, workspace_id, source_id, created_by="Dana", today=TODAY).accepted
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["revenue"])
        history = import_history(session, workspace_id)
        [view] = sql_sources(session, workspace_id)
    assert {m: p.value for m, p in data["revenue"].items()} == {dt.date(2026, 3, 1): 150.5,
                                                                dt.date(2026, 4, 1): 10.0}
    assert [h.source_name for h in history] == ["SQL: Warehouse", "SQL: Warehouse"]
    assert view.refreshed_at is not None
    with write_scope(engine, workspace_id) as session:
        delete_sql_source(session, workspace_id, source_id, actor="Dana", can_manage_sources=True)
        assert sql_sources(session, workspace_id) == []
        actions = [(e.action, e.actor, e.detail.get("name")) for e in events(session, workspace_id)]
    assert actions == [("sql_source.deleted", "Dana", "Warehouse"), ("sql_source.mapped", "Dana", "Warehouse"),
                       ("sql_source.added", "Dana", "Warehouse")]


def test_the_new_source_form_checks_url_and_query(engine: Engine, workspace_id: int, warehouse: str) -> None:
    with pytest.raises(ValidationError, match="must be a SELECT"):
        SqlSourceIn(name="W", url=warehouse, query="UPDATE t SET x = 1")
    with pytest.raises(ValidationError, match="not supported"):
        SqlSourceIn(name="W", url="oracle://u:p@h/db", query="SELECT 1")
    with write_scope(engine, workspace_id) as session:
        add_sql_source(session, workspace_id, SqlSourceIn(name="W", url=warehouse, query=QUERY), actor="Dana",
                       can_manage_sources=True)
        with pytest.raises(SqlSourceError, match="already a SQL source called 'W'"):
            add_sql_source(session, workspace_id, SqlSourceIn(name="W", url=warehouse, query=QUERY), actor="Dana",
                           can_manage_sources=True)


def test_validation_errors_never_repeat_the_url() -> None:
    url = "postgresql+psycopg://reader:s3cret-pw@db.example.com/finance?host=/tmp"
    with pytest.raises(ValidationError) as failed:
        SqlSourceIn(name="W", url=url, query="SELECT 1")
    assert "option 'host' is not allowed" in str(failed.value)
    assert "s3cret-pw" not in str(failed.value) and "s3cret-pw" not in repr(failed.value)
    assert "s3cret-pw" not in repr(SqlSourceIn.model_construct(name="W", url=url, query="SELECT 1"))


def test_only_advisors_add_change_or_delete_sources(engine: Engine, workspace_id: int, warehouse: str) -> None:
    data = SqlSourceIn(name="W", url=warehouse, query=QUERY)
    with write_scope(engine, workspace_id) as session, pytest.raises(SqlSourceError, match="only advisors"):
        add_sql_source(session, workspace_id, data, actor="Sam", can_manage_sources=False)
    with write_scope(engine, workspace_id) as session:
        source_id = add_sql_source(session, workspace_id, data, actor="Ada", can_manage_sources=True)
    change = SqlSourceChange(name="W", query="SELECT day FROM daily_revenue")
    for refused in (lambda s: change_sql_source(s, workspace_id, source_id, change, actor="Sam",
                                                can_manage_sources=False),
                    lambda s: delete_sql_source(s, workspace_id, source_id, actor="Sam", can_manage_sources=False)):
        with write_scope(engine, workspace_id) as session, pytest.raises(SqlSourceError, match="only advisors"):
            refused(session)
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
    assert (view.name, view.query) == ("W", QUERY)


def test_a_change_keeps_the_stored_url_unless_a_new_one_is_given(engine: Engine, workspace_id: int,
                                                                 warehouse: str, tmp_path_factory) -> None:
    with write_scope(engine, workspace_id) as session:
        source_id = add_sql_source(session, workspace_id, SqlSourceIn(name="W", url=warehouse, query=QUERY),
                                   actor="Ada", can_manage_sources=True)
    with write_scope(engine, workspace_id) as session:
        change_sql_source(session, workspace_id, source_id,
                          SqlSourceChange(name="Warehouse", query="SELECT day FROM daily_revenue"),
                          actor="Ada", can_manage_sources=True)
    assert fetch_sql_source(engine, workspace_id, source_id).columns == ["day"]
    other = tmp_path_factory.mktemp("other") / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE daily_revenue (day TEXT)")
    moved = SqlSourceChange(name="Warehouse", url=f"sqlite:///{other}", query="SELECT day FROM daily_revenue")
    with write_scope(engine, workspace_id) as session:
        change_sql_source(session, workspace_id, source_id, moved, actor="Ada", can_manage_sources=True)
    assert len(fetch_sql_source(engine, workspace_id, source_id).frame) == 0  # the new file has no rows
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
        changes = [e.detail for e in events(session, workspace_id) if e.action == "sql_source.changed"]
    assert view.masked_url == f"sqlite:///{other}"
    assert changes[0]["url"] == f"sqlite:///{other}" and "url" not in changes[1]
