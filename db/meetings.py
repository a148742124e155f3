"""A company's review cadence and its next meeting, kept in the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.meeting_models import MeetingCadence
from metrics.meetings import Cadence, next_meeting


def cadence(session: Session, workspace_id: int) -> Cadence:
    """The company's cadence (the second Tuesday, pre-read three days before, until it sets its own)."""
    row = session.scalar(select(MeetingCadence).where(MeetingCadence.workspace_id == workspace_id))
    if row is None:
        return Cadence()
    return Cadence(weekday=row.weekday, week=row.week, pre_read_days=row.pre_read_days,
                   next_override=row.next_override)


def save_cadence(session: Session, workspace_id: int, chosen: Cadence) -> None:
    row = session.scalar(select(MeetingCadence).where(MeetingCadence.workspace_id == workspace_id))
    if row is None:
        row = MeetingCadence(workspace_id=workspace_id)
        session.add(row)
    row.weekday, row.week, row.pre_read_days, row.next_override = (chosen.weekday, chosen.week,
                                                                   chosen.pre_read_days, chosen.next_override)
    session.flush()


def next_meeting_date(session: Session, workspace_id: int, today: dt.date) -> dt.date:
    return next_meeting(cadence(session, workspace_id), today)
