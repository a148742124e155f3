"""`python cli.py source add | list | run`: the Data page's SQL sources for automation, refusals with reasons."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, text

import cli
from db.audit import events
from db.engine import session_scope, write_scope
from db.imports import import_history
from db.queries import monthly_data
from db.sql_sources import set_sql_mapping, sql_sources
from importers.mapping import ColumnChoice, ImportMapping, Role

PASSWORD = "s3cret-pw"


@pytest.fixture(autouse=True)
def secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", Fernet.generate_key().decode())


@pytest.fixture
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE daily_revenue (day TEXT, revenue REAL, customers INTEGER)")
        connection.executemany("INSERT INTO daily_revenue VALUES (?, ?, ?)",
                               [("2026-03-01", 100.0, 2), ("2026-03-02", 50.5, 1), ("2026-04-01", 10.0, 1)])
    connection.close()
    return path


def source_cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(["source", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def add_warehouse(capsys: pytest.CaptureFixture, warehouse: Path, query: str = "SELECT day, revenue FROM "
                  "daily_revenue") -> tuple[int, str, str]:
    return source_cli(capsys, "add", "--workspace", "Test Co", "--name", "Warehouse", "--url",
                      f"sqlite:///{warehouse}", "--query", query, "--by", "Ada")


def test_add_stores_the_source_encrypted_and_records_who(capsys: pytest.CaptureFixture, engine: Engine,
                                                         workspace_id: int, warehouse: Path) -> None:
    code, out, err = add_warehouse(capsys, warehouse)
    assert (code, err) == (0, "")
    assert out == f"SQL source 'Warehouse' added to Test Co: sqlite:///{warehouse}\n"
    with engine.connect() as connection:
        assert "://" not in connection.execute(text("SELECT url FROM sql_source")).scalar_one()
    with session_scope(engine) as session:
        [entry] = events(session, workspace_id)
    assert (entry.action, entry.actor, entry.detail["name"]) == ("sql_source.added", "Ada", "Warehouse")


def test_add_reads_the_url_from_the_environment_and_never_prints_the_password(
        capsys: pytest.CaptureFixture, engine: Engine, workspace_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINANCE_URL", f"postgresql+psycopg://reader:{PASSWORD}@db.example.com/finance")
    code, out, _ = source_cli(capsys, "add", "--workspace", "Test Co", "--name", "Finance", "--url-env",
                              "FINANCE_URL", "--query", "SELECT 1")
    assert code == 0 and out.endswith("postgresql+psycopg://reader:***@db.example.com/finance\n")
    code, out, err = source_cli(capsys, "list", "--workspace", "Test Co")
    assert (code, err) == (0, "")
    assert out == "Finance\tpostgresql+psycopg://reader:***@db.example.com/finance\tno saved mapping\t" \
                  "last refreshed never\n"
    assert PASSWORD not in out
    code, _, err = source_cli(capsys, "add", "--workspace", "Test Co", "--name", "F2", "--url-env", "UNSET_URL",
                              "--query", "SELECT 1")
    assert (code, err) == (1, "Error: the environment variable UNSET_URL is not set (or empty)\n")


@pytest.mark.parametrize(("url", "query", "reason"), [
    ("{app}", "SELECT 1", "This is Alignboard's own database: a SQL source must read another database."),
    ("sqlite:///{warehouse}?mode=rwc", "SELECT 1", "without options"),
    ("sqlite:///{warehouse}", "DELETE FROM daily_revenue", "the query must be a SELECT"),
    ("oracle://u:p@h/db", "SELECT 1", "oracle is not supported"),
])
def test_add_refusals_exit_1_with_the_reason(capsys: pytest.CaptureFixture, database_url: str, workspace_id: int,
                                             warehouse: Path, url: str, query: str, reason: str) -> None:
    code, out, err = source_cli(capsys, "add", "--workspace", "Test Co", "--name", "W", "--url",
                                url.format(app=database_url, warehouse=warehouse), "--query", query)
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and reason in err and "Traceback" not in err
    code, out, _ = source_cli(capsys, "list", "--workspace", "Test Co")
    assert out == "No SQL sources yet.\n"


def test_a_second_source_of_the_same_name_is_refused(capsys: pytest.CaptureFixture, engine: Engine,
                                                     workspace_id: int, warehouse: Path) -> None:
    assert add_warehouse(capsys, warehouse)[0] == 0
    code, _, err = add_warehouse(capsys, warehouse)
    assert (code, err) == (1, "Error: there is already a SQL source called 'Warehouse'\n")


def test_run_imports_with_the_suggested_mapping_and_a_dry_run_writes_nothing(
        capsys: pytest.CaptureFixture, engine: Engine, workspace_id: int, warehouse: Path) -> None:
    add_warehouse(capsys, warehouse)
    code, out, err = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Warehouse", "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["Ran the query of 'Warehouse': 3 rows.",
                         "No saved mapping: using the suggested one (save one on the Data page to fix it).",
                         "Mapping: day → date; revenue → Revenue"]
    assert lines[3].startswith("Dry run, nothing written: would import 3 rows") and "'SQL: Warehouse'" in lines[3]
    with session_scope(engine) as session:
        assert import_history(session, workspace_id) == []
    code, out, err = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Warehouse", "--by", "Ada")
    assert (code, err) == (0, "")
    assert "Imported 3 rows" in out and "2 of 2 monthly value(s) change:" in out
    with session_scope(engine) as session:
        [batch] = import_history(session, workspace_id)
        revenue = monthly_data(session, workspace_id, ["revenue"])["revenue"]
        [view] = sql_sources(session, workspace_id)
    assert (batch.source_name, batch.created_by) == ("SQL: Warehouse", "Ada")
    assert {m: p.value for m, p in revenue.items()} == {dt.date(2026, 3, 1): 150.5, dt.date(2026, 4, 1): 10.0}
    assert view.refreshed_at is not None


def test_run_uses_the_saved_mapping(capsys: pytest.CaptureFixture, engine: Engine, workspace_id: int,
                                    warehouse: Path) -> None:
    add_warehouse(capsys, warehouse, "SELECT day, revenue, customers FROM daily_revenue")
    mapping = ImportMapping(columns={"day": ColumnChoice(role=Role.DATE),
                                     "revenue": ColumnChoice(role=Role.IGNORE),
                                     "customers": ColumnChoice(role=Role.METRIC, metric="new_customers")})
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
    with write_scope(engine, workspace_id) as session:
        set_sql_mapping(session, workspace_id, view.id, mapping, actor="Ada", can_manage_sources=True)
    code, out, _ = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Warehouse")
    assert code == 0 and "Mapping: day → date; customers → New customers" in out
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id, ["new_customers", "revenue"])
    assert {m: p.value for m, p in data["new_customers"].items()} == {dt.date(2026, 3, 1): 3,
                                                                       dt.date(2026, 4, 1): 1}
    assert not data.get("revenue")


def test_run_refusals_exit_non_zero_with_the_reason(capsys: pytest.CaptureFixture, engine: Engine,
                                                   workspace_id: int, warehouse: Path) -> None:
    code, _, err = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Nope")
    assert (code, err) == (1, "Error: no SQL source called 'Nope' in Test Co (sources: none yet)\n")
    add_warehouse(capsys, warehouse, "SELECT day, -revenue AS new_customers FROM daily_revenue")
    code, _, err = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Warehouse")
    assert code == 2  # the result is checked like a file: negative customers are refused, each row named
    assert err.startswith("Rejected: 3 problem(s); nothing was imported.\n")
    assert "row 1, column 'new_customers'" in err
    warehouse.unlink()
    code, _, err = source_cli(capsys, "run", "--workspace", "Test Co", "--name", "Warehouse")
    assert (code, err) == (1, f"Error: no SQLite file at {warehouse}: a SQLite source must be an existing database "
                              "file\n")
    with session_scope(engine) as session:
        assert import_history(session, workspace_id) == []
