"""a company's review cadence and its next meeting

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_cadence",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), server_default="1", nullable=False),
        sa.Column("week", sa.Integer(), server_default="2", nullable=False),
        sa.Column("pre_read_days", sa.Integer(), server_default="3", nullable=False),
        sa.Column("next_override", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_meeting_cadence_workspace_id_workspace"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_meeting_cadence")),
    )


def downgrade() -> None:
    op.drop_table("meeting_cadence")
