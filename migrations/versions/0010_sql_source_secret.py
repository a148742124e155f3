"""SQL source URLs encrypted at rest, and their masked form kept beside them for showing

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.source_guard import masked_url
from db.source_secrets import decrypt_secret, encrypt_secret, is_encrypted

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sql_source") as batch:
        batch.add_column(sa.Column("masked_url", sa.String(length=2000), server_default="", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, url FROM sql_source ORDER BY id")).all()
    for source_id, url in rows:  # the key is read (or its file made) only when there is a URL to encrypt
        if not is_encrypted(url):
            connection.execute(sa.text("UPDATE sql_source SET url = :token, masked_url = :masked WHERE id = :id"),
                               {"token": encrypt_secret(url, connection.engine.url), "masked": masked_url(url),
                                "id": source_id})


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, url FROM sql_source ORDER BY id")).all()
    for source_id, token in rows:
        if is_encrypted(token):
            connection.execute(sa.text("UPDATE sql_source SET url = :url WHERE id = :id"),
                               {"url": decrypt_secret(token, connection.engine.url), "id": source_id})
    with op.batch_alter_table("sql_source") as batch:
        batch.drop_column("masked_url")
