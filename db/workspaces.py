"""Workspaces: one per client company, never mixed."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.events import notify_write
from db.models import Workspace


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
    workspace = Workspace(**data.model_dump(), slug=unique_slug(session, data.name))
    session.add(workspace)
    session.flush()
    notify_write()
    return workspace


def list_workspaces(session: Session) -> list[Workspace]:
    return list(session.scalars(select(Workspace).order_by(Workspace.name)))


def workspace_by_name(session: Session, name: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.name == name))


def workspace_by_id(session: Session, workspace_id: int) -> Workspace | None:
    return session.get(Workspace, workspace_id)
