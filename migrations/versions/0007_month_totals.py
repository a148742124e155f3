"""month totals: metrics summed per month at write time, so pages read few rows

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO metric_month_total (workspace_id, metric_key, month, value, weighted, weight)
SELECT o.workspace_id, o.metric_key, o.month, SUM(o.value), SUM(o.value * o.weight), SUM(o.weight)
FROM observation o
LEFT JOIN source_of_record r ON r.workspace_id = o.workspace_id AND r.metric_key = o.metric_key
WHERE o.superseded_by IS NULL AND (r.id IS NULL OR r.source_name = o.source_name)
GROUP BY o.workspace_id, o.metric_key, o.month
"""


def upgrade() -> None:
    op.create_table(
        "metric_month_total",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("weighted", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name=op.f("fk_metric_month_total_workspace_id_workspace"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "metric_key", "month", name=op.f("pk_metric_month_total")),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("metric_month_total")
