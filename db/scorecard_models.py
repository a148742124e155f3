"""Tables of the CEO-CMO agreement and the scorecard around it.

Versions are never edited once agreed; each carries ``row_version``, which SQLAlchemy checks on
every UPDATE, so two people saving the same row at once cannot overwrite each other.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class AgreementVersionRow(Base):
    """One numbered version of a workspace's agreed KPI set (a draft until the CEO and CMO both sign)."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    edit: Mapped[int] = mapped_column(Integer, default=1)  # saved changes to the content
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    agreed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    kpis: Mapped[list[AgreementKpiRow]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="AgreementKpiRow.position")
    signatures: Mapped[list[AgreementSignatureRow]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="AgreementSignatureRow.signed_at")

    __mapper_args__ = {"version_id_col": row_version}


class AgreementKpiRow(Base):
    """One KPI of a version: metric, mandate, owner, thresholds and why it matters."""

    __tablename__ = "agreement_kpi"
    __table_args__ = (UniqueConstraint("version_id", "metric_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    metric_key: Mapped[str] = mapped_column(String(64))
    mandate: Mapped[str] = mapped_column(String(16))  # brand | growth
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    owner_role: Mapped[str] = mapped_column(String(60), default="")
    green_at: Mapped[float] = mapped_column(Float, default=1.0)
    amber_at: Mapped[float] = mapped_column(Float, default=0.9)
    rationale: Mapped[str] = mapped_column(String(300), default="")
    evidence: Mapped[str] = mapped_column(String(300), default="")
    source_of_record: Mapped[str] = mapped_column(String(255), default="")

    version: Mapped[AgreementVersionRow] = relationship(back_populates="kpis")
    targets: Mapped[list[KpiTargetRow]] = relationship(
        back_populates="kpi", cascade="all, delete-orphan", order_by="KpiTargetRow.month")


class KpiTargetRow(Base):
    """A KPI's target for one month, as agreed in one version."""

    __tablename__ = "kpi_target"
    __table_args__ = (UniqueConstraint("kpi_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("agreement_kpi.id", ondelete="CASCADE"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)

    kpi: Mapped[AgreementKpiRow] = relationship(back_populates="targets")


class AgreementSignatureRow(Base):
    """The CEO's or the CMO's signature on a version: who, and when."""

    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("version_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # ceo | cmo
    name: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    version: Mapped[AgreementVersionRow] = relationship(back_populates="signatures")


class KpiCommentaryRow(Base):
    """What we are doing to improve it: one KPI, one month. Kept by metric, so it outlives versions."""

    __tablename__ = "kpi_commentary"
    __table_args__ = (UniqueConstraint("workspace_id", "metric_key", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(64))
    month: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class ConfidenceVoteRow(Base):
    """How far the CEO or the CMO trusts one KPI's number in one month, from 1 to 5."""

    __tablename__ = "confidence_vote"
    __table_args__ = (
        UniqueConstraint("workspace_id", "metric_key", "month", "role"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(64))
    month: Mapped[dt.date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(8))  # ceo | cmo
    score: Mapped[int] = mapped_column(Integer)
    voter: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LeadershipSystemRow(Base):
    """Who owns the meaning, who owns the math, which mandate matters most, and the litmus answers."""

    __tablename__ = "leadership_system"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    meaning_owner: Mapped[str] = mapped_column(String(120), default="")
    math_owner: Mapped[str] = mapped_column(String(120), default="")
    priority_mandate: Mapped[str] = mapped_column(String(16), default="")  # brand | growth | ""
    split_answer: Mapped[str] = mapped_column(Text, default="")
    priority_answer: Mapped[str] = mapped_column(Text, default="")
    build_answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    answered_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}
