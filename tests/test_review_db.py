"""The review in the database (SQLite, and PostgreSQL when configured): actions carried over, closing,
reopening, and snapshots that later data never changes."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation
from sqlalchemy import func, select

from db.engine import session_scope, write_scope
from db.ingest import ingest
from db.review import (
    ActionIn,
    NoteIn,
    ReviewError,
    add_action,
    add_note,
    all_actions,
    close_month,
    closed_months,
    live_snapshot,
    reopen_month,
    review_state,
    set_action_status,
)
from db.review_models import ActionItem, ReviewNote
from db.scorecard import save_commentary, save_draft, sign_agreement
from db.workspaces import WorkspaceIn, create_workspace
from metrics.agreement import Role
from metrics.catalog import Mandate
from metrics.review import ActionStatus, snapshot_differences
from metrics.scorecard import KpiTerms
from metrics.status import Rag
from reports.board_pack import build_board_pack

JUL, AUG, SEP, OCT = (dt.date(2026, m, 1) for m in (7, 8, 9, 10))
TODAY = dt.date(2026, 10, 20)


def figures(revenue: tuple[float, float, float] = (800, 900, 1000)) -> pd.DataFrame:
    rows = []
    for month, rev, bookings, mqls in zip((JUL, AUG, SEP), revenue, (300, 320, 340), (100, 110, 120), strict=True):
        rows += [(month, "revenue", rev), (month, "new_bookings", bookings), (month, "mqls", mqls)]
    return pd.DataFrame(rows, columns=["date", "metric", "value"]).assign(date=lambda f: f["date"].astype(str))


def agree(engine, workspace_id: int) -> None:  # noqa: ANN001
    """Agreement v1: revenue 1000, bookings 350 a month (growth); MQLs 100 a month (brand)."""
    months = (JUL, AUG, SEP)
    kpis = [KpiTerms(metric_key="revenue", mandate=Mandate.GROWTH, owner_name="Dana", owner_role="CEO",
                     targets=dict.fromkeys(months, 1000.0)),
            KpiTerms(metric_key="new_bookings", mandate=Mandate.GROWTH, owner_name="Maria", owner_role="CMO",
                     targets=dict.fromkeys(months, 350.0)),
            KpiTerms(metric_key="mqls", mandate=Mandate.BRAND, owner_name="Maria", owner_role="CMO",
                     targets=dict.fromkeys(months, 100.0))]
    with session_scope(engine) as session:
        draft = save_draft(session, workspace_id, kpis, based_on=None, by="Dana")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, "Dana")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, "Maria")


@pytest.fixture
def company(engine, workspace_id) -> int:  # noqa: ANN001
    ingest(engine, workspace_id, figures(), source_name="Finance export", today=TODAY)
    agree(engine, workspace_id)
    return workspace_id


def count(engine, table) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


def test_an_action_is_carried_over_until_it_is_closed(engine, company) -> None:
    with session_scope(engine) as session:
        made = add_action(session, company, AUG, ActionIn(title="  Fix the lead definition ", owner="Maria",
                                                          due=dt.date(2026, 9, 15), kpi_key="new_bookings"))
    assert made.title == "Fix the lead definition" and made.created_month == AUG
    with session_scope(engine) as session:
        september = live_snapshot(session, company, SEP, today=TODAY).actions
    assert [(v.action.id, v.carried_over, v.overdue) for v in september] == [(made.id, True, True)]
    with session_scope(engine) as session:
        set_action_status(session, company, made.id, ActionStatus.DONE, SEP)
    with session_scope(engine) as session:
        september = live_snapshot(session, company, SEP, today=TODAY).actions
        october = live_snapshot(session, company, OCT, today=TODAY).actions
        stored = all_actions(session, company)[0]
    assert [(v.open_in_month, v.overdue) for v in september] == [(False, False)]  # done in September's review
    assert october == []
    assert (stored.status, stored.closed_month) == (ActionStatus.DONE, SEP)


def test_a_closed_month_refuses_notes_and_actions(engine, company) -> None:
    with session_scope(engine) as session:
        made = add_action(session, company, AUG, ActionIn(title="Brief the agency"))
        close_month(session, company, AUG, "Dana")
    notes, actions = count(engine, ReviewNote), count(engine, ActionItem)
    attempts = [
        lambda s: add_note(s, company, AUG, NoteIn(item_key="scorecard", kind="note", text="late")),
        lambda s: add_action(s, company, AUG, ActionIn(title="late")),
        lambda s: set_action_status(s, company, made.id, ActionStatus.DONE, AUG),
    ]
    for attempt in attempts:
        with pytest.raises(ReviewError, match="closed. Reopen it"), session_scope(engine) as session:
            attempt(session)
    assert (count(engine, ReviewNote), count(engine, ActionItem)) == (notes, actions)


def test_another_workspace_cannot_touch_an_action(engine, company) -> None:
    with session_scope(engine) as session:
        made = add_action(session, company, AUG, ActionIn(title="Ours"))
        other = create_workspace(session, WorkspaceIn(name="Other Co")).id
    with pytest.raises(ReviewError, match="no longer exists"), session_scope(engine) as session:
        set_action_status(session, other, made.id, ActionStatus.DONE, SEP)


def test_closing_and_reopening_are_explicit_and_recorded(engine, company) -> None:
    with session_scope(engine) as session:
        close_month(session, company, SEP, "Dana Kim (CEO)", at=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC))
    with pytest.raises(ReviewError, match="already closed"), session_scope(engine) as session:
        close_month(session, company, SEP, "Maria")
    with pytest.raises(ReviewError, match="needs your name and a reason"), session_scope(engine) as session:
        reopen_month(session, company, SEP, "Maria", "  ")
    with pytest.raises(ReviewError, match="is not closed"), session_scope(engine) as session:
        reopen_month(session, company, AUG, "Maria", "typo")
    with session_scope(engine) as session:
        assert closed_months(session, company) == [SEP]
        reopen_month(session, company, SEP, "Maria Lopez (CMO)", "Finance restated September revenue")
        state = review_state(session, company, SEP)
    assert (state.closed, state.snapshot) == (False, None)
    assert [(e.kind, e.by, e.reason) for e in state.events] == [
        ("closed", "Dana Kim (CEO)", ""), ("reopened", "Maria Lopez (CMO)", "Finance restated September revenue")]
    with session_scope(engine) as session:
        close_month(session, company, SEP, "Dana Kim (CEO)")
        assert [e.kind for e in review_state(session, company, SEP).events] == ["closed", "reopened", "closed"]


def test_two_people_closing_at_once_one_wins_cleanly(engine, company) -> None:
    with session_scope(engine) as page:
        assert not review_state(page, company, SEP).closed  # the second person has the open page in front of them
    with write_scope(engine, company) as first:
        close_month(first, company, SEP, "Dana")
    with pytest.raises(ReviewError, match="already closed"), write_scope(engine, company) as late:
        close_month(late, company, SEP, "Maria")
    with session_scope(engine) as session:
        state = review_state(session, company, SEP)
    assert state.closed_by == "Dana" and [e.by for e in state.events] == ["Dana"]


def test_the_snapshot_holds_the_scorecard_one_view_notes_and_actions(engine, company) -> None:
    with session_scope(engine) as session:
        add_note(session, company, SEP, NoteIn(item_key="decisions", kind="decision", text="Hold the budget",
                                               author="Dana"))
        add_action(session, company, SEP, ActionIn(title="Report pipeline by channel", owner="Maria"))
        save_commentary(session, company, "revenue", SEP, "Two renewals slipped to October.", author="Dana",
                        expected_version=None)
        frozen = close_month(session, company, SEP, "Dana", at=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC))
    assert frozen.agreement == "Agreement v1" and frozen.closed_by == "Dana"
    revenue, bookings, mqls = (frozen.kpi(k) for k in ("revenue", "new_bookings", "mqls"))
    assert (revenue.actual, revenue.target, revenue.rag, revenue.pct_of_target) == (1000, 1000, Rag.GREEN, 1.0)
    assert (bookings.actual, bookings.variance, bookings.rag) == (340, -10, Rag.AMBER)  # 97% of target
    assert mqls.mandate == Mandate.BRAND and mqls.rag == Rag.GREEN and mqls.streak == 3
    assert revenue.commentary == "Two renewals slipped to October." and revenue.owner == "Dana (CEO)"
    card = next(c for c in frozen.cards if c.key == "revenue")
    assert (card.value, card.target, card.rag, card.change_month) == (1000, 1000, Rag.GREEN, "+11.1%")
    assert [n.text for n in frozen.notes] == ["Hold the budget"]
    assert [v.action.title for v in frozen.actions] == ["Report pipeline by channel"]


def test_later_data_never_changes_a_closed_review(engine, company) -> None:
    with session_scope(engine) as session:
        close_month(session, company, SEP, "Dana")
    # Finance restates September and someone edits the commentary after the meeting.
    ingest(engine, company, figures(revenue=(800, 900, 1200)), source_name="Finance export", today=TODAY)
    with session_scope(engine) as session:
        save_commentary(session, company, "revenue", SEP, "Restated.", author="Maria", expected_version=None)
        frozen = review_state(session, company, SEP).snapshot
        live = live_snapshot(session, company, SEP, today=TODAY)
    assert frozen.kpi("revenue").actual == 1000 and frozen.kpi("revenue").commentary == ""
    assert live.kpi("revenue").actual == 1200
    changes = {(d.item, d.field): (d.frozen, d.live) for d in snapshot_differences(frozen, live)}
    assert changes[("Revenue", "actual")] == ("€1K", "€1.2K")
    assert changes[("Revenue", "commentary")] == ("", "Restated.")
    assert changes[("Revenue", "One View value")] == ("€1K", "€1.2K")
    deck = Presentation(io.BytesIO(build_board_pack(frozen, draft=False)))
    revenue_chart = next(shape.chart for shape in deck.slides[5].shapes if shape.has_chart)
    assert deck.slides[5].shapes.title.text == "Revenue · Growth (the math)"
    assert revenue_chart.plots[0].series[0].values[-1] == 1000
