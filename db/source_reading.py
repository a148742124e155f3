"""Reading a checked SQL source (db.source_guard): one SELECT in a read-only session, within limits.

Every database gets a time limit (PostgreSQL ``statement_timeout`` and a cancel when the whole read outlasts
it, MySQL ``max_execution_time`` / MariaDB ``max_statement_time`` and a socket timeout, SQLite a progress
handler), the row cap and a byte cap counted while the rows arrive in small chunks, so a huge result is refused
before it fills the memory. After signing in, and before the query, the source is asked who it is: a
PostgreSQL superuser or a role that may read the server's files or signal other sessions is refused, and so is
Alignboard's own database reached by any other name (same cluster identity and database name) or any database
with Alignboard's tables. The session is never committed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from db.source_guard import (
    AN_ALIGNBOARD_DATABASE,
    OWN_DATABASE,
    CouldNotConnect,
    ServerDatabase,
    SourceTarget,
    SqliteFile,
    SqlSourceError,
    own_sqlite_files,
    scrub,
)
from settings import get_settings

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 10
LARGEST_CHUNK = 5_000  # rows per fetch at most; fewer when the rows are large (see fetch_capped)
POWERFUL_ROLES = ("pg_execute_server_program", "pg_read_server_files", "pg_signal_backend",
                  "pg_write_server_files")
POWERFUL_MYSQL = {"ALL", "ALL PRIVILEGES", "FILE", "SUPER"}
ALIGNBOARD_TABLES = ("observation", "sql_source", "workspace")
SQLITE_READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                       sqlite3.SQLITE_RECURSIVE}
SQLITE_BLOCKED_FUNCTIONS = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"}


class RowCursor(Protocol):
    def fetchmany(self, size: int = ...) -> Sequence[Sequence[Any]]: ...


@dataclass(frozen=True)
class ReadLimits:
    timeout_seconds: int
    max_bytes: int
    max_rows: int

    @classmethod
    def from_settings(cls, max_rows: int) -> ReadLimits:
        settings = get_settings()
        return cls(settings.sql_source_timeout_seconds, settings.sql_source_max_mb * 1024 * 1024, max_rows)

    def too_slow(self) -> SqlSourceError:
        return SqlSourceError(f"the query ran for more than {self.timeout_seconds} s and was stopped: add the rows "
                              "up in SQL (GROUP BY day) or ask for fewer")

    def too_large(self) -> SqlSourceError:
        return SqlSourceError(f"the query's result is larger than {self.max_bytes // (1024 * 1024)} MB and was "
                              "stopped while reading: add the rows up in SQL (GROUP BY day) or select fewer columns")

    def too_many_rows(self) -> SqlSourceError:
        return SqlSourceError(f"the query returns more than {self.max_rows:,} rows: add them up in SQL (GROUP BY day)")


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def read_source(target: SourceTarget, sql: str, limits: ReadLimits, own_urls: Sequence[str],
                url: str) -> QueryResult:
    """Run ``sql`` on the checked ``target``; ``url`` only serves to scrub it from what is logged."""
    if isinstance(target, SqliteFile):
        return _read_sqlite(target, sql, limits, own_urls)
    if target.dialect == "postgresql":
        return _read_postgresql(target, sql, limits, own_urls, url)
    return _read_mysql(target, sql, limits, url)


def fetch_capped(cursor: RowCursor, limits: ReadLimits, deadline: float) -> list[tuple]:
    """Every row, fetched in chunks sized so that rows as large as the largest so far cannot pass the byte cap.

    The first fetch asks for one row; each next one for at most twice as many, and for no more than half the
    room left divided by the largest row seen. Counted are Python's own sizes of the rows and their values,
    which is what the memory holds. What is in flight comes on top: one chunk, which the driver holds once or
    twice more until it is turned into Python values (so a single 100 MB value costs up to 300 MB for a moment).
    """
    rows: list[tuple] = []
    held, largest, size = 0, 1, 1
    while chunk := cursor.fetchmany(size):
        for row in chunk:
            row_bytes = sys.getsizeof(row) + sum(sys.getsizeof(value) for value in row)
            held, largest = held + row_bytes, max(largest, row_bytes)
        if held > limits.max_bytes:
            rows.clear()
            raise limits.too_large()
        rows.extend(tuple(row) for row in chunk)
        if len(rows) > limits.max_rows:
            raise limits.too_many_rows()
        if time.monotonic() > deadline:
            raise limits.too_slow()
        size = max(1, min(size * 2, LARGEST_CHUNK, (limits.max_bytes - held) // (2 * largest)))
    return rows


def _first_line(error: BaseException, url: str) -> str:
    text = str(error).strip() or type(error).__name__
    return scrub(text.splitlines()[0], url)


def _connect_failed(error: BaseException, target: SourceTarget, url: str) -> CouldNotConnect:
    where = target.path.name if isinstance(target, SqliteFile) else f"{target.host}:{target.port}"
    log.warning("SQL source at %s: could not connect: %s", where, _first_line(error, url))
    return CouldNotConnect()


# --- SQLite --------------------------------------------------------------------------------------


def _read_sqlite(target: SqliteFile, sql: str, limits: ReadLimits, own_urls: Sequence[str]) -> QueryResult:
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        connection = sqlite3.connect(target.uri, uri=True, timeout=5, check_same_thread=False)
    except sqlite3.Error as error:
        raise _connect_failed(error, target, "") from None
    try:
        _refuse_sqlite_app_database(connection, own_urls)
        connection.execute("PRAGMA query_only = ON")
        connection.set_authorizer(_sqlite_read_only)  # from here on: reads only, no ATTACH, no PRAGMA
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        cursor = connection.execute(sql)
        columns = [d[0] for d in cursor.description or ()]
        return QueryResult(columns, fetch_capped(cursor, limits, deadline))
    except sqlite3.Error as error:
        if time.monotonic() > deadline:
            raise limits.too_slow() from None
        if "not authorized" in str(error):
            raise SqlSourceError("the query may only read data (SQLite refused it: not authorized)") from None
        raise SqlSourceError(f"the SQL source could not run the query: {_first_line(error, '')}") from None
    finally:
        connection.close()


def _sqlite_read_only(action: int, _arg1: str | None, arg2: str | None, _database: str | None,
                      _trigger: str | None) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in SQLITE_BLOCKED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK if action in SQLITE_READ_ACTIONS else sqlite3.SQLITE_DENY


def _refuse_sqlite_app_database(connection: sqlite3.Connection, own_urls: Sequence[str]) -> None:
    """What SQLite actually opened (not what the URL said) is not the app's file, nor has its tables."""
    opened = Path(next(row[2] for row in connection.execute("PRAGMA database_list") if row[1] == "main"))
    if any(own.exists() and os.path.samefile(opened, own) for own in own_sqlite_files(own_urls)):
        raise SqlSourceError(OWN_DATABASE)
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if set(ALIGNBOARD_TABLES) <= names:
        raise SqlSourceError(AN_ALIGNBOARD_DATABASE)


# --- PostgreSQL ----------------------------------------------------------------------------------


def read_only_role_recipe(database: str) -> str:
    """SQL that makes a role that can sign in and read, and do nothing else."""
    return ("CREATE ROLE reporting LOGIN PASSWORD '…';\n"
            f"GRANT CONNECT ON DATABASE {_identifier(database)} TO reporting;\n"
            "GRANT USAGE ON SCHEMA public TO reporting;\n"
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;")


def _identifier(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'


def postgresql_arguments(target: ServerDatabase, limits: ReadLimits) -> dict[str, Any]:
    """libpq settings: the checked address, read-only with timeouts, and nothing taken from this machine
    (no password file, no client certificate, no Kerberos) that could sign in on the app's behalf."""
    import psycopg

    ms = limits.timeout_seconds * 1000
    options = (f"-c default_transaction_read_only=on -c statement_timeout={ms} -c lock_timeout={ms} "
               f"-c idle_in_transaction_session_timeout={2 * ms}")
    arguments: dict[str, Any] = {
        "host": target.host, "hostaddr": target.addresses[0], "port": target.port, "dbname": target.database,
        "user": target.user, "password": target.password, "connect_timeout": CONNECT_TIMEOUT_S,
        "options": options, "application_name": "alignboard-sql-source", "passfile": os.devnull,
        "gssencmode": "disable", "sslmode": "prefer", **target.options}
    if psycopg.pq.version() >= 160000:
        arguments |= {"sslcertmode": "disable", "require_auth": "!gss,!sspi"}
    return arguments


def _read_postgresql(target: ServerDatabase, sql: str, limits: ReadLimits, own_urls: Sequence[str],
                     url: str) -> QueryResult:
    import psycopg

    deadline = time.monotonic() + limits.timeout_seconds
    try:
        connection = psycopg.connect(**postgresql_arguments(target, limits))
    except (psycopg.Error, OSError) as error:
        raise _connect_failed(error, target, url) from None
    watchdog = threading.Timer(limits.timeout_seconds, _cancel, [connection])  # even if the query resets
    watchdog.daemon = True  # its statement_timeout, the read ends on time
    try:
        with connection.cursor() as cursor:
            _refuse_powerful_role(cursor, target.database)
            _refuse_app_postgresql(cursor, own_urls)
        watchdog.start()
        with connection.cursor(name="alignboard_source") as cursor:  # a server-side cursor: rows come on demand
            cursor.execute(sql)
            columns = [column.name for column in cursor.description or ()]
            return QueryResult(columns, fetch_capped(cursor, limits, deadline))
    except psycopg.Error as error:
        raise _postgresql_failure(error, limits, url, time.monotonic() > deadline) from None
    finally:
        watchdog.cancel()
        with contextlib.suppress(psycopg.Error):
            connection.close()  # never committed: whatever the query did is rolled back


def _cancel(connection: Any) -> None:  # noqa: ANN401 - a psycopg connection
    with contextlib.suppress(Exception):  # already closed: nothing left to cancel
        connection.cancel_safe()


def _refuse_powerful_role(cursor: Any, database: str) -> None:  # noqa: ANN401 - a psycopg cursor
    cursor.execute("SELECT r.rolname, r.rolsuper, ARRAY(SELECT g.rolname::text FROM pg_roles g "
                   "WHERE g.rolname = ANY(%s) AND pg_has_role(r.oid, g.oid, 'MEMBER') ORDER BY 1) "
                   "FROM pg_roles r WHERE r.rolname = current_user", [list(POWERFUL_ROLES)])
    role, superuser, groups = cursor.fetchone()
    if superuser:
        raise SqlSourceError(f"The SQL source signs in as {role}, a PostgreSQL superuser: through it a query could "
                             "read the server's files and every database. Connect with a role that may only read "
                             "the tables the query needs, such as:", read_only_role_recipe(database))
    if groups:
        raise SqlSourceError(f"The SQL source's role {role} is a member of {', '.join(groups)}: through it a query "
                             "could read or write the server's files, run programs or stop other sessions. Take "
                             f"these rights away (REVOKE {', '.join(groups)} FROM {_identifier(role)};) or connect "
                             "with a role made for reading, such as:", read_only_role_recipe(database))


IDENTITY_SQL = "SELECT current_database(), (SELECT system_identifier::text FROM pg_control_system())"
START_SQL = "SELECT current_database(), pg_postmaster_start_time()::text"
Identity = tuple[str, str, str]  # database, cluster system identifier ('' when closed to the role), start time


def _refuse_app_postgresql(cursor: Any, own_urls: Sequence[str]) -> None:  # noqa: ANN401 - a psycopg cursor
    """Alignboard's own database under any host name, port or proxy (or a replica of it): the same cluster
    identity and database name; and any database with Alignboard's tables (a restored copy)."""
    own = [_app_identity(url) for url in own_urls if make_url(url).get_backend_name() == "postgresql"]
    if own and _same_identity(_identity(lambda sql: _cursor_one(cursor, sql)), own):
        raise SqlSourceError(OWN_DATABASE)
    cursor.execute("SELECT count(DISTINCT relname) FROM pg_class WHERE relkind IN ('r', 'p') AND relname = ANY(%s)",
                   [list(ALIGNBOARD_TABLES)])
    if cursor.fetchone()[0] == len(ALIGNBOARD_TABLES):
        raise SqlSourceError(AN_ALIGNBOARD_DATABASE)


def _cursor_one(cursor: Any, sql: str) -> tuple | None:  # noqa: ANN401 - a psycopg cursor
    import psycopg

    try:
        cursor.execute(sql)
        return tuple(cursor.fetchone())
    except psycopg.errors.InsufficientPrivilege:
        cursor.connection.rollback()  # the next statement starts a new transaction, read-only as ever
        return None


def _identity(one: Callable[[str], tuple | None]) -> Identity:
    database, start = one(START_SQL) or ("", "")
    system = one(IDENTITY_SQL)
    return database, system[1] if system else "", start


def _app_identity(url: str) -> Identity:
    from sqlalchemy.exc import DBAPIError

    from db.engine import engine_for

    with engine_for(url).connect() as connection:
        def one(sql: str) -> tuple | None:
            try:
                return tuple(connection.exec_driver_sql(sql).one())
            except DBAPIError:
                connection.rollback()
                return None

        return _identity(one)


def _same_identity(source: Identity, own: Iterable[Identity]) -> bool:
    for database, system, start in own:
        if database == source[0] and ((system and system == source[1]) or start == source[2]):
            return True
    return False


def _postgresql_failure(error: Exception, limits: ReadLimits, url: str, timed_out: bool) -> SqlSourceError:
    import psycopg

    state = getattr(error, "sqlstate", None)
    if state == "57014" or timed_out:
        return limits.too_slow()
    if state == "42501":
        return SqlSourceError(f"the SQL source's role may not do that: {_first_line(error, url)}")
    if state == "25006":
        return SqlSourceError("the query may only read data: SQL sources are opened read-only")
    if isinstance(error, psycopg.OperationalError):
        log.warning("SQL source: the connection failed during the query: %s", _first_line(error, url))
        return CouldNotConnect()
    return SqlSourceError(f"the SQL source could not run the query: {_first_line(error, url)}")


# --- MySQL and MariaDB ---------------------------------------------------------------------------


def powerful_mysql_grants(grants: Iterable[str]) -> list[str]:
    """The privileges on every database (``ON *.*``) that would let a query read the server's files."""
    found: set[str] = set()
    for line in grants:
        match = re.match(r"\s*GRANT\s+(.+?)\s+ON\s+\*\.\*\s+TO\b", line, re.IGNORECASE)
        if match:
            found |= {p.strip().upper() for p in match.group(1).split(",")} & POWERFUL_MYSQL
    return sorted(found)


def _read_mysql(target: ServerDatabase, sql: str, limits: ReadLimits, url: str) -> QueryResult:
    import pymysql
    import pymysql.cursors

    deadline = time.monotonic() + limits.timeout_seconds
    try:
        connection = pymysql.connect(
            host=target.addresses[0], port=target.port, user=target.user, password=target.password,
            database=target.database, charset=target.options.get("charset", "utf8mb4"),
            connect_timeout=CONNECT_TIMEOUT_S, read_timeout=limits.timeout_seconds,
            write_timeout=limits.timeout_seconds, local_infile=False, autocommit=False)
    except (pymysql.Error, OSError) as error:
        raise _connect_failed(error, target, url) from None
    try:
        with connection.cursor() as cursor:
            _limit_mysql_session(cursor, limits)
            connection.rollback()  # the query's transaction starts after the settings: read-only
            cursor.execute("SHOW GRANTS")
            powerful = powerful_mysql_grants(row[0] for row in cursor.fetchall())
        if powerful:
            raise SqlSourceError(f"The SQL source's MySQL user has {', '.join(powerful)} on every database: "
                                 "through it a query could read the server's files. Use a user that may only read "
                                 "the tables the query needs, such as:",
                                 "CREATE USER 'reporting'@'%' IDENTIFIED BY '…';\n"
                                 f"GRANT SELECT ON `{target.database}`.* TO 'reporting'@'%';")
        with connection.cursor(pymysql.cursors.SSCursor) as cursor:  # unbuffered: rows come on demand
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description or ()]
            return QueryResult(columns, fetch_capped(cursor, limits, deadline))
    except pymysql.Error as error:
        code, said = (error.args + (None, None))[:2]
        if code in (2013, 3024, 1969) or time.monotonic() > deadline:  # lost (timeout), MySQL's, MariaDB's limit
            raise limits.too_slow() from None
        said = scrub(str(said or error).splitlines()[0], url)
        if code in (1044, 1142, 1143, 1227, 1370):  # access denied to a database, table, column, privilege, routine
            raise SqlSourceError(f"the SQL source's user may not do that: {said}") from None
        raise SqlSourceError(f"the SQL source could not run the query: {said}") from None
    finally:
        with contextlib.suppress(pymysql.Error):
            connection.close()


def _limit_mysql_session(cursor: Any, limits: ReadLimits) -> None:  # noqa: ANN401 - a PyMySQL cursor
    import pymysql

    cursor.execute("SET SESSION TRANSACTION READ ONLY")
    try:
        cursor.execute(f"SET SESSION MAX_EXECUTION_TIME = {limits.timeout_seconds * 1000}")  # MySQL
    except pymysql.Error:
        cursor.execute(f"SET SESSION max_statement_time = {limits.timeout_seconds}")  # MariaDB
