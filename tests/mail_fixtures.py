"""What the mail and delivery tests share: a real SMTP server on 127.0.0.1 (aiosmtpd), and a company with
figures, a signed agreement, members of every role and a review that meets in two days."""

from __future__ import annotations

import datetime as dt
import email
import io
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from pptx import Presentation
from sqlalchemy import Engine

from db.access import Role, add_member
from db.engine import session_scope
from db.ingest import ingest
from db.meetings import save_cadence
from db.scorecard import save_draft, sign_agreement
from metrics.agreement import Role as Signer
from metrics.catalog import Mandate
from metrics.meetings import Cadence
from metrics.periods import add_months
from metrics.scorecard import KpiTerms

TODAY = dt.date(2026, 11, 16)  # tests/conftest.py pins the clock here
OCT = dt.date(2026, 10, 1)
MONTHS = [add_months(OCT, -i) for i in range(11, -1, -1)]  # Nov 2025 … Oct 2026
MEETING = dt.date(2026, 11, 18)  # moved by hand: the review of Oct 2026 meets in two days, so its pre-read is due
SENDER = "Alignboard <review@alignboard.test>"
APP_URL = "https://board.example.com"
PEOPLE = {role: f"{role.value}@test.co" for role in Role}
REVENUE_TARGET = 1_500_000.0


def revenue(month_index: int, october: float = 1_234_567.0) -> float:
    """Revenue falls 2% a month, to ``october`` in Oct 2026."""
    return round(october * 1.02 ** (11 - month_index))


def figures(october_revenue: float = 1_234_567.0) -> pd.DataFrame:
    """Twelve months: revenue falling, impressions climbing 5% a month (a vanity trap), MQLs steady upwards."""
    rows = []
    for i, month in enumerate(MONTHS):
        rows += [(month, "revenue", revenue(i, october_revenue)), (month, "impressions", round(400_000 * 1.05 ** i)),
                 (month, "mqls", 500 + 10 * i)]
    return pd.DataFrame(rows, columns=["date", "metric", "value"]).assign(date=lambda f: f["date"].astype(str))


def import_figures(engine: Engine, workspace_id: int, october_revenue: float = 1_234_567.0) -> None:
    ingest(engine, workspace_id, figures(october_revenue), source_name="Finance export", today=TODAY)


def agree(engine: Engine, workspace_id: int) -> None:
    """Revenue (growth) 1.5M a month from July; MQLs (400) and impressions (300,000) a month (brand)."""
    months = MONTHS[-4:]
    kpis = [KpiTerms(metric_key="revenue", mandate=Mandate.GROWTH, owner_name="Dana", owner_role="CEO",
                     targets=dict.fromkeys(months, REVENUE_TARGET)),
            KpiTerms(metric_key="mqls", mandate=Mandate.BRAND, owner_name="Maria <b>Lopez</b>", owner_role="CMO",
                     targets=dict.fromkeys(months, 400.0)),
            KpiTerms(metric_key="impressions", mandate=Mandate.BRAND, owner_name="Maria", owner_role="CMO",
                     targets=dict.fromkeys(months, 300_000.0))]
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, kpis, based_on=None, by="Dana")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Signer.CEO, "Dana")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Signer.CMO, "Maria")


def build_company(engine: Engine, workspace_id: int) -> int:
    """Figures, a signed agreement, one member of each role, and the review meeting on 18 Nov 2026."""
    import_figures(engine, workspace_id)
    agree(engine, workspace_id)
    with session_scope(engine) as session:
        for role, address in PEOPLE.items():
            add_member(session, workspace_id, address, role, invited_by="test")
        save_cadence(session, workspace_id, Cadence(pre_read_days=3, next_override=MEETING))
    return workspace_id


# --- The SMTP server ------------------------------------------------------------------------------


@dataclass
class Inbox:
    """Every message the server took: (envelope recipients, parsed message)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's hook
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]

    def recipients(self) -> list[str]:
        return sorted(address for rcpt, _ in self.received for address in rcpt)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 for the test, and the app's settings pointing at it."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "TLS": "none", "SENDER": SENDER}.items():
        monkeypatch.setenv(f"ALIGNBOARD_SMTP_{name}", value)
    monkeypatch.setenv("ALIGNBOARD_APP_URL", APP_URL)
    try:
        yield inbox
    finally:
        controller.stop()


# --- Reading what arrived -------------------------------------------------------------------------


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies."""
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def attached(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def deck_text_and_values(pptx: bytes) -> tuple[str, list[float]]:
    """Every text on every slide (tables included) and every value of every chart, read back with python-pptx."""
    deck, texts, values = Presentation(io.BytesIO(pptx)), [], []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                values += [v for series in shape.chart.plots[0].series for v in series.values if v is not None]
    return "\n".join(texts), values
