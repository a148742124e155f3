"""Imports of a workspace: running one (or a dry run), presets, its own metrics, history, undo, data health.

Every write goes through ``db.ingest.ingest``; this module only prepares what it is given.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import clock
from db.engine import session_scope
from db.import_models import CustomMetric, ImportPreset
from db.ingest import ImportNeedsChoice, IngestResult, ingest, undo_batch
from db.models import ImportBatch
from db.overlaps import IdenticalImport, Overlap, OverlapChoice
from db.queries import monthly_data
from db.workspaces import workspace_by_id
from importers.convert import Conversion, convert
from importers.mapping import ImportMapping, NewMetric, suggest_source_name, with_new_metrics
from importers.problems import CONTROL, by_row
from importers.reading import SourceTable
from metrics.catalog import STANDARD_CATALOG, Catalog
from metrics.health import MetricHealth, metric_health
from metrics.periods import month_start, previous_month
from metrics.validation import ImportRejected, Problem

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]


def no_progress(_share: float, _text: str) -> None:
    """For callers without a progress bar."""


# --- The workspace's catalog ---------------------------------------------------------------------


def custom_metrics(session: Session, workspace_id: int) -> list[NewMetric]:
    rows = session.scalars(select(CustomMetric).where(CustomMetric.workspace_id == workspace_id)
                           .order_by(CustomMetric.id))
    return [NewMetric.model_validate(row.definition) for row in rows]


def workspace_catalog(session: Session, workspace_id: int) -> Catalog:
    """The standard catalog plus the metrics this workspace defined itself."""
    return with_new_metrics(STANDARD_CATALOG, custom_metrics(session, workspace_id))


def add_custom_metrics(session: Session, workspace_id: int, metrics: list[NewMetric], created_by: str = "") -> int:
    """Store the workspace's new metrics (those it has not defined yet); returns how many were added."""
    known = {m.key for m in custom_metrics(session, workspace_id)} | set(STANDARD_CATALOG.keys())
    added = 0
    for metric in metrics:
        if metric.key in known:
            continue
        session.add(CustomMetric(workspace_id=workspace_id, key=metric.key, definition=metric.model_dump(mode="json"),
                                 created_by=created_by))
        known.add(metric.key)
        added += 1
    if added:
        session.flush()
    return added


# --- Presets -------------------------------------------------------------------------------------


def save_preset(session: Session, workspace_id: int, name: str, mapping: ImportMapping, updated_by: str = "") -> None:
    """Save (or overwrite) a named mapping of the workspace."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ValueError("a preset needs a name of 1 to 120 characters")
    preset = session.scalar(select(ImportPreset).where(ImportPreset.workspace_id == workspace_id,
                                                       ImportPreset.name == name))
    data = mapping.model_dump(mode="json")
    if preset is None:
        session.add(ImportPreset(workspace_id=workspace_id, name=name, mapping=data, updated_by=updated_by))
    else:
        preset.mapping, preset.updated_by = data, updated_by
        preset.updated_at = clock.now()
    session.flush()


def presets(session: Session, workspace_id: int) -> dict[str, ImportMapping]:
    rows = session.scalars(select(ImportPreset).where(ImportPreset.workspace_id == workspace_id)
                           .order_by(ImportPreset.name))
    return {row.name: ImportMapping.model_validate(row.mapping) for row in rows}


def delete_preset(session: Session, workspace_id: int, name: str) -> None:
    session.execute(delete(ImportPreset).where(ImportPreset.workspace_id == workspace_id, ImportPreset.name == name))


# --- Running an import ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import (or a dry run) found and did; ``result`` is None when it was rejected."""

    conversion: Conversion
    source_name: str
    problems: list[Problem] = field(default_factory=list)
    result: IngestResult | None = None
    catalog: Catalog = STANDARD_CATALOG
    overlaps: tuple[Overlap, ...] = ()  # months another source already reports: the import needs a choice
    identical: IdenticalImport | None = None  # an active import with the same content

    @property
    def accepted(self) -> bool:
        return self.result is not None and not self.problems

    @property
    def needs_choice(self) -> bool:
        """The rows are fine, but importing them needs the user's word on the overlaps or the identical file."""
        return bool(self.overlaps or self.identical)


def import_table(engine: Engine, workspace_id: int, table: SourceTable, mapping: ImportMapping, *,
                 file_digest: str = "", created_by: str = "", dry_run: bool = False,
                 today: dt.date | None = None, progress: Progress = no_progress,
                 overlap: OverlapChoice = OverlapChoice.ASK, replace_identical: bool = False) -> ImportOutcome:
    """Check ``table`` with ``mapping`` and import it (all rows or none); a dry run writes nothing.

    Problems come back in the outcome (never raised), each with the file's row and column. Months another
    source already reports, or a file identical to an active import, are refused until ``overlap`` (and
    ``replace_identical``) say what to do; a dry run lists them in the outcome.
    """
    progress(0.05, "Reading the mapping")
    with session_scope(engine) as session:
        workspace = workspace_by_id(session, workspace_id)
        if workspace is None:
            raise ValueError(f"there is no workspace {workspace_id}")
        currency, catalog = workspace.currency, workspace_catalog(session, workspace_id)
    progress(0.15, "Checking every row")
    conversion = convert(table, mapping, catalog, currency, today)
    catalog = mapping.catalog(catalog)
    source = CONTROL.sub(" ", mapping.source_name or suggest_source_name(table.file_name, mapping.layout))
    source, created_by = source.strip()[:255] or "Import", CONTROL.sub(" ", created_by).strip()[:120]
    outcome = ImportOutcome(conversion, source, by_row(conversion.problems), catalog=catalog)
    if not outcome.problems and conversion.long.empty:
        outcome.problems.append(Problem(file=table.file_name, reason="no values to import: every mapped cell is blank"))
    if outcome.problems:
        return outcome
    progress(0.6, "Writing" if not dry_run else "Working out what would change")
    try:
        outcome.result = ingest(engine, workspace_id, conversion.long, source_name=source,
                                file_name=CONTROL.sub(" ", table.file_name)[:255],
                                file_digest=file_digest or table.digest or None, created_by=created_by,
                                catalog=catalog, today=today, rows_read=conversion.rows_read, dry_run=dry_run,
                                overlap=overlap, replace_identical=replace_identical, coverage=conversion.coverage,
                                skipped_rows=conversion.skipped_rows)
    except ImportNeedsChoice as waiting:
        outcome.problems, outcome.overlaps, outcome.identical = waiting.problems, tuple(waiting.overlaps), \
            waiting.identical
        return outcome
    except ImportRejected as rejected:
        outcome.problems = by_row(rejected.problems)
        return outcome
    outcome.overlaps, outcome.identical = outcome.result.overlaps, outcome.result.identical
    if not dry_run and mapping.new_metrics:
        _keep_new_metrics(engine, workspace_id, mapping.new_metrics, created_by)
    progress(1.0, "Done")
    return outcome


def _keep_new_metrics(engine: Engine, workspace_id: int, metrics: list[NewMetric], created_by: str) -> None:
    """Define the mapping's new metrics once their values are in (a rejected import defines nothing)."""
    try:
        with session_scope(engine) as session:
            add_custom_metrics(session, workspace_id, metrics, created_by)
    except IntegrityError:
        log.info("custom metric defined concurrently in workspace %s", workspace_id)


# --- History and undo ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    batch_id: int
    created_at: dt.datetime
    created_by: str
    source_name: str
    file_name: str
    file_digest: str
    rows: int
    period_start: dt.date | None
    period_end: dt.date | None
    status: str


def import_history(session: Session, workspace_id: int, limit: int = 200) -> list[HistoryEntry]:
    """The workspace's imports, newest first: who, when, which file (and its digest), rows, periods."""
    query = (select(ImportBatch).where(ImportBatch.workspace_id == workspace_id)
             .order_by(ImportBatch.id.desc()).limit(limit))
    return [HistoryEntry(b.id, b.created_at, b.created_by, b.source_name, b.file_name, b.file_digest, b.row_count,
                         b.period_start, b.period_end, b.status) for b in session.scalars(query)]


def undo_import(engine: Engine, workspace_id: int, batch_id: int) -> None:
    """Take an import's values out and bring back what it had replaced."""
    undo_batch(engine, workspace_id, batch_id)


# --- Data health ---------------------------------------------------------------------------------


def data_health(session: Session, workspace_id: int, today: dt.date | None = None) -> list[MetricHealth]:
    """Per stored metric: last month with data, months missing up to last month, unusual values."""
    catalog = workspace_catalog(session, workspace_id)
    data = monthly_data(session, workspace_id, catalog=catalog)
    last_complete = previous_month(month_start(today or clock.today()))
    return metric_health(catalog, data, last_complete)
