"""The engine seam: one engine per database URL, migrated to the newest schema on first use, and the
transactions every read and write runs in.

SQLite: Python's driver begins a transaction only before it writes, so two reads of one "transaction" could
see different data; the engine takes over (``isolation_level = None`` and an explicit BEGIN), so a session's
reads share one snapshot, and a write (``write_scope``) takes the database's write lock at its first
statement (BEGIN IMMEDIATE) instead of failing halfway when another writer got there first. WAL lets readers
go on while one writes; a busy timeout makes a second writer wait instead of failing at once.
PostgreSQL: a write takes a transaction-scoped advisory lock on its company first, so two imports of one
company never interleave (nor a close with an import), with a lock timeout that ends in a plain message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.tenancy import bind_company
from db.versions import raise_version
from metrics.refusal import Refused
from settings import PROJECT_ROOT, get_settings

MIGRATIONS = PROJECT_ROOT / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


SQLITE_BUSY_MS = 20_000  # a writer waits this long for another to finish before it is told to try again
LOCK_TIMEOUT = "20s"  # the same on PostgreSQL, for the company lock
IMMEDIATE = "alignboard_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


class WriteBusy(Refused):
    """Another write of the same company held on for too long; nothing was changed. The message says so."""

    def __init__(self) -> None:
        super().__init__("Another change for this company is being saved (an import, perhaps). Nothing was "
                         "changed: try again in a moment.")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API types vary
        dbapi_connection.isolation_level = None  # the engine says BEGIN itself (see the module's docstring)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # noqa: ANN001 - a Connection
        writes = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there).

    On SQLite foreign keys are off while migrating: a migration that rebuilds a table (SQLite's way to
    change a column) drops the old one, and with foreign keys on that would cascade into every row that
    refers to it.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection: Connection, setting: str) -> None:
    """A PRAGMA straight on the driver's connection: outside any transaction, where SQLite honours it."""
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA {setting}")
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The engine for ``url``, created and migrated once per process."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    migrate(engine)
    return engine


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None, workspace_id: int | None = None) -> Iterator[Session]:
    """A session whose work is committed together, or not at all; its reads share one snapshot on SQLite.

    With ``workspace_id`` it sees and changes only that company's rows (db.tenancy).
    """
    factory = sessionmaker(engine or get_engine(), expire_on_commit=False)
    with factory.begin() as session:
        if workspace_id is not None:
            bind_company(session, workspace_id)
        yield session


@contextmanager
def write_scope(engine: Engine, workspace_id: int | None) -> Iterator[Session]:
    """A session for a write that must not interleave with another write of the same company: it holds the
    company's lock (SQLite: the database's write lock) from its first statement to its commit, sees only that
    company's rows, and raises the company's data version as it commits, so every cache of every process
    knows. ``workspace_id`` None: a write about companies themselves (creating one), unbound and unversioned.
    """
    factory = sessionmaker(engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False)
    try:
        with factory.begin() as session:
            lock_company(session, workspace_id)
            if workspace_id is not None:
                bind_company(session, workspace_id)
            yield session
            if workspace_id is not None:
                raise_version(session, workspace_id)
    except OperationalError as error:
        if _is_busy(error):
            raise WriteBusy() from error
        raise


def lock_company(session: Session, workspace_id: int | None) -> None:
    """Wait for (and hold until commit) the company's write lock; SQLite's BEGIN IMMEDIATE already holds one."""
    if session.get_bind().dialect.name != "postgresql":
        session.connection()  # begins: BEGIN IMMEDIATE
        return
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    session.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": LOCK_SPACE,
                                                                          "key": workspace_id or 0})


LOCK_SPACE = 0x41_6C_69  # the advisory-lock namespace of this app's company locks ("Ali")


def _is_busy(error: OperationalError) -> bool:
    text_ = str(error.orig).lower()
    return "database is locked" in text_ or "lock timeout" in text_ or "canceling statement due to lock" in text_
