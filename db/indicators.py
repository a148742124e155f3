"""A workspace's driver map and its adopted leading indicators: read, save, adopt, drop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import clock
from db.indicator_models import DriverOverride, LeadingIndicator
from metrics.catalog import STANDARD_CATALOG, Catalog, MetricClass
from metrics.drivers import DEFAULT_DRIVERS, DriverLines, changed_lines, check_driver_map
from metrics.refusal import Refused


class DriverMapRejected(Refused):
    """The map names metrics that do not exist or have the wrong class; nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class IndicatorIn(BaseModel):
    """What adopting a leading indicator records."""

    outcome_key: str = Field(min_length=1, max_length=64)
    predictor_key: str = Field(min_length=1, max_length=64)
    lag_months: int = Field(ge=0, le=24)
    adopted_by: str = Field(min_length=1, max_length=120)
    evidence: dict[str, Any]

    @field_validator("adopted_by")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say who adopts the indicator")
        return value.strip()


@dataclass(frozen=True)
class AdoptedIndicator:
    """An adopted indicator as pages see it (plain values, cacheable)."""

    id: int
    outcome_key: str
    predictor_key: str
    lag_months: int
    evidence: dict[str, Any]
    adopted_by: str
    adopted_at: dt.datetime


def driver_overrides(session: Session, workspace_id: int) -> dict[str, tuple[str, ...]]:
    """The lines this workspace changed; every other output keeps its default line."""
    rows = session.scalars(select(DriverOverride).where(DriverOverride.workspace_id == workspace_id))
    return {row.output_key: tuple(row.outcome_keys) for row in rows}


def save_driver_map(session: Session, workspace_id: int, mapping: DriverLines, updated_by: str = "",
                    catalog: Catalog = STANDARD_CATALOG) -> dict[str, tuple[str, ...]]:
    """Save a whole map: only lines that differ from the default are stored. Returns what was stored."""
    if problems := check_driver_map(catalog, mapping):
        raise DriverMapRejected(problems)
    lines = changed_lines(DEFAULT_DRIVERS, {k: tuple(v) for k, v in mapping.items()})
    session.execute(delete(DriverOverride).where(DriverOverride.workspace_id == workspace_id))
    session.add_all(DriverOverride(workspace_id=workspace_id, output_key=output, outcome_keys=list(outcomes),
                                   updated_by=updated_by) for output, outcomes in lines.items())
    session.flush()
    return lines


def _check_pair(catalog: Catalog, data: IndicatorIn) -> None:
    outcome, predictor = catalog.get(data.outcome_key), catalog.get(data.predictor_key)
    if outcome is None or outcome.metric_class != MetricClass.OUTCOME:
        raise ValueError(f"{data.outcome_key!r} is not an outcome metric")
    if predictor is None or data.predictor_key == data.outcome_key:
        raise ValueError(f"{data.predictor_key!r} cannot predict {data.outcome_key!r}")


def adopt_indicator(session: Session, workspace_id: int, data: IndicatorIn, now: dt.datetime | None = None,
                    catalog: Catalog = STANDARD_CATALOG) -> AdoptedIndicator:
    """Record (or re-record, with fresh evidence) a predictor of an outcome for this workspace."""
    _check_pair(catalog, data)
    row = session.scalar(select(LeadingIndicator).where(
        LeadingIndicator.workspace_id == workspace_id, LeadingIndicator.outcome_key == data.outcome_key,
        LeadingIndicator.predictor_key == data.predictor_key))
    if row is None:
        row = LeadingIndicator(workspace_id=workspace_id, outcome_key=data.outcome_key,
                               predictor_key=data.predictor_key)
        session.add(row)
    row.lag_months, row.evidence, row.adopted_by = data.lag_months, data.evidence, data.adopted_by
    row.adopted_at = now or clock.now()
    session.flush()
    return _view(row)


def _view(row: LeadingIndicator) -> AdoptedIndicator:
    return AdoptedIndicator(row.id, row.outcome_key, row.predictor_key, row.lag_months, dict(row.evidence),
                            row.adopted_by, row.adopted_at)


def adopted_indicators(session: Session, workspace_id: int) -> list[AdoptedIndicator]:
    """This workspace's indicators, oldest adoption first."""
    query = (select(LeadingIndicator).where(LeadingIndicator.workspace_id == workspace_id)
             .order_by(LeadingIndicator.adopted_at, LeadingIndicator.id))
    return [_view(row) for row in session.scalars(query)]


def drop_indicator(session: Session, workspace_id: int, indicator_id: int) -> bool:
    """Stop tracking an indicator; False when this workspace has no such indicator."""
    result = session.execute(delete(LeadingIndicator).where(
        LeadingIndicator.workspace_id == workspace_id, LeadingIndicator.id == indicator_id))
    return bool(result.rowcount)
