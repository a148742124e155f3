"""Read monthly aggregates with SQL. Pages get months, never raw rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import ImportBatch, MonthTotal, Observation
from db.source_models import SourceOfRecordRow as Record
from metrics.catalog import STANDARD_CATALOG, Aggregation, Catalog
from metrics.series import MonthPoint

ACTIVE = Observation.superseded_by.is_(None)
# A metric with a source of record counts only that source; others add up every source (parts of a total).
RECORD_JOIN = and_(Record.workspace_id == Observation.workspace_id, Record.metric_key == Observation.metric_key)
COUNTED = or_(Record.id.is_(None), Record.source_name == Observation.source_name)


def monthly_data(session: Session, workspace_id: int, keys: Iterable[str] | None = None,
                 catalog: Catalog = STANDARD_CATALOG) -> dict[str, dict[dt.date, MonthPoint]]:
    """Per metric and month: segments and sources added up, or only the source of record where one is set;
    weighted metrics as their weighted mean. Reads the month totals kept at write time, never raw rows."""
    query = (select(MonthTotal.metric_key, MonthTotal.month, MonthTotal.value, MonthTotal.weighted,
                    MonthTotal.weight, MonthTotal.coverage).where(MonthTotal.workspace_id == workspace_id))
    if keys is not None:
        query = query.where(MonthTotal.metric_key.in_(sorted(set(keys))))
    data: dict[str, dict[dt.date, MonthPoint]] = defaultdict(dict)
    for key, month, total, weighted, weight, coverage in session.execute(query):
        metric = catalog.get(key)
        if metric is not None and metric.aggregation == Aggregation.WEIGHTED_AVERAGE and weight:
            data[key][month] = MonthPoint(weighted / weight, weight, coverage)
        else:
            data[key][month] = MonthPoint(total, coverage=coverage)
    return dict(data)


def months_with_data(session: Session, workspace_id: int) -> list[dt.date]:
    query = (select(MonthTotal.month).distinct()
             .where(MonthTotal.workspace_id == workspace_id).order_by(MonthTotal.month))
    return list(session.scalars(query))


def month_coverage(session: Session, workspace_id: int) -> dict[dt.date, float]:
    """Each month with figures and the least any of its metrics covers (below 1: a partial month)."""
    query = (select(MonthTotal.month, func.min(MonthTotal.coverage))
             .where(MonthTotal.workspace_id == workspace_id).group_by(MonthTotal.month).order_by(MonthTotal.month))
    return {month: float(share) for month, share in session.execute(query)}


@dataclass(frozen=True)
class SourceBatch:
    """An import that contributes to a metric's value for a month."""

    batch_id: int
    source_name: str
    file_name: str
    created_at: dt.datetime
    created_by: str
    metric_key: str
    is_record: bool = False  # this source is the metric's source of record
    counted: bool = True  # False when another source is the metric's source of record


def sources_for_month(session: Session, workspace_id: int, keys: Iterable[str],
                      month: dt.date) -> list[SourceBatch]:
    query = (
        select(ImportBatch.id, ImportBatch.source_name, ImportBatch.file_name, ImportBatch.created_at,
               ImportBatch.created_by, Observation.metric_key, Record.source_name)
        .join(Observation, Observation.batch_id == ImportBatch.id)
        .outerjoin(Record, RECORD_JOIN)
        .where(Observation.workspace_id == workspace_id, ACTIVE, Observation.month == month,
               Observation.metric_key.in_(sorted(set(keys))))
        .distinct()
        .order_by(ImportBatch.id, Observation.metric_key)
    )
    return [SourceBatch(*row[:6], is_record=row[6] == row[1], counted=row[6] in (None, row[1]))
            for row in session.execute(query)]


def segment_totals(session: Session, workspace_id: int, key: str,
                   months: Iterable[dt.date]) -> dict[str, float]:
    """A summed metric split by segment (channel, campaign) over some months; honours the source of record."""
    query = (
        select(Observation.segment, func.sum(Observation.value))
        .outerjoin(Record, RECORD_JOIN)
        .where(Observation.workspace_id == workspace_id, ACTIVE, COUNTED, Observation.metric_key == key,
               Observation.month.in_(sorted(set(months))))
        .group_by(Observation.segment)
    )
    return {segment or "(all)": total for segment, total in session.execute(query)}


def segment_month_totals(session: Session, workspace_id: int,
                         keys: Iterable[str]) -> dict[str, dict[dt.date, dict[str, float]]]:
    """Summed metrics split by segment, month by month (metric -> month -> segment -> total); honours the source
    of record. Only segments with a name: the total itself comes from ``monthly_data``."""
    query = (
        select(Observation.metric_key, Observation.month, Observation.segment, func.sum(Observation.value))
        .outerjoin(Record, RECORD_JOIN)
        .where(Observation.workspace_id == workspace_id, ACTIVE, COUNTED, Observation.segment != "",
               Observation.metric_key.in_(sorted(set(keys))))
        .group_by(Observation.metric_key, Observation.month, Observation.segment)
    )
    totals: dict[str, dict[dt.date, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for key, month, segment, total in session.execute(query):
        totals[key][month][segment] = total
    return {key: dict(months) for key, months in totals.items()}
