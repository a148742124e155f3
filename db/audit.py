"""The audit trail: one row per write, saying who did what to which company, and when.

Rows carry the company's id and name but no foreign key, so the record of a deletion outlives the company.
``verified`` says whether the actor was signed in; while sign-in is off, the name is as typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import clock
from db.models import AuditEvent


@dataclass(frozen=True)
class AuditEntry:
    """One recorded write, as the history shows it."""

    at: dt.datetime
    action: str
    actor: str
    verified: bool
    workspace_id: int | None
    workspace_name: str
    detail: dict[str, Any]


def record(session: Session, action: str, *, workspace_id: int | None, workspace_name: str, actor: str,
           verified: bool = False, detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add the event to the session's transaction: it is kept exactly when the write it records is."""
    event = AuditEvent(action=action, workspace_id=workspace_id, workspace_name=workspace_name,
                       actor=actor.strip(), verified=verified, detail=detail, at=clock.now())
    session.add(event)
    session.flush()
    return event


def events(session: Session, workspace_id: int) -> list[AuditEntry]:
    """The company's recorded writes, newest first."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.workspace_id == workspace_id)
                           .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return [AuditEntry(at=row.at, action=row.action, actor=row.actor, verified=row.verified,
                       workspace_id=row.workspace_id, workspace_name=row.workspace_name, detail=row.detail or {})
            for row in rows]
