"""the delivery log (mail claimed and sent), alerts, mail preferences, share-safe mail, daily SQL refreshes

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _workspace_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], name=op.f(f"fk_{table}_workspace_id_workspace"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("subject", sa.String(length=300), server_default="", nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        _workspace_key("delivery"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("workspace_id", "recipient", "kind", "period", name=op.f("uq_delivery_workspace_id")),
    )
    op.create_table(
        "mail_preference",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("pre_read", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("final_pack", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("alerts", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        _workspace_key("mail_preference"),
        sa.PrimaryKeyConstraint("workspace_id", "email", name=op.f("pk_mail_preference")),
    )
    op.create_table(
        "delivery_setting",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("share_safe", sa.Boolean(), server_default=sa.false(), nullable=False),
        _workspace_key("delivery_setting"),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_delivery_setting")),
    )
    op.create_table(
        "alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("raised", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), server_default="", nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("safe_text", sa.Text(), server_default="", nullable=False),
        sa.Column("page", sa.String(length=40), server_default="", nullable=False),
        _workspace_key("alert_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
    )
    op.create_index("ix_alert_event_key", "alert_event", ["workspace_id", "key", "id"])
    op.create_index("ix_alert_event_day", "alert_event", ["workspace_id", "day"])
    op.create_table(
        "scheduled_refresh",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("message", sa.String(length=500), server_default="", nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sql_source.id"],
                                name=op.f("fk_scheduled_refresh_source_id_sql_source"), ondelete="CASCADE"),
        _workspace_key("scheduled_refresh"),
        sa.PrimaryKeyConstraint("source_id", "day", name=op.f("pk_scheduled_refresh")),
    )
    op.create_index("ix_scheduled_refresh_workspace_id", "scheduled_refresh", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_scheduled_refresh_workspace_id", table_name="scheduled_refresh")
    op.drop_table("scheduled_refresh")
    op.drop_index("ix_alert_event_day", table_name="alert_event")
    op.drop_index("ix_alert_event_key", table_name="alert_event")
    op.drop_table("alert_event")
    op.drop_table("delivery_setting")
    op.drop_table("mail_preference")
    op.drop_table("delivery")
