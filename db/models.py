"""Foundation tables. Every table below workspace carries workspace_id: clients never mix."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Workspace(Base):
    """One client company."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    fiscal_year_start_month: Mapped[int] = mapped_column(Integer, default=1)
    color: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)  # the company in an address: ?client=<slug>
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG or JPEG, shown on the banner and the board pack
    logo_mime: Mapped[str] = mapped_column(String(40), default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # hidden from the picker
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    batches: Mapped[list[ImportBatch]] = relationship(back_populates="workspace")


class ImportBatch(Base):
    """One arrival of data: a file, a query result or the sample generator."""

    __tablename__ = "import_batch"
    __table_args__ = (Index("ix_import_batch_digest", "workspace_id", "file_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(120), default="")
    source_name: Mapped[str] = mapped_column(String(255))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_digest: Mapped[str] = mapped_column(String(64), default="")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | undone
    content_digest: Mapped[str] = mapped_column(String(64), default="")  # of the rows read, whatever the file name
    skipped_rows: Mapped[int] = mapped_column(Integer, default=0)  # rows left out by choice (no date)

    workspace: Mapped[Workspace] = relationship(back_populates="batches")


class Observation(Base):
    """A metric's value for one month (and optional segment) from one source.

    Rows replaced by a later import of the same source are kept with ``superseded_by`` set,
    so undoing that import brings them back.
    """

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_lookup", "workspace_id", "metric_key", "month"),
        Index("ix_observation_source", "workspace_id", "source_name", "metric_key", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(64))
    month: Mapped[dt.date] = mapped_column(Date)
    segment: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    coverage: Mapped[float] = mapped_column(Float, default=1.0)  # share of the month's days the source covers
    source_name: Mapped[str] = mapped_column(String(255))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )


class MonthTotal(Base):
    """A metric's month summed over segments and the counted sources, kept current by every write.

    Pages read these few rows (metrics x months), so their cost does not grow with imported volume.
    """

    __tablename__ = "metric_month_total"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    metric_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    weighted: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    coverage: Mapped[float] = mapped_column(Float, default=1.0)  # the least any counted source covers


class PartSource(Base):
    """A source agreed to be one part of a metric's total (one file per ad platform, channel or region):
    its figures add up with the other parts' without asking again."""

    __tablename__ = "part_source"
    __table_args__ = (UniqueConstraint("workspace_id", "metric_key", "source_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))


class AuditEvent(Base):
    """One write, recorded: who, when, what, which company. Kept when the company itself is deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_workspace", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int | None] = mapped_column(Integer)
    workspace_name: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)  # False: typed in while sign-in is off
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)
