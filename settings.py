"""Application settings, read from ALIGNBOARD_* environment variables (or a .env file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
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
    libreoffice_path: str = Field(
        default="libreoffice", description="LibreOffice command used to turn board packs into PDF."
    )
    admin_emails: str = Field(
        default="", description="Comma-separated e-mail addresses of administrators: with sign-in on, they see "
                                "and administer every company and create companies.")


def get_settings() -> Settings:
    """Fresh settings each call, so tests and the CLI can point at another database."""
    return Settings()
