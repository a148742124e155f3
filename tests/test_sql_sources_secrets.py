"""SQL source URLs at rest: encrypted with the configured key (or a key file beside the SQLite database), never
stored or shown in clear, and clear-text rows of older versions encrypted by the migration or on first read."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, text

from db.engine import alembic_config, engine_for, session_scope, write_scope
from db.source_secrets import KEY_FILE_NAME, decrypt_secret, key_file
from db.sql_sources import SqlSourceError, SqlSourceIn, add_sql_source, fetch_sql_source, sql_sources

PASSWORD = "s3cret-pw"
QUERY = "SELECT day, revenue FROM daily_revenue"


@pytest.fixture
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE daily_revenue (day TEXT, revenue REAL)")
        connection.execute("INSERT INTO daily_revenue VALUES ('2026-03-01', 100)")
    connection.close()
    return f"sqlite:///{path}"


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    chosen = Fernet.generate_key().decode()
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", chosen)
    return chosen


SERVER_URL = f"postgresql+psycopg://reader:{PASSWORD}@db.example.com:5432/finance"


def add(engine: Engine, workspace_id: int, url: str, name: str = "Finance") -> int:
    with write_scope(engine, workspace_id) as session:
        return add_sql_source(session, workspace_id, SqlSourceIn(name=name, url=url, query=QUERY), actor="Ada",
                              can_manage_sources=True)


def stored(engine: Engine, source_id: int) -> tuple[str, str]:
    with engine.connect() as connection:
        return tuple(connection.execute(text("SELECT url, masked_url FROM sql_source WHERE id = :id"),
                                        {"id": source_id}).one())


def test_the_stored_column_never_holds_the_password(engine: Engine, workspace_id: int, key: str) -> None:
    source_id = add(engine, workspace_id, SERVER_URL)
    column, masked = stored(engine, source_id)
    assert PASSWORD not in column and "db.example.com" not in column and "://" not in column
    assert Fernet(key.encode()).decrypt(column.encode()).decode() == SERVER_URL  # the key alone opens it
    assert masked == "postgresql+psycopg://reader:***@db.example.com:5432/finance"
    with session_scope(engine) as session:
        [view] = sql_sources(session, workspace_id)
    assert view.masked_url == masked and PASSWORD not in repr(view)


def test_a_wrong_key_gives_a_plain_message_and_the_list_still_shows(engine: Engine, workspace_id: int, key: str,
                                                                    warehouse: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source_id = add(engine, workspace_id, warehouse)
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", Fernet.generate_key().decode())
    with pytest.raises(SqlSourceError) as refused:
        fetch_sql_source(engine, workspace_id, source_id)
    assert str(refused.value) == ("SQL source 'Finance': the saved database URL cannot be decrypted with this "
                                  "installation's secret key: set ALIGNBOARD_SECRET_KEY to the key it was saved with "
                                  "(or add the source again)")
    with session_scope(engine) as session:
        assert [v.masked_url for v in sql_sources(session, workspace_id)] == [warehouse]


def test_a_malformed_key_is_refused_plainly(engine: Engine, workspace_id: int, warehouse: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", "not-a-fernet-key")
    with pytest.raises(SqlSourceError, match="ALIGNBOARD_SECRET_KEY is not a valid key .* make one with python -c"):
        add(engine, workspace_id, warehouse)
    with session_scope(engine) as session:
        assert sql_sources(session, workspace_id) == []


def test_changing_keys_re_encrypts_with_the_new_one_on_first_use(engine: Engine, workspace_id: int, key: str,
                                                                 warehouse: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    source_id = add(engine, workspace_id, warehouse)
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", f"{new},{key}")  # the new key first, the old one still opens
    assert len(fetch_sql_source(engine, workspace_id, source_id).frame) == 1
    assert Fernet(new.encode()).decrypt(stored(engine, source_id)[0].encode()).decode() == warehouse
    monkeypatch.setenv("ALIGNBOARD_SECRET_KEY", new)  # the old key can go now
    assert len(fetch_sql_source(engine, workspace_id, source_id).frame) == 1


def test_without_a_key_setting_a_key_file_is_made_once_beside_the_database(sqlite_url: str, warehouse: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from db.workspaces import WorkspaceIn, create_workspace

    monkeypatch.delenv("ALIGNBOARD_SECRET_KEY", raising=False)
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Acme", currency="EUR")).id
    first = add(engine, workspace_id, warehouse, "First")
    path = Path(sqlite_url.removeprefix("sqlite:///")).parent / KEY_FILE_NAME
    assert key_file(sqlite_url) == path and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    file_key = path.read_text().strip()
    second = add(engine, workspace_id, warehouse, "Second")
    assert path.read_text().strip() == file_key  # made once, then reused
    for source_id in (first, second):
        assert Fernet(file_key.encode()).decrypt(stored(engine, source_id)[0].encode()).decode() == warehouse
    assert len(fetch_sql_source(engine, workspace_id, first).frame) == 1


def test_a_clear_text_row_is_encrypted_on_first_read(engine: Engine, workspace_id: int, key: str,
                                                     warehouse: str) -> None:
    source_id = add(engine, workspace_id, warehouse)
    with engine.begin() as connection:  # as a version before encryption would have left it
        connection.execute(text("UPDATE sql_source SET url = :url, masked_url = '' WHERE id = :id"),
                           {"url": warehouse, "id": source_id})
    with session_scope(engine) as session:
        assert [v.masked_url for v in sql_sources(session, workspace_id)] == [warehouse]  # masked on the way out
    assert len(fetch_sql_source(engine, workspace_id, source_id).frame) == 1
    column, masked = stored(engine, source_id)
    assert "://" not in column and decrypt_secret(column, engine.url) == warehouse and masked == warehouse


@pytest.fixture
def database_at_0008(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database migrated only to 0008 (before encryption), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        reset = create_engine(url)
        with reset.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        reset.dispose()
    command.upgrade(alembic_config(url), "0008")
    engine_for.cache_clear()
    return url


@pytest.mark.parametrize("database_at_0008", ["sqlite", "postgresql"], indirect=True)
def test_the_migration_encrypts_clear_text_urls_and_the_downgrade_restores_them(database_at_0008: str,
                                                                                key: str) -> None:
    url = database_at_0008
    old = create_engine(url)
    with old.begin() as connection:
        workspace_id = connection.execute(text(
            "INSERT INTO workspace (name, currency, fiscal_year_start_month, color, slug, logo_mime, is_demo) "
            "VALUES ('Acme', 'EUR', 1, '#1f4e79', 'acme', '', false) RETURNING id")).scalar_one()
        connection.execute(text("INSERT INTO sql_source (workspace_id, name, url, query, created_by) "
                                "VALUES (:w, 'Finance', :url, 'SELECT 1', 'Ada')"), {"w": workspace_id,
                                                                                     "url": SERVER_URL})
    old.dispose()
    command.upgrade(alembic_config(url), "head")
    migrated = create_engine(url)
    with migrated.connect() as connection:
        column, masked = connection.execute(text("SELECT url, masked_url FROM sql_source")).one()
    assert PASSWORD not in column and "://" not in column
    assert Fernet(key.encode()).decrypt(column.encode()).decode() == SERVER_URL
    assert masked == "postgresql+psycopg://reader:***@db.example.com:5432/finance"
    migrated.dispose()
    command.downgrade(alembic_config(url), "0008")
    restored = create_engine(url)
    with restored.connect() as connection:
        assert connection.execute(text("SELECT url FROM sql_source")).scalar_one() == SERVER_URL
    restored.dispose()
