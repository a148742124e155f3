"""Imports every table module so Base.metadata knows them all (used by Alembic and tests)."""

from db import models  # noqa: F401
