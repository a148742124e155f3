"""client companies (slug, logo, archive, demo flag), an audit trail, month coverage, content digests, sources
that are parts of a total

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

DEMO_NAMES = ("Northwind Analytics", "Bloom & Brew")


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "company"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def upgrade() -> None:
    with op.batch_alter_table("workspace") as batch:
        batch.add_column(sa.Column("slug", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("logo_mime", sa.String(length=40), server_default="", nullable=False))
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False))
    connection = op.get_bind()
    taken: set[str] = set()
    for workspace_id, name in connection.execute(sa.text("SELECT id, name FROM workspace ORDER BY id")).all():
        connection.execute(sa.text("UPDATE workspace SET slug = :slug, is_demo = :demo WHERE id = :id"),
                           {"slug": _slug(name, taken), "demo": name in DEMO_NAMES, "id": workspace_id})
    # A unique index rather than a constraint: SQLite adds it without rebuilding the table (a rebuild would
    # drop and recreate `workspace`, which every other table references).
    op.create_index("ix_workspace_slug", "workspace", ["slug"], unique=True)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),  # no foreign key: a deletion's record survives it
        sa.Column("workspace_name", sa.String(length=120), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), server_default="", nullable=False),
        sa.Column("verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_workspace", "audit_event", ["workspace_id", "at"])

    with op.batch_alter_table("observation") as batch:
        batch.add_column(sa.Column("coverage", sa.Float(), server_default="1", nullable=False))
    with op.batch_alter_table("metric_month_total") as batch:
        batch.add_column(sa.Column("coverage", sa.Float(), server_default="1", nullable=False))
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("content_digest", sa.String(length=64), server_default="", nullable=False))
        batch.add_column(sa.Column("skipped_rows", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_import_batch_digest", "import_batch", ["workspace_id", "file_digest"])
    op.create_table(
        "part_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name=op.f("fk_part_source_workspace_id_workspace"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_source")),
        sa.UniqueConstraint("workspace_id", "metric_key", "source_name", name=op.f("uq_part_source_workspace_id")),
    )


def downgrade() -> None:
    op.drop_table("part_source")
    op.drop_index("ix_import_batch_digest", table_name="import_batch")
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("skipped_rows")
        batch.drop_column("content_digest")
    with op.batch_alter_table("metric_month_total") as batch:
        batch.drop_column("coverage")
    with op.batch_alter_table("observation") as batch:
        batch.drop_column("coverage")
    op.drop_index("ix_audit_event_workspace", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_index("ix_workspace_slug", table_name="workspace")
    with op.batch_alter_table("workspace") as batch:
        for column in ("is_demo", "archived_at", "logo_mime", "logo", "slug"):
            batch.drop_column(column)
