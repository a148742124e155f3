"""Tables of the import machinery: saved mappings (presets), a workspace's own metrics, SQL sources."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class ImportPreset(Base):
    """A named mapping of a workspace, reused for next month's file of the same shape."""

    __tablename__ = "import_preset"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    mapping: Mapped[dict] = mapped_column(JSON)  # importers.mapping.ImportMapping as JSON
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CustomMetric(Base):
    """A metric of the workspace's own (a column nothing in the standard catalog fits)."""

    __tablename__ = "custom_metric"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSON)  # importers.mapping.NewMetric as JSON
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SqlSource(Base):
    """A read-only query against another database, mapped like a file and refreshed on demand.

    The URL holds credentials: its column keeps it encrypted (db.source_secrets), and only ``masked_url`` is
    ever shown.
    """

    __tablename__ = "sql_source"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(Text)  # encrypted: a Fernet token (in clear only before migration 0009)
    masked_url: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    query: Mapped[str] = mapped_column(Text)
    mapping: Mapped[dict | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    refreshed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
