"""Upgrading a database that already holds a company keeps every row of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import text

from db.engine import alembic_config, engine_for


def test_upgrading_sqlite_from_0007_keeps_every_row_and_foreign_keys_stay_on(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0007")
    with sqlite3.connect(path) as old:
        old.execute("PRAGMA foreign_keys=ON")
        old.execute("INSERT INTO workspace (name, currency, fiscal_year_start_month, color) "
                    "VALUES ('Bloom & Brew', 'EUR', 1, '#2e7d4f')")
        old.execute("INSERT INTO import_batch (workspace_id, created_by, source_name, file_name, file_digest, "
                    "row_count, status) VALUES (1, 'Dana', 'Finance', 'finance.csv', 'abc', 1, 'active')")
        old.execute("INSERT INTO observation (workspace_id, metric_key, month, segment, value, weight, source_name, "
                    "batch_id) VALUES (1, 'revenue', '2026-01-01', '', 5, 1, 'Finance', 1)")
        old.execute("INSERT INTO metric_month_total VALUES (1, 'revenue', '2026-01-01', 5, 5, 1)")
    engine = engine_for(f"sqlite:///{path}")
    with engine.connect() as connection:
        counts = [connection.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("import_batch", "observation", "metric_month_total")]
        assert counts == [1, 1, 1]
        assert connection.execute(text("SELECT slug, coverage FROM workspace, metric_month_total")).one() == (
            "bloom-brew", 1.0)
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
