"""Sources of record: which source's figure counts when two systems report the same number.

Without a choice a metric adds up every source, which is right when sources are parts of a total
(one file per ad platform). When marketing's attribution report and finance's books both report
marketing-sourced revenue, adding them up double counts: the workspace names the one that counts,
and the others are kept for reconciliation against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

import clock
from db.models import Observation
from db.queries import ACTIVE
from db.source_models import SourceOfRecordRow
from db.totals import refresh_month_totals
from metrics.catalog import STANDARD_CATALOG, Aggregation, Catalog, Unit
from metrics.periods import Month, add_months
from metrics.reconciliation import ReconciledMetric, reconcile_months
from metrics.refusal import Refused
from metrics.scorecard import RECONCILIATION_THRESHOLD

MonthlyBySource = dict[str, dict[str, dict[Month, float]]]  # metric -> source -> month -> value


class SourceOfRecordError(Refused):
    """A choice that cannot be saved; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class SourceOfRecord:
    metric_key: str
    source_name: str
    set_by: str
    set_at: dt.datetime


def _label(catalog: Catalog, key: str) -> str:
    metric = catalog.get(key)
    return metric.label if metric else key


def _reports(session: Session, workspace_id: int, metric_key: str, source_name: str) -> bool:
    return bool(session.scalar(select(exists().where(
        Observation.workspace_id == workspace_id, ACTIVE, Observation.metric_key == metric_key,
        Observation.source_name == source_name))))


def set_source_of_record(session: Session, workspace_id: int, metric_key: str, source_name: str, *,
                         by: str = "", catalog: Catalog = STANDARD_CATALOG,
                         now: dt.datetime | None = None) -> SourceOfRecord:
    """From now on only ``source_name``'s figures count for the metric. The source must report it,
    otherwise the metric would silently show no value."""
    source_name = source_name.strip()
    if not _reports(session, workspace_id, metric_key, source_name):
        raise SourceOfRecordError(f"'{source_name}' has no figures for {_label(catalog, metric_key)}: choose a "
                                  "source that reports it. Nothing was changed.")
    now = now or clock.now()
    row = session.scalar(select(SourceOfRecordRow).where(SourceOfRecordRow.workspace_id == workspace_id,
                                                         SourceOfRecordRow.metric_key == metric_key))
    if row is None:
        row = SourceOfRecordRow(workspace_id=workspace_id, metric_key=metric_key)
        session.add(row)
    row.source_name, row.set_by, row.set_at = source_name, by.strip()[:120], now
    session.flush()
    refresh_month_totals(session, workspace_id, [metric_key])
    return SourceOfRecord(metric_key, source_name, row.set_by, now)


def clear_source_of_record(session: Session, workspace_id: int, metric_key: str) -> bool:
    """Go back to adding up every source; False when the metric had no source of record."""
    result = session.execute(delete(SourceOfRecordRow).where(SourceOfRecordRow.workspace_id == workspace_id,
                                                             SourceOfRecordRow.metric_key == metric_key))
    refresh_month_totals(session, workspace_id, [metric_key])
    return bool(result.rowcount)


def sources_of_record(session: Session, workspace_id: int) -> dict[str, SourceOfRecord]:
    """The workspace's choices by metric key."""
    rows = session.scalars(select(SourceOfRecordRow).where(SourceOfRecordRow.workspace_id == workspace_id)
                           .order_by(SourceOfRecordRow.metric_key))
    return {r.metric_key: SourceOfRecord(r.metric_key, r.source_name, r.set_by, r.set_at) for r in rows}


def metric_sources(session: Session, workspace_id: int) -> dict[str, list[str]]:
    """Every metric with figures, and the sources that report it (by name)."""
    query = (select(Observation.metric_key, Observation.source_name).distinct()
             .where(Observation.workspace_id == workspace_id, ACTIVE)
             .order_by(Observation.metric_key, Observation.source_name))
    sources: dict[str, list[str]] = {}
    for key, source in session.execute(query):
        sources.setdefault(key, []).append(source)
    return sources


def monthly_values_by_source(session: Session, workspace_id: int, keys: Iterable[str],
                             months: Iterable[Month] | None = None,
                             catalog: Catalog = STANDARD_CATALOG) -> MonthlyBySource:
    """Each source's own monthly value of each metric, whatever the source of record (for reconciliation).
    Segments are added up; weighted metrics are that source's weighted mean."""
    query = (
        select(Observation.metric_key, Observation.source_name, Observation.month, func.sum(Observation.value),
               func.sum(Observation.value * Observation.weight), func.sum(Observation.weight))
        .where(Observation.workspace_id == workspace_id, ACTIVE, Observation.metric_key.in_(sorted(set(keys))))
        .group_by(Observation.metric_key, Observation.source_name, Observation.month)
    )
    if months is not None:
        query = query.where(Observation.month.in_(sorted(set(months))))
    values: MonthlyBySource = {}
    for key, source, month, total, weighted, weight in session.execute(query):
        metric = catalog.get(key)
        weighted_mean = metric is not None and metric.aggregation == Aggregation.WEIGHTED_AVERAGE and weight
        values.setdefault(key, {}).setdefault(source, {})[month] = weighted / weight if weighted_mean else total
    return values


def record_reconciliations(session: Session, workspace_id: int, month: Month, *, length: int = 12,
                           catalog: Catalog = STANDARD_CATALOG,
                           threshold: float = RECONCILIATION_THRESHOLD) -> list[ReconciledMetric]:
    """Every metric with a source of record and another source: the last ``length`` months up to ``month``,
    the record against the other source month by month."""
    records = sources_of_record(session, workspace_id)
    months = [add_months(month, -i) for i in range(length - 1, -1, -1)]
    values = monthly_values_by_source(session, workspace_id, records, months, catalog)
    reconciled = []
    for key, record in records.items():
        metric = catalog.get(key)
        checks = reconcile_months(values.get(key, {}), record.source_name, months, threshold)
        if checks:
            reconciled.append(ReconciledMetric(key=key, label=_label(catalog, key),
                                               unit=metric.unit if metric else Unit.COUNT,
                                               source_of_record=record.source_name, months=checks))
    return reconciled
