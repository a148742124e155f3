"""Keeps metric_month_total in step with the observations: recomputed in SQL inside each write's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Insert, Select, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    session.execute(_upsert(session, columns, totals))


def _upsert(session: Session, columns: list[str], totals: Select) -> Insert:
    """INSERT … SELECT that updates a total another transaction wrote meanwhile, instead of failing on it."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        return insert(MonthTotal).from_select(columns, totals)
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert_for(MonthTotal).from_select(columns, totals)
    return statement.on_conflict_do_update(
        index_elements=["workspace_id", "metric_key", "month"],
        set_={c: getattr(statement.excluded, c) for c in ("value", "weighted", "weight", "coverage")})
