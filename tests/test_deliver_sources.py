"""SQL sources refreshed by the scheduled command: once a day whichever server runs it, a failure recorded and
alerted, a source not refreshed for more than a month alerted as late (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, update

from db import schedule
from db.engine import session_scope, write_scope
from db.import_models import SqlSource
from db.imports import import_history
from db.sql_sources import SqlSourceIn, add_sql_source, fetch_sql_source, set_sql_mapping
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG
from reports.smtp import mail_server
from tests.mail_fixtures import APP_URL, PEOPLE, TODAY, Inbox, build_company, parts

QUERY = "SELECT day, website_sessions FROM traffic ORDER BY day"


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(schedule, "pdf_available", lambda: False)


@pytest.fixture
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another database: daily website sessions in March 2026, in a SQLite file outside the app's data folder."""
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE traffic (day TEXT, website_sessions REAL)")
        connection.executemany("INSERT INTO traffic VALUES (?, ?)", [("2026-03-01", 100.0), ("2026-03-02", 50.0)])
    return path


def add_source(engine: Engine, workspace_id: int, url: str, *, mapped: bool = True, name: str = "Warehouse") -> int:
    with write_scope(engine, workspace_id) as session:
        source_id = add_sql_source(session, workspace_id, SqlSourceIn(name=name, url=url, query=QUERY),
                                   actor="Ada", can_manage_sources=True)
    if mapped:
        mapping = suggest(fetch_sql_source(engine, workspace_id, source_id), STANDARD_CATALOG)
        assert mapping.metric_columns() == {"website_sessions": "sessions"}
        with write_scope(engine, workspace_id) as session:
            set_sql_mapping(session, workspace_id, source_id, mapping, actor="Ada", can_manage_sources=True)
    return source_id


def deliver(engine: Engine, today: dt.date) -> schedule.Report:
    return schedule.run(engine, today, dry_run=False, server=mail_server(), app_url=APP_URL)


def refreshes(engine: Engine, workspace_id: int) -> int:
    with session_scope(engine) as session:
        return sum(h.source_name == "SQL: Warehouse" for h in import_history(session, workspace_id))


def test_a_mapped_source_is_refreshed_once_a_day_and_a_failure_is_alerted(engine: Engine, workspace_id: int,
                                                                          warehouse: Path, inbox: Inbox) -> None:
    company = build_company(engine, workspace_id)
    add_source(engine, company, f"sqlite:///{warehouse}")
    first = deliver(engine, TODAY)
    assert "Test Co: refreshed the SQL source 'Warehouse'." in first.lines and not first.problems
    deliver(engine, TODAY)  # a second run (or server) the same day leaves it
    assert refreshes(engine, company) == 1
    deliver(engine, TODAY + dt.timedelta(days=1))
    assert refreshes(engine, company) == 2
    inbox.received.clear()

    warehouse.unlink()  # the warehouse is gone
    failed = deliver(engine, TODAY + dt.timedelta(days=2))
    assert failed.problems == [f"Test Co: the SQL source 'Warehouse' could not be refreshed: no SQLite file at "
                               f"{warehouse}: a SQLite source must be an existing database file"]
    assert refreshes(engine, company) == 2
    [digest] = inbox.to(PEOPLE["ceo"])
    text, _ = parts(digest)
    assert digest["Subject"] == "Test Co: 1 alert on 18 Nov 2026"
    assert ("- Import failed: SQL source 'Warehouse'. 1 problem stopped the import of SQL source 'Warehouse' "
            "(source 'SQL: Warehouse') by Scheduled refresh; nothing was imported.") in text


def test_a_source_not_refreshed_for_more_than_a_month_is_alerted_as_late(engine: Engine, workspace_id: int,
                                                                         warehouse: Path, inbox: Inbox) -> None:
    company = build_company(engine, workspace_id)
    source_id = add_source(engine, company, f"sqlite:///{warehouse}", mapped=False, name="Old feed")
    with write_scope(engine, company) as session:
        session.execute(update(SqlSource).where(SqlSource.id == source_id).values(
            created_at=dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)))
    deliver(engine, TODAY)
    [digest] = [m for m in inbox.to(PEOPLE["advisor"]) if "alert" in m["Subject"]]
    assert "- SQL source late: Old feed. The SQL source 'Old feed' has not been refreshed since it was added on " \
           "01 Oct 2026 (46 days): its figures may be out of date." in parts(digest)[0]
