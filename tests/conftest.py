"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from clock import TODAY_VARIABLE
from db.engine import engine_for, migrate, session_scope
from db.workspaces import WorkspaceIn, create_workspace
from sample_data.seed import ensure_sample_data

pytest.register_assert_rewrite("tests.apptest_helpers")

# One pinned "today" for the whole run, subprocesses included: nothing may depend on the calendar. Set
# ALIGNBOARD_TEST_TODAY to run the suite on another day.
os.environ[TODAY_VARIABLE] = os.environ.get("ALIGNBOARD_TEST_TODAY", "2026-11-16")

PG_ENV = "ALIGNBOARD_TEST_DATABASE_URL"
PG_SKIP_REASON = f"PostgreSQL tests skipped: set {PG_ENV} to a PostgreSQL URL to run them"


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Files made in the test (zip timestamps inside) are named by their place in the list, not their bytes, so
    that every worker of a parallel run collects the same test names."""
    return "file" if isinstance(val, bytes | bytearray) else None


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


def _use_database(monkeypatch: pytest.MonkeyPatch, url: str) -> str:
    """Point the app at `url` for this test, with no demo seeding of its own."""
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", url)
    monkeypatch.setenv("ALIGNBOARD_SEED_SAMPLE_DATA", "false")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of an empty, migrated database; also set as ALIGNBOARD_DATABASE_URL for the app."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'alignboard.db'}"
        engine_for(url)
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
    return _use_database(monkeypatch, url)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return engine_for(database_url)


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite only: for page and browser tests where the engine does not change the behaviour."""
    return _use_database(monkeypatch, f"sqlite:///{tmp_path / 'alignboard.db'}")


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file with the demo companies, seeded once (seeding takes seconds); tests work on copies."""
    path = tmp_path_factory.mktemp("seeded") / "alignboard.db"
    engine = engine_for(f"sqlite:///{path}")
    ensure_sample_data(engine)
    engine.dispose()  # closing the last connection folds SQLite's write-ahead log into the file we copy
    return path


@pytest.fixture
def seeded_url(seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """SQLite only: a private copy of the demo companies' database, so one test's writes never reach another."""
    path = tmp_path / "alignboard.db"
    shutil.copy(seeded_file, path)
    return _use_database(monkeypatch, f"sqlite:///{path}")


@pytest.fixture
def workspace_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return create_workspace(session, WorkspaceIn(name="Test Co", currency="EUR")).id


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """A real SMTP server on 127.0.0.1 for the test, with the app's mail settings pointed at it; yields what it
    received (tests.mail_fixtures.Inbox)."""
    from tests.mail_fixtures import smtp_server  # aiosmtpd only where mail is tested

    with smtp_server(monkeypatch) as received:
        yield received
