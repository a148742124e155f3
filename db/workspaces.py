"""Workspaces: one per client company, never mixed. Creating, renaming, archiving and deleting one, each recorded.

Every write takes the ``actor`` (who asks) and records itself in the audit trail in the same transaction,
so a later sign-in only has to decide who may call them.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Table, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer
from sqlalchemy.sql import Select

import clock
import db.all_models  # noqa: F401 - every table on the metadata, to count what a deletion removes
from db import audit
from db.base import Base
from db.models import AuditEvent, Workspace
from metrics.company import CompanyDetails, CompanyRefused, name_problem, same_name, tidy_name
from metrics.logo import Logo

CREATED, RENAMED, ARCHIVED, UNARCHIVED = "company.created", "company.renamed", "company.archived", "company.unarchived"
LOGO_CHANGED, LOGO_REMOVED, DELETED = "company.logo_changed", "company.logo_removed", "company.deleted"
KEPT_ON_DELETE = frozenset({"workspace", "audit_event"})  # the company's own row goes last; its record stays


class WorkspaceIn(BaseModel):
    """What a user may set on a workspace."""

    name: str = Field(min_length=1, max_length=120)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)
    color: str = Field(default="#1f4e79", pattern=r"^#[0-9a-fA-F]{6}$")


def unique_slug(session: Session, name: str) -> str:
    """The company's name as it appears in an address (``?client=bloom-brew``), unique among companies."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "company"
    taken = set(session.scalars(select(Workspace.slug).where(Workspace.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_workspace(session: Session, data: WorkspaceIn) -> Workspace:
    """The bare insert, unchecked and unrecorded (test fixtures); people create companies with create_company."""
    workspace = Workspace(**data.model_dump(), slug=unique_slug(session, data.name))
    session.add(workspace)
    session.flush()
    return workspace


def list_workspaces(session: Session, *, include_archived: bool = False) -> list[Workspace]:
    """The companies by name (logos not loaded); archived ones only when asked for."""
    query = select(Workspace).options(defer(Workspace.logo)).order_by(Workspace.name)
    if not include_archived:
        query = query.where(Workspace.archived_at.is_(None))
    return list(session.scalars(query))


def company_list(session: Session, *, include_archived: bool = False) -> list[dict[str, Any]]:
    """The companies as plain dicts, sorted by name whatever the letter case; one small query, logos left out.

    Keys: id, name, currency, color, fiscal_year_start_month, slug, is_demo, archived_at, has_logo.
    """
    query = select(Workspace.id, Workspace.name, Workspace.currency, Workspace.color,
                   Workspace.fiscal_year_start_month, Workspace.slug, Workspace.is_demo, Workspace.archived_at,
                   Workspace.logo.is_not(None).label("has_logo"))
    if not include_archived:
        query = query.where(Workspace.archived_at.is_(None))
    rows = [dict(row._mapping) for row in session.execute(query)]
    for row in rows:
        row["is_demo"], row["has_logo"] = bool(row["is_demo"]), bool(row["has_logo"])
    return sorted(rows, key=lambda row: (row["name"].casefold(), row["id"]))


def workspace_by_name(session: Session, name: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.name == name))


def workspace_by_id(session: Session, workspace_id: int) -> Workspace | None:
    return session.get(Workspace, workspace_id)


def find_company(session: Session, name: str) -> Workspace | None:
    """The company called ``name``, archived or not; letter case and spacing do not count."""
    for workspace_id, stored in session.execute(select(Workspace.id, Workspace.name)):
        if same_name(stored, name):
            return session.get(Workspace, workspace_id)
    return None


def company_logo(session: Session, workspace_id: int) -> Logo | None:
    row = session.execute(select(Workspace.logo, Workspace.logo_mime).where(Workspace.id == workspace_id)).first()
    return Logo(row.logo, row.logo_mime) if row is not None and row.logo else None


def _existing(session: Session, workspace_id: int) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise CompanyRefused(["that company no longer exists; someone may have just deleted it"])
    return workspace


def _refuse_taken_name(session: Session, name: str, *, except_id: int | None = None) -> None:
    """Names are unique whatever the letter case: 'ACME' and 'Acme' would be one company twice in the picker."""
    for other_id, other, archived_at in session.execute(select(Workspace.id, Workspace.name, Workspace.archived_at)):
        if other_id != except_id and same_name(other, name):
            where = " (archived: un-archive it instead)" if archived_at else ""
            raise CompanyRefused([f"a company called '{other}' already exists{where}; choose another name"])


def _unused_id(session: Session) -> int:
    """On SQLite, an id no company ever had: SQLite would hand a deleted company's id to the next one, and
    anything still cached or recorded under the old company would then seem to belong to the new one."""
    highest = (session.scalar(select(func.max(column))) for column in (Workspace.id, AuditEvent.workspace_id))
    return max(value or 0 for value in highest) + 1


def _record(session: Session, action: str, workspace: Workspace, actor: str, detail: dict[str, Any]) -> None:
    audit.record(session, action, workspace_id=workspace.id, workspace_name=workspace.name, actor=actor, detail=detail)


def create_company(session: Session, details: CompanyDetails, *, actor: str, demo: bool = False) -> Workspace:
    """Add a client company (details from ``metrics.company.checked_company``); refused if the name is taken."""
    _refuse_taken_name(session, details.name)
    logo = details.logo
    workspace = Workspace(name=details.name, currency=details.currency, color=details.color,
                          fiscal_year_start_month=details.fiscal_year_start_month, is_demo=demo,
                          slug=unique_slug(session, details.name), logo=logo.data if logo else None,
                          logo_mime=logo.mime if logo else "")
    if session.get_bind().dialect.name == "sqlite":
        workspace.id = _unused_id(session)
    session.add(workspace)
    try:
        session.flush()
    except IntegrityError:  # another session added the same name a moment ago
        raise CompanyRefused([f"a company called '{details.name}' was just added; choose another name"]) from None
    _record(session, CREATED, workspace, actor, {
        "currency": workspace.currency, "fiscal_year_start_month": workspace.fiscal_year_start_month,
        "color": workspace.color, "logo": details.logo is not None, "demo": demo})
    return workspace


def rename_company(session: Session, workspace_id: int, new_name: str, *, actor: str) -> Workspace:
    problem = name_problem(new_name)
    if problem:
        raise CompanyRefused([problem])
    workspace, name = _existing(session, workspace_id), tidy_name(new_name)
    if name == workspace.name:
        raise CompanyRefused([f"the company is already called '{name}'"])
    _refuse_taken_name(session, name, except_id=workspace.id)
    old_name, workspace.name = workspace.name, name
    session.flush()
    _record(session, RENAMED, workspace, actor, {"from": old_name, "to": name})
    return workspace


def archive_company(session: Session, workspace_id: int, *, actor: str) -> Workspace:
    """Hide the company from the picker and the company list; every figure and review stays."""
    workspace = _existing(session, workspace_id)
    if workspace.archived_at is not None:
        raise CompanyRefused([f"{workspace.name} is already archived"])
    workspace.archived_at = clock.now()
    session.flush()
    _record(session, ARCHIVED, workspace, actor, {})
    return workspace


def unarchive_company(session: Session, workspace_id: int, *, actor: str) -> Workspace:
    workspace = _existing(session, workspace_id)
    if workspace.archived_at is None:
        raise CompanyRefused([f"{workspace.name} is not archived"])
    workspace.archived_at = None
    session.flush()
    _record(session, UNARCHIVED, workspace, actor, {})
    return workspace


def set_logo(session: Session, workspace_id: int, logo: Logo | None, *, actor: str) -> Workspace:
    """Put a logo (from ``metrics.logo.prepared_logo``) on the company, or take it off with None."""
    workspace = _existing(session, workspace_id)
    workspace.logo, workspace.logo_mime = (logo.data, logo.mime) if logo else (None, "")
    session.flush()
    detail = {"bytes": len(logo.data), "mime": logo.mime} if logo else {}
    _record(session, LOGO_CHANGED if logo else LOGO_REMOVED, workspace, actor, detail)
    return workspace


def _path_to_company(table: Table) -> list[Any] | None:
    """The cascading foreign keys from ``table`` up to workspace (a direct one first), or None without one."""
    keys = sorted((key for key in table.foreign_keys if key.ondelete == "CASCADE"),
                  key=lambda key: key.column.table.name != "workspace")
    for key in keys:
        parent = key.column.table
        above = [] if parent.name == "workspace" else _path_to_company(parent)
        if above is not None:
            return [key, *above]
    return None


def company_tables() -> list[Table]:
    """Every table whose rows belong to one company and go with it when it is deleted."""
    return [table for table in Base.metadata.sorted_tables
            if table.name not in KEPT_ON_DELETE and _path_to_company(table) is not None]


def _count_query(table: Table, workspace_id: int) -> Select:
    path = _path_to_company(table)
    query = select(func.count()).select_from(table)
    for key in path[:-1]:
        query = query.join(key.column.table, key.parent == key.column)
    return query.where(path[-1].parent == workspace_id)


def company_rows(session: Session, workspace_id: int) -> dict[str, int]:
    """How many rows each table holds for the company: what deleting it would remove."""
    return {table.name: session.scalar(_count_query(table, workspace_id)) for table in company_tables()}


def delete_company(session: Session, workspace_id: int, *, typed_name: str, actor: str) -> dict[str, int]:
    """Delete the company and every row of it, in the caller's transaction; returns the rows removed by table.

    ``typed_name`` must be the company's name, as a guard against deleting the wrong one. The deletion is
    recorded (who, when, the row counts) in the audit trail, which keeps it after the company is gone.
    """
    # Lock the company's row first (PostgreSQL), so no import can add rows between counting and deleting.
    workspace = session.scalar(select(Workspace).where(Workspace.id == workspace_id).with_for_update())
    if workspace is None:
        raise CompanyRefused(["that company no longer exists; someone may have just deleted it"])
    if tidy_name(typed_name) != workspace.name:
        raise CompanyRefused([f"type the company's name, {workspace.name}, exactly to delete it"])
    event = audit.record(session, DELETED, workspace_id=workspace.id, workspace_name=workspace.name, actor=actor)
    rows = company_rows(session, workspace_id)  # after the write above: on SQLite that holds the write lock
    event.detail = {"rows": rows, "archived": workspace.archived_at is not None, "demo": workspace.is_demo}
    session.execute(delete(Workspace).where(Workspace.id == workspace_id))  # the foreign keys cascade the rest
    session.flush()
    return rows
