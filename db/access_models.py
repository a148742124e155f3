"""Who may see a company (members and their roles), and the company's data version for caches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Membership(Base):
    """One person's role in one company, by e-mail address; access starts at their first sign-in."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workspace_id", "email"), Index("ix_membership_email", "email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))  # lower case
    role: Mapped[str] = mapped_column(String(16))  # db.access.Role
    invited_by: Mapped[str] = mapped_column(String(200), default="")
    invited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    first_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DataVersion(Base):
    """A number every write of the company raises: a page's caches are keyed by it, so a write from any process
    (the command line, a scheduled job, a second app server) shows on the next rerun everywhere."""

    __tablename__ = "data_version"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
