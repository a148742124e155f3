"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from db.engine import engine_for, migrate, session_scope
from db.workspaces import WorkspaceIn, create_workspace

PG_ENV = "ALIGNBOARD_TEST_DATABASE_URL"
PG_SKIP_REASON = f"PostgreSQL tests skipped: set {PG_ENV} to a PostgreSQL URL to run them"


def pytest_report_header() -> str:
    if os.environ.get(PG_ENV):
        return f"database tests: SQLite and PostgreSQL ({PG_ENV} is set)"
    return f"database tests: SQLite only ({PG_SKIP_REASON})"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session, so parallel runs never collide."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(PG_SKIP_REASON)
    name = f"alignboard_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.url.set(database=name)
    yield base.render_as_string(hide_password=False)
    engine_for.cache_clear()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> Engine:
    engine = engine_for(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of an empty, migrated database; also set as ALIGNBOARD_DATABASE_URL for the app."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'alignboard.db'}"
        engine_for(url)
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    monkeypatch.setenv("ALIGNBOARD_SEED_SAMPLE_DATA", "false")
    return url


@pytest.fixture
def engine(database_url: str) -> Engine:
    return engine_for(database_url)


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite only: for page and browser tests where the engine does not change the behaviour."""
    url = f"sqlite:///{tmp_path / 'alignboard.db'}"
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    monkeypatch.setenv("ALIGNBOARD_SEED_SAMPLE_DATA", "false")
    return url


@pytest.fixture
def workspace_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return create_workspace(session, WorkspaceIn(name="Test Co", currency="EUR")).id
