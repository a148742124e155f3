"""What the scheduled command (`python cli.py deliver`) does for each company, and the "send now" of the pre-read.

For each company, in order: refresh its mapped SQL sources (once a day), raise the alerts that are news, then
send the mail that is due — the pre-read before the review, the final pack after it, the day's alert digest —
each message claimed in the delivery log before it goes out (db.delivery), so several servers' timers running
at once send it once. A dry run reads the same things, says what it would do, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import clock
from db import delivery, queries
from db.access import members
from db.delivery import MailKind, PendingAlert, Recipient
from db.delivery_models import ScheduledRefresh
from db.engine import session_scope, write_scope
from db.import_models import SqlSource
from db.imports import workspace_catalog
from db.indicators import driver_overrides
from db.meetings import cadence
from db.models import Workspace
from db.review import live_snapshot, review_state
from db.review_models import Review
from db.scorecard import scorecard_for_month
from db.sql_sources import refresh_sql_source, source_name
from db.workspaces import company_logo
from metrics.alerts import (
    AlertKind,
    Condition,
    SourceAge,
    changes,
    kpi_observations,
    source_observations,
    vanity_observations,
)
from metrics.coverage import latest_complete_month, without_partial
from metrics.delivery import ReviewDate, final_packs_due, next_review, pre_read_due
from metrics.drivers import effective_drivers
from metrics.periods import Month, month_label
from metrics.refusal import Refused
from metrics.review import ReviewSnapshot, share_safe
from metrics.vanity import vanity_traps
from reports import mail
from reports.board_pack import build_board_pack, deck_file_name
from reports.pdf import PdfUnavailable, pdf_available, pptx_to_pdf
from reports.smtp import MailFailed, MailNotConfigured, MailServer, connected, send

log = logging.getLogger(__name__)
REFRESHED_BY = "Scheduled refresh"


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    slug: str
    currency: str
    color: str


@dataclass
class Report:
    """What a run did (or, dry, would do): a line per action; ``problems`` make the command fail."""

    dry_run: bool = False
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sent: int = 0

    def said(self, company: Company, text: str) -> None:
        self.lines.append(f"{company.name}: {text}")

    def failed(self, company: Company, text: str) -> None:
        self.problems.append(f"{company.name}: {text}")


def companies(session: Session) -> list[Company]:
    """Every company not archived, by name."""
    rows = session.execute(select(Workspace.id, Workspace.name, Workspace.slug, Workspace.currency, Workspace.color)
                           .where(Workspace.archived_at.is_(None)).order_by(Workspace.name))
    return [Company(*row) for row in rows]


# --- The post office: one connection, opened when the first message is ready ------------------------


class Postbox:
    """Sends through one connection for the whole run; after a failure to connect, the rest fail at once."""

    def __init__(self, server: MailServer | None) -> None:
        self.server, self._connection, self._opened, self._broken = server, None, None, ""

    @property
    def sender(self) -> str:
        return self.server.sender if self.server else ""

    def send(self, message: mail.EmailMessage) -> None:
        if self.server is None:
            raise MailNotConfigured("Mail is not set up (ALIGNBOARD_SMTP_HOST).")
        if self._broken:
            raise MailFailed(self._broken)
        if self._connection is None:
            try:
                self._opened = connected(self.server)
                self._connection = self._opened.__enter__()
            except MailFailed as failure:
                self._broken = str(failure)
                raise
        send(self._connection, message)

    def close(self) -> None:
        if self._opened is not None:
            self._opened.__exit__(None, None, None)
            self._opened = self._connection = None


# --- SQL sources: refreshed once a day --------------------------------------------------------------


def refresh_sources(engine: Engine, company: Company, today: dt.date, report: Report) -> None:
    """Run each mapped SQL source's query and import it, once a day; a failure is recorded as an alert."""
    with session_scope(engine, company.id) as session:
        mapped = [(s.id, s.name) for s in session.scalars(select(SqlSource).where(
            SqlSource.workspace_id == company.id, SqlSource.mapping.is_not(None)).order_by(SqlSource.name))]
        done = set(session.scalars(select(ScheduledRefresh.source_id).where(
            ScheduledRefresh.workspace_id == company.id, ScheduledRefresh.day == today)))
    for source_id, name in mapped:
        if source_id in done:
            continue
        if report.dry_run:
            report.said(company, f"would refresh the SQL source '{name}'.")
        elif claim_refresh(engine, company.id, source_id, today):
            refresh_one(engine, company, source_id, name, today, report)


def claim_refresh(engine: Engine, workspace_id: int, source_id: int, today: dt.date) -> bool:
    """The right to refresh a source today: False when another run has it."""
    with write_scope(engine, workspace_id) as session:
        if session.get(ScheduledRefresh, (source_id, today)) is not None:
            return False
        session.add(ScheduledRefresh(source_id=source_id, day=today, workspace_id=workspace_id, status="running"))
    return True


def refresh_one(engine: Engine, company: Company, source_id: int, name: str, today: dt.date,
                report: Report) -> None:
    problems = _refresh_problems(engine, company.id, source_id, today)
    with write_scope(engine, company.id) as session:
        row = session.get(ScheduledRefresh, (source_id, today))
        row.status, row.finished_at = ("failed" if problems else "done"), clock.now()
        row.message = "; ".join(problems)[:500]
    if not problems:
        report.said(company, f"refreshed the SQL source '{name}'.")
        return
    delivery.record_failure(engine, company.id, f"SQL source '{name}'", source_name(name), REFRESHED_BY, problems,
                            today)
    report.failed(company, f"the SQL source '{name}' could not be refreshed: {problems[0]}")


def _refresh_problems(engine: Engine, workspace_id: int, source_id: int, today: dt.date) -> list[str]:
    """Why the refresh failed (empty: it worked)."""
    try:
        outcome = refresh_sql_source(engine, workspace_id, source_id, created_by=REFRESHED_BY, today=today)
    except Refused as refused:
        return [str(refused)]
    except Exception:  # noqa: BLE001 - the log keeps the detail; the alert says what happened
        log.exception("scheduled refresh of SQL source %s failed", source_id)
        return ["an unexpected error stopped it (the server log has the details)"]
    return [] if outcome.accepted else [delivery.problem_text(p) for p in outcome.problems] or ["it was refused"]


# --- Alerts: what is news -------------------------------------------------------------------------


def observed_changes(session: Session, company: Company, today: dt.date) -> tuple[list[Condition], list[str]]:
    """The alerts to raise and the keys to clear: KPIs off track and vanity traps in the newest complete month,
    SQL sources gone late."""
    raised = delivery.raised_keys(session, company.id)
    observed: dict[str, Condition | None] = {}
    month = latest_complete_month(queries.month_coverage(session, company.id))
    if month is not None:
        catalog = workspace_catalog(session, company.id)
        card = scorecard_for_month(session, company.id, month, catalog=catalog)
        observed |= kpi_observations(card.kpis, month, company.currency, raised)
        data = without_partial(queries.monthly_data(session, company.id, catalog=catalog))
        traps = vanity_traps(catalog, effective_drivers(catalog, driver_overrides(session, company.id)), data, month)
        observed |= vanity_observations(catalog, traps, month, raised)
    observed |= source_observations(source_ages(session, company.id), today, raised)
    return changes(observed, raised)


def source_ages(session: Session, workspace_id: int) -> list[SourceAge]:
    rows = session.execute(select(SqlSource.id, SqlSource.name, SqlSource.created_at, SqlSource.refreshed_at)
                           .where(SqlSource.workspace_id == workspace_id))
    return [SourceAge(id=i, name=n, added=_day(created), refreshed=_day(refreshed) if refreshed else None)
            for i, n, created, refreshed in rows]


def _day(moment: dt.datetime | dt.date | None) -> dt.date:
    if isinstance(moment, dt.datetime):
        return moment.date()
    return moment or clock.today()


def raise_alerts(engine: Engine, company: Company, today: dt.date, dry_run: bool) -> list[Condition]:
    """Record what is news (under the company's lock, so two runs raise it once); a dry run only says it."""
    with session_scope(engine, company.id) as session:
        new, cleared = observed_changes(session, company, today)
    if dry_run or not (new or cleared):
        return new
    with write_scope(engine, company.id) as session:
        new, cleared = observed_changes(session, company, today)  # again, now that no other run can interleave
        delivery.record_alerts(session, company.id, new, cleared, today)
    return new


# --- What is due, to whom -------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One message due to one person."""

    kind: MailKind
    period: dt.date
    recipient: Recipient
    subject: str
    meeting: dt.date | None = None
    alerts: tuple[PendingAlert, ...] = ()


@dataclass(frozen=True)
class Due:
    """A company's mail due today, and how it is to be written."""

    outgoing: list[Outgoing]
    share_safe: bool


def due_mail(session: Session, company: Company, today: dt.date, news: list[Condition]) -> Due:
    """Every message due today that nobody has yet: pre-read, final packs, alert digests (``news``: alerts a dry
    run found but did not record)."""
    people, choices = members(session, company.id), delivery.mail_choices(session, company.id)
    closes = dict(session.execute(select(Review.month, Review.closed_at).where(
        Review.workspace_id == company.id, Review.status == "closed")).all())
    outgoing: list[Outgoing] = []
    review = pre_read_due(cadence(session, company.id), today, closes)
    if review is not None:
        outgoing += _pre_reads(session, company, review, delivery.recipients(people, choices, MailKind.PRE_READ))
    for month in final_packs_due([(m, _day(at)) for m, at in closes.items()], today):
        outgoing += _final_packs(session, company, month, delivery.recipients(people, choices, MailKind.FINAL_PACK))
    outgoing += _digests(session, company, today, delivery.recipients(people, choices, MailKind.ALERTS), news)
    return Due(outgoing, delivery.share_safe_mail(session, company.id))


def _untaken(session: Session, company: Company, kind: MailKind, period: dt.date,
             people: list[Recipient]) -> list[Recipient]:
    taken = delivery.taken(session, company.id, kind, period)
    return [person for person in people if person.email not in taken]


def _pre_reads(session: Session, company: Company, review: ReviewDate, people: list[Recipient]) -> list[Outgoing]:
    subject = mail.pre_read_subject(company.name, review.month, review.meeting)
    return [Outgoing(MailKind.PRE_READ, review.month, person, subject, meeting=review.meeting)
            for person in _untaken(session, company, MailKind.PRE_READ, review.month, people)]


def _final_packs(session: Session, company: Company, month: Month, people: list[Recipient]) -> list[Outgoing]:
    subject = mail.final_pack_subject(company.name, month)
    return [Outgoing(MailKind.FINAL_PACK, month, person, subject)
            for person in _untaken(session, company, MailKind.FINAL_PACK, month, people)]


def _digests(session: Session, company: Company, today: dt.date, people: list[Recipient],
             news: list[Condition]) -> list[Outgoing]:
    """Per person, the standing alerts not yet in a digest of theirs; one digest a day at most."""
    if not people:
        return []
    standing = delivery.standing_alerts(session, company.id, today)
    standing += [PendingAlert(0, c.kind, c.title, c.text, c.safe_text, c.page) for c in news]
    delivered = delivery.alerts_delivered(session, company.id, today)
    outgoing = []
    for person in _untaken(session, company, MailKind.ALERTS, today, people):
        fresh = tuple(a for a in standing if a.id == 0 or a.id not in delivered.get(person.email, set()))
        if fresh:
            outgoing.append(Outgoing(MailKind.ALERTS, today, person,
                                     mail.alert_subject(company.name, today, len(fresh)), alerts=fresh))
    return outgoing


# --- Writing and sending ----------------------------------------------------------------------------


class Materials:
    """What a company's messages share, built once per run and only when a message needs it: the snapshot
    (share-safe when the company asks) and the attached decks."""

    def __init__(self, engine: Engine, company: Company, today: dt.date, safe: bool) -> None:
        self.engine, self.company, self.today, self.safe = engine, company, today, safe
        self._built: dict[tuple[MailKind, Month], tuple[ReviewSnapshot, list[mail.Attachment]]] = {}

    def review(self, kind: MailKind, month: Month) -> tuple[ReviewSnapshot, list[mail.Attachment]]:
        if (kind, month) not in self._built:
            self._built[kind, month] = self._build(kind, month)
        return self._built[kind, month]

    def _build(self, kind: MailKind, month: Month) -> tuple[ReviewSnapshot, list[mail.Attachment]]:
        with session_scope(self.engine, self.company.id) as session:
            frozen = review_state(session, self.company.id, month).snapshot if kind == MailKind.FINAL_PACK else None
            snapshot = frozen or live_snapshot(session, self.company.id, month, self.today)
            logo = company_logo(session, self.company.id)
        snapshot = share_safe(snapshot) if self.safe else snapshot
        return snapshot, attachments(snapshot, draft=frozen is None, logo=logo)


def attachments(snapshot: ReviewSnapshot, *, draft: bool, logo: object = None) -> list[mail.Attachment]:
    """The board pack as PowerPoint, and as PDF when LibreOffice is there."""
    deck = build_board_pack(snapshot, draft=draft, logo=logo)  # type: ignore[arg-type]
    found = [mail.Attachment(deck_file_name(snapshot, draft), deck, mail.PPTX_TYPE)]
    if pdf_available():
        try:
            found.append(mail.Attachment(deck_file_name(snapshot, draft, "pdf"), pptx_to_pdf(deck), mail.PDF_TYPE))
        except PdfUnavailable as missing:
            log.warning("board pack PDF left out: %s", missing)
    return found


def written(item: Outgoing, company: Company, materials: Materials, sender: str,
            links: mail.Links) -> mail.EmailMessage:
    """The message itself."""
    envelope = mail.Envelope(sender, item.recipient.email, item.subject)
    if item.kind == MailKind.ALERTS:
        lines = [mail.AlertLine(a.kind, a.title, a.safe_text if materials.safe else a.text, a.page)
                 for a in item.alerts]
        return mail.alert_digest_message(company.name, item.period, lines, envelope, links=links,
                                         share_safe=materials.safe, color=company.color)
    snapshot, attached = materials.review(item.kind, item.period)
    if item.kind == MailKind.PRE_READ:
        return mail.pre_read_message(snapshot, envelope, meeting=item.meeting or item.period, links=links,
                                     votes=item.recipient.votes, attachments=attached)
    return mail.final_pack_message(snapshot, envelope, links=links, attachments=attached)


def deliver(engine: Engine, company: Company, items: list[Outgoing], materials: Materials, postbox: Postbox,
            links: mail.Links) -> tuple[list[Outgoing], list[tuple[Outgoing, str]]]:
    """Claim, write, send and mark each message; (sent, failed with why). Messages another run has are skipped."""
    sent, failed = [], []
    for item in items:
        detail = {"alerts": [a.id for a in item.alerts]} if item.alerts else None
        with write_scope(engine, company.id) as session:
            claimed = delivery.claim(session, company.id, item.recipient.email, item.kind, item.period,
                                     subject=item.subject, detail=detail)
        if claimed is None:
            continue
        error = _send(postbox, lambda item=item: written(item, company, materials, postbox.sender, links))
        with write_scope(engine, company.id) as session:
            (delivery.mark_failed(session, claimed, error) if error else delivery.mark_sent(session, claimed))
        (failed.append((item, error)) if error else sent.append(item))
    return sent, failed


def _send(postbox: Postbox, write: Callable[[], mail.EmailMessage]) -> str:
    """Write and send one message; why it failed, or "" when it went."""
    try:
        postbox.send(write())
    except Refused as refused:
        return str(refused)
    except Exception:  # noqa: BLE001 - the log keeps the detail; the run goes on with the next message
        log.exception("a message could not be written or sent")
        return "an unexpected error (the server log has the details)"
    return ""


# --- A run ----------------------------------------------------------------------------------------

STUCK_AFTER = dt.timedelta(minutes=10)  # younger claims may belong to a run still sending


def run(engine: Engine, today: dt.date, *, dry_run: bool, server: MailServer | None, app_url: str = "") -> Report:
    """The scheduled work of every company that is not archived; each company's failure stays its own."""
    report, postbox = Report(dry_run=dry_run), Postbox(server)
    with session_scope(engine) as session:
        listed = companies(session)
    try:
        for company in listed:
            try:
                run_company(engine, company, today, report, postbox, app_url)
            except Refused as refused:
                report.failed(company, str(refused))
            except Exception:  # noqa: BLE001 - the log keeps the detail; the other companies go on
                log.exception("scheduled work of company %s failed", company.id)
                report.failed(company, "an unexpected error stopped its scheduled work (the log has the details).")
    finally:
        postbox.close()
    return report


def run_company(engine: Engine, company: Company, today: dt.date, report: Report, postbox: Postbox,
                app_url: str) -> None:
    refresh_sources(engine, company, today, report)
    news = raise_alerts(engine, company, today, report.dry_run)
    with session_scope(engine, company.id) as session:
        due = due_mail(session, company, today, news if report.dry_run else [])
        stuck = [line for line in delivery.unconfirmed(session, company.id)
                 if _aware(line.claimed_at) < clock.now() - STUCK_AFTER]
    for line in stuck:
        report.failed(company, f"the {delivery.KIND_TITLES[line.kind].lower()} to {line.recipient} was claimed on "
                               f"{line.claimed_at:%d %b %Y %H:%M} but never confirmed sent; it is not sent again. "
                               "Check the mail server's log.")
    if report.dry_run or not due.outgoing:
        describe(report, company, due.outgoing)
        return
    if postbox.server is None:
        report.failed(company, f"{len(due.outgoing)} message(s) due, not sent: mail is not set up "
                               "(ALIGNBOARD_SMTP_HOST, ALIGNBOARD_SMTP_SENDER).")
        return
    materials = Materials(engine, company, today, due.share_safe)
    sent, failed = deliver(engine, company, due.outgoing, materials, postbox, mail.links_for(app_url, company.slug))
    report.sent += len(sent)
    describe(report, company, sent)
    for item, error in failed:
        report.failed(company, f"the {delivery.KIND_TITLES[item.kind].lower()} to {item.recipient.email} was not "
                               f"sent: {error}")


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive times; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def describe(report: Report, company: Company, items: list[Outgoing]) -> None:
    """One line per message kind: what went (or would go) to whom."""
    groups: dict[tuple, list[str]] = {}
    for item in items:
        alerts = tuple(a.kind for a in item.alerts)
        groups.setdefault((item.kind, item.period, alerts), []).append(item.recipient.email)
    verb = "would send" if report.dry_run else "sent"
    for (kind, period, alerts), people in groups.items():
        report.said(company, f"{verb} {_what(kind, period, alerts)} to {', '.join(people)}.")


def _what(kind: MailKind, period: dt.date, alerts: tuple[AlertKind, ...]) -> str:
    if kind == MailKind.PRE_READ:
        return f"the pre-read of {month_label(period)} (with the draft board pack)"
    if kind == MailKind.FINAL_PACK:
        return f"the final board pack of {month_label(period)}"
    counts = ", ".join(mail.alert_count(k, alerts.count(k)) for k in AlertKind if k in alerts)
    return f"the alerts of {period:%d %b %Y} ({counts})"


# --- Sending the pre-read now ----------------------------------------------------------------------


def send_pre_read_now(engine: Engine, workspace_id: int, today: dt.date, *, server: MailServer,
                      app_url: str = "") -> Report:
    """The pre-read of the next review, sent at once to whoever does not have it yet (recorded as the
    scheduled one is, so the scheduled run does not send it again)."""
    report, postbox = Report(), Postbox(server)
    with session_scope(engine, workspace_id) as session:
        company = next(c for c in companies(session) if c.id == workspace_id)
        review = next_review(cadence(session, workspace_id), today)
        if review_state(session, workspace_id, review.month).closed:
            raise Refused(f"The review of {month_label(review.month)} is closed: its final pack goes out instead.")
        people = delivery.recipients(members(session, workspace_id), delivery.mail_choices(session, workspace_id),
                                     MailKind.PRE_READ)
        items = _pre_reads(session, company, review, people)
        safe = delivery.share_safe_mail(session, workspace_id)
    try:
        sent, failed = deliver(engine, company, items, Materials(engine, company, today, safe), postbox,
                               mail.links_for(app_url, company.slug))
    finally:
        postbox.close()
    report.sent = len(sent)
    describe(report, company, sent)
    for item, error in failed:
        report.failed(company, f"the pre-read to {item.recipient.email} was not sent: {error}")
    return report
