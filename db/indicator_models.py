"""Output-vs-outcome tables: a workspace's own driver map, and the leading indicators it has adopted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class DriverOverride(Base):
    """One output's line of the driver map, replacing the default line for this workspace.

    An empty list means the workspace says the output drives no outcome.
    """

    __tablename__ = "driver_override"
    __table_args__ = (UniqueConstraint("workspace_id", "output_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    output_key: Mapped[str] = mapped_column(String(64))
    outcome_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LeadingIndicator(Base):
    """An output adopted as a leading indicator of an outcome, with the evidence it was adopted on.

    ``evidence`` keeps the numbers of the test (r, interval, p-values, points, sample months, correction)
    so a later re-test can be compared with what was agreed.
    """

    __tablename__ = "leading_indicator"
    __table_args__ = (UniqueConstraint("workspace_id", "outcome_key", "predictor_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    outcome_key: Mapped[str] = mapped_column(String(64))
    predictor_key: Mapped[str] = mapped_column(String(64))
    lag_months: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[dict] = mapped_column(JSON)
    adopted_by: Mapped[str] = mapped_column(String(120))
    adopted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
