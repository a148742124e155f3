"""The portfolio read from the database (SQLite, and PostgreSQL when configured): each company's row agrees with
that company's own pages for the same month, a session bound to some companies sees no other, and the number of
queries does not grow with the number of companies."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, event, select

import clock
from db.engine import session_scope
from db.import_models import SqlSource
from db.imports import import_history, workspace_catalog
from db.indicators import driver_overrides
from db.ingest import ingest
from db.meetings import next_meeting_date
from db.models import Observation, Workspace
from db.portfolio import portfolio_session, read_portfolio
from db.queries import month_coverage, monthly_data
from db.review import live_snapshot, review_state
from db.review_models import Review
from db.scorecard import scorecard_for_month
from db.sql_sources import sql_sources
from db.workspaces import WorkspaceIn, create_workspace, workspace_by_name
from metrics.coverage import latest_complete_month, without_partial
from metrics.drivers import effective_drivers
from metrics.periods import previous_month
from metrics.portfolio import PortfolioRow, ReviewProgress
from metrics.scorecard import Scorecard
from metrics.status import Rag
from metrics.vanity import vanity_traps
from sample_data.generator import DEMO_COMPANIES
from sample_data.seed import ensure_sample_data
from tests.portfolio_samples import AUG, HARBOUR, NOV, OCT, SEP, SOURCE, add_harbour, monthly_frame

D = dt.date
MONTHS = (NOV, OCT, SEP, AUG, D(2025, 1, 1))
LATE_BEFORE = D(2026, 10, 16)  # a month before the pinned day, 16 Nov 2026


@pytest.fixture
def three_companies(engine: Engine) -> dict[str, int]:
    """The two demo companies and Harbour Tools."""
    ensure_sample_data(engine)
    add_harbour(engine)
    with session_scope(engine) as session:
        return {w.name: w.id for w in session.scalars(select(Workspace))}


def scorecard(engine: Engine, workspace_id: int, month: dt.date) -> Scorecard:
    with session_scope(engine, workspace_id) as session:
        return scorecard_for_month(session, workspace_id, month, catalog=workspace_catalog(session, workspace_id))


def expected_row(engine: Engine, workspace_id: int, month: dt.date) -> dict:
    """The row worked out from the company's own reads: its scorecard, its review, its Output vs outcome traps."""
    today = clock.today()
    card, before = scorecard(engine, workspace_id, month), scorecard(engine, workspace_id, previous_month(month))
    with session_scope(engine, workspace_id) as session:
        catalog = workspace_catalog(session, workspace_id)
        drivers = effective_drivers(catalog, driver_overrides(session, workspace_id))
        data = without_partial(monthly_data(session, workspace_id, catalog=catalog))
        review = session.scalar(select(Review).where(Review.workspace_id == workspace_id, Review.month == month))
        state = review_state(session, workspace_id, month)
        imports = [e.created_at for e in import_history(session, workspace_id) if e.status == "active"]
        gaps = [abs(k.ceo_confidence - k.cmo_confidence) for k in card.kpis
                if k.ceo_confidence is not None and k.cmo_confidence is not None]
        return {
            "statuses": [(k.key, k.label, k.rag) for k in card.kpis],
            "off_track": sum(k.rag == Rag.RED for k in card.kpis),
            "off_track_before": sum(k.rag == Rag.RED for k in before.kpis) if card.kpis else None,
            "overdue": sum(v.overdue for v in live_snapshot(session, workspace_id, month, today).actions),
            "traps": len(vanity_traps(catalog, drivers, data, month)),
            "review": ReviewProgress.NOT_STARTED if review is None else
            ReviewProgress.CLOSED if state.closed else ReviewProgress.OPEN,
            "closed_on": state.closed_at.date() if state.closed else None,
            "next_meeting": next_meeting_date(session, workspace_id, today),
            "latest_complete": latest_complete_month(month_coverage(session, workspace_id)),
            "last_import": max(imports).date() if imports else None,
            "late": sorted(s.name for s in sql_sources(session, workspace_id)
                           if s.refreshed_at is None or s.refreshed_at.date() < LATE_BEFORE),
            "widest_gap": max(gaps, default=None), "disagreements": sum(card.kpi(k.key).disagree for k in card.kpis),
        }


def shown(row: PortfolioRow) -> dict:
    return {"statuses": [(c.key, c.label, c.rag) for c in row.kpis], "off_track": row.off_track,
            "off_track_before": row.off_track_before, "overdue": row.overdue_actions, "traps": row.vanity_traps,
            "review": row.review, "closed_on": row.review_closed_on, "next_meeting": row.next_meeting,
            "latest_complete": row.latest_complete_month, "last_import": row.last_import_on, "late": row.late_sources,
            "widest_gap": row.widest_confidence_gap, "disagreements": row.confidence_disagreements}


def test_each_row_agrees_with_the_companys_own_pages(engine: Engine, three_companies: dict[str, int]) -> None:
    ids = list(three_companies.values())
    demo = read_portfolio(engine, [three_companies[p.name] for p in DEMO_COMPANIES], OCT, clock.today())
    assert sorted(r.name for r in demo) == sorted(p.name for p in DEMO_COMPANIES)
    assert all(r.is_demo and r.has_agreement and r.kpis for r in demo)
    for month in MONTHS:
        rows = read_portfolio(engine, ids, month, clock.today())
        assert [r.name for r in rows] == sorted(three_companies, key=str.casefold)
        for row in rows:
            assert shown(row) == expected_row(engine, row.workspace_id, month), (row.name, month)


def test_harbour_tools_worked_out_by_hand(engine: Engine, three_companies: dict[str, int]) -> None:
    [october] = read_portfolio(engine, [three_companies[HARBOUR]], OCT, clock.today())
    assert [(c.key, c.status_label) for c in october.kpis] == [("revenue", "On track"),
                                                               ("pipeline_created", "Off track"), ("nps", "No data")]
    assert (october.off_track, october.off_track_before, october.off_track_change) == (1, 0, 1)
    assert (october.overdue_actions, october.vanity_traps) == (1, 0)  # impressions drive revenue here, which rose
    assert (october.review, october.next_meeting, october.meeting_moved) == (ReviewProgress.OPEN, D(2026, 12, 2), True)
    assert (october.latest_complete_month, october.late_sources) == (OCT, [SOURCE])
    assert (october.widest_confidence_gap, october.confidence_disagreements) == (3, 1)
    [november] = read_portfolio(engine, [three_companies[HARBOUR]], NOV, clock.today())
    assert [c.status_label for c in november.kpis] == ["Partial month", "No target", "No target"]
    assert (november.off_track, november.off_track_change) == (0, -1)
    assert november.review == ReviewProgress.NOT_STARTED
    assert "Nov 2026 is partial (15 of 30 days)" in november.attention
    [september] = read_portfolio(engine, [three_companies[HARBOUR]], SEP, clock.today())
    assert [c.status_label for c in september.kpis] == ["At risk", "At risk", "No target"]
    assert september.review == ReviewProgress.CLOSED and september.review_closed_on == clock.today()


# --- isolation and the number of queries -----------------------------------------------------------


@pytest.fixture
def small_companies(engine: Engine) -> dict[str, int]:
    """Harbour Tools and two companies with its monthly figures only."""
    ids = {HARBOUR: add_harbour(engine)}
    for name in ("Kestrel", "Lumen"):
        with session_scope(engine) as session:
            ids[name] = create_workspace(session, WorkspaceIn(name=name)).id
        ingest(engine, ids[name], monthly_frame(), source_name="finance.csv")
    return ids


def test_a_session_bound_to_some_companies_sees_no_other(engine: Engine, small_companies: dict[str, int]) -> None:
    kestrel, lumen, harbour = small_companies["Kestrel"], small_companies["Lumen"], small_companies[HARBOUR]
    with portfolio_session(engine, [kestrel, harbour]) as session:
        assert set(session.scalars(select(Observation.workspace_id).distinct())) == {kestrel, harbour}
        assert workspace_by_name(session, "Lumen") is None
        assert session.get(Workspace, lumen) is None
        assert session.scalars(select(SqlSource.name)).all() == [SOURCE]  # Harbour's; Lumen has none either
    [row] = read_portfolio(engine, [kestrel], OCT, clock.today())
    # Harbour's figures with the default driver map: impressions +20% while pipeline fell 12.7%, a trap
    assert (row.name, row.has_agreement, row.attention) == ("Kestrel", False, ["no signed KPI agreement",
                                                                               "1 vanity trap"])


def statements(engine: Engine, run) -> int:  # noqa: ANN001 - a callable
    counted: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:  # noqa: ANN001 - the event's arguments
        counted.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def test_the_queries_do_not_grow_with_the_companies(engine: Engine, small_companies: dict[str, int]) -> None:
    one = statements(engine, lambda: read_portfolio(engine, [small_companies[HARBOUR]], OCT, clock.today()))
    three = statements(engine, lambda: read_portfolio(engine, list(small_companies.values()), OCT, clock.today()))
    assert one == three <= 16
