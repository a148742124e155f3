"""imports: presets, custom metrics, SQL sources

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name=op.f(f"fk_{table}_workspace_id_workspace"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "import_preset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", TS, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        _workspace_fk("import_preset"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_preset")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_import_preset_workspace_id")),
    )
    op.create_table(
        "custom_metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        _workspace_fk("custom_metric"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_metric")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_custom_metric_workspace_id")),
    )
    op.create_table(
        "sql_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("refreshed_at", TS, nullable=True),
        _workspace_fk("sql_source"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sql_source")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_sql_source_workspace_id")),
    )
    for table in ("import_preset", "custom_metric", "sql_source"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    for table in ("sql_source", "custom_metric", "import_preset"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_workspace_id"))
        op.drop_table(table)
