"""The mail Alignboard sends, built with the standard ``email`` package: the pre-read before the review, the
final board pack after it, and the day's alerts.

Each message is written once as blocks (headings, paragraphs, tables, lists, links) and rendered twice, as
plain text and as HTML; everything typed by people (KPI names, owners, actions, commentary) is escaped in the
HTML and stays text. Share-safe mail is built from the share-safe snapshot, so amounts of money are masked in
both parts and in the attached deck alike.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import clock
from metrics.alerts import AlertKind
from metrics.catalog import MANDATE_TITLES, Mandate
from metrics.periods import month_label
from metrics.review import AgendaKind, ReviewSnapshot, build_agenda, percent, shown
from metrics.status import RAG_LABELS

PPTX_TYPE = ("application", "vnd.openxmlformats-officedocument.presentationml.presentation")
PDF_TYPE = ("application", "pdf")
SAFE_NOTE = "This mail is share-safe: amounts of money are hidden (•••); changes, % of target and status stay."


# --- Blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


Block = Heading | Paragraph | Bullets | Table | Link


def as_text(blocks: Sequence[Block]) -> str:
    """The plain-text part: tables as aligned columns, links written out."""
    return "\n\n".join(_text(block) for block in blocks).strip() + "\n"


def _text(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{block.text}\n{'=' * len(block.text)}"
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Link):
        return f"{block.label}: {block.url}"
    return _text_table(block)


def _text_table(table: Table) -> str:
    widths = [max(len(str(row[i])) for row in [table.header, *table.rows]) for i in range(len(table.header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [table.header, *table.rows]]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def as_html(blocks: Sequence[Block], color: str = "#1f4e79") -> str:
    """The HTML part: every piece of text escaped, the company's colour on the headings."""
    body = "\n".join(_html(block, color) for block in blocks)
    return (f'<!DOCTYPE html><html><body style="font-family: Arial, sans-serif; font-size: 14px; color: #222;">'
            f"\n{body}\n</body></html>\n")


def _html(block: Block, color: str) -> str:
    e = html.escape
    if isinstance(block, Heading):
        return f'<h2 style="color: {e(color)}; font-size: 17px; margin: 18px 0 6px;">{e(block.text)}</h2>'
    if isinstance(block, Paragraph):
        return f"<p>{e(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{e(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Link):
        return f'<p><a href="{e(block.url, quote=True)}">{e(block.label)}</a></p>'
    cell = 'style="border: 1px solid #ccc; padding: 4px 8px; text-align: left;"'
    head = "".join(f"<th {cell}>{e(str(c))}</th>" for c in block.header)
    rows = "".join("<tr>" + "".join(f"<td {cell}>{e(str(c))}</td>" for c in row) + "</tr>" for row in block.rows)
    return f'<table style="border-collapse: collapse;"><tr>{head}</tr>{rows}</table>'


# --- Pieces of a message ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: tuple[str, str]


@dataclass(frozen=True)
class Links:
    """Where the mail points: the company in the app, its scorecard (votes), its data page. Empty without
    ALIGNBOARD_APP_URL."""

    app: str = ""
    scorecard: str = ""
    pages: dict[str, str] = field(default_factory=dict)

    def page(self, name: str) -> str:
        return self.pages.get(name, self.app)


def links_for(app_url: str, slug: str) -> Links:
    """``<app>/?client=<slug>`` and the pages' own addresses (``<app>/scorecard?client=<slug>``)."""
    base = app_url.strip().rstrip("/")
    if not base:
        return Links()
    pages = {name: f"{base}/{name}?client={slug}" for name in ("scorecard", "output_vs_outcome", "data", "review")}
    return Links(app=f"{base}/?client={slug}", scorecard=pages["scorecard"], pages=pages)


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipient: str
    subject: str


def one_line(text: str) -> str:
    """Header text on one line (a company name can never break a header)."""
    return " ".join(text.split())


def message(envelope: Envelope, blocks: Sequence[Block], color: str = "#1f4e79",
            attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """The message: plain text first, HTML as its alternative, then the attachments."""
    mail = EmailMessage()
    mail["From"], mail["To"] = one_line(envelope.sender), one_line(envelope.recipient)
    mail["Subject"] = one_line(envelope.subject)
    mail["Date"] = format_datetime(clock.now())
    mail["Message-ID"] = make_msgid(domain=envelope.sender.rpartition("@")[2].strip("> ") or None)
    mail.set_content(as_text(blocks))
    mail.add_alternative(as_html(blocks, color), subtype="html")
    for attachment in attachments:
        mail.add_attachment(attachment.content, maintype=attachment.mime[0], subtype=attachment.mime[1],
                            filename=attachment.filename)
    return mail


# --- The review's pieces ------------------------------------------------------------------------

SCORECARD_HEADER = ("KPI", "Actual", "Target", "% of target", "Status", "Owner")


def scorecard_blocks(snapshot: ReviewSnapshot) -> list[Block]:
    """Brand and Growth as two tables, never one blended score."""
    if not snapshot.kpis:
        return [Heading("Scorecard"), Paragraph("No KPI agreement is signed yet.")]
    blocks: list[Block] = [Heading(f"Scorecard · {snapshot.agreement}" if snapshot.agreement else "Scorecard")]
    for mandate in Mandate:
        kpis = snapshot.mandate_kpis(mandate)
        rows = [[k.label, shown(snapshot, k.actual, k.unit), shown(snapshot, k.target, k.unit),
                 percent(k.pct_of_target), RAG_LABELS[k.rag], k.owner or "-"] for k in kpis]
        blocks += [Paragraph(MANDATE_TITLES[mandate]),
                   Table(SCORECARD_HEADER, rows) if rows else Paragraph("No agreed KPI on this mandate.")]
    return blocks


def exception_blocks(snapshot: ReviewSnapshot) -> list[Block]:
    """Off-track KPIs, numbers the CEO and CMO disagree about, vanity traps, sources that disagree."""
    items = [f"{item.title}: {item.detail}" if item.detail else item.title
             for item in build_agenda(snapshot) if item.kind == AgendaKind.EXCEPTION]
    return [Heading("Exceptions"), Bullets(items) if items else Paragraph("No exceptions this month.")]


def action_blocks(snapshot: ReviewSnapshot) -> list[Block]:
    still_open = [v for v in snapshot.actions if v.open_in_month]
    if not still_open:
        return [Heading("Open actions"), Paragraph("No open actions.")]
    rows = [[v.action.title, v.action.owner or "-", f"{v.action.due:%d %b %Y}" if v.action.due else "-",
             "Overdue" if v.overdue else ("Carried over" if v.carried_over else "Open")] for v in still_open]
    return [Heading("Open actions"), Table(("Action", "Owner", "Due", "Status"), rows)]


def brief_blocks(snapshot: ReviewSnapshot) -> list[Block]:
    return [Heading(f"{month_label(snapshot.month)} in brief"),
            *[Paragraph(line) for line in snapshot.summary or ["No summary for this month."]]]


def safe_note(snapshot: ReviewSnapshot) -> list[Block]:
    return [Paragraph(SAFE_NOTE)] if snapshot.share_safe else []


# --- The three messages --------------------------------------------------------------------------


def pre_read_message(snapshot: ReviewSnapshot, envelope: Envelope, *, meeting: dt.date, links: Links,
                     votes: bool, attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """Before the review: the month in brief, the scorecard, the exceptions, open actions, links (the CEO and the
    CMO are asked for their confidence votes) and the draft board pack."""
    blocks: list[Block] = [
        Paragraph(f"The review of {month_label(snapshot.month)} for {snapshot.workspace_name} meets on "
                  f"{meeting:%A %d %B %Y}. Here is the pre-read, from today's figures (a draft: they may still "
                  "change before the month is closed)."),
        *safe_note(snapshot), *brief_blocks(snapshot), *scorecard_blocks(snapshot), *exception_blocks(snapshot),
        *action_blocks(snapshot), Heading("Before the meeting"),
    ]
    if links.scorecard:
        label = "Cast your confidence votes on the scorecard" if votes else "See the scorecard"
        blocks += [Link(label, links.scorecard), Link("Open Alignboard", links.app)]
    elif votes:
        blocks.append(Paragraph("Cast your confidence votes on the Scorecard page of Alignboard."))
    blocks.append(Paragraph("The draft board pack is attached." if attachments else
                            "The board pack is on the Board pack page of Alignboard."))
    return message(envelope, blocks, snapshot.color, attachments)


def final_pack_message(snapshot: ReviewSnapshot, envelope: Envelope, *, links: Links,
                       attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """After the review: the closed month's board pack, as it was frozen."""
    closed = f" by {snapshot.closed_by}" if snapshot.closed_by else ""
    when = f" on {snapshot.taken_at:%d %B %Y}" if snapshot.taken_at else ""
    blocks: list[Block] = [
        Paragraph(f"The review of {month_label(snapshot.month)} for {snapshot.workspace_name} was closed{closed}"
                  f"{when}. The final board pack is attached; its figures are the ones the meeting reviewed."),
        *safe_note(snapshot), *brief_blocks(snapshot), *scorecard_blocks(snapshot), *action_blocks(snapshot),
    ]
    if links.app:
        blocks.append(Link("Open Alignboard", links.page("review")))
    return message(envelope, blocks, snapshot.color, attachments)


@dataclass(frozen=True)
class AlertLine:
    """One alert as a digest lists it."""

    kind: AlertKind
    title: str
    text: str
    page: str = ""


ALERT_HEADINGS = {AlertKind.KPI_OFF_TRACK: "KPIs off track", AlertKind.VANITY_TRAP: "Vanity traps",
                  AlertKind.SOURCE_LATE: "Late SQL sources", AlertKind.IMPORT_FAILED: "Failed imports"}
ALERT_NOUNS = {AlertKind.KPI_OFF_TRACK: ("KPI off track", "KPIs off track"),
               AlertKind.VANITY_TRAP: ("vanity trap", "vanity traps"),
               AlertKind.SOURCE_LATE: ("late SQL source", "late SQL sources"),
               AlertKind.IMPORT_FAILED: ("failed import", "failed imports")}
VANITY_IN_DIGEST = 3  # the widest gaps in full; a long list of traps would bury the rest


def alert_count(kind: AlertKind, count: int) -> str:
    """'3 KPIs off track', '1 vanity trap'."""
    return f"{count} {ALERT_NOUNS[kind][count != 1]}"


def alert_digest_message(company: str, day: dt.date, alerts: Sequence[AlertLine], envelope: Envelope, *,
                         links: Links, share_safe: bool = False, color: str = "#1f4e79") -> EmailMessage:
    """The day's alerts for one company in one short mail, grouped by kind, each with its numbers and where to
    look."""
    blocks: list[Block] = [Paragraph(f"{len(alerts)} new alert{'s' if len(alerts) != 1 else ''} at {company} "
                                     f"({day:%d %b %Y}).")]
    if share_safe:
        blocks.append(Paragraph(SAFE_NOTE))
    for kind in AlertKind:
        group = [a for a in alerts if a.kind == kind]
        if group:
            blocks += _alert_group(kind, group, links)
    blocks.append(Paragraph("You receive these alerts as CEO, CMO or advisor of the company; turn them off on the "
                            "Members page of Alignboard."))
    return message(envelope, blocks, color)


def _alert_group(kind: AlertKind, group: Sequence[AlertLine], links: Links) -> list[Block]:
    shown_lines = group[:VANITY_IN_DIGEST] if kind == AlertKind.VANITY_TRAP else group
    items = [f"{a.title}. {a.text}" for a in shown_lines]
    if len(group) > len(shown_lines):
        more = [a.title.removeprefix("Vanity trap: ") for a in group[len(shown_lines):]]
        items.append(f"{len(more)} more: {'; '.join(more)}.")
    blocks: list[Block] = [Heading(ALERT_HEADINGS[kind]), Bullets(items)]
    if links.app:
        blocks.append(Link("Open in Alignboard", links.page(group[0].page)))
    return blocks


def pre_read_subject(company: str, month: dt.date, meeting: dt.date) -> str:
    return f"Pre-read: {company}, review of {month_label(month)} on {meeting:%a %d %b}"


def final_pack_subject(company: str, month: dt.date) -> str:
    return f"Board pack: {company}, {month_label(month)} (final)"


def alert_subject(company: str, day: dt.date, count: int) -> str:
    return f"{company}: {count} alert{'s' if count != 1 else ''} on {day:%d %b %Y}"
