from __future__ import annotations

from sqlalchemy import inspect


def test_migrations_create_the_foundation_tables(engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"workspace", "import_batch", "observation", "alembic_version"} <= tables
