"""output vs outcome: driver-map overrides and adopted leading indicators

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "driver_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("output_key", sa.String(length=64), nullable=False),
        sa.Column("outcome_keys", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_driver_override_workspace_id_workspace"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_driver_override")),
        sa.UniqueConstraint("workspace_id", "output_key", name=op.f("uq_driver_override_workspace_id")),
    )
    op.create_table(
        "leading_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("outcome_key", sa.String(length=64), nullable=False),
        sa.Column("predictor_key", sa.String(length=64), nullable=False),
        sa.Column("lag_months", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("adopted_by", sa.String(length=120), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_leading_indicator_workspace_id_workspace"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leading_indicator")),
        sa.UniqueConstraint("workspace_id", "outcome_key", "predictor_key",
                            name=op.f("uq_leading_indicator_workspace_id")),
    )
    with op.batch_alter_table("leading_indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leading_indicator_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("leading_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leading_indicator_workspace_id"))
    op.drop_table("leading_indicator")
    op.drop_table("driver_override")
