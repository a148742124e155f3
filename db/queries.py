"""Read monthly aggregates with SQL. Pages get months, never raw rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ImportBatch, Observation
from metrics.catalog import STANDARD_CATALOG, Aggregation, Catalog
from metrics.series import MonthPoint

ACTIVE = Observation.superseded_by.is_(None)


def monthly_data(session: Session, workspace_id: int, keys: Iterable[str] | None = None,
                 catalog: Catalog = STANDARD_CATALOG) -> dict[str, dict[dt.date, MonthPoint]]:
    """Per metric and month: segments added up; weighted metrics as their weighted mean."""
    weight_total = func.sum(Observation.weight)
    query = (
        select(Observation.metric_key, Observation.month, func.sum(Observation.value),
               func.sum(Observation.value * Observation.weight), weight_total)
        .where(Observation.workspace_id == workspace_id, ACTIVE)
        .group_by(Observation.metric_key, Observation.month)
    )
    if keys is not None:
        query = query.where(Observation.metric_key.in_(sorted(set(keys))))
    data: dict[str, dict[dt.date, MonthPoint]] = defaultdict(dict)
    for key, month, total, weighted, weight in session.execute(query):
        metric = catalog.get(key)
        if metric is not None and metric.aggregation == Aggregation.WEIGHTED_AVERAGE and weight:
            data[key][month] = MonthPoint(weighted / weight, weight)
        else:
            data[key][month] = MonthPoint(total)
    return dict(data)


def months_with_data(session: Session, workspace_id: int) -> list[dt.date]:
    query = (select(Observation.month).distinct()
             .where(Observation.workspace_id == workspace_id, ACTIVE).order_by(Observation.month))
    return list(session.scalars(query))


@dataclass(frozen=True)
class SourceBatch:
    """An import that contributes to a metric's value for a month."""

    batch_id: int
    source_name: str
    file_name: str
    created_at: dt.datetime
    created_by: str
    metric_key: str


def sources_for_month(session: Session, workspace_id: int, keys: Iterable[str],
                      month: dt.date) -> list[SourceBatch]:
    query = (
        select(ImportBatch.id, ImportBatch.source_name, ImportBatch.file_name, ImportBatch.created_at,
               ImportBatch.created_by, Observation.metric_key)
        .join(Observation, Observation.batch_id == ImportBatch.id)
        .where(Observation.workspace_id == workspace_id, ACTIVE, Observation.month == month,
               Observation.metric_key.in_(sorted(set(keys))))
        .distinct()
        .order_by(ImportBatch.id, Observation.metric_key)
    )
    return [SourceBatch(*row) for row in session.execute(query)]


def segment_totals(session: Session, workspace_id: int, key: str,
                   months: Iterable[dt.date]) -> dict[str, float]:
    """A summed metric split by segment (channel, campaign) over some months."""
    query = (
        select(Observation.segment, func.sum(Observation.value))
        .where(Observation.workspace_id == workspace_id, ACTIVE, Observation.metric_key == key,
               Observation.month.in_(sorted(set(months))))
        .group_by(Observation.segment)
    )
    return {segment or "(all)": total for segment, total in session.execute(query)}
