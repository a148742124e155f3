"""`python cli.py deliver`: the dry run, --today, plain messages and exit codes, and two servers' timers firing
at the same moment (two processes) sending each message once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import Engine, func, select

import cli
from db.delivery_models import AlertEvent, Delivery
from db.engine import session_scope
from db.review import close_month
from reports.pdf import pdf_available
from settings import PROJECT_ROOT
from tests.mail_fixtures import MEETING, PEOPLE, Inbox, build_company


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from db import schedule

    monkeypatch.setattr(schedule, "pdf_available", lambda: False)


@pytest.fixture
def company(engine: Engine, workspace_id: int) -> int:
    return build_company(engine, workspace_id)


def rows(engine: Engine, table: type) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


def test_the_dry_run_prints_what_would_go_on_the_pinned_day(company: int, inbox: Inbox,
                                                            capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deliver", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Test Co: would send the pre-read of Oct 2026 (with the draft board pack) to ")
    assert out[-1] == "Dry run for 16 Nov 2026: nothing was sent or written."  # the clock's today
    assert inbox.received == []


def test_today_can_be_given_and_a_wrong_one_is_refused(engine: Engine, company: int, inbox: Inbox,
                                                       capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deliver", "--today", "2026-13-01"]) == 1
    assert capsys.readouterr().err.strip() == "Error: --today must look like 2026-11-16, not '2026-13-01'"
    with session_scope(engine) as session:
        close_month(session, company, dt.date(2026, 10, 1), "Dana (CEO)",
                    at=dt.datetime.combine(MEETING, dt.time(10), tzinfo=dt.UTC))
    assert cli.main(["deliver", "--today", "2026-11-19"]) == 0
    out = capsys.readouterr().out
    assert ("Test Co: sent the final board pack of Oct 2026 to advisor@test.co, board@test.co, ceo@test.co, "
            "cmo@test.co.") in out
    assert "7 messages sent." in out  # the final pack to four, the day's alerts to three
    assert sorted(rcpt[0] for rcpt, m in inbox.received if "final" in m["Subject"]) == [
        PEOPLE[r] for r in ("advisor", "board", "ceo", "cmo")]


def test_without_a_mail_server_it_says_which_setting_and_keeps_the_alerts(engine: Engine, company: int,
                                                                          capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["deliver"]) == 1
    err = capsys.readouterr().err
    assert "Mail is not set up: ALIGNBOARD_SMTP_HOST is not set (the mail server's name); ALIGNBOARD_SMTP_SENDER " \
           "must be an address" in err
    assert "Test Co: 7 message(s) due, not sent: mail is not set up" in err
    assert rows(engine, Delivery) == 0 and rows(engine, AlertEvent) == 2  # recorded, to be sent once mail is set up


def test_a_wrong_tls_mode_is_named(monkeypatch: pytest.MonkeyPatch, company: int, inbox: Inbox,
                                   capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("ALIGNBOARD_SMTP_TLS", "tls1.3")
    assert cli.main(["deliver"]) == 1
    assert "ALIGNBOARD_SMTP_TLS must be starttls, ssl or none, not 'tls1.3'" in capsys.readouterr().err
    assert inbox.received == []


def test_two_processes_at_once_send_each_message_once(engine: Engine, company: int, inbox: Inbox) -> None:
    command = [sys.executable, "cli.py", "deliver"]
    runs = [subprocess.Popen(command, cwd=PROJECT_ROOT, env=os.environ.copy(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [run.communicate(timeout=240) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    sent = [(rcpt[0], message["Subject"]) for rcpt, message in inbox.received]
    assert len(sent) == len(set(sent)) == 7, sent
    totals = sorted(int(out.strip().splitlines()[-1].split()[0]) for out, _ in results)
    assert sum(totals) == 7  # between them, each message was sent by one of the two
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")) == 7
    if pdf_available():  # these processes build the PDF too, when LibreOffice is there
        pre_read = next(m for _, m in inbox.received if m["Subject"].startswith("Pre-read"))
        pdfs = [part.get_content() for part in pre_read.iter_attachments()
                if part.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1 and pdfs[0].startswith(b"%PDF")
