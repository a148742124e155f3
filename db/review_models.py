"""Tables of the monthly review: the review of a month, its events, notes and decisions, and action items."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Review(Base):
    """A workspace's review of one month. Closing it freezes ``snapshot`` (JSON of what was reviewed)."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("workspace_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str] = mapped_column(String(120), default="")
    snapshot: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewEvent(Base):
    """A close or a reopen, with who, when and why; closes keep the snapshot they froze."""

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # closed | reopened
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str | None] = mapped_column(Text)


class ReviewNote(Base):
    """A note or a decision recorded against one agenda item of a review."""

    __tablename__ = "review_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # note | decision
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActionItem(Base):
    """An action agreed in a month's review; it stays on later agendas until it is done or dropped."""

    __tablename__ = "action_item"
    __table_args__ = (Index("ix_action_item_workspace_month", "workspace_id", "created_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | dropped
    kpi_key: Mapped[str | None] = mapped_column(String(64))
    created_month: Mapped[dt.date] = mapped_column(Date)
    closed_month: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
