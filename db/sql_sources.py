"""SQL sources: a read-only query against another database, mapped like a file and refreshed on demand.

A source may not read Alignboard itself: db.source_guard refuses the app's own database (SQLite file or
PostgreSQL database, however spelt), files in its data folder and hosts off the allow-list; db.source_reading
opens the rest read-only, within a time limit, a row cap and a byte cap, and refuses roles that could read the
server's files. Only a single SELECT (or WITH … SELECT) is accepted in the first place.

The URL carries credentials: it is stored encrypted (db.source_secrets), shown only masked, never logged, and
every message from the other database is scrubbed of it. Any failure to connect reads the same
("Could not connect to the SQL source with these settings."), so a source cannot be used to probe ports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import clock
from db import audit
from db.engine import session_scope, write_scope
from db.import_models import SqlSource
from db.imports import ImportOutcome, Progress, import_table, no_progress
from db.overlaps import OverlapChoice
from db.source_guard import (  # noqa: F401 - re-exported for callers
    CONNECT_FAILED,
    CouldNotConnect,
    SqlSourceError,
    masked_url,
    own_database_urls,
    scrub,
    source_target,
)
from db.source_reading import ReadLimits, read_source
from db.source_secrets import SecretKeyError, decrypt_secret, encrypt_secret, is_encrypted, needs_new_encryption
from db.workspaces import workspace_by_id
from importers.mapping import ImportMapping
from importers.reading import SourceTable, table_from_frame

MAX_ROWS = 2_000_000
WRITE_WORDS = re.compile(r"\b(insert|update|delete|merge|upsert|drop|alter|create|truncate|grant|revoke|attach|"
                         r"detach|pragma|vacuum|copy|call|exec|execute|lock|reindex|into|set_config)\b",
                         re.IGNORECASE)  # set_config could undo the session's read-only and time settings
ADDED, CHANGED, DELETED, MAPPED = "sql_source.added", "sql_source.changed", "sql_source.deleted", "sql_source.mapped"


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


def check_source_url(url: str, own_urls: Sequence[str] = ()) -> str:
    """The URL if a source may read it (checked again, host resolved, at every run); else why not."""
    source_target(url, own_database_urls(*own_urls), resolve_now=False)
    return url.strip()


def run_query(url: str, query: str, max_rows: int = MAX_ROWS, *, own_urls: Sequence[str] = ()) -> pd.DataFrame:
    """The query's result, read in a read-only session within the time, row and byte limits.

    ``own_urls``: Alignboard databases besides the configured one (the engine a source is stored in).
    """
    sql = check_query(query)
    owners = own_database_urls(*own_urls)
    result = read_source(source_target(url, owners), sql, ReadLimits.from_settings(max_rows), owners, url)
    return pd.DataFrame.from_records(result.rows, columns=result.columns)


# --- Stored sources ------------------------------------------------------------------------------


class SqlSourceIn(BaseModel):
    """A new SQL source as the user typed it. Errors never repeat the input (the URL holds a password)."""

    model_config = ConfigDict(hide_input_in_errors=True)

    name: str = Field(min_length=1, max_length=120)
    url: str = Field(min_length=1, max_length=2000, repr=False)
    query: str = Field(min_length=1, max_length=20000)

    @field_validator("name")
    @classmethod
    def _trimmed(cls, name: str) -> str:
        if not name.strip():
            raise SqlSourceError("the source needs a name")
        return name.strip()

    @field_validator("url")
    @classmethod
    def _readable_database(cls, url: str) -> str:
        return check_source_url(url)

    @field_validator("query")
    @classmethod
    def _select_only(cls, query: str) -> str:
        return check_query(query)


class SqlSourceChange(SqlSourceIn):
    """A changed source: an empty URL keeps the stored one (it is never shown, so it cannot be typed back)."""

    url: str = Field(default="", max_length=2000, repr=False)

    @field_validator("url")
    @classmethod
    def _readable_database(cls, url: str) -> str:
        return check_source_url(url) if url.strip() else ""


@dataclass(frozen=True)
class SqlSourceView:
    """A source as pages see it: the URL masked, never in clear."""

    id: int
    name: str
    masked_url: str
    query: str
    mapping: ImportMapping | None
    refreshed_at: dt.datetime | None


def require_source_manager(can_manage_sources: bool) -> None:
    """Only advisors add, change or delete SQL sources: the caller says whether its actor is one."""
    if not can_manage_sources:
        raise SqlSourceError("only advisors can add, change or delete SQL sources")


def add_sql_source(session: Session, workspace_id: int, data: SqlSourceIn, *, actor: str,
                   can_manage_sources: bool) -> int:
    """Store a new source, its URL encrypted; recorded in the company's history under ``actor``."""
    require_source_manager(can_manage_sources)
    _refuse_taken_name(session, workspace_id, data.name)
    shown = masked_url(data.url)
    source = SqlSource(workspace_id=workspace_id, name=data.name, url=_encrypted(session, data.url),
                       masked_url=shown, query=data.query, created_by=actor.strip())
    session.add(source)
    session.flush()
    _record(session, ADDED, workspace_id, actor, {"name": data.name, "url": shown})
    return source.id


def change_sql_source(session: Session, workspace_id: int, source_id: int, data: SqlSourceChange, *, actor: str,
                      can_manage_sources: bool) -> None:
    """Rename a source, give it another query, or another URL (an empty one keeps the stored URL)."""
    require_source_manager(can_manage_sources)
    source = _source(session, workspace_id, source_id)
    if data.name != source.name:
        _refuse_taken_name(session, workspace_id, data.name)
    detail = {"name": data.name, "was": source.name, "query_changed": data.query != source.query}
    source.name, source.query = data.name, data.query
    if data.url:
        source.url, source.masked_url = _encrypted(session, data.url), masked_url(data.url)
        detail["url"] = source.masked_url
    _record(session, CHANGED, workspace_id, actor, detail)


def set_sql_mapping(session: Session, workspace_id: int, source_id: int, mapping: ImportMapping, *, actor: str,
                    can_manage_sources: bool) -> None:
    require_source_manager(can_manage_sources)
    source = _source(session, workspace_id, source_id)
    source.mapping = mapping.model_dump(mode="json")
    _record(session, MAPPED, workspace_id, actor, {"name": source.name})


def delete_sql_source(session: Session, workspace_id: int, source_id: int, *, actor: str,
                      can_manage_sources: bool) -> None:
    require_source_manager(can_manage_sources)
    source = _source(session, workspace_id, source_id)
    _record(session, DELETED, workspace_id, actor, {"name": source.name, "url": _shown(source)})
    session.delete(source)


def sql_sources(session: Session, workspace_id: int) -> list[SqlSourceView]:
    rows = session.scalars(select(SqlSource).where(SqlSource.workspace_id == workspace_id).order_by(SqlSource.name))
    return [_view(source) for source in rows]


def sql_source_named(session: Session, workspace_id: int, name: str) -> SqlSourceView | None:
    source = session.scalar(select(SqlSource).where(SqlSource.workspace_id == workspace_id,
                                                    SqlSource.name == name.strip()))
    return _view(source) if source is not None else None


def source_name(name: str) -> str:
    """The source name of a SQL source's imports."""
    return f"SQL: {name}"[:255]


def fetch_sql_source(engine: Engine, workspace_id: int, source_id: int) -> SourceTable:
    """Run the source's query now and return its result as a table to map."""
    name, url, query = _stored_source(engine, workspace_id, source_id)
    frame = run_query(url, query, own_urls=[engine.url.render_as_string(hide_password=False)])
    return table_from_frame(f"SQL source '{name}'", frame)


def import_sql_result(engine: Engine, workspace_id: int, source_id: int, table: SourceTable,
                      mapping: ImportMapping, *, created_by: str = "", dry_run: bool = False,
                      today: dt.date | None = None, progress: Progress = no_progress,
                      overlap: OverlapChoice = OverlapChoice.ASK, replace_identical: bool = False) -> ImportOutcome:
    """Import a fetched result under the source's own name (refreshing replaces its values); ``overlap`` and
    ``replace_identical`` answer a second source of the same months, as for a file."""
    with session_scope(engine) as session:
        mapping = mapping.model_copy(update={"source_name": source_name(_source(session, workspace_id,
                                                                                 source_id).name)})
    outcome = import_table(engine, workspace_id, table, mapping, created_by=created_by, dry_run=dry_run,
                           today=today, progress=progress, overlap=overlap, replace_identical=replace_identical)
    if outcome.accepted and not dry_run:
        with write_scope(engine, workspace_id) as session:
            _source(session, workspace_id, source_id).refreshed_at = clock.now()
    return outcome


def refresh_sql_source(engine: Engine, workspace_id: int, source_id: int, *, created_by: str = "",
                       dry_run: bool = False, today: dt.date | None = None,
                       progress: Progress = no_progress) -> ImportOutcome:
    """Fetch the query again and import it with the source's saved mapping (the same checks as a file)."""
    with session_scope(engine) as session:
        source = _source(session, workspace_id, source_id)
        if source.mapping is None:
            raise SqlSourceError("map the query's columns first")
        mapping = ImportMapping.model_validate(source.mapping)
    progress(0.02, "Running the query")
    table = fetch_sql_source(engine, workspace_id, source_id)
    return import_sql_result(engine, workspace_id, source_id, table, mapping, created_by=created_by,
                             dry_run=dry_run, today=today, progress=progress)


# --- Helpers -------------------------------------------------------------------------------------


def _stored_source(engine: Engine, workspace_id: int, source_id: int) -> tuple[str, str, str]:
    """(name, URL in clear, query). A URL stored in clear (before encryption) or under an older key is
    encrypted with the current key on this first read."""
    with session_scope(engine) as session:
        source = _source(session, workspace_id, source_id)
        name, stored, query = source.name, source.url, source.query
    try:
        url = decrypt_secret(stored, engine.url) if is_encrypted(stored) else stored
        if needs_new_encryption(stored, engine.url):
            with write_scope(engine, workspace_id) as session:
                source = _source(session, workspace_id, source_id)
                source.url, source.masked_url = encrypt_secret(url, engine.url), masked_url(url)
    except SecretKeyError as error:
        raise SqlSourceError(f"SQL source '{name}': {error}") from None
    return name, url, query


def _source(session: Session, workspace_id: int, source_id: int) -> SqlSource:
    source = session.scalar(select(SqlSource).where(SqlSource.workspace_id == workspace_id, SqlSource.id == source_id))
    if source is None:
        raise SqlSourceError("that SQL source no longer exists")
    return source


def _refuse_taken_name(session: Session, workspace_id: int, name: str) -> None:
    taken = session.scalar(select(SqlSource.id).where(SqlSource.workspace_id == workspace_id,
                                                      SqlSource.name == name))
    if taken is not None:
        raise SqlSourceError(f"there is already a SQL source called '{name}'")


def _view(source: SqlSource) -> SqlSourceView:
    mapping = ImportMapping.model_validate(source.mapping) if source.mapping else None
    return SqlSourceView(source.id, source.name, _shown(source), source.query, mapping, source.refreshed_at)


def _shown(source: SqlSource) -> str:
    """The masked URL; a row stored in clear (not yet encrypted) is masked on the way out."""
    if source.masked_url:
        return source.masked_url
    return masked_url(source.url) if not is_encrypted(source.url) else "(hidden)"


def _encrypted(session: Session, url: str) -> str:
    """The URL encrypted with the key of the database the session writes to (its key file, without a setting)."""
    try:
        return encrypt_secret(url, session.get_bind().engine.url)
    except SecretKeyError as error:
        raise SqlSourceError(str(error)) from None


def _record(session: Session, action: str, workspace_id: int, actor: str, detail: dict) -> None:
    workspace = workspace_by_id(session, workspace_id)
    audit.record(session, action, workspace_id=workspace_id, workspace_name=workspace.name if workspace else "",
                 actor=actor, detail=detail)
