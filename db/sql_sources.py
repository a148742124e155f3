"""SQL sources: a read-only query against another database, mapped like a file and refreshed on demand.

The URL carries credentials. It is stored and used, and otherwise only ever shown masked; messages from the
other database are scrubbed of it before they are logged or shown. Queries run in a read-only session
(PostgreSQL ``default_transaction_read_only``, MySQL ``TRANSACTION READ ONLY``, SQLite opened read-only) and
are rolled back, and only a single SELECT (or WITH … SELECT) is accepted in the first place.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

import clock
from db.engine import session_scope
from db.import_models import SqlSource
from db.imports import ImportOutcome, Progress, import_table, no_progress
from importers.mapping import ImportMapping
from importers.reading import SourceTable, table_from_frame
from metrics.refusal import Refused

log = logging.getLogger(__name__)
MAX_ROWS = 2_000_000
TIMEOUT_MS = 60_000
SENSITIVE = re.compile(r"pass|pwd|secret|token|key", re.IGNORECASE)
WRITE_WORDS = re.compile(r"\b(insert|update|delete|merge|upsert|drop|alter|create|truncate|grant|revoke|attach|"
                         r"detach|pragma|vacuum|copy|call|exec|execute|lock|reindex|into)\b", re.IGNORECASE)
DIALECTS = ("postgresql", "mysql", "mariadb", "sqlite")


class SqlSourceError(Refused):
    """The source cannot be read; the message is safe to show (no credentials)."""


def masked_url(url: str) -> str:
    """The URL as it may be shown: password and secret-looking query values replaced by ***."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(not a valid database URL)"
    query = {k: ("***" if SENSITIVE.search(k) else v) for k, v in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def scrub(text: str, url: str) -> str:
    """``text`` without the URL, its password or secret query values."""
    secrets = [url]
    try:
        parsed = make_url(url)
        secrets += [str(parsed.password or "")] + [str(v) for k, v in parsed.query.items() if SENSITIVE.search(k)]
    except ArgumentError:
        pass
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return re.sub(r"://([^:/@\s]+):([^@\s]+)@", r"://\1:***@", text)


def check_query(query: str) -> str:
    """The query if it is one plain SELECT; otherwise a SqlSourceError saying why not."""
    bare = re.sub(r"--[^\n]*|/\*.*?\*/", " ", query, flags=re.DOTALL)
    bare = re.sub(r"'(?:[^']|'')*'", "''", bare).strip().rstrip(";").strip()
    if not bare:
        raise SqlSourceError("the query is empty")
    if ";" in bare:
        raise SqlSourceError("one query only: remove the semicolons between statements")
    if not re.match(r"(?is)^(select|with)\b", bare):
        raise SqlSourceError("the query must be a SELECT (or WITH … SELECT)")
    word = WRITE_WORDS.search(bare)
    if word:
        raise SqlSourceError(f"the query may only read data ('{word.group(1).upper()}' is not allowed)")
    return query.strip().rstrip(";")


def readonly_engine(url: str) -> Engine:
    """An engine whose sessions cannot write, for the databases Alignboard knows how to lock down."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise SqlSourceError("not a valid database URL (expected e.g. postgresql+psycopg://user@host/db)") from error
    backend = parsed.get_backend_name()
    if backend not in DIALECTS:
        raise SqlSourceError(f"{backend} is not supported: use PostgreSQL, MySQL/MariaDB or SQLite")
    try:
        if backend == "sqlite":
            return _readonly_sqlite(parsed)
        if backend == "postgresql":
            options = f"-c default_transaction_read_only=on -c statement_timeout={TIMEOUT_MS}"
            return create_engine(parsed, poolclass=NullPool, connect_args={"options": options})
        engine = create_engine(parsed, poolclass=NullPool)
    except (NoSuchModuleError, ImportError) as error:
        raise SqlSourceError(f"the database driver for {parsed.drivername} is not installed") from error
    event.listen(engine, "connect", lambda connection, _record: _run(connection, "SET SESSION TRANSACTION READ ONLY"))
    return engine


def _readonly_sqlite(parsed: URL) -> Engine:
    if not parsed.database or parsed.database == ":memory:":
        raise SqlSourceError("a SQLite source must be a database file")
    uri = f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    engine = create_engine(uri, poolclass=NullPool)
    event.listen(engine, "connect", lambda connection, _record: _run(connection, "PRAGMA query_only = ON"))
    return engine


def _run(dbapi_connection, statement: str) -> None:  # noqa: ANN001 - DB-API connections differ by driver
    cursor = dbapi_connection.cursor()
    cursor.execute(statement)
    cursor.close()


def run_query(url: str, query: str, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """The query's result, read in a read-only session that is rolled back afterwards."""
    sql = check_query(query)
    engine = readonly_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.exec_driver_sql(sql)
            columns = list(result.keys())
            rows = result.fetchmany(max_rows + 1)
            connection.rollback()
    except SQLAlchemyError as error:
        message = scrub(str(getattr(error, "orig", None) or error).strip().splitlines()[0], url)
        log.warning("SQL source query failed: %s", message)
        raise SqlSourceError(f"the database said: {message}") from None
    finally:
        engine.dispose()
    if len(rows) > max_rows:
        raise SqlSourceError(f"the query returns more than {max_rows:,} rows: add them up in SQL (GROUP BY day)")
    return pd.DataFrame.from_records([tuple(r) for r in rows], columns=columns)


# --- Stored sources ------------------------------------------------------------------------------


class SqlSourceIn(BaseModel):
    """A new SQL source as the user typed it."""

    name: str = Field(min_length=1, max_length=120)
    url: str = Field(min_length=1, max_length=2000)
    query: str = Field(min_length=1, max_length=20000)

    @field_validator("url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        readonly_engine(url.strip()).dispose()
        return url.strip()

    @field_validator("query")
    @classmethod
    def _select_only(cls, query: str) -> str:
        return check_query(query)


@dataclass(frozen=True)
class SqlSourceView:
    """A source as pages see it: the URL masked, never in clear."""

    id: int
    name: str
    masked_url: str
    query: str
    mapping: ImportMapping | None
    refreshed_at: dt.datetime | None


def add_sql_source(session: Session, workspace_id: int, data: SqlSourceIn, created_by: str = "") -> int:
    taken = session.scalar(select(SqlSource.id).where(SqlSource.workspace_id == workspace_id,
                                                      SqlSource.name == data.name))
    if taken is not None:
        raise SqlSourceError(f"there is already a SQL source called '{data.name}'")
    source = SqlSource(workspace_id=workspace_id, name=data.name, url=data.url, query=data.query,
                       created_by=created_by)
    session.add(source)
    session.flush()
    return source.id


def sql_sources(session: Session, workspace_id: int) -> list[SqlSourceView]:
    rows = session.scalars(select(SqlSource).where(SqlSource.workspace_id == workspace_id).order_by(SqlSource.name))
    return [SqlSourceView(s.id, s.name, masked_url(s.url), s.query,
                          ImportMapping.model_validate(s.mapping) if s.mapping else None, s.refreshed_at)
            for s in rows]


def source_name(name: str) -> str:
    """The source name of a SQL source's imports."""
    return f"SQL: {name}"[:255]


def _source(session: Session, workspace_id: int, source_id: int) -> SqlSource:
    source = session.scalar(select(SqlSource).where(SqlSource.workspace_id == workspace_id, SqlSource.id == source_id))
    if source is None:
        raise SqlSourceError("that SQL source no longer exists")
    return source


def set_sql_mapping(session: Session, workspace_id: int, source_id: int, mapping: ImportMapping) -> None:
    _source(session, workspace_id, source_id).mapping = mapping.model_dump(mode="json")


def delete_sql_source(session: Session, workspace_id: int, source_id: int) -> None:
    session.delete(_source(session, workspace_id, source_id))


def fetch_sql_source(engine: Engine, workspace_id: int, source_id: int) -> SourceTable:
    """Run the source's query now and return its result as a table to map."""
    with session_scope(engine) as session:
        source = _source(session, workspace_id, source_id)
        name, url, query = source.name, source.url, source.query
    return table_from_frame(f"SQL source '{name}'", run_query(url, query))


def refresh_sql_source(engine: Engine, workspace_id: int, source_id: int, *, created_by: str = "",
                       dry_run: bool = False, today: dt.date | None = None,
                       progress: Progress = no_progress) -> ImportOutcome:
    """Fetch the query again and import it with the source's saved mapping (the same checks as a file)."""
    with session_scope(engine) as session:
        source = _source(session, workspace_id, source_id)
        if source.mapping is None:
            raise SqlSourceError("map the query's columns first")
        mapping = ImportMapping.model_validate(source.mapping)
        mapping.source_name = source_name(source.name)  # the source is the query: refreshing replaces its values
    progress(0.02, "Running the query")
    table = fetch_sql_source(engine, workspace_id, source_id)
    outcome = import_table(engine, workspace_id, table, mapping, created_by=created_by, dry_run=dry_run,
                           today=today, progress=progress)
    if outcome.accepted and not dry_run:
        with session_scope(engine) as session:
            _source(session, workspace_id, source_id).refreshed_at = clock.now()
    return outcome
