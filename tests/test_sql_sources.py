"""SQL sources: read-only queries, mapped like a file, refreshed on demand; credentials never shown or logged."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from db.engine import session_scope
from db.imports import import_history
from db.queries import monthly_data
from db.sql_sources import (
    SqlSourceError,
    SqlSourceIn,
    add_sql_source,
    check_query,
    delete_sql_source,
    fetch_sql_source,
    masked_url,
    readonly_engine,
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


@pytest.fixture
def warehouse(tmp_path: Path) -> str:
    """Another database to read from: a SQLite file with daily revenue."""
    path = tmp_path / "warehouse.db"
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
    engine = readonly_engine(warehouse)
    with engine.connect() as connection, pytest.raises(Exception, match="readonly|read-only|query_only"):
        connection.exec_driver_sql("DELETE FROM daily_revenue")
    engine.dispose()
    assert len(run_query(warehouse, QUERY)) == 3


def test_postgresql_sources_are_opened_read_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL")
    engine = readonly_engine(database_url)
    with engine.connect() as connection, pytest.raises(Exception, match="read-only transaction"):
        connection.exec_driver_sql("CREATE TABLE written_by_a_source (x integer)")
    engine.dispose()


def test_unsupported_databases_and_bad_urls_are_refused() -> None:
    with pytest.raises(SqlSourceError, match="not supported"):
        readonly_engine("oracle://u:p@host/db")
    with pytest.raises(SqlSourceError, match="not a valid database URL"):
        readonly_engine("finance warehouse")


def test_a_failing_source_never_shows_or_logs_its_password(caplog: pytest.LogCaptureFixture) -> None:
    url = "postgresql+psycopg://reader:s3cret-pw@127.0.0.1:1/finance?connect_timeout=2"
    with caplog.at_level(logging.DEBUG), pytest.raises(SqlSourceError) as failed:
        run_query(url, "SELECT 1")
    assert "s3cret-pw" not in str(failed.value)
    assert "s3cret-pw" not in caplog.text


def test_a_source_is_stored_mapped_and_refreshed_like_a_file(engine: Engine, workspace_id: int,
                                                              warehouse: str) -> None:
    with session_scope(engine) as session:
        source_id = add_sql_source(session, workspace_id, SqlSourceIn(name="Warehouse", url=warehouse, query=QUERY))
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
    assert view.masked_url == warehouse and view.mapping is None
    table = fetch_sql_source(engine, workspace_id, source_id)
    mapping = suggest(table, STANDARD_CATALOG)
    assert mapping.metric_columns() == {"revenue": "revenue"}
    with pytest.raises(SqlSourceError, match="map the query's columns first"):
        refresh_sql_source(engine, workspace_id, source_id, today=TODAY)
    with session_scope(engine) as session:
        set_sql_mapping(session, workspace_id, source_id, mapping)
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
    with session_scope(engine) as session:
        delete_sql_source(session, workspace_id, source_id)
        assert sql_sources(session, workspace_id) == []


def test_the_new_source_form_checks_url_and_query(engine: Engine, workspace_id: int, warehouse: str) -> None:
    with pytest.raises(ValidationError, match="must be a SELECT"):
        SqlSourceIn(name="W", url=warehouse, query="UPDATE t SET x = 1")
    with pytest.raises(ValidationError, match="not supported"):
        SqlSourceIn(name="W", url="oracle://u:p@h/db", query="SELECT 1")
    with session_scope(engine) as session:
        add_sql_source(session, workspace_id, SqlSourceIn(name="W", url=warehouse, query=QUERY))
        with pytest.raises(SqlSourceError, match="already a SQL source called 'W'"):
            add_sql_source(session, workspace_id, SqlSourceIn(name="W", url=warehouse, query=QUERY))
