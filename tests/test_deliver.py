"""The scheduled delivery against a real SMTP server on 127.0.0.1, on SQLite and on PostgreSQL: who receives
what, the parts and the attached deck, once per person and month (also when two runs race), preferences,
share-safe mail, digested alerts, the final pack, and a dry run that writes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, func, select

from db import schedule
from db.access import SINGLE_USER
from db.base import Base
from db.delivery import MailChoices, deliveries, save_mail_choices, set_share_safe_mail
from db.engine import session_scope, write_scope
from db.queries import monthly_data
from db.review import close_month
from db.service import import_file, open_scope
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG, Unit
from metrics.formatting import compact, format_value
from reports.board_pack import slide_titles
from reports.smtp import mail_server
from tests.mail_fixtures import (
    APP_URL,
    MEETING,
    PEOPLE,
    TODAY,
    Inbox,
    attached,
    build_company,
    deck_text_and_values,
    import_figures,
    parts,
    smtp_server,
)

CEO, CMO, ADVISOR, CONTRIBUTOR, BOARD = (PEOPLE[r] for r in ("ceo", "cmo", "advisor", "contributor", "board"))
PRE_READ = "Pre-read: Test Co, review of Oct 2026 on Wed 18 Nov"


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice takes seconds per deck; the PDF has a test of its own."""
    monkeypatch.setattr(schedule, "pdf_available", lambda: False)


@pytest.fixture
def company(engine: Engine, workspace_id: int) -> int:
    return build_company(engine, workspace_id)


def deliver(engine: Engine, today: dt.date = TODAY, dry_run: bool = False) -> schedule.Report:
    return schedule.run(engine, today, dry_run=dry_run, server=mail_server(), app_url=APP_URL)


def subjects(inbox: Inbox, address: str) -> list[str]:
    return [m["Subject"] for m in inbox.to(address)]


# --- The pre-read ---------------------------------------------------------------------------------


def test_the_pre_read_reaches_everyone_but_the_board_with_its_parts_and_deck(engine: Engine, company: int,
                                                                            inbox: Inbox) -> None:
    report = deliver(engine)
    assert not report.problems, report.problems
    pre_reads = {address for address in PEOPLE.values() if PRE_READ in subjects(inbox, address)}
    assert pre_reads == {CEO, CMO, ADVISOR, CONTRIBUTOR}  # the board waits for the final pack
    [message] = [m for m in inbox.to(CEO) if m["Subject"] == PRE_READ]
    text, html = parts(message)
    assert "The review of Oct 2026 for Test Co meets on Wednesday 18 November 2026." in text
    assert "Revenue  €1.23M  €1.5M   82%          Off track  Dana (CEO)" in text
    assert "Off track: Revenue: 82% of target; 4 month(s) at this status." in text
    assert "Vanity trap: Impressions up, Revenue not: Impressions rose 16% over the last quarter while revenue " \
           "fell 5.8%" in text
    assert f"Cast your confidence votes on the scorecard: {APP_URL}/scorecard?client=test-co" in text
    assert "Maria &lt;b&gt;Lopez&lt;/b&gt; (CMO)" in html and "Maria <b>Lopez</b> (CMO)" in text
    [(name, deck)] = attached(message).items()
    assert name == "test-co-board-pack-2026-10-DRAFT.pptx"
    titles = slide_titles(deck)
    brand = titles.index("Scorecard · Brand (the meaning)")  # the full board pack, not a scorecard alone
    assert titles[0] == "Test Co" and titles[brand + 1] == "Scorecard · Growth (the math)" and len(titles) > brand + 2
    deck_text, _ = deck_text_and_values(deck)
    assert "DRAFT" in deck_text and "€1.23M" in deck_text
    [for_contributor] = [m for m in inbox.to(CONTRIBUTOR) if m["Subject"] == PRE_READ]
    assert "See the scorecard" in parts(for_contributor)[0] and "confidence votes" not in parts(for_contributor)[0]


def test_a_second_run_and_two_runs_at_once_send_each_message_once(engine: Engine, company: int,
                                                                  inbox: Inbox) -> None:
    start = threading.Barrier(2)

    def racing() -> None:
        start.wait()
        deliver(engine)

    runs = [threading.Thread(target=racing) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    deliver(engine)  # and once more, afterwards
    sent = [(rcpt[0], message["Subject"]) for rcpt, message in inbox.received]
    assert len(sent) == len(set(sent)) == 4 + 3  # four pre-reads, three alert digests
    with session_scope(engine) as session:
        log = deliveries(session, company)
    assert sorted((line.recipient, line.kind.value, line.status) for line in log) == sorted(
        [(p, "pre_read", "sent") for p in (CEO, CMO, ADVISOR, CONTRIBUTOR)]
        + [(p, "alerts", "sent") for p in (CEO, CMO, ADVISOR)])


def test_each_person_gets_only_the_kinds_they_kept(engine: Engine, company: int, inbox: Inbox) -> None:
    with write_scope(engine, company) as session:
        save_mail_choices(session, company, CEO, MailChoices(alerts=False))
        save_mail_choices(session, company, CONTRIBUTOR, MailChoices(pre_read=False))
    deliver(engine)
    assert subjects(inbox, CEO) == [PRE_READ]
    assert subjects(inbox, CONTRIBUTOR) == []
    assert sorted(subjects(inbox, CMO)) == sorted([PRE_READ, "Test Co: 2 alerts on 16 Nov 2026"])


# --- Share-safe mail ------------------------------------------------------------------------------


def company_amounts(engine: Engine, workspace_id: int) -> tuple[set[str], set[float]]:
    """Every amount of money the company has, as the app writes it (with and without the symbol) and as a number."""
    with session_scope(engine) as session:
        data = monthly_data(session, workspace_id)
    values = {point.value for key, points in data.items() if STANDARD_CATALOG[key].unit == Unit.CURRENCY
              for point in points.values()} | {1_500_000.0}  # and the revenue target
    texts = {format_value(v, Unit.CURRENCY, "EUR") for v in values} | {compact(v) for v in values}
    texts |= {f"{v:,.0f}" for v in values} | {f"{v:.0f}" for v in values}
    return texts, values


def test_share_safe_mail_carries_no_amount_in_text_html_or_deck(engine: Engine, company: int, inbox: Inbox) -> None:
    with write_scope(engine, company) as session:
        set_share_safe_mail(session, company, True)
    deliver(engine)
    amounts, values = company_amounts(engine, company)
    assert "€1.23M" in amounts and 1_234_567.0 in values  # the scan looks for what the app would show
    assert len(inbox.received) == 7
    for _, message in inbox.received:
        text, html = parts(message)
        found = [a for a in amounts if a in text or a in html]
        assert not found, (message["Subject"], found)
        for deck in attached(message).values():
            deck_text, chart_values = deck_text_and_values(deck)
            assert not [a for a in amounts if a in deck_text]
            assert chart_values and not set(chart_values) & values
    text, _ = parts(inbox.to(CEO)[0])
    assert "amounts of money are hidden" in text and "82%" in text


# --- Alerts ---------------------------------------------------------------------------------------


def test_alerts_are_one_digest_per_person_and_day_and_only_news(engine: Engine, company: int,
                                                                inbox: Inbox) -> None:
    deliver(engine)
    [digest] = [m for m in inbox.to(ADVISOR) if m["Subject"] != PRE_READ]
    assert digest["Subject"] == "Test Co: 2 alerts on 16 Nov 2026"
    text, _ = parts(digest)
    assert ("- Off track: Revenue. €1.23M against a target of €1.5M in Oct 2026 (82% of target); 4 month(s) at "
            "this status. Owner: Dana (CEO).") in text
    assert "- Vanity trap: Impressions up, Revenue not." in text
    assert {rcpt[0] for rcpt, m in inbox.received if "alerts" in m["Subject"]} == {CEO, CMO, ADVISOR}
    inbox.received.clear()

    deliver(engine)  # the same day again
    deliver(engine, TODAY + dt.timedelta(days=1))  # nothing changed the next day
    assert inbox.received == []

    import_figures(engine, company, october_revenue=1_600_000)  # revenue back on track: cleared, no mail
    deliver(engine, TODAY + dt.timedelta(days=2))
    assert inbox.received == []

    import_figures(engine, company)  # and off track again: news again
    deliver(engine, TODAY + dt.timedelta(days=3))
    [again] = inbox.to(CEO)
    assert again["Subject"] == "Test Co: 1 alert on 19 Nov 2026"
    assert "Off track: Revenue. €1.23M against a target of €1.5M" in parts(again)[0]


def test_an_import_refused_at_write_time_is_alerted(engine: Engine, company: int, inbox: Inbox) -> None:
    deliver(engine)
    inbox.received.clear()
    table = read_file("finance.csv", b"date,revenue\n2026-10-01,12x\n2026-11-01,13\n")
    scope = open_scope(SINGLE_USER, company, single_user=True)
    outcome = import_file(scope, table, suggest(table, STANDARD_CATALOG), typed_name="Sam")
    assert not outcome.accepted
    deliver(engine, TODAY + dt.timedelta(days=1))
    [digest] = inbox.to(CMO)
    text, _ = parts(digest)
    assert digest["Subject"] == "Test Co: 1 alert on 17 Nov 2026"
    assert "Failed imports" in text and "Import failed: finance.csv." in text
    assert ("- Import failed: finance.csv. 1 problem stopped the import of finance.csv (source 'finance') by Sam "
            "(unverified — sign-in is off); nothing was imported. Row 2, column 'revenue': not a number: '12x'") in text


# --- The final pack -------------------------------------------------------------------------------


def test_once_the_month_is_closed_its_final_pack_goes_to_the_board_too(engine: Engine, company: int,
                                                                        inbox: Inbox) -> None:
    with session_scope(engine) as session:
        close_month(session, company, dt.date(2026, 10, 1), "Dana (CEO)",
                    at=dt.datetime.combine(MEETING, dt.time(10), tzinfo=dt.UTC))
    deliver(engine, MEETING + dt.timedelta(days=1))
    final = "Board pack: Test Co, Oct 2026 (final)"
    assert {rcpt[0] for rcpt, m in inbox.received if m["Subject"] == final} == {CEO, CMO, ADVISOR, BOARD}
    assert not [m for _, m in inbox.received if m["Subject"].startswith("Pre-read")]  # closed: no pre-read
    [message] = inbox.to(BOARD)
    [(name, deck)] = attached(message).items()
    assert name == "test-co-board-pack-2026-10.pptx"
    deck_text, _ = deck_text_and_values(deck)
    assert "DRAFT" not in deck_text and "Closed review · Dana (CEO) · 18 Nov 2026" in deck_text
    assert "was closed by Dana (CEO) on 18 November 2026" in parts(message)[0]


# --- The dry run ----------------------------------------------------------------------------------


def every_row_count(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_the_dry_run_says_what_it_would_send_to_whom_and_writes_nothing(engine: Engine, company: int,
                                                                        inbox: Inbox) -> None:
    before = every_row_count(engine)
    report = deliver(engine, dry_run=True)
    assert every_row_count(engine) == before and inbox.received == []
    assert report.lines == [
        "Test Co: would send the pre-read of Oct 2026 (with the draft board pack) to advisor@test.co, ceo@test.co, "
        "cmo@test.co, contributor@test.co.",
        "Test Co: would send the alerts of 16 Nov 2026 (1 KPI off track, 1 vanity trap) to advisor@test.co, "
        "ceo@test.co, cmo@test.co.",
    ]
    deliver(engine)
    assert deliver(engine, dry_run=True).lines == []  # everything due has gone


# --- The mail server ------------------------------------------------------------------------------


def test_a_mail_server_that_is_down_fails_plainly_and_the_next_run_sends(engine: Engine, company: int,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.mail_fixtures import free_port

    monkeypatch.setenv("ALIGNBOARD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ALIGNBOARD_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("ALIGNBOARD_SMTP_TLS", "none")
    monkeypatch.setenv("ALIGNBOARD_SMTP_SENDER", "review@alignboard.test")
    report = deliver(engine)
    assert report.sent == 0 and len(report.problems) == 7
    assert "Could not reach the mail server at 127.0.0.1:" in report.problems[0]
    with session_scope(engine) as session:
        assert {line.status for line in deliveries(session, company)} == {"failed"}
    with smtp_server(monkeypatch) as inbox:
        assert deliver(engine).sent == 7
        assert len(inbox.received) == 7
    with session_scope(engine) as session:
        assert {(line.status, line.attempts) for line in deliveries(session, company)} == {("sent", 2)}
