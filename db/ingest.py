"""The only way data enters: validate, roll up to months, write, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.orm import Session

from db.engine import write_scope
from db.models import ImportBatch, Observation
from db.overlaps import IdenticalImport, Overlap, OverlapChoice, find_identical, find_overlaps, mark_parts
from db.queries import ACTIVE, monthly_data
from db.source_models import SourceOfRecordRow
from db.totals import refresh_month_totals
from metrics.catalog import STANDARD_CATALOG, Catalog
from metrics.coverage import coverage_shares, inferred_coverage
from metrics.rollup import monthly_rollup
from metrics.validation import ImportRejected, Problem, as_categories, validate_long


@dataclass(frozen=True)
class ValueChange:
    """A metric's month total (all sources) before and after an import; None where there was no value."""

    metric_key: str
    month: dt.date
    before: float | None
    after: float | None


@dataclass(frozen=True)
class IngestResult:
    batch_id: int
    rows_read: int
    observations: int
    replaced: int
    period_start: dt.date | None
    period_end: dt.date | None
    changes: tuple[ValueChange, ...] = ()
    dry_run: bool = False
    overlaps: tuple[Overlap, ...] = ()  # metric-months another source already reports
    identical: IdenticalImport | None = None  # an active import with the same content
    partial: tuple[tuple[str, dt.date, float], ...] = ()  # (metric, month, coverage share) below a whole month

    @property
    def needs_choice(self) -> bool:
        """A real import of these rows would be refused until the user says what to do about them."""
        return bool(self.overlaps or self.identical)


class ImportNeedsChoice(ImportRejected):
    """The rows are fine, but another source (or an identical import) already has these figures: nothing was
    written until the user chooses to replace them, compare against them, or add to them."""

    def __init__(self, file: str, overlaps: list[Overlap], identical: IdenticalImport | None) -> None:
        self.overlaps, self.identical = overlaps, identical
        reasons = [identical.sentence()] if identical else []
        reasons += [f"{o.sentence()}: choose whether this file replaces those months, is kept as a comparison "
                    "source, or is added as another segment" for o in overlaps]
        super().__init__([Problem(file=file, reason=reason) for reason in reasons])


def figures_digest(rollup: pd.DataFrame) -> str:
    """A digest of the monthly figures themselves: the same rows in another order, format or file name match."""
    return frame_digest(rollup[["metric_key", "month", "segment", "value", "weight"]])  # sorted by the roll-up


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
    rows_read: int | None = None,
    dry_run: bool = False,
    coverage: pd.DataFrame | None = None,
    skipped_rows: int = 0,
    overlap: OverlapChoice = OverlapChoice.ASK,
    replace_identical: bool = False,
) -> IngestResult:
    """Import long rows (date, metric, value[, segment, weight]); all of them or none.

    Raises ImportRejected with every problem found; the database is then untouched.
    Re-importing months from the same source replaces that source's earlier values for them. Months another
    source already reports, and a file identical to an active import, raise ImportNeedsChoice unless
    ``overlap`` (and ``replace_identical``) say what to do; a dry run reports them instead.
    ``coverage`` (metric, month, covered_days, month_days) says how much of each month the rows cover; without
    it, it is inferred from the dates. ``rows_read`` is the file's row count when the frame was built from a
    file. A ``dry_run`` does all of it, reports the changes, and rolls back.
    """
    frame = as_categories(frame)  # each distinct date, metric and segment is then checked and grouped once
    file = file_name or source_name
    problems = validate_long(frame, catalog, file, today)
    if problems:
        raise ImportRejected(problems)
    rollup = monthly_rollup(frame, catalog)
    if problems := too_large(rollup, catalog, file):
        raise ImportRejected(problems)
    coverage = inferred_coverage(frame, today) if coverage is None else coverage
    rollup["coverage"] = coverage_shares(rollup["metric_key"], rollup["month"], coverage)
    content_digest = figures_digest(rollup)
    batch = ImportBatch(
        workspace_id=workspace_id, source_name=source_name, file_name=file_name,
        file_digest=file_digest or content_digest, content_digest=content_digest, created_by=created_by,
        row_count=len(frame) if rows_read is None else rows_read, skipped_rows=skipped_rows,
        period_start=min(rollup["month"]), period_end=max(rollup["month"]),
    )
    with _transaction(engine, workspace_id, commit=not dry_run) as session:
        identical = find_identical(session, workspace_id, source_name, batch.file_digest, content_digest)
        overlaps = find_overlaps(session, workspace_id, source_name, rollup, catalog)
        if not dry_run and ((identical and not replace_identical) or (overlaps and overlap == OverlapChoice.ASK)):
            raise ImportNeedsChoice(file, overlaps, None if replace_identical else identical)
        before = _month_totals(session, workspace_id, rollup, catalog)
        session.add(batch)
        session.flush()
        rollup = _resolve_overlaps(session, batch, rollup, overlaps, overlap, file)
        replaced = _supersede(session, batch, rollup)
        _insert_observations(session, batch, rollup)
        refresh_month_totals(session, workspace_id, rollup["metric_key"].unique())
        changes = _changes(before, _month_totals(session, workspace_id, rollup, catalog))
        result = IngestResult(batch.id, batch.row_count, len(rollup), replaced, batch.period_start,
                              batch.period_end, changes, dry_run, tuple(overlaps), identical, _partial(rollup))
    return result


LARGEST = 1e15  # no company's monthly figure comes near this; beyond it sums lose their last digits or overflow


def too_large(rollup: pd.DataFrame, catalog: Catalog, file: str) -> list[Problem]:
    """Monthly totals that overflow (1.5e308 + 1.5e308 is infinity) or are beyond any real figure: refused,
    so no page, export or snapshot ever shows inf or NaN."""
    values = rollup["value"].to_numpy(dtype=float)
    weighted = values * rollup["weight"].to_numpy(dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        bad = ~np.isfinite(values) | ~np.isfinite(weighted) | (np.abs(values) >= LARGEST)
    problems = []
    for key, month in zip(rollup.loc[bad, "metric_key"], rollup.loc[bad, "month"], strict=True):
        label = catalog[key].label if key in catalog else key
        problems.append(Problem(file=file, column=label, reason=(
            f"{label} for {month:%b %Y} adds up to more than {LARGEST:,.0f}, beyond any real figure: check the "
            "file for a stray exponent (1.5e308) or a misplaced column")))
    return problems[:50]


def _partial(rollup: pd.DataFrame) -> tuple[tuple[str, dt.date, float], ...]:
    pairs = rollup.loc[rollup["coverage"] < 0.999, ["metric_key", "month", "coverage"]].drop_duplicates(
        ["metric_key", "month"])
    return tuple(zip(pairs["metric_key"], pairs["month"], pairs["coverage"].astype(float), strict=True))


def _resolve_overlaps(session: Session, batch: ImportBatch, rollup: pd.DataFrame, overlaps: list[Overlap],
                      choice: OverlapChoice, file: str) -> pd.DataFrame:
    """Carry out the user's choice for months another source already reports; returns the rows to write."""
    if not overlaps or choice == OverlapChoice.ASK:
        return rollup
    if choice == OverlapChoice.REPLACE:
        for item in overlaps:  # the other source's values for those months step aside (undo brings them back)
            session.execute(update(Observation).where(
                Observation.workspace_id == batch.workspace_id, Observation.source_name == item.other_source,
                Observation.metric_key == item.metric_key, Observation.month.in_(item.months), ACTIVE,
            ).values(superseded_by=batch.id).execution_options(synchronize_session=False))
        return rollup
    if choice == OverlapChoice.COMPARE:
        _keep_others_as_record(session, batch, overlaps, file)
        return rollup
    mark_parts(session, batch.workspace_id, overlaps, batch.source_name)
    segment = batch.source_name[:120]  # another part of the total, named after its source
    return rollup.assign(segment=rollup["segment"].where(rollup["segment"] != "", segment))


def _keep_others_as_record(session: Session, batch: ImportBatch, overlaps: list[Overlap], file: str) -> None:
    """The source already there becomes the metric's source of record, so this file is compared, never added."""
    others: dict[str, set[str]] = defaultdict(set)
    for item in overlaps:
        others[item.metric_key].add(item.other_source)
    several = [item.label for item in overlaps if len(others[item.metric_key]) > 1]
    if several:
        raise ImportRejected([Problem(file=file, reason=(
            f"{', '.join(sorted(set(several)))} already comes from several sources that are added up: a comparison "
            "needs one source to compare with. Choose a source of record first, or replace or add instead."))])
    for key, sources in others.items():
        session.add(SourceOfRecordRow(workspace_id=batch.workspace_id, metric_key=key, source_name=sources.pop(),
                                      set_by=batch.created_by))
    session.flush()


@contextmanager
def _transaction(engine: Engine, workspace_id: int, commit: bool) -> Iterator[Session]:
    """One transaction holding the company's write lock, committed; or, for a dry run, always rolled back."""
    if commit:
        with write_scope(engine, workspace_id) as session:
            yield session
        return
    with Session(engine) as session:
        try:
            yield session
        finally:
            session.rollback()


def _month_totals(session: Session, workspace_id: int, rollup: pd.DataFrame,
                  catalog: Catalog) -> dict[tuple[str, dt.date], float]:
    """The current value (all sources) of each metric-month the import touches."""
    pairs = rollup[["metric_key", "month"]].drop_duplicates()
    touched = set(zip(pairs["metric_key"], pairs["month"], strict=True))
    data = monthly_data(session, workspace_id, set(pairs["metric_key"]), catalog)
    return {(key, month): point.value for key, points in data.items() for month, point in points.items()
            if (key, month) in touched}


def _changes(before: dict[tuple[str, dt.date], float],
             after: dict[tuple[str, dt.date], float]) -> tuple[ValueChange, ...]:
    keys = sorted(set(before) | set(after), key=lambda k: (k[1], k[0]))
    return tuple(ValueChange(key, month, before.get((key, month)), after.get((key, month)))
                 for key, month in keys)


def _supersede(session: Session, batch: ImportBatch, rollup: pd.DataFrame) -> int:
    """Mark this source's current values for the imported metric-months as replaced."""
    current = Observation.superseded_by.is_(None), Observation.batch_id != batch.id
    held = set(session.scalars(select(Observation.metric_key).distinct().where(
        Observation.workspace_id == batch.workspace_id, Observation.source_name == batch.source_name, *current)))
    replaced = 0
    for metric_key, months in rollup[rollup["metric_key"].isin(held)].groupby("metric_key")["month"]:
        result = session.execute(
            update(Observation)
            .where(Observation.workspace_id == batch.workspace_id,
                   Observation.source_name == batch.source_name,
                   Observation.metric_key == metric_key,
                   Observation.month.in_(sorted(set(months))), *current)
            .values(superseded_by=batch.id)
        )
        replaced += result.rowcount or 0
    return replaced


def _insert_observations(session: Session, batch: ImportBatch, rollup: pd.DataFrame) -> None:
    """Write the monthly rows: one executemany, or on SQLite multi-row INSERTs straight to the driver."""
    columns = {
        "workspace_id": [batch.workspace_id] * len(rollup), "metric_key": rollup["metric_key"].tolist(),
        "month": rollup["month"].tolist(), "segment": rollup["segment"].tolist(),
        "value": rollup["value"].tolist(), "weight": rollup["weight"].tolist(),
        "coverage": rollup["coverage"].tolist(),
        "source_name": [batch.source_name] * len(rollup), "batch_id": [batch.id] * len(rollup),
    }
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        _insert_sqlite(connection, columns)
        return
    rows = zip(*columns.values(), strict=True)
    connection.execute(insert(Observation.__table__), [dict(zip(columns, row, strict=True)) for row in rows])


SQLITE_ROWS_PER_INSERT = 500  # 4,000 parameters; SQLite 3.32+ accepts 32,766


def _insert_sqlite(connection: Connection, columns: dict[str, list]) -> None:
    """Multi-row INSERTs: about twice as fast as executemany on SQLite, and ORM or type processing per row
    would cost more than the database. Months go as ISO text, the format SQLAlchemy itself stores."""
    columns = {**columns, "month": [month.isoformat() for month in columns["month"]]}
    rows = list(zip(*columns.values(), strict=True))
    head = f"INSERT INTO {Observation.__tablename__} ({', '.join(columns)}) VALUES "
    one_row = "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), SQLITE_ROWS_PER_INSERT):
        chunk = rows[start:start + SQLITE_ROWS_PER_INSERT]
        connection.exec_driver_sql(head + ", ".join([one_row] * len(chunk)), tuple(chain.from_iterable(chunk)))


def _restore_replaced(session: Session, batch_id: int) -> None:
    """Bring back the values ``batch_id`` had replaced.

    Where a later import has since replaced the undone batch's own value for a metric-month, the
    restored values stay replaced by that later import, so undoing never adds two imports together.
    """
    successor = func.max(Observation.superseded_by)
    later = session.execute(
        select(Observation.metric_key, Observation.month, successor)
        .where(Observation.batch_id == batch_id)
        .group_by(Observation.metric_key, Observation.month)
        .having(successor.is_not(None))
    ).all()
    months: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
    for metric_key, month, later_batch in later:
        months[(later_batch, metric_key)].append(month)
    for (later_batch, metric_key), replaced_months in months.items():
        session.execute(update(Observation)
                        .where(Observation.superseded_by == batch_id, Observation.metric_key == metric_key,
                               Observation.month.in_(replaced_months))
                        .values(superseded_by=later_batch).execution_options(synchronize_session=False))
    session.execute(update(Observation).where(Observation.superseded_by == batch_id)
                    .values(superseded_by=None).execution_options(synchronize_session=False))


def undo_batch(engine: Engine, workspace_id: int, batch_id: int) -> None:
    """Remove a batch's values and bring back the values it had replaced."""
    with write_scope(engine, workspace_id) as session:
        batch = session.scalar(select(ImportBatch).where(
            ImportBatch.id == batch_id, ImportBatch.workspace_id == workspace_id))
        if batch is None or batch.status != "active":
            raise ValueError(f"import {batch_id} is not an active import of this workspace")
        touched = session.scalars(select(Observation.metric_key).distinct().where(Observation.batch_id == batch_id))
        metric_keys = list(touched)
        _restore_replaced(session, batch_id)
        session.execute(Observation.__table__.delete().where(Observation.batch_id == batch_id))
        refresh_month_totals(session, workspace_id, metric_keys)
        batch.status = "undone"
