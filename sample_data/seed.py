"""First-run seeding: the demo companies, their figures, and whatever other features add for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from db.engine import session_scope
from db.ingest import ingest
from db.models import AuditEvent, Workspace
from db.workspaces import DELETED, create_company, find_company, list_workspaces
from metrics.company import CompanyRefused, checked_company
from sample_data.generator import DEMO_COMPANIES, CompanyProfile, generate
from sample_data.reviews import seed_reviews
from sample_data.scorecard import seed_scorecard
from sample_data.sources import seed_sources_of_record

SAMPLE_SOURCE = "Finance and platform exports (sample)"
SEED_ACTOR = "Alignboard (demo data)"

Seeder = Callable[[Engine, int, CompanyProfile], None]
SEEDERS: list[Seeder] = []
"""Called once for each demo workspace just created (engine, workspace id, profile), after its data is in."""
SEEDERS.append(seed_sources_of_record)  # marketing's attribution report; finance is the source of record
SEEDERS.append(seed_scorecard)  # signed agreements, targets, commentary, votes
SEEDERS.append(seed_reviews)  # two closed past reviews with notes and actions; after the scorecard


def seed_on_first_start(engine: Engine) -> list[str]:
    """Seed the demo companies only on a first start: no client company at all, archived or not, and none
    ever deleted (someone who deleted every company gets the welcome, not the demo companies back)."""
    with session_scope(engine) as session:
        deleted = session.scalar(select(AuditEvent.id).where(AuditEvent.action == DELETED).limit(1))
        if deleted is not None or list_workspaces(session, include_archived=True):
            return []
    return ensure_sample_data(engine)


def ensure_sample_data(engine: Engine, end_month: dt.date | None = None) -> list[str]:
    """Create each demo company that is missing, with 36 months of figures; returns the names created.

    Safe to call on every start: companies already present are left as they are.
    """
    created: list[str] = []
    for profile in DEMO_COMPANIES:
        workspace_id = _create_workspace(engine, profile)
        if workspace_id is None:
            continue
        _load_figures(engine, workspace_id, profile, end_month)
        for seeder in SEEDERS:
            seeder(engine, workspace_id, profile)
        created.append(profile.name)
    return created


def _create_workspace(engine: Engine, profile: CompanyProfile) -> int | None:
    """The new demo workspace's id, or None when a company of that name exists (also if another process won)."""
    details = checked_company(profile.name, profile.currency, profile.fiscal_year_start_month, profile.color)
    try:
        with session_scope(engine) as session:
            if find_company(session, profile.name) is not None:
                return None
            return create_company(session, details, actor=SEED_ACTOR, demo=True).id
    except (IntegrityError, CompanyRefused):
        return None


def _load_figures(engine: Engine, workspace_id: int, profile: CompanyProfile, end_month: dt.date | None) -> None:
    """Import the generated figures; if that fails, remove the empty workspace so a later start retries."""
    try:
        ingest(engine, workspace_id, generate(profile, end_month), source_name=SAMPLE_SOURCE,
               file_name=f"{profile.name} sample data", created_by="Alignboard")
    except Exception:
        with session_scope(engine) as session:
            session.execute(delete(Workspace).where(Workspace.id == workspace_id))
        raise
