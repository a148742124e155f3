"""Keeps metric_month_total in step with the observations: recomputed in SQL inside each write's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from db.models import MonthTotal, Observation
from db.queries import ACTIVE, COUNTED, RECORD_JOIN, Record


def refresh_month_totals(session: Session, workspace_id: int, metric_keys: Iterable[str]) -> None:
    """Recompute the month totals of ``metric_keys`` from the counted, current observations.

    A month's coverage is the least any counted source covers: a total is only as complete as its shortest part.
    """
    keys = sorted(set(metric_keys))
    if not keys:
        return
    session.execute(delete(MonthTotal).where(MonthTotal.workspace_id == workspace_id,
                                             MonthTotal.metric_key.in_(keys)))
    totals = (
        select(Observation.workspace_id, Observation.metric_key, Observation.month, func.sum(Observation.value),
               func.sum(Observation.value * Observation.weight), func.sum(Observation.weight),
               func.min(Observation.coverage))
        .outerjoin(Record, RECORD_JOIN)
        .where(Observation.workspace_id == workspace_id, Observation.metric_key.in_(keys), ACTIVE, COUNTED)
        .group_by(Observation.workspace_id, Observation.metric_key, Observation.month)
    )
    columns = ["workspace_id", "metric_key", "month", "value", "weighted", "weight", "coverage"]
    session.execute(insert(MonthTotal).from_select(columns, totals))
