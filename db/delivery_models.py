"""The delivery log and what it needs: mail sent (or claimed), alerts raised and cleared, people's mail
preferences, the company's mail setting and the daily refresh of its SQL sources."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Delivery(Base):
    """One message to one person: claimed before it is sent (the unique key makes a second claim fail), marked
    sent or failed after. ``period`` is the month reviewed (pre-read, final pack) or the day (alerts)."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("workspace_id", "recipient", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(16))  # db.delivery.MailKind
    period: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))  # sending | sent | failed
    subject: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)  # an alert digest: the ids of the alerts it carries
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class MailPreference(Base):
    """Which kinds of mail a member of a company receives; without a row, every kind their role gets."""

    __tablename__ = "mail_preference"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), primary_key=True)  # lower case
    pre_read: Mapped[bool] = mapped_column(Boolean, default=True)
    final_pack: Mapped[bool] = mapped_column(Boolean, default=True)
    alerts: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DeliverySetting(Base):
    """The company's mail setting: share-safe mail hides absolute amounts of money (off until it asks)."""

    __tablename__ = "delivery_setting"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    share_safe: Mapped[bool] = mapped_column(Boolean, default=False)


class AlertEvent(Base):
    """An alert raised (or a condition cleared) for a company. The newest event of a ``key`` is what was last
    alerted about it, so a KPI that stays off track is alerted once, and again only after it recovered."""

    __tablename__ = "alert_event"
    __table_args__ = (Index("ix_alert_event_key", "workspace_id", "key", "id"),
                      Index("ix_alert_event_day", "workspace_id", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(300))  # "kpi:revenue", "vanity:impressions:pipeline_created", …
    raised: Mapped[bool] = mapped_column(Boolean)  # False: the condition cleared
    kind: Mapped[str] = mapped_column(String(24))  # metrics.alerts.AlertKind
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")  # the numbers, as the mail says them
    safe_text: Mapped[str] = mapped_column(Text, default="")  # the same without amounts of money
    page: Mapped[str] = mapped_column(String(40), default="")  # where in the app to look


class ScheduledRefresh(Base):
    """A SQL source's refresh by the scheduled command: one per source and day, whichever server runs it."""

    __tablename__ = "scheduled_refresh"

    source_id: Mapped[int] = mapped_column(ForeignKey("sql_source.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # running | done | failed
    message: Mapped[str] = mapped_column(String(500), default="")
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
