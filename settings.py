"""Application settings, read from ALIGNBOARD_* environment variables (or a .env file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALIGNBOARD_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'alignboard.db'}",
        description="SQLAlchemy URL of the database. Default: a SQLite file under data/.",
    )
    seed_sample_data: bool = Field(
        default=True, description="On first start (no workspace yet), seed the two demo companies."
    )
    max_upload_mb: int = Field(default=200, description="Largest file an import accepts, in megabytes.")
    max_excel_rows: int = Field(default=1_000_000, gt=0, description="Most rows an import reads from an Excel sheet.")
    max_import_columns: int = Field(default=500, gt=0, description="Most columns an import reads from a file.")
    max_import_cells: int = Field(default=20_000_000, gt=0,
                                  description="Most cells (rows times columns) an import reads from a file.")
    max_line_kb: int = Field(default=1024, gt=0, description="Longest CSV line (or Excel cell) an import reads, in KB.")
    max_unpacked_mb: int = Field(default=500, gt=0, description="Largest an Excel file may unpack to, in megabytes.")
    max_compression_ratio: int = Field(default=200, gt=0,
                                       description="Highest unpacked-to-packed ratio of a large part of an Excel file.")
    libreoffice_path: str = Field(
        default="libreoffice", description="LibreOffice command used to turn board packs into PDF."
    )
    admin_emails: str = Field(
        default="", description="Comma-separated e-mail addresses of administrators: with sign-in on, they see "
                                "and administer every company and create companies.")
    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Fernet key that encrypts stored SQL source URLs (several, comma-separated, while changing "
                    "keys: the first encrypts). Empty: a key kept in a file beside the SQLite database.",
    )
    sql_source_hosts: str = Field(
        default="", description="Hosts SQL sources may connect to (comma-separated names, addresses or networks "
                                "such as 10.0.0.0/8). Empty: any host but the app's own database."
    )
    sql_source_folders: str = Field(
        default="", description="Folders SQLite sources may be read from (comma-separated). Empty: any file "
                                "outside the app's data folder."
    )
    sql_source_timeout_seconds: int = Field(default=30, ge=1, description="Longest a SQL source's query may run.")
    sql_source_max_mb: int = Field(default=200, ge=1, description="Largest query result a SQL source may return.")
    smtp_host: str = Field(default="", description="Mail server that sends the pre-reads, board packs and alerts. "
                                                   "Empty: no mail is sent.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="The mail server's port.")
    smtp_username: str = Field(default="", description="Login at the mail server (empty: no login).")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="Password of that login.")
    smtp_tls: str = Field(default="starttls", description="How the connection is encrypted: starttls, ssl or none "
                                                          "(checked when mail is sent).")
    smtp_sender: str = Field(default="", description="The From address of every mail, as "
                                                     "'Alignboard <review@example.com>'.")
    app_url: str = Field(default="", description="The address people open Alignboard at, for the links in mail.")


def get_settings() -> Settings:
    """The settings for the environment as it is now: read again whenever an ALIGNBOARD_ variable or the .env
    file changes (so tests and the CLI can point at another database), else the same object — every rerun asks
    for them several times, and reading them costs milliseconds each time."""
    return _settings_for(_environment())


def _environment() -> tuple[tuple[tuple[str, str], ...], tuple[str, int] | None]:
    names = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("ALIGNBOARD_")))
    env_file = Path(".env")
    try:
        return names, (str(env_file.resolve()), env_file.stat().st_mtime_ns)
    except OSError:
        return names, None


@lru_cache(maxsize=16)
def _settings_for(_environment: tuple) -> Settings:
    return Settings()
