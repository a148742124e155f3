"""The only way data enters: validate, roll up to months, write, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, ScalarSelect, func, insert, select, update
from sqlalchemy.orm import aliased

from db.engine import session_scope
from db.events import notify_write
from db.models import ImportBatch, Observation
from metrics.catalog import STANDARD_CATALOG, Catalog
from metrics.rollup import monthly_rollup
from metrics.validation import ImportRejected, validate_long


@dataclass(frozen=True)
class IngestResult:
    batch_id: int
    rows_read: int
    observations: int
    replaced: int
    period_start: dt.date | None
    period_end: dt.date | None


def frame_digest(frame: pd.DataFrame) -> str:
    """A stable digest of a table's content, for batches that do not come from a file."""
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return hashlib.sha256(hashed).hexdigest()


def ingest(
    engine: Engine,
    workspace_id: int,
    frame: pd.DataFrame,
    *,
    source_name: str,
    file_name: str = "",
    file_digest: str | None = None,
    created_by: str = "",
    catalog: Catalog = STANDARD_CATALOG,
    today: dt.date | None = None,
) -> IngestResult:
    """Import long rows (date, metric, value[, segment, weight]); all of them or none.

    Raises ImportRejected with every problem found; the database is then untouched.
    Re-importing months from the same source replaces that source's earlier values for them.
    """
    problems = validate_long(frame, catalog, file_name or source_name, today)
    if problems:
        raise ImportRejected(problems)
    rollup = monthly_rollup(frame, catalog)
    batch = ImportBatch(
        workspace_id=workspace_id, source_name=source_name, file_name=file_name,
        file_digest=file_digest or frame_digest(frame), created_by=created_by, row_count=len(frame),
        period_start=min(rollup["month"]), period_end=max(rollup["month"]),
    )
    with session_scope(engine) as session:
        session.add(batch)
        session.flush()
        replaced = _supersede(session, batch, rollup)
        session.execute(insert(Observation), _observation_rows(batch, rollup))
    notify_write()
    return IngestResult(batch.id, len(frame), len(rollup), replaced, batch.period_start, batch.period_end)


def _supersede(session, batch: ImportBatch, rollup: pd.DataFrame) -> int:  # noqa: ANN001
    """Mark this source's current values for the imported metric-months as replaced."""
    replaced = 0
    for metric_key, months in rollup.groupby("metric_key")["month"]:
        result = session.execute(
            update(Observation)
            .where(Observation.workspace_id == batch.workspace_id,
                   Observation.source_name == batch.source_name,
                   Observation.metric_key == metric_key,
                   Observation.month.in_(sorted(set(months))),
                   Observation.superseded_by.is_(None),
                   Observation.batch_id != batch.id)
            .values(superseded_by=batch.id)
        )
        replaced += result.rowcount or 0
    return replaced


def _observation_rows(batch: ImportBatch, rollup: pd.DataFrame) -> list[dict]:
    records = rollup.to_dict("records")
    for record in records:
        record.update(workspace_id=batch.workspace_id, batch_id=batch.id, source_name=batch.source_name)
    return records


def _successor(batch_id: int) -> ScalarSelect:
    """For a row the undone batch had replaced: the batch that replaced the undone batch's own value
    for that metric-month (NULL when none did), so a later import keeps replacing it."""
    later = aliased(Observation)
    return (select(func.max(later.superseded_by))
            .where(later.batch_id == batch_id, later.metric_key == Observation.metric_key,
                   later.month == Observation.month)
            .scalar_subquery())


def undo_batch(engine: Engine, workspace_id: int, batch_id: int) -> None:
    """Remove a batch's values and bring back the values it had replaced."""
    with session_scope(engine) as session:
        batch = session.scalar(select(ImportBatch).where(
            ImportBatch.id == batch_id, ImportBatch.workspace_id == workspace_id))
        if batch is None or batch.status != "active":
            raise ValueError(f"import {batch_id} is not an active import of this workspace")
        session.execute(update(Observation).where(Observation.superseded_by == batch_id)
                        .values(superseded_by=_successor(batch_id))
                        .execution_options(synchronize_session=False))
        session.execute(Observation.__table__.delete().where(Observation.batch_id == batch_id))
        batch.status = "undone"
    notify_write()
