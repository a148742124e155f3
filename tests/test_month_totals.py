"""The month totals pages read stay equal to the observations they summarise, through every kind of write."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from alembic import command
from sqlalchemy import Engine, create_engine, func, select, text

from db.engine import alembic_config, session_scope
from db.ingest import ingest, undo_batch
from db.models import MonthTotal, Observation
from db.overlaps import OverlapChoice
from db.queries import ACTIVE, COUNTED, RECORD_JOIN, Record
from db.sources import clear_source_of_record, set_source_of_record

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def _rows(values: dict[str, float], day: str = "2025-01-10") -> pd.DataFrame:
    return pd.DataFrame({"date": [day] * len(values), "metric": list(values), "value": list(values.values()),
                         "segment": ["web"] * len(values)})


def _stored_totals(engine: Engine, workspace_id: int) -> dict[tuple[str, dt.date], float]:
    with session_scope(engine) as session:
        rows = session.execute(select(MonthTotal.metric_key, MonthTotal.month, MonthTotal.value)
                               .where(MonthTotal.workspace_id == workspace_id))
        return {(key, month): value for key, month, value in rows}


def _recomputed_totals(engine: Engine, workspace_id: int) -> dict[tuple[str, dt.date], float]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(Observation.metric_key, Observation.month, func.sum(Observation.value))
            .outerjoin(Record, RECORD_JOIN)
            .where(Observation.workspace_id == workspace_id, ACTIVE, COUNTED)
            .group_by(Observation.metric_key, Observation.month))
        return {(key, month): value for key, month, value in rows}


def test_totals_follow_imports_replacements_undo_and_sources_of_record(engine: Engine, workspace_id: int) -> None:
    ingest(engine, workspace_id, _rows({"revenue": 100.0, "clicks": 10.0}), source_name="finance")
    ingest(engine, workspace_id, _rows({"revenue": 120.0}), source_name="crm", overlap=OverlapChoice.SEGMENT)
    assert _stored_totals(engine, workspace_id)[("revenue", JAN)] == 220.0

    replacing = ingest(engine, workspace_id, _rows({"revenue": 130.0}), source_name="crm",
                       overlap=OverlapChoice.SEGMENT)  # crm's January again
    assert _stored_totals(engine, workspace_id)[("revenue", JAN)] == 230.0
    with session_scope(engine) as session:
        set_source_of_record(session, workspace_id, "revenue", "finance")
    assert _stored_totals(engine, workspace_id)[("revenue", JAN)] == 100.0
    with session_scope(engine) as session:
        clear_source_of_record(session, workspace_id, "revenue")
    undo_batch(engine, workspace_id, replacing.batch_id)  # crm's 120 comes back
    assert _stored_totals(engine, workspace_id)[("revenue", JAN)] == 220.0
    assert _stored_totals(engine, workspace_id) == _recomputed_totals(engine, workspace_id)


def test_dry_run_leaves_totals_as_they_were(engine: Engine, workspace_id: int) -> None:
    ingest(engine, workspace_id, _rows({"revenue": 100.0}), source_name="finance")
    before = _stored_totals(engine, workspace_id)
    result = ingest(engine, workspace_id, _rows({"revenue": 50.0}, "2025-02-03"), source_name="finance",
                    dry_run=True)
    assert [(c.metric_key, c.month, c.before, c.after) for c in result.changes] == [("revenue", FEB, None, 50.0)]
    assert _stored_totals(engine, workspace_id) == before


def test_migration_fills_totals_for_data_written_before_it(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0006")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO workspace (id, name, currency, fiscal_year_start_month, color) "
                                "VALUES (1, 'Old Co', 'USD', 1, '#000000')"))
        connection.execute(text("INSERT INTO import_batch (id, workspace_id, created_by, source_name, file_name, "
                                "file_digest, row_count, status) VALUES (1, 1, '', 'ledger', '', '', 2, 'active')"))
        for segment, value in (("a", 2.0), ("b", 3.0)):
            connection.execute(text("INSERT INTO observation (workspace_id, metric_key, month, segment, value, "
                                    "weight, source_name, batch_id) VALUES (1, 'revenue', '2025-01-01', :s, :v, "
                                    "1.0, 'ledger', 1)"), {"s": segment, "v": value})
    command.upgrade(alembic_config(url), "head")
    assert _stored_totals(engine, 1) == {("revenue", JAN): 5.0}
