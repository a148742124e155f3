"""The delivery log and people's mail preferences: who receives which mail, what was claimed and sent, and the
alerts raised and cleared.

A message is sent once per person, company, kind and period: the row that says so is inserted *before* the
message goes out (a unique key makes a second insert do nothing, so of two runs at once only one sends), and
marked sent or failed after. A failed message is claimed again by the next run; one claimed but never marked
(the process died mid-send) is not sent again, as it may have gone out — the command reports it instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

import clock
from db.access import Member, Role
from db.delivery_models import AlertEvent, Delivery, DeliverySetting, MailPreference
from db.engine import write_scope
from db.imports import ImportOutcome
from metrics.alerts import AlertKind, Condition, import_failure
from metrics.validation import Problem

SENDING, SENT, FAILED = "sending", "sent", "failed"
ALERT_DAYS = 7  # an alert not yet in someone's digest is still sent this many days after it was raised
_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


class MailKind(StrEnum):
    PRE_READ = "pre_read"
    FINAL_PACK = "final_pack"
    ALERTS = "alerts"


KIND_TITLES = {MailKind.PRE_READ: "Pre-read before the review", MailKind.FINAL_PACK: "Final board pack",
               MailKind.ALERTS: "Alerts"}

RECEIVES: dict[MailKind, frozenset[Role]] = {
    # the draft goes to those who prepare and hold the meeting; the board waits for the closed month's pack
    MailKind.PRE_READ: frozenset({Role.CEO, Role.CMO, Role.ADVISOR, Role.CONTRIBUTOR}),
    MailKind.FINAL_PACK: frozenset({Role.CEO, Role.CMO, Role.ADVISOR, Role.BOARD}),
    MailKind.ALERTS: frozenset({Role.CEO, Role.CMO, Role.ADVISOR}),
}
VOTERS = frozenset({Role.CEO, Role.CMO})


# --- Preferences and the company's setting --------------------------------------------------------


@dataclass(frozen=True)
class MailChoices:
    """Which kinds of mail a person receives from one company (every kind their role gets, until they say)."""

    pre_read: bool = True
    final_pack: bool = True
    alerts: bool = True

    def wants(self, kind: MailKind) -> bool:
        return bool(getattr(self, kind.value))


def kinds_for(role: Role) -> list[MailKind]:
    """The kinds of mail a role receives at all."""
    return [kind for kind in MailKind if role in RECEIVES[kind]]


def mail_choices(session: Session, workspace_id: int) -> dict[str, MailChoices]:
    """Everyone's choices in the company, by address; addresses without a row receive everything."""
    rows = session.scalars(select(MailPreference).where(MailPreference.workspace_id == workspace_id))
    return {r.email: MailChoices(pre_read=r.pre_read, final_pack=r.final_pack, alerts=r.alerts) for r in rows}


def save_mail_choices(session: Session, workspace_id: int, email: str, choices: MailChoices) -> None:
    email = email.strip().lower()
    row = session.get(MailPreference, (workspace_id, email))
    if row is None:
        row = MailPreference(workspace_id=workspace_id, email=email)
        session.add(row)
    row.pre_read, row.final_pack, row.alerts = choices.pre_read, choices.final_pack, choices.alerts
    row.updated_at = clock.now()
    session.flush()


def share_safe_mail(session: Session, workspace_id: int) -> bool:
    """Whether the company's mail hides amounts of money (off until the company asks for it)."""
    row = session.get(DeliverySetting, workspace_id)
    return bool(row and row.share_safe)


def set_share_safe_mail(session: Session, workspace_id: int, on: bool) -> None:
    row = session.get(DeliverySetting, workspace_id)
    if row is None:
        row = DeliverySetting(workspace_id=workspace_id)
        session.add(row)
    row.share_safe = on
    session.flush()


@dataclass(frozen=True)
class Recipient:
    email: str
    role: Role

    @property
    def votes(self) -> bool:
        """The CEO and the CMO cast confidence votes before the meeting."""
        return self.role in VOTERS


def recipients(members: Iterable[Member], choices: dict[str, MailChoices], kind: MailKind) -> list[Recipient]:
    """The members whose role receives ``kind`` and who have not turned it off, by address."""
    return sorted((Recipient(m.email, m.role) for m in members
                   if m.role in RECEIVES[kind] and choices.get(m.email, MailChoices()).wants(kind)),
                  key=lambda r: r.email)


# --- The log: claim, then mark -------------------------------------------------------------------


def claim(session: Session, workspace_id: int, recipient: str, kind: MailKind, period: dt.date, *,
          subject: str = "", detail: dict | None = None) -> int | None:
    """Take the right to send this message: its row's id, or None when another run has it (or sent it). A
    failed message is taken again; one still being sent, or sent, never is."""
    values = {"workspace_id": workspace_id, "recipient": recipient, "kind": kind.value, "period": period,
              "status": SENDING, "subject": subject[:300], "detail": detail, "claimed_at": clock.now(),
              "error": "", "attempts": 1}
    insert = _INSERTS[session.get_bind().dialect.name](Delivery).values(**values)
    claimed = session.scalar(insert.on_conflict_do_nothing(
        index_elements=["workspace_id", "recipient", "kind", "period"]).returning(Delivery.id))
    if claimed is not None:
        return claimed
    return session.scalar(  # a failed one, taken again; nothing when it is being sent or was sent
        update(Delivery).where(*_same(workspace_id, recipient, kind, period), Delivery.status == FAILED)
        .values(status=SENDING, claimed_at=values["claimed_at"], subject=values["subject"], detail=detail,
                attempts=Delivery.attempts + 1).returning(Delivery.id))


def _same(workspace_id: int, recipient: str, kind: MailKind, period: dt.date) -> tuple:
    return (Delivery.workspace_id == workspace_id, Delivery.recipient == recipient, Delivery.kind == kind.value,
            Delivery.period == period)


def mark_sent(session: Session, delivery_id: int) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id)
                    .values(status=SENT, sent_at=clock.now(), error=""))


def mark_failed(session: Session, delivery_id: int, error: str) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(status=FAILED, error=error[:500]))


def taken(session: Session, workspace_id: int, kind: MailKind, period: dt.date) -> set[str]:
    """Who already has this message (sent, or being sent): a run leaves them out."""
    query = select(Delivery.recipient).where(Delivery.workspace_id == workspace_id, Delivery.kind == kind.value,
                                             Delivery.period == period, Delivery.status != FAILED)
    return set(session.scalars(query))


@dataclass(frozen=True)
class DeliveryLine:
    recipient: str
    kind: MailKind
    period: dt.date
    status: str
    subject: str
    claimed_at: dt.datetime
    sent_at: dt.datetime | None
    error: str
    attempts: int


def deliveries(session: Session, workspace_id: int, kind: MailKind | None = None) -> list[DeliveryLine]:
    """The company's log, oldest first."""
    query = select(Delivery).where(Delivery.workspace_id == workspace_id).order_by(Delivery.id)
    if kind is not None:
        query = query.where(Delivery.kind == kind.value)
    return [DeliveryLine(r.recipient, MailKind(r.kind), r.period, r.status, r.subject, r.claimed_at, r.sent_at,
                         r.error, r.attempts) for r in session.scalars(query)]


def unconfirmed(session: Session, workspace_id: int) -> list[DeliveryLine]:
    """Messages claimed but never marked sent or failed: they may or may not have gone out."""
    return [line for line in deliveries(session, workspace_id) if line.status == SENDING]


# --- Alerts --------------------------------------------------------------------------------------


def raised_keys(session: Session, workspace_id: int) -> set[str]:
    """The keys whose newest event raised an alert: what was last alerted and still stands."""
    newest = (select(func.max(AlertEvent.id)).where(AlertEvent.workspace_id == workspace_id)
              .group_by(AlertEvent.key))
    query = select(AlertEvent.key).where(AlertEvent.id.in_(newest), AlertEvent.raised.is_(True))
    return set(session.scalars(query))


def record_alerts(session: Session, workspace_id: int, new: Sequence[Condition], cleared: Sequence[str],
                  today: dt.date) -> None:
    """Raise the new alerts and clear the keys that stopped holding, in the caller's (locked) transaction."""
    now = clock.now()
    for condition in new:
        session.add(AlertEvent(workspace_id=workspace_id, key=condition.key[:300], raised=True, kind=condition.kind,
                               at=now, day=today, title=condition.title[:300], text=condition.text,
                               safe_text=condition.safe_text, page=condition.page))
    for key in cleared:
        session.add(AlertEvent(workspace_id=workspace_id, key=key, raised=False, kind="cleared", at=now, day=today))
    session.flush()


@dataclass(frozen=True)
class PendingAlert:
    id: int  # 0: found by a dry run, not recorded
    kind: AlertKind
    title: str
    text: str
    safe_text: str
    page: str


def standing_alerts(session: Session, workspace_id: int, today: dt.date) -> list[PendingAlert]:
    """Alerts raised in the last ``ALERT_DAYS`` days that still stand (not cleared since), oldest first."""
    newest = select(func.max(AlertEvent.id)).where(AlertEvent.workspace_id == workspace_id).group_by(AlertEvent.key)
    query = (select(AlertEvent).where(AlertEvent.workspace_id == workspace_id, AlertEvent.raised.is_(True),
                                      AlertEvent.day > today - dt.timedelta(days=ALERT_DAYS),
                                      AlertEvent.day <= today, AlertEvent.id.in_(newest))
             .order_by(AlertEvent.id))
    return [PendingAlert(r.id, AlertKind(r.kind), r.title, r.text, r.safe_text, r.page) for r in session.scalars(query)]


def alerts_delivered(session: Session, workspace_id: int, today: dt.date) -> dict[str, set[int]]:
    """Per person, the alerts already in a digest of theirs (sent or being sent) of the last days."""
    query = select(Delivery.recipient, Delivery.detail).where(
        Delivery.workspace_id == workspace_id, Delivery.kind == MailKind.ALERTS.value, Delivery.status != FAILED,
        Delivery.period > today - dt.timedelta(days=ALERT_DAYS + 1))
    delivered: dict[str, set[int]] = {}
    for recipient, detail in session.execute(query):
        delivered.setdefault(recipient, set()).update((detail or {}).get("alerts", []))
    return delivered


def record_import_failure(engine: Engine, workspace_id: int, file_name: str, outcome: ImportOutcome, *,
                          by: str = "", dry_run: bool = False) -> None:
    """Keep an import refused at write time (not a dry run, not an accepted one) as an alert for the next digest."""
    if dry_run or outcome.accepted:
        return
    record_failure(engine, workspace_id, file_name, outcome.source_name or file_name, by,
                   [problem_text(p) for p in outcome.problems], clock.today())


def problem_text(problem: Problem) -> str:
    """A problem as one line: where (row, column) and why."""
    where = ", ".join(part for part in (f"Row {problem.row}" if problem.row is not None else "",
                                        f"column '{problem.column}'" if problem.column else "") if part)
    return f"{where}: {problem.reason}" if where else problem.reason


def record_failure(engine: Engine, workspace_id: int, file_name: str, source: str, by: str,
                   problems: Sequence[str], today: dt.date) -> None:
    """An import or a refresh that failed, kept as an alert (in a write of its own: nothing else was written)."""
    condition = import_failure(f"import:{uuid.uuid4().hex}", file_name, source, by, problems)
    with write_scope(engine, workspace_id) as session:
        record_alerts(session, workspace_id, [condition], [], today)
