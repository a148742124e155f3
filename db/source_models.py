"""The source of record: when two systems report the same number, the one whose figure counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class SourceOfRecordRow(Base):
    """A workspace's choice for one metric. Metrics without a row add up every source's figures."""

    __tablename__ = "source_of_record"
    __table_args__ = (UniqueConstraint("workspace_id", "metric_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))
    set_by: Mapped[str] = mapped_column(String(120), default="")
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
