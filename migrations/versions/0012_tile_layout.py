"""the company's One View tile layout: pinned, hidden and ordered tiles

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tile_placement",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_tile_placement_workspace_id_workspace"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "metric_key", name=op.f("pk_tile_placement")),
    )


def downgrade() -> None:
    op.drop_table("tile_placement")
