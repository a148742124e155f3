"""Where a SQL source may point: another database, never Alignboard's own nor a file in its data folder.

A source URL becomes a target only through here. SQLite: the file must exist and be a SQLite database outside
the app's data folders (symlinks, relative paths, ``..``, ``file:`` URIs and hard links all resolve to the file
they name); the URI Alignboard opens is built here (``mode=ro`` and nothing else), so no option in the URL can
reach the driver. PostgreSQL and MySQL/MariaDB: one host, resolved once to the addresses that are checked
(the app's own database, the allow-list) and then connected to, so a name cannot point elsewhere afterwards;
only the URL options listed in SERVER_OPTIONS pass. Refusals say why in a sentence; anything that fails to
connect says only CONNECT_FAILED (the log has the detail).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from db.source_secrets import PROJECT_DATA
from metrics.refusal import Refused
from settings import get_settings

log = logging.getLogger(__name__)
CONNECT_FAILED = "Could not connect to the SQL source with these settings."
OWN_DATABASE = "This is Alignboard's own database: a SQL source must read another database."
AN_ALIGNBOARD_DATABASE = ("This is an Alignboard database (it has Alignboard's tables): a SQL source must read "
                          "another database.")
SENSITIVE = re.compile(r"pass|pwd|secret|token|key", re.IGNORECASE)
SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}
DRIVER_MODULES = {"postgresql": "psycopg", "mysql": "pymysql"}  # whatever driver the URL names, these connect
SERVER_OPTIONS = {"postgresql": {"sslmode", "sslrootcert"}, "mysql": {"charset"}}
SSL_MODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}


class SqlSourceError(Refused):
    """The source cannot be read; the message is safe to show (no credentials). ``recipe`` is SQL to show apart."""

    def __init__(self, message: str, recipe: str = "") -> None:
        super().__init__(f"{message}\n{recipe}" if recipe else message)
        self.reason, self.recipe = message, recipe


class CouldNotConnect(SqlSourceError):
    """Any failure to reach or sign in to the source: one message, so it cannot tell a port or host apart."""

    def __init__(self) -> None:
        super().__init__(CONNECT_FAILED)


@dataclass(frozen=True)
class SqliteFile:
    path: Path  # resolved: no symlink, no '..'

    @property
    def uri(self) -> str:
        """The only URI Alignboard opens: the encoded path and mode=ro (``immutable`` is never set)."""
        return f"{self.path.as_uri()}?mode=ro"


@dataclass(frozen=True)
class ServerDatabase:
    dialect: str  # postgresql or mysql (MariaDB included)
    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)
    options: dict[str, str]
    addresses: tuple[str, ...]  # what ``host`` resolved to when checked; the connection goes to the first


SourceTarget = SqliteFile | ServerDatabase


def masked_url(url: str) -> str:
    """The URL as it may be shown: password and secret-looking query values replaced by ***."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "(not a valid database URL)"
    query = {k: ("***" if SENSITIVE.search(k) else v) for k, v in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def scrub(text: str, url: str) -> str:
    """``text`` without the URL, its password or secret query values."""
    secrets = [url]
    try:
        parsed = make_url(url)
        secrets += [str(parsed.password or "")] + [str(v) for k, v in parsed.query.items() if SENSITIVE.search(k)]
    except (ArgumentError, ValueError):
        pass
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return re.sub(r"://([^:/@\s]+):([^@\s]+)@", r"://\1:***@", text)


def parse_source_url(url: str) -> URL:
    try:
        return make_url(url.strip())
    except (ArgumentError, ValueError):
        raise SqlSourceError("not a valid database URL (expected e.g. postgresql+psycopg://user@host/db)") from None


def source_target(url: str, own_urls: Sequence[str], *, resolve_now: bool = True) -> SourceTarget:
    """The checked target of ``url``: a refusal (SqlSourceError) when it may not be read.

    ``resolve_now=False`` (when a source is saved) lets a host that does not resolve yet pass; every run checks
    again and resolves, and a host that does not resolve then cannot be connected to.
    """
    parsed = parse_source_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_target(parsed, own_urls)
    dialect = "mysql" if backend in ("mysql", "mariadb") else backend
    if dialect not in DEFAULT_PORTS:
        raise SqlSourceError(f"{backend} is not supported: use PostgreSQL, MySQL/MariaDB or SQLite")
    return _server_target(parsed, dialect, own_urls, resolve_now)


def own_database_urls(*extra: str) -> list[str]:
    """The app's database (from the settings) and any other Alignboard database in play (the caller's engine)."""
    return list(dict.fromkeys([get_settings().database_url, *extra]))


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_target(parsed: URL, own_urls: Sequence[str]) -> SqliteFile:
    if parsed.query:
        raise _sqlite_options()
    path = _sqlite_path(parsed.database or "")
    _refuse_app_folders(path, own_urls)
    _refuse_outside_allowed_folders(path)
    if not path.is_file():
        raise SqlSourceError(f"no SQLite file at {path}: a SQLite source must be an existing database file")
    if any(own.exists() and os.path.samefile(path, own) for own in own_sqlite_files(own_urls)):
        raise SqlSourceError(OWN_DATABASE)  # a hard link to it, under any name and in any folder
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise SqlSourceError(f"{path.name} is not a SQLite database")
    return SqliteFile(path)


def _sqlite_path(database: str) -> Path:
    """The file a SQLite URL names, resolved; its spelling (file: URI, relative, '..', symlink) does not count."""
    if database.startswith("file:"):
        parts = urlsplit(database)
        if parts.query or parts.fragment or "?" in database:
            raise _sqlite_options()
        if parts.netloc not in ("", "localhost"):
            raise SqlSourceError("a SQLite source must be a file on this machine")
        database = unquote(parts.path)
    if "?" in database:
        raise _sqlite_options()
    if database in ("", ":memory:") or database.startswith(":"):
        raise SqlSourceError("a SQLite source must be a database file (not an in-memory database)")
    return Path(database).expanduser().resolve()


def _sqlite_options() -> SqlSourceError:
    return SqlSourceError("a SQLite source is the path of a database file, without options ('?…'): Alignboard "
                          "always opens it read-only")


def _refuse_app_folders(path: Path, own_urls: Sequence[str]) -> None:
    if path in own_sqlite_files(own_urls):
        raise SqlSourceError(OWN_DATABASE)
    for folder in app_data_folders(own_urls):
        if path.is_relative_to(folder):
            raise SqlSourceError(f"this file is in Alignboard's data folder ({folder}): a SQL source must read "
                                 "another database")


def own_sqlite_files(own_urls: Sequence[str]) -> list[Path]:
    files = []
    for url in own_urls:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and not parsed.database.startswith(":"):
            files.append(Path(parsed.database.removeprefix("file:").split("?")[0]).expanduser().resolve())
    return files


def app_data_folders(own_urls: Sequence[str]) -> list[Path]:
    """The folders of the app's SQLite databases and the project's data/, where the key file lives too."""
    return list(dict.fromkeys([f.parent for f in own_sqlite_files(own_urls)] + [PROJECT_DATA.resolve()]))


def _refuse_outside_allowed_folders(path: Path) -> None:
    folders = [Path(f.strip()).expanduser().resolve() for f in _listed(get_settings().sql_source_folders)]
    if folders and not any(path.is_relative_to(folder) for folder in folders):
        raise SqlSourceError("SQLite sources may only be read from the folders in ALIGNBOARD_SQL_SOURCE_FOLDERS: "
                             "ask whoever runs Alignboard to add this file's folder")


# --- PostgreSQL and MySQL ------------------------------------------------------------------------


def _server_target(parsed: URL, dialect: str, own_urls: Sequence[str], resolve_now: bool) -> ServerDatabase:
    host = (parsed.host or "").strip()
    if not host or host.startswith("/") or "," in host:
        raise SqlSourceError("a SQL source needs one host name or address (not a socket folder or a list of hosts)")
    if not parsed.database:
        raise SqlSourceError("the URL needs the database name after the host (…@host:5432/finance)")
    if not parsed.username:
        raise SqlSourceError("the URL needs a user name (user:password@host)")
    port = parsed.port or DEFAULT_PORTS[dialect]
    target = ServerDatabase(dialect, host, port, parsed.database, parsed.username, parsed.password or "",
                            _server_options(dialect, parsed), resolve(host, port))
    _refuse_unlisted_host(target)
    if any(_is_own_server(target, make_url(own)) for own in own_urls):
        raise SqlSourceError(OWN_DATABASE)
    if find_spec(DRIVER_MODULES[dialect]) is None:
        raise SqlSourceError(f"the database driver for {dialect} ({DRIVER_MODULES[dialect]}) is not installed")
    if resolve_now and not target.addresses:
        log.warning("SQL source: the host %s does not resolve to any address", host)
        raise CouldNotConnect()
    return target


def _server_options(dialect: str, parsed: URL) -> dict[str, str]:
    allowed = SERVER_OPTIONS[dialect]
    options: dict[str, str] = {}
    for key, value in parsed.query.items():
        if key not in allowed or not isinstance(value, str):
            raise SqlSourceError(f"the URL option '{key}' is not allowed for a SQL source (allowed: "
                                 f"{', '.join(sorted(allowed))})")
        options[key] = value
    if options.get("sslmode", "prefer") not in SSL_MODES:
        raise SqlSourceError(f"sslmode must be one of {', '.join(sorted(SSL_MODES))}")
    return options


def _refuse_unlisted_host(target: ServerDatabase) -> None:
    entries = _listed(get_settings().sql_source_hosts)
    if entries and not host_is_listed(target.host, target.addresses, entries):
        raise SqlSourceError(f"{target.host} is not among the hosts SQL sources may connect to: ask whoever runs "
                             "Alignboard to add it to ALIGNBOARD_SQL_SOURCE_HOSTS")


def host_is_listed(host: str, addresses: Iterable[str], entries: Sequence[str]) -> bool:
    """By name (letter case and a final dot aside), or every address the host resolves to is a listed one."""
    name = _host_name(host)
    if name in {_host_name(entry) for entry in entries}:
        return True
    networks = [n for n in (_network(entry) for entry in entries) if n is not None]
    candidates = [host] if _address(host) is not None else list(addresses)
    found = [_address(a) for a in candidates]
    return bool(found) and all(a is not None and any(a in n for n in networks) for a in found)


def _is_own_server(target: ServerDatabase, own: URL) -> bool:
    own_dialect = "mysql" if own.get_backend_name() in ("mysql", "mariadb") else own.get_backend_name()
    if own_dialect != target.dialect or own.database != target.database:
        return False
    if (own.port or DEFAULT_PORTS[target.dialect]) != target.port:
        return False
    own_host = _own_host(own)
    if _host_name(own_host) == _host_name(target.host):
        return True
    own_addresses = resolve(own_host, target.port) if own_host else ()
    if not own_host or any(is_local_address(a) for a in own_addresses):  # no host: the local socket
        return _host_name(target.host) == "localhost" or any(is_local_address(a) for a in target.addresses)
    return bool(set(own_addresses) & set(target.addresses))


def _own_host(own: URL) -> str:
    host = own.host or own.query.get("host") or ""
    host = host[0] if isinstance(host, tuple) else host
    return "" if host.startswith("/") else host


def resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address ``host`` resolves to (numbers such as 2130706433 included, as the drivers read them)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(info[4][0]) for info in found))


def is_local_address(address: str) -> bool:
    """Loopback, 'any' (0.0.0.0 reaches this machine) or one of this machine's own addresses."""
    ip = _address(address)
    if ip is None:
        return False
    return ip.is_loopback or ip.is_unspecified or ip in {_address(a) for a in machine_addresses()}


def machine_addresses() -> set[str]:
    """This machine's addresses: what its names resolve to and what its network interfaces carry (Linux)."""
    found: set[str] = set()
    for name in {socket.gethostname(), socket.getfqdn(), "localhost"}:
        found.update(resolve(name, 0))
    return found | _interface_addresses()


def _interface_addresses() -> set[str]:
    found: set[str] = set()
    try:
        last = ""
        for line in Path("/proc/net/fib_trie").read_text().splitlines():
            if "|--" in line:
                last = line.split("|--")[1].strip()
            elif "/32 host LOCAL" in line and last:
                found.add(last)
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            found.add(str(ipaddress.IPv6Address(int(line.split()[0], 16))))
    except (OSError, ValueError, IndexError):
        pass  # not Linux: the names above still count
    return found


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is 127.0.0.1
    return mapped or ip


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip().strip("[]"), strict=False)
    except ValueError:
        return None


def _host_name(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _listed(setting: str) -> list[str]:
    return [item.strip() for item in setting.split(",") if item.strip()]
