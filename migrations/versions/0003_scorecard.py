"""scorecard: agreement versions, KPIs, targets, signatures, commentary, confidence votes, leadership system

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name=op.f(f"fk_{table}_workspace_id_workspace"),
                                   ondelete="CASCADE")


def _version_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["version_id"], ["agreement_version.id"],
                                   name=op.f(f"fk_{table}_version_id_agreement_version"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "agreement_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("edit", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("agreed_at", TS, nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _workspace_fk("agreement_version"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_version")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_agreement_version_workspace_id")),
    )
    op.create_index(op.f("ix_agreement_version_workspace_id"), "agreement_version", ["workspace_id"])
    op.create_table(
        "agreement_kpi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("mandate", sa.String(length=16), nullable=False),
        sa.Column("owner_name", sa.String(length=120), nullable=False),
        sa.Column("owner_role", sa.String(length=60), nullable=False),
        sa.Column("green_at", sa.Float(), nullable=False),
        sa.Column("amber_at", sa.Float(), nullable=False),
        sa.Column("rationale", sa.String(length=300), nullable=False),
        sa.Column("evidence", sa.String(length=300), nullable=False),
        sa.Column("source_of_record", sa.String(length=255), nullable=False),
        _version_fk("agreement_kpi"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_kpi")),
        sa.UniqueConstraint("version_id", "metric_key", name=op.f("uq_agreement_kpi_version_id")),
    )
    op.create_index(op.f("ix_agreement_kpi_version_id"), "agreement_kpi", ["version_id"])
    op.create_table(
        "kpi_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["kpi_id"], ["agreement_kpi.id"], name=op.f("fk_kpi_target_kpi_id_agreement_kpi"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_target")),
        sa.UniqueConstraint("kpi_id", "month", name=op.f("uq_kpi_target_kpi_id")),
    )
    op.create_index(op.f("ix_kpi_target_kpi_id"), "kpi_target", ["kpi_id"])
    op.create_table(
        "agreement_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("signed_at", TS, nullable=False),
        _version_fk("agreement_signature"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_signature")),
        sa.UniqueConstraint("version_id", "role", name=op.f("uq_agreement_signature_version_id")),
    )
    op.create_index(op.f("ix_agreement_signature_version_id"), "agreement_signature", ["version_id"])
    op.create_table(
        "kpi_commentary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _workspace_fk("kpi_commentary"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_commentary")),
        sa.UniqueConstraint("workspace_id", "metric_key", "month", name=op.f("uq_kpi_commentary_workspace_id")),
    )
    op.create_table(
        "confidence_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=120), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_confidence_vote_score_1_to_5")),
        _workspace_fk("confidence_vote"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidence_vote")),
        sa.UniqueConstraint("workspace_id", "metric_key", "month", "role",
                            name=op.f("uq_confidence_vote_workspace_id")),
    )
    op.create_table(
        "leadership_system",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("meaning_owner", sa.String(length=120), nullable=False),
        sa.Column("math_owner", sa.String(length=120), nullable=False),
        sa.Column("priority_mandate", sa.String(length=16), nullable=False),
        sa.Column("split_answer", sa.Text(), nullable=False),
        sa.Column("priority_answer", sa.Text(), nullable=False),
        sa.Column("build_answer", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _workspace_fk("leadership_system"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_system")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_leadership_system_workspace_id")),
    )


def downgrade() -> None:
    for table in ("leadership_system", "confidence_vote", "kpi_commentary", "agreement_signature", "kpi_target",
                  "agreement_kpi", "agreement_version"):
        op.drop_table(table)
