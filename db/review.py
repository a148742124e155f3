"""The monthly review in the database: open or closed months, notes and decisions, action items, snapshots.

A closed month keeps the JSON snapshot it froze; nothing written later (imports, targets, commentary)
can change it. Reopening is explicit and recorded, and so is every close.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

import clock
from db import queries
from db.imports import workspace_catalog
from db.indicators import driver_overrides
from db.models import Workspace
from db.review_models import ActionItem, Review, ReviewEvent, ReviewNote
from db.scorecard import scorecard_for_month
from metrics.catalog import Catalog
from metrics.coverage import without_partial
from metrics.drivers import effective_drivers
from metrics.one_view import band_figures, index_lines
from metrics.periods import Month
from metrics.refusal import Refused
from metrics.review import (  # noqa: F401 - the write functions' input models, defined there
    Action,
    ActionIn,
    ActionStatus,
    NoteIn,
    NoteLine,
    ReviewSnapshot,
    actions_for_month,
    card_lines,
    kpi_lines,
    review_as_of,
    vanity_lines,
    with_targets,
)
from metrics.summary import month_summary
from metrics.vanity import vanity_traps

OPEN, CLOSED = "open", "closed"
_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


class ReviewError(Refused):
    """Something the user asked for that the review's state does not allow; the message says why."""


@dataclass(frozen=True)
class ReviewEventLine:
    kind: str
    at: dt.datetime
    by: str
    reason: str


@dataclass(frozen=True)
class ReviewState:
    """Where a month's review stands; ``snapshot`` is set only while the month is closed."""

    month: Month
    status: str = OPEN
    closed_at: dt.datetime | None = None
    closed_by: str = ""
    snapshot: ReviewSnapshot | None = None
    events: list[ReviewEventLine] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.status == CLOSED


def _now() -> dt.datetime:
    return clock.now()


def _review(session: Session, workspace_id: int, month: Month) -> Review | None:
    return session.scalar(select(Review).where(Review.workspace_id == workspace_id, Review.month == month))


def _ensure_review(session: Session, workspace_id: int, month: Month) -> Review:
    """The month's review row, created on first use. Two sessions creating it at once both end up
    with the same row: the insert does nothing when the row is already there."""
    review = _review(session, workspace_id, month)
    if review is not None:
        return review
    values = {"workspace_id": workspace_id, "month": month, "status": OPEN, "closed_by": ""}
    dialect = session.get_bind().dialect.name
    if dialect in _INSERTS:
        session.execute(_INSERTS[dialect](Review).values(**values).on_conflict_do_nothing(
            index_elements=["workspace_id", "month"]))
    else:
        session.add(Review(**values))
        session.flush()
    return _review(session, workspace_id, month)  # type: ignore[return-value]


def _require_open(session: Session, workspace_id: int, month: Month) -> Review:
    review = _ensure_review(session, workspace_id, month)
    if review.status == CLOSED:
        raise ReviewError(f"The review of {month:%b %Y} is closed. Reopen it to change notes or actions.")
    return review


def review_state(session: Session, workspace_id: int, month: Month) -> ReviewState:
    review = _review(session, workspace_id, month)
    if review is None:
        return ReviewState(month=month)
    events = session.scalars(select(ReviewEvent).where(ReviewEvent.review_id == review.id).order_by(ReviewEvent.id))
    snapshot = ReviewSnapshot.model_validate_json(review.snapshot) if review.snapshot else None
    return ReviewState(month=month, status=review.status, closed_at=review.closed_at, closed_by=review.closed_by,
                       snapshot=snapshot, events=[ReviewEventLine(e.kind, e.at, e.by, e.reason) for e in events])


def closed_months(session: Session, workspace_id: int) -> list[Month]:
    query = select(Review.month).where(Review.workspace_id == workspace_id, Review.status == CLOSED)
    return sorted(session.scalars(query))


# --- notes and decisions ---------------------------------------------------------------------


def add_note(session: Session, workspace_id: int, month: Month, note: NoteIn) -> None:
    review = _require_open(session, workspace_id, month)
    session.add(ReviewNote(review_id=review.id, created_at=_now(), **note.model_dump()))
    session.flush()


def notes_for(session: Session, workspace_id: int, month: Month) -> list[NoteLine]:
    query = (select(ReviewNote).join(Review, Review.id == ReviewNote.review_id)
             .where(Review.workspace_id == workspace_id, Review.month == month).order_by(ReviewNote.id))
    return [NoteLine(item_key=n.item_key, kind=n.kind, text=n.text, author=n.author, created_at=n.created_at)
            for n in session.scalars(query)]


# --- action items ----------------------------------------------------------------------------


def _as_action(row: ActionItem) -> Action:
    return Action(id=row.id, title=row.title, owner=row.owner, due=row.due_date, status=ActionStatus(row.status),
                  kpi_key=row.kpi_key, created_month=row.created_month, closed_month=row.closed_month)


def add_action(session: Session, workspace_id: int, month: Month, data: ActionIn) -> Action:
    """A new action agreed in ``month``'s review; it shows on every later review until it is closed."""
    _require_open(session, workspace_id, month)
    row = ActionItem(workspace_id=workspace_id, title=data.title, owner=data.owner, due_date=data.due,
                     kpi_key=data.kpi_key or None, status=ActionStatus.OPEN.value, created_month=month)
    session.add(row)
    session.flush()
    return _as_action(row)


def set_action_status(session: Session, workspace_id: int, action_id: int, status: ActionStatus,
                      month: Month) -> Action:
    """Close (done or dropped) or reopen an action in ``month``'s review."""
    _require_open(session, workspace_id, month)
    row = session.get(ActionItem, action_id)
    if row is None or row.workspace_id != workspace_id:
        raise ReviewError("That action no longer exists.")
    if row.created_month > month:
        raise ReviewError(f"That action was agreed after {month:%b %Y}; change it in a later review.")
    closing = status != ActionStatus.OPEN
    row.status = status.value
    row.closed_month = month if closing else None
    row.closed_at = _now() if closing else None
    session.flush()
    return _as_action(row)


def all_actions(session: Session, workspace_id: int) -> list[Action]:
    query = select(ActionItem).where(ActionItem.workspace_id == workspace_id).order_by(ActionItem.id)
    return [_as_action(row) for row in session.scalars(query)]


# --- the snapshot: live, frozen, reopened ----------------------------------------------------


def live_snapshot(session: Session, workspace_id: int, month: Month, today: dt.date | None = None,
                  catalog: Catalog | None = None) -> ReviewSnapshot:
    """What the review of ``month`` shows from today's data (the board pack marks it DRAFT).
    ``catalog`` defaults to the standard metrics plus the workspace's own."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise ReviewError("That client company no longer exists.")
    catalog = catalog or workspace_catalog(session, workspace_id)
    data = queries.monthly_data(session, workspace_id)
    drivers = effective_drivers(catalog, driver_overrides(session, workspace_id))
    as_of = review_as_of(month, today or clock.today())
    scorecard = scorecard_for_month(session, workspace_id, month, catalog=catalog)
    return ReviewSnapshot(
        workspace_name=workspace.name, currency=workspace.currency, color=workspace.color, month=month,
        agreement=scorecard.agreement, kpis=kpi_lines(scorecard),
        cards=with_targets(card_lines(band_figures(catalog, data, month)), scorecard),
        summary=month_summary(data, month, workspace.currency, catalog),
        vanity_traps=vanity_lines(catalog, vanity_traps(catalog, drivers, without_partial(data), month)),
        index_lines=index_lines(without_partial(data), month, catalog),
        actions=actions_for_month(all_actions(session, workspace_id), month, as_of),
        notes=notes_for(session, workspace_id, month),
        taken_at=_now(),
    )


def close_month(session: Session, workspace_id: int, month: Month, by: str,
                at: dt.datetime | None = None) -> ReviewSnapshot:
    """Freeze what the review of ``month`` shows now (``at``: when the meeting closed it, default now).
    Refused if it is already closed."""
    by = by.strip()
    if not by:
        raise ReviewError("Say who is closing the month.")
    review = _ensure_review(session, workspace_id, month)
    now = at or _now()
    snapshot = live_snapshot(session, workspace_id, month, now.date()).model_copy(
        update={"closed_by": by, "taken_at": now})
    frozen = snapshot.model_dump_json()
    closed = session.execute(update(Review).where(Review.id == review.id, Review.status == OPEN)
                             .values(status=CLOSED, closed_at=now, closed_by=by, snapshot=frozen))
    if closed.rowcount != 1:
        raise ReviewError(f"The review of {month:%b %Y} is already closed.")
    session.add(ReviewEvent(review_id=review.id, kind=CLOSED, at=now, by=by, reason="", snapshot=frozen))
    session.flush()
    return snapshot


def reopen_month(session: Session, workspace_id: int, month: Month, by: str, reason: str) -> None:
    """Reopen a closed month: recorded with who and why. The frozen snapshot stays in the close event."""
    by, reason = by.strip(), reason.strip()
    if not by or not reason:
        raise ReviewError("Reopening a closed month needs your name and a reason; both are recorded.")
    review = _review(session, workspace_id, month)
    reopened = None if review is None else session.execute(
        update(Review).where(Review.id == review.id, Review.status == CLOSED)
        .values(status=OPEN, closed_at=None, closed_by="", snapshot=None))
    if review is None or reopened is None or reopened.rowcount != 1:
        raise ReviewError(f"The review of {month:%b %Y} is not closed.")
    session.add(ReviewEvent(review_id=review.id, kind="reopened", at=_now(), by=by, reason=reason))
    session.flush()
