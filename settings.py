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


def get_settings() -> Settings:
    """Fresh settings each call, so tests and the CLI can point at another database."""
    return Settings()
