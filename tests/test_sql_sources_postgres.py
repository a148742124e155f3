"""SQL sources against a real PostgreSQL: each probe that once worked is refused with a plain message.

The server of ALIGNBOARD_TEST_DATABASE_URL plays both parts: the app's own database (conftest's throw-away
database) and, in a database of its own, the "other" source, read by a role made with the recipe Alignboard
shows (and by a role that may read the server's files). Both are dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.source_guard import CONNECT_FAILED, OWN_DATABASE
from db.source_reading import read_only_role_recipe
from db.sql_sources import SqlSourceError, run_query

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "ALIGNBOARD_TEST_DATABASE_URL"
PASSWORD = "r3ad-0nly-pw"


@dataclass(frozen=True)
class SourceServer:
    admin_url: str
    database: str  # the "other" database
    reader: str  # made with read_only_role_recipe
    file_reader: str  # a member of pg_read_server_files

    def url(self, role: str | None = None, *, password: str | None = PASSWORD, host: str = "127.0.0.1",
            port: int | None = None, database: str | None = None, query: str = "") -> str:
        admin = make_url(self.admin_url)
        secret = "" if password is None else f":{password}"
        return (f"postgresql+psycopg://{role or self.reader}{secret}@{host}:{port or admin.port or 5432}/"
                f"{database or self.database}" + (f"?{query}" if query else ""))


@pytest.fixture(scope="module")
def server() -> Iterator[SourceServer]:
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV}")
    suffix = uuid.uuid4().hex[:8]
    found = SourceServer(admin_url, f"alignboard_src_{suffix}", f"reporting_{suffix}", f"file_reader_{suffix}")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{found.database}"'))
        connection.execute(text(f"CREATE ROLE {found.file_reader} LOGIN PASSWORD '{PASSWORD}'"))
        connection.execute(text(f"GRANT pg_read_server_files TO {found.file_reader}"))
    other = create_engine(make_url(admin_url).set(database=found.database), isolation_level="AUTOCOMMIT")
    try:
        with other.connect() as connection:
            connection.execute(text("CREATE TABLE daily_revenue (day date, revenue numeric)"))
            connection.execute(text("INSERT INTO daily_revenue VALUES ('2026-03-01', 100), ('2026-03-02', 50.5)"))
            connection.execute(text("CREATE SEQUENCE invoice_numbers"))
            recipe = read_only_role_recipe(found.database).replace("reporting", found.reader)
            for statement in recipe.replace("'…'", f"'{PASSWORD}'").split(";\n"):
                connection.execute(text(statement.rstrip(";")))
            connection.execute(text(f"GRANT USAGE, UPDATE ON SEQUENCE invoice_numbers TO {found.reader}"))
            connection.execute(text(f"GRANT CONNECT ON DATABASE {found.database} TO {found.file_reader}"))
        yield found
    finally:
        other.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{found.database}" WITH (FORCE)'))
            for role in (found.reader, found.file_reader):
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


@pytest.fixture
def app_database(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app runs on PostgreSQL: conftest's throw-away database, migrated."""
    from db.engine import engine_for

    engine_for(postgres_url)
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", postgres_url)
    return postgres_url


def refusal(url: str, query: str = "SELECT 1") -> SqlSourceError:
    with pytest.raises(SqlSourceError) as refused:
        run_query(url, query)
    return refused.value


def test_a_read_only_role_reads_another_database(server: SourceServer, app_database: str) -> None:
    frame = run_query(server.url(), "SELECT day, revenue FROM daily_revenue ORDER BY day")
    assert frame["revenue"].astype(float).tolist() == [100.0, 50.5]


# --- The app's own database --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", socket.gethostname()])
def test_the_apps_own_database_is_refused(server: SourceServer, app_database: str, host: str) -> None:
    database = make_url(app_database).database
    assert str(refusal(server.url(host=host, database=database))) == OWN_DATABASE
    admin = make_url(app_database)
    as_itself = server.url(admin.username, password=admin.password, host=host, database=database)
    assert str(refusal(as_itself)) == OWN_DATABASE


@contextmanager
def tcp_proxy(port: int) -> Iterator[int]:
    """A port on this machine that forwards to ``port``: the same server under an address nobody listed."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(("127.0.0.1", port))
            for ends in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=ends, daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_the_apps_own_database_behind_another_port_is_refused(server: SourceServer, app_database: str) -> None:
    """The address check cannot see through a proxy; the server's identity (cluster and database) can."""
    admin = make_url(server.admin_url)
    with tcp_proxy(admin.port or 5432) as port:
        assert len(run_query(server.url(port=port), "SELECT * FROM daily_revenue")) == 2  # the proxy works
        assert str(refusal(server.url(port=port, database=make_url(app_database).database))) == OWN_DATABASE


# --- Roles that could read the server ------------------------------------------------------------


def test_a_superuser_is_refused_with_a_read_only_role_recipe(server: SourceServer, app_database: str) -> None:
    admin = make_url(server.admin_url)
    refused = refusal(server.url(admin.username, password=admin.password))
    assert refused.reason.startswith(f"The SQL source signs in as {admin.username}, a PostgreSQL superuser")
    assert refused.recipe.splitlines() == [
        "CREATE ROLE reporting LOGIN PASSWORD '…';",
        f"GRANT CONNECT ON DATABASE {server.database} TO reporting;",
        "GRANT USAGE ON SCHEMA public TO reporting;",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;",
    ]


def test_a_role_that_may_read_server_files_is_refused(server: SourceServer, app_database: str) -> None:
    refused = refusal(server.url(server.file_reader))
    assert refused.reason.startswith(f"The SQL source's role {server.file_reader} is a member of "
                                     "pg_read_server_files:")
    assert f"REVOKE pg_read_server_files FROM {server.file_reader};" in refused.reason


@pytest.fixture
def other_session_pid(server: SourceServer) -> Iterator[int]:
    """A backend of another role (the admin's), for pg_terminate_backend to try on."""
    engine = create_engine(server.admin_url)
    with engine.connect() as connection:
        yield connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    engine.dispose()


@pytest.mark.parametrize(("probe", "refused"), [
    ("SELECT pg_read_file('/etc/hostname')", "permission denied for function pg_read_file"),
    ("SELECT pg_ls_dir('.')", "permission denied for function pg_ls_dir"),
    ("SELECT pg_reload_conf()", "permission denied for function pg_reload_conf"),
    ("SELECT * FROM pg_shadow", "permission denied for view pg_shadow"),
    ("SELECT lo_import('/etc/hostname')", "permission denied for function lo_import"),
    ("SELECT pg_terminate_backend({pid})", "must be a superuser to terminate superuser process"),
])
def test_server_functions_fail_for_lack_of_rights_with_a_plain_message(
        server: SourceServer, app_database: str, other_session_pid: int, probe: str, refused: str) -> None:
    message = str(refusal(server.url(), probe.format(pid=other_session_pid)))
    assert message == f"the SQL source's role may not do that: {refused}"
    hostname = Path("/etc/hostname").read_text().strip()
    assert hostname not in message


def test_the_session_is_read_only(server: SourceServer, app_database: str) -> None:
    """nextval writes (the role may use the sequence): refused because the transaction is read-only."""
    assert str(refusal(server.url(), "SELECT nextval('invoice_numbers')")) == (
        "the query may only read data: SQL sources are opened read-only")


def test_a_slow_query_is_stopped_at_the_time_limit(server: SourceServer, app_database: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SQL_SOURCE_TIMEOUT_SECONDS", "1")
    started = time.monotonic()
    assert str(refusal(server.url(), "SELECT pg_sleep(10)")).startswith("the query ran for more than 1 s")
    slow_rows = "SELECT pg_sleep(0.4), n FROM generate_series(1, 10) AS n"  # each fetch short, all of them long
    assert str(refusal(server.url(), slow_rows)).startswith("the query ran for more than 1 s")
    assert time.monotonic() - started < 5


# --- The byte cap ----------------------------------------------------------------------------------


PEAK_SCRIPT = """
import json, resource, sys
import pandas, psycopg  # loaded before the measure starts
from db.sql_sources import SqlSourceError, run_query
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    message = f"read {len(run_query(sys.argv[1], sys.argv[2]))} rows"
except SqlSourceError as error:
    message = str(error)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_mb": (after - before) / 1024, "message": message}))
"""


def peak_growth(url: str, query: str, tmp_path: Path, max_mb: int | None = None) -> dict:
    """Run the query in a fresh process and report how far its peak memory grew (ru_maxrss) and the outcome."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALIGNBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    if max_mb is not None:
        env["ALIGNBOARD_SQL_SOURCE_MAX_MB"] = str(max_mb)
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, url, query], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_huge_result_is_refused_before_memory_grows_past_the_cap(server: SourceServer, tmp_path: Path) -> None:
    """The attacker's 10 × 100 MB rows (1 GB; it once took the app to 3.9 GB) against the default 200 MB cap:
    refused on the third row. The process grows by the two rows held (the cap) and the one in flight, which
    libpq holds twice (its input buffer and its result) before it becomes a string; never by the result."""
    probe = "SELECT repeat('x', 100000000) FROM generate_series(1, 10)"
    found = peak_growth(server.url(), probe, tmp_path)
    assert found["message"].startswith("the query's result is larger than 200 MB and was stopped while reading")
    assert found["grew_mb"] < 200 + 3 * 100 + 50


def test_many_moderate_rows_stop_at_the_cap(server: SourceServer, tmp_path: Path) -> None:
    """1 GB in 1 MB rows against a 50 MB cap: the chunks shrink as the cap nears, so the process stays near it
    (with small rows, what is in flight is small)."""
    probe = "SELECT repeat('x', 1000000) FROM generate_series(1, 1000)"
    found = peak_growth(server.url(), probe, tmp_path, max_mb=50)
    assert found["message"].startswith("the query's result is larger than 50 MB")
    assert found["grew_mb"] < 50 + 50


# --- One message for every failure to connect ------------------------------------------------------


@contextmanager
def not_a_database() -> Iterator[int]:
    """A port that answers like a web server, where libpq's SSL negotiation fails in a telling way."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        with contextlib.suppress(OSError):
            client, _ = listener.accept()
            client.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            client.close()

    threading.Thread(target=answer, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def test_every_failure_to_connect_reads_the_same(server: SourceServer, app_database: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    wrong = {
        "nothing listens on the port": server.url(port=free_port()),
        "a wrong password": server.url(password="not-the-password"),
        "no password": server.url(password=None),
        "an unknown role": server.url("nobody_here"),
        "an unknown database": server.url(database="no_such_database"),
        "an unknown host": server.url(host="no-such-host.invalid"),
        "SSL required but not verifiable": server.url(query="sslmode=verify-full"),
    }
    with caplog.at_level(logging.WARNING):
        for why, url in wrong.items():
            assert str(refusal(url)) == CONNECT_FAILED, why
        with not_a_database() as port:
            assert str(refusal(server.url(port=port))) == CONNECT_FAILED
    assert "password authentication failed" in caplog.text  # the detail is logged, for whoever runs the app
    assert PASSWORD not in caplog.text and "not-the-password" not in caplog.text


def test_credentials_of_the_app_machine_are_never_used(server: SourceServer, app_database: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL without a password must not sign in with one found on the app's machine (environment, .pgpass)."""
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:{server.reader}:{PASSWORD}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    assert str(refusal(server.url(password=None))) == CONNECT_FAILED
    assert len(run_query(server.url(), "SELECT 1")) == 1  # with its own password it signs in
