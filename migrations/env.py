"""Alembic environment: runs on the connection db.engine hands over, or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import db.all_models  # noqa: F401 - registers every table on the metadata
from db.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with create_engine(config.get_main_option("sqlalchemy.url") or "").begin() as fresh:
        _run(fresh)


def _run(connection) -> None:  # noqa: ANN001 - alembic hands over a Connection
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
