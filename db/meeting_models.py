"""The review cadence of a company."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class MeetingCadence(Base):
    """When the company's monthly review meets (metrics.meetings.Cadence)."""

    __tablename__ = "meeting_cadence"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer, default=1)
    week: Mapped[int] = mapped_column(Integer, default=2)
    pre_read_days: Mapped[int] = mapped_column(Integer, default=3)
    next_override: Mapped[dt.date | None] = mapped_column(Date)
