"""A SQL source cannot see the app: its own database however spelt, its data folder, hosts off the allow-list,
options that would open a SQLite file for writing, and the limits on time and size (SQLite here; PostgreSQL
in test_sql_sources_postgres.py)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from db.engine import engine_for
from db.source_guard import (
    AN_ALIGNBOARD_DATABASE,
    CONNECT_FAILED,
    OWN_DATABASE,
    ServerDatabase,
    SqliteFile,
    host_is_listed,
    is_local_address,
    machine_addresses,
    own_database_urls,
    source_target,
)
from db.source_reading import ReadLimits, powerful_mysql_grants, read_source
from db.source_secrets import PROJECT_DATA
from db.sql_sources import SqlSourceError, SqlSourceIn, check_source_url, run_query

APP_PG = "postgresql+psycopg://app:app-pw@127.0.0.1:5432/alignboard"


def make_sqlite(path: Path, rows: int = 2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE daily_revenue (day TEXT, revenue REAL)")
        connection.executemany("INSERT INTO daily_revenue VALUES (?, ?)", [(f"2026-03-{d:02}", d) for d in
                                                                          range(1, rows + 1)])
    connection.close()
    return path


@pytest.fixture
def app_file(sqlite_url: str) -> Path:
    """The app's own SQLite database (migrated: it holds Alignboard's tables) at tmp_path/alignboard.db."""
    engine_for(sqlite_url).dispose()
    return Path(sqlite_url.removeprefix("sqlite:///"))


@pytest.fixture
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the app's data folder."""
    return tmp_path_factory.mktemp("elsewhere")


def refusal(url: str) -> str:
    with pytest.raises(SqlSourceError) as refused:
        run_query(url, "SELECT 1")
    return str(refused.value)


# --- The app's own SQLite file -------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "sqlite:///{path}",
    "sqlite:///{folder}/./alignboard.db",
    "sqlite:///{folder}/../{folder_name}/alignboard.db",
    "sqlite:///{folder}//alignboard.db",
    "sqlite:///file:{path}",
    "sqlite:///file://localhost{path}",
    "sqlite:///file:{encoded}",
    "sqlite+pysqlite:///{path}",
])
def test_the_apps_own_sqlite_file_is_refused_however_it_is_spelt(app_file: Path, spelling: str) -> None:
    encoded = str(app_file).replace("/", "%2F").replace("alignboard", "%61lignboard")
    url = spelling.format(path=app_file, folder=app_file.parent, folder_name=app_file.parent.name, encoded=encoded)
    assert refusal(url) == OWN_DATABASE
    with pytest.raises(ValueError, match="Alignboard's own database"):
        SqlSourceIn(name="Mine", url=url, query="SELECT 1")  # refused when the source is saved, too


def test_a_relative_path_to_the_apps_file_is_refused(app_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                     elsewhere: Path) -> None:
    monkeypatch.chdir(elsewhere)
    relative = os.path.relpath(app_file, elsewhere)
    assert relative.startswith("..")
    assert refusal(f"sqlite:///{relative}") == OWN_DATABASE


@pytest.mark.parametrize("link", ["symlink", "hardlink", "symlinked folder"])
def test_links_to_the_apps_file_from_another_folder_are_refused(app_file: Path, elsewhere: Path, link: str) -> None:
    if link == "symlink":
        path = elsewhere / "innocent.db"
        path.symlink_to(app_file)
    elif link == "hardlink":
        path = elsewhere / "innocent.db"
        os.link(app_file, path)
    else:
        (elsewhere / "folder").symlink_to(app_file.parent, target_is_directory=True)
        path = elsewhere / "folder" / "alignboard.db"
    assert refusal(f"sqlite:///{path}") == OWN_DATABASE


def test_a_copy_of_an_alignboard_database_is_refused(app_file: Path, elsewhere: Path) -> None:
    copy = elsewhere / "backup.db"
    shutil.copy(app_file, copy)
    assert refusal(f"sqlite:///{copy}") == AN_ALIGNBOARD_DATABASE


def test_any_sqlite_file_in_the_apps_data_folders_is_refused(app_file: Path) -> None:
    beside = make_sqlite(app_file.parent / "other.db")
    assert f"in Alignboard's data folder ({app_file.parent})" in refusal(f"sqlite:///{beside}")
    made_the_folder = not PROJECT_DATA.exists()
    in_project_data = make_sqlite(PROJECT_DATA / f"test-{os.getpid()}-other.db")
    try:
        assert f"in Alignboard's data folder ({PROJECT_DATA.resolve()})" in refusal(f"sqlite:///{in_project_data}")
    finally:
        in_project_data.unlink()
        if made_the_folder:
            PROJECT_DATA.rmdir()


# --- Read-only, whatever the URL says --------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "sqlite:///{path}?mode=rwc",
    "sqlite:///file:{path}?mode=rwc&uri=true",
    "sqlite:///{path}%3Fmode%3Drwc",
    "sqlite:///file:{path}%3Fmode=rwc%26uri=true",
    "sqlite:///file:{path}%253Fmode%253Drwc",
    "sqlite:///{path}?immutable=1",
    "sqlite:///file:{path}#mode=rwc",
])
def test_options_in_the_url_never_open_a_file_for_writing(elsewhere: Path, spelling: str) -> None:
    new = elsewhere / "created.db"
    message = refusal(spelling.format(path=new))
    assert "without options" in message or f"no SQLite file at {new}" in message
    assert list(elsewhere.iterdir()) == []  # nothing was created


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:",
                                 "sqlite:///file:memdb1?mode=memory&cache=shared"])
def test_in_memory_databases_are_refused(url: str) -> None:
    message = refusal(url)
    assert "not an in-memory database" in message or "without options" in message


def test_a_file_that_is_not_a_sqlite_database_or_not_there_is_refused(elsewhere: Path) -> None:
    (elsewhere / "notes.txt").write_text("not a database")
    assert refusal(f"sqlite:///{elsewhere / 'notes.txt'}") == "notes.txt is not a SQLite database"
    assert refusal(f"sqlite:///{elsewhere / 'gone.db'}").startswith("no SQLite file at")


def test_the_opened_file_cannot_attach_another_or_change_settings(app_file: Path, elsewhere: Path) -> None:
    """The query check refuses ATTACH and PRAGMA; below it, SQLite's authorizer refuses them too."""
    source = make_sqlite(elsewhere / "warehouse.db")
    limits = ReadLimits(timeout_seconds=5, max_bytes=10**6, max_rows=100)
    for statement in (f"ATTACH DATABASE '{app_file}' AS app", "PRAGMA writable_schema = ON",
                      "SELECT load_extension('x')"):
        with pytest.raises(SqlSourceError, match="may only read data"):
            read_source(SqliteFile(source), statement, limits, own_database_urls(), "")
    with pytest.raises(SqlSourceError, match="must be a SELECT"):
        run_query(f"sqlite:///{source}", f"ATTACH DATABASE '{app_file}' AS app")


def test_sqlite_reads_stop_at_the_time_limit(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SQL_SOURCE_TIMEOUT_SECONDS", "1")
    source = make_sqlite(elsewhere / "warehouse.db")
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    with pytest.raises(SqlSourceError, match="ran for more than 1 s and was stopped"):
        run_query(f"sqlite:///{source}", endless)


def test_sqlite_reads_stop_at_the_byte_cap(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SQL_SOURCE_MAX_MB", "5")
    source = make_sqlite(elsewhere / "warehouse.db")
    big = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) SELECT zeroblob(100000) FROM n"
    assert len(run_query(f"sqlite:///{source}", big)) == 40  # 4 MB in all: 40 rows of 100 kB
    big = big.replace("i < 40", "i < 1000")  # 100 MB: refused on the way, at 5 MB
    with pytest.raises(SqlSourceError, match="larger than 5 MB and was stopped while reading"):
        run_query(f"sqlite:///{source}", big)


def test_sqlite_sources_may_be_kept_to_listed_folders(elsewhere: Path, tmp_path_factory: pytest.TempPathFactory,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    listed = make_sqlite(elsewhere / "warehouse.db")
    other = make_sqlite(tmp_path_factory.mktemp("unlisted") / "warehouse.db")
    monkeypatch.setenv("ALIGNBOARD_SQL_SOURCE_FOLDERS", f"{elsewhere}, /nowhere")
    assert len(run_query(f"sqlite:///{listed}", "SELECT * FROM daily_revenue")) == 2
    assert "only be read from the folders in ALIGNBOARD_SQL_SOURCE_FOLDERS" in refusal(f"sqlite:///{other}")


# --- The app's own PostgreSQL database, by its address -------------------------------------------


def own_postgres_spellings() -> list[str]:
    spellings = ["127.0.0.1", "localhost", "LOCALHOST.", "[::1]", "127.0.0.2", "0.0.0.0", "2130706433",
                 "[::ffff:127.0.0.1]", socket.gethostname()]
    spellings += sorted(f"[{a}]" if ":" in a else a for a in machine_addresses() if not a.startswith("fe80"))
    return list(dict.fromkeys(spellings))


@pytest.mark.parametrize("host", own_postgres_spellings())
def test_the_apps_own_postgresql_database_is_refused_by_any_local_name(host: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", APP_PG)
    with pytest.raises(SqlSourceError, match="Alignboard's own database"):
        source_target(f"postgresql+psycopg://reader:pw@{host}:5432/alignboard", own_database_urls())
    other_database = source_target(f"postgresql+psycopg://reader:pw@{host}:5432/finance", own_database_urls(),
                                   resolve_now=False)
    assert isinstance(other_database, ServerDatabase) and other_database.database == "finance"


@pytest.mark.parametrize(("app_url", "source_host", "own"), [
    ("postgresql+psycopg://app@/alignboard", "localhost", True),  # the app on the local socket
    ("postgresql+psycopg://app@/alignboard?host=/var/run/postgresql", "127.0.0.1", True),
    ("postgresql+psycopg://app@10.9.9.9/alignboard", "10.9.9.9", True),
    ("postgresql+psycopg://app@10.9.9.9/alignboard", "127.0.0.1", False),  # a remote app database: not local
    ("postgresql+psycopg://app@127.0.0.1:6543/alignboard", "127.0.0.1", False),  # another port
])
def test_the_host_counts_as_the_apps_own_when_it_reaches_the_same_server(app_url: str, source_host: str, own: bool,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", app_url)
    url = f"postgresql+psycopg://reader:pw@{source_host}/alignboard"
    if own:
        with pytest.raises(SqlSourceError, match="Alignboard's own database"):
            source_target(url, own_database_urls())
    else:
        assert source_target(url, own_database_urls()).addresses


@pytest.mark.parametrize(("url", "reason"), [
    ("postgresql+psycopg://reader:pw@db.example.com/finance?host=127.0.0.1", "option 'host' is not allowed"),
    ("postgresql+psycopg://reader:pw@db.example.com/finance?hostaddr=127.0.0.1", "option 'hostaddr' is not allowed"),
    ("postgresql+psycopg://reader:pw@db.example.com/finance?options=-c%20x=y", "option 'options' is not allowed"),
    ("postgresql+psycopg://reader:pw@db.example.com/finance?passfile=/root/.pgpass", "option 'passfile'"),
    ("postgresql+psycopg://reader:pw@db.example.com/finance?sslmode=sometimes", "sslmode must be one of"),
    ("postgresql+psycopg://reader:pw@a.example.com,b.example.com/finance", "one host name or address"),
    ("postgresql+psycopg://reader:pw@/finance", "one host name or address"),
    ("postgresql+psycopg://reader:pw@db.example.com", "needs the database name"),
    ("postgresql+psycopg://db.example.com/finance", "needs a user name"),
    ("mysql+pymysql://reader:pw@db.example.com/finance?local_infile=1", "option 'local_infile' is not allowed"),
])
def test_server_urls_carry_only_what_alignboard_sets_itself(url: str, reason: str) -> None:
    with pytest.raises(SqlSourceError, match=reason):
        check_source_url(url)


# --- Allow-list of hosts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "addresses", "listed"), [
    ("db.example.com", (), True),
    ("DB.Example.com.", (), True),
    ("10.1.2.3", (), True),  # in 10.0.0.0/8
    ("warehouse.internal", ("10.4.4.4",), True),  # resolves into a listed network
    ("warehouse.internal", ("10.4.4.4", "192.168.0.9"), False),  # one address outside it
    ("192.0.2.7", (), True),
    ("192.0.2.8", (), False),
    ("evil.example.org", ("203.0.113.5",), False),
    ("db.example.com.evil.org", (), False),
])
def test_the_allow_list_matches_names_addresses_and_networks(host: str, addresses: tuple[str, ...],
                                                            listed: bool) -> None:
    assert host_is_listed(host, addresses, ["db.example.com", "10.0.0.0/8", "192.0.2.7"]) is listed


def test_hosts_off_the_allow_list_are_refused_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_SQL_SOURCE_HOSTS", "db.example.com, 10.0.0.0/8")
    assert check_source_url("postgresql+psycopg://reader:pw@db.example.com/finance")
    assert check_source_url("postgresql+psycopg://reader:pw@10.20.30.40/finance")
    with pytest.raises(SqlSourceError) as refused:
        check_source_url("postgresql+psycopg://reader:pw@127.0.0.1/finance")
    assert str(refused.value) == ("127.0.0.1 is not among the hosts SQL sources may connect to: ask whoever runs "
                                  "Alignboard to add it to ALIGNBOARD_SQL_SOURCE_HOSTS")


@pytest.mark.parametrize(("address", "local"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("0.0.0.0", True), ("::", True),
    ("::ffff:127.0.0.1", True), ("8.8.8.8", False), ("2001:db8::1", False), ("not an address", False),
])
def test_local_addresses(address: str, local: bool) -> None:
    assert is_local_address(address) is local


def test_this_machines_own_addresses_count_as_local() -> None:
    own = [a for a in machine_addresses() if not a.startswith(("127.", "::1"))]
    assert all(is_local_address(a) for a in own)


def test_an_unknown_host_says_only_that_it_could_not_connect() -> None:
    url = "postgresql+psycopg://reader:pw@no-such-host.invalid/finance"
    assert check_source_url(url) == url  # saving it is fine: the host may not resolve yet
    assert refusal(url) == CONNECT_FAILED


def test_own_database_urls_include_the_settings_and_the_callers() -> None:
    urls = own_database_urls("sqlite:////tmp/other.db")
    assert urls[-1] == "sqlite:////tmp/other.db" and make_url(urls[0]).get_backend_name()


@pytest.mark.parametrize(("grants", "powerful"), [
    (["GRANT USAGE ON *.* TO `reporting`@`%`", "GRANT SELECT ON `finance`.* TO `reporting`@`%`"], []),
    (["GRANT FILE ON *.* TO `filer`@`%`", "GRANT SELECT ON `finance`.* TO `filer`@`%`"], ["FILE"]),
    (["GRANT SELECT, SUPER ON *.* TO 'ops'@'localhost'"], ["SUPER"]),
    (["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"], ["ALL PRIVILEGES"]),
    (["GRANT ALL PRIVILEGES ON `finance`.* TO `owner`@`%`"], []),  # one database only: no server files
])
def test_mysql_users_that_could_read_server_files_are_recognised(grants: list[str], powerful: list[str]) -> None:
    assert powerful_mysql_grants(grants) == powerful
