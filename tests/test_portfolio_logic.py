"""The portfolio's row, worked out by hand: statuses, the change in off-track KPIs, overdue actions, vanity traps,
freshness, confidence gaps, what needs attention, filters and orders, and the text of the table and the CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.drivers import effective_drivers
from metrics.meeting_dates import MeetingRefused, changed_cadence, day_text, next_review_text
from metrics.meetings import Cadence
from metrics.portfolio import (
    CSV_COLUMNS,
    TABLE_COLUMNS,
    CompanyFigures,
    KpiChip,
    PortfolioFilter,
    PortfolioRow,
    PortfolioSort,
    ReviewMark,
    ReviewProgress,
    SqlSourceMark,
    arranged,
    change_text,
    csv_cells,
    fixed_width,
    kpi_chip,
    late_sources,
    months_read,
    one_month_before,
    overdue_actions,
    portfolio_months,
    portfolio_row,
    table_cells,
)
from metrics.review import Action, ActionStatus
from metrics.scorecard import KpiTerms, Votes
from metrics.series import MonthPoint
from metrics.status import Rag
from metrics.vanity import VanityThresholds

D = dt.date
TODAY = D(2026, 11, 16)
OCT, SEP, NOV = D(2026, 10, 1), D(2026, 9, 1), D(2026, 11, 1)
UTC = dt.UTC


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=UTC)


def terms(key: str, **targets: float) -> KpiTerms:
    """A KPI with targets by month name: terms('revenue', oct=100)."""
    months = {"sep": SEP, "oct": OCT, "nov": NOV}
    return KpiTerms(metric_key=key, mandate=Mandate.GROWTH, targets={months[m]: v for m, v in targets.items()})


def points(**values: float | tuple[float, float]) -> dict:
    """Month points by month name; a tuple is (value, coverage)."""
    months = {"may": D(2026, 5, 1), "jun": D(2026, 6, 1), "jul": D(2026, 7, 1), "aug": D(2026, 8, 1), "sep": SEP,
              "oct": OCT, "nov": NOV}
    return {months[m]: MonthPoint(v[0], coverage=v[1]) if isinstance(v, tuple) else MonthPoint(v)
            for m, v in values.items()}


@pytest.mark.parametrize(("month", "limits", "first", "count"), [
    (OCT, VanityThresholds(), D(2026, 5, 1), 6),  # two quarters: the trap's window and the one before
    (OCT, VanityThresholds(months=6), D(2025, 11, 1), 12),
    (D(2026, 1, 1), VanityThresholds(months=1), D(2025, 12, 1), 2),  # a one-month window still needs last month
])
def test_months_read(month: dt.date, limits: VanityThresholds, first: dt.date, count: int) -> None:
    months = months_read(month, limits)
    assert (months[0], months[-1], len(months)) == (first, month, count)


# --- statuses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "data", "kpi", "rag", "label"), [
    ("revenue", {"revenue": points(oct=100)}, terms("revenue", oct=100), Rag.GREEN, "On track"),
    ("revenue", {"revenue": points(oct=95)}, terms("revenue", oct=100), Rag.AMBER, "At risk"),
    ("revenue", {"revenue": points(oct=89)}, terms("revenue", oct=100), Rag.RED, "Off track"),
    ("revenue", {"revenue": points(oct=89)}, terms("revenue", sep=100), Rag.NO_DATA, "No target"),
    ("revenue", {"revenue": points(sep=100)}, terms("revenue", oct=100), Rag.NO_DATA, "No data"),
    ("revenue", {"revenue": points(oct=(40, 0.5))}, terms("revenue", oct=100), Rag.PARTIAL, "Partial month"),
    # lower is better: at risk up to target / 0.9 = 111.1
    ("cac", {"new_customers": points(oct=10), "marketing_spend": points(oct=560), "sales_spend": points(oct=550)},
     terms("cac", oct=100), Rag.AMBER, "At risk"),
    ("cac", {"new_customers": points(oct=10), "marketing_spend": points(oct=570), "sales_spend": points(oct=550)},
     terms("cac", oct=100), Rag.RED, "Off track"),
    # a derived KPI is as partial as its inputs: clicks / impressions with impressions for half the month
    ("ctr", {"clicks": points(oct=50), "impressions": points(oct=(1000, 0.5))}, terms("ctr", oct=0.05), Rag.PARTIAL,
     "Partial month"),
    ("ctr", {"clicks": points(oct=50), "impressions": points(oct=1000)}, terms("ctr", oct=0.05), Rag.GREEN,
     "On track"),
])
def test_kpi_chip(key: str, data: dict, kpi: KpiTerms, rag: Rag, label: str) -> None:
    chip = kpi_chip(STANDARD_CATALOG, kpi, data, OCT)
    assert (chip.key, chip.rag, chip.status_label) == (key, rag, label)


def test_a_kpi_whose_metric_is_gone_shows_no_data() -> None:
    chip = kpi_chip(STANDARD_CATALOG, terms("gone_metric", oct=5), {}, OCT)
    assert (chip.label, chip.rag, chip.status_label) == ("gone_metric", Rag.NO_DATA, "No data")


# --- actions, sources, confidence --------------------------------------------------------------------


def action(number: int, due: dt.date | None, *, created: dt.date = SEP, closed: dt.date | None = None) -> Action:
    return Action(id=number, title=f"Action {number}", due=due, created_month=created, closed_month=closed,
                  status=ActionStatus.DONE if closed else ActionStatus.OPEN)


@pytest.mark.parametrize(("month", "actions", "overdue"), [
    (OCT, [action(1, D(2026, 11, 10))], 1),  # open, due before today
    (OCT, [action(1, D(2026, 11, 16))], 0),  # due today: not late yet
    (OCT, [action(1, D(2026, 11, 20)), action(2, None)], 0),
    (OCT, [action(1, D(2026, 10, 20), closed=OCT)], 0),  # done in October's review
    (OCT, [action(1, D(2026, 11, 1), closed=NOV)], 1),  # still open at October's review, due before it
    (OCT, [action(1, D(2026, 11, 1), created=NOV)], 0),  # agreed after October
    # September's review meets in October: lateness counts to 31 Oct, not today
    (SEP, [action(1, D(2026, 10, 20)), action(2, D(2026, 11, 10))], 1),
])
def test_overdue_actions(month: dt.date, actions: list[Action], overdue: int) -> None:
    assert overdue_actions(actions, month, TODAY) == overdue


@pytest.mark.parametrize(("day", "expected"), [
    (D(2026, 11, 16), D(2026, 10, 16)), (D(2027, 3, 31), D(2027, 2, 28)), (D(2028, 3, 31), D(2028, 2, 29)),
    (D(2027, 1, 15), D(2026, 12, 15)),
])
def test_one_month_before(day: dt.date, expected: dt.date) -> None:
    assert one_month_before(day) == expected


def test_sql_sources_not_refreshed_for_more_than_a_month_are_late() -> None:
    sources = [SqlSourceMark("exactly a month", at(D(2026, 1, 1)), at(D(2026, 10, 16))),
               SqlSourceMark("a day more", at(D(2026, 1, 1)), at(D(2026, 10, 15))),
               SqlSourceMark("never run, added long ago", at(D(2026, 10, 1))),
               SqlSourceMark("never run, just added", at(D(2026, 11, 1)))]
    assert late_sources(sources, TODAY) == ["a day more", "never run, added long ago"]


# --- the whole row --------------------------------------------------------------------------------------


def figures(**changes: object) -> CompanyFigures:
    """Bloom-like figures: revenue on track, pipeline off track (and at risk in September), votes 5 and 2 on
    revenue; impressions up 20% over the quarter while pipeline fell 10%: one vanity trap."""
    data = {"revenue": points(sep=100, oct=110), "impressions": points(may=100, jun=100, jul=100, aug=120, sep=120,
                                                                        oct=120),
            "pipeline_created": points(may=100, jun=100, jul=100, aug=90, sep=92, oct=80)}
    base = {"workspace_id": 7, "name": "Harbour Tools", "month": OCT, "catalog": STANDARD_CATALOG,
            "drivers": effective_drivers(STANDARD_CATALOG), "data": data,
            "coverage": {SEP: 1.0, OCT: 1.0, NOV: 0.5}, "cadence": Cadence(),
            "kpis": [terms("revenue", sep=100, oct=100), terms("pipeline_created", sep=100, oct=100)],
            "votes": {"revenue": Votes(ceo=5, cmo=2), "pipeline_created": Votes(ceo=3, cmo=3),
                      "nps": Votes(ceo=1, cmo=5)},  # NPS is not agreed: its votes do not count
            "review": ReviewMark(closed=True, closed_at=at(D(2026, 11, 6))),
            "actions": [action(1, D(2026, 11, 3)), action(2, D(2026, 12, 1))],
            "last_import_at": at(D(2026, 11, 2)),
            "sql_sources": [SqlSourceMark("Finance", at(D(2026, 1, 1)), at(D(2026, 9, 30)))]}
    return CompanyFigures(**{**base, **changes})


def test_the_row_of_a_company() -> None:
    row = portfolio_row(figures(), TODAY)
    assert [(c.key, c.rag) for c in row.kpis] == [("revenue", Rag.GREEN), ("pipeline_created", Rag.RED)]
    assert (row.off_track, row.off_track_before, row.off_track_change) == (1, 0, 1)  # September: 92 of 100, at risk
    assert (row.review, row.review_closed_on) == (ReviewProgress.CLOSED, D(2026, 11, 6))
    assert (row.next_meeting, row.meeting_moved) == (D(2026, 12, 8), False)
    assert (row.overdue_actions, row.vanity_traps) == (1, 1)
    assert (row.latest_complete_month, row.last_import_on, row.late_sources) == (OCT, D(2026, 11, 2), ["Finance"])
    assert (row.widest_confidence_gap, row.confidence_disagreements) == (3, 1)
    assert row.attention == ["1 KPI off track", "1 overdue action", "1 vanity trap", "CEO and CMO disagree on 1 KPI",
                             "1 SQL source late"]


def test_a_partial_month_is_neither_judged_nor_a_trap() -> None:
    """November's impressions cover half the month: the vanity trap compares whole months only, and the KPIs of a
    partial month are 'partial month'."""
    data = {"revenue": points(oct=110, nov=(50, 0.5)),
            "impressions": points(aug=100, sep=100, oct=100, nov=(60, 0.5)),
            "pipeline_created": points(aug=100, sep=100, oct=100, nov=(30, 0.5))}
    row = portfolio_row(figures(month=NOV, data=data, kpis=[terms("revenue", oct=100, nov=100)], review=None), TODAY)
    assert [c.status_label for c in row.kpis] == ["Partial month"]
    assert (row.off_track, row.off_track_before, row.vanity_traps) == (0, 0, 0)
    assert row.review == ReviewProgress.NOT_STARTED
    assert "Nov 2026 is partial (15 of 30 days)" in row.attention


def test_a_company_without_an_agreement() -> None:
    row = portfolio_row(figures(kpis=[], votes={}, actions=[], sql_sources=[], data={}), TODAY)
    assert (row.kpis, row.off_track, row.off_track_before, row.off_track_change) == ([], 0, None, None)
    assert (row.widest_confidence_gap, row.confidence_disagreements) == (None, 0)
    assert row.attention == ["no signed KPI agreement"]
    assert csv_cells(row)[CSV_COLUMNS.index("off_track_change")] == ""


def test_a_moved_meeting() -> None:
    row = portfolio_row(figures(cadence=Cadence(next_override=D(2026, 12, 10))), TODAY)
    assert (row.next_meeting, row.meeting_moved) == (D(2026, 12, 10), True)
    assert table_cells(row)[TABLE_COLUMNS.index("Next meeting")] == "Thu 10 Dec 2026 (moved)"


# --- text -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "text"), [(None, "n/a"), (0, "±0"), (1, "+1"), (-2, "−2")])
def test_change_text(change: int | None, text: str) -> None:
    assert change_text(change) == text


def test_the_table_and_the_csv_say_the_same() -> None:
    row = portfolio_row(figures(), TODAY)
    cells = dict(zip(TABLE_COLUMNS, table_cells(row), strict=True))
    assert cells == {
        "Company": "Harbour Tools", "KPIs": "1 on track, 1 off track", "Off track": "1 (+1)",
        "Review": "closed on 6 Nov 2026", "Next meeting": "Tue 8 Dec 2026", "Overdue": "1", "Traps": "1",
        "Data": "Oct 2026 complete · imported 2 Nov 2026 · 1 SQL source late: Finance",
        "Confidence": "widest gap 3 · 1 KPI at 2 or more",
        "Needs attention": "1 KPI off track; 1 overdue action; 1 vanity trap; CEO and CMO disagree on 1 KPI; "
                           "1 SQL source late"}
    assert dict(zip(CSV_COLUMNS, csv_cells(row), strict=True)) == {
        "company": "Harbour Tools", "month": "2026-10", "kpis": "Revenue: on track; Pipeline created: off track",
        "on_track": 1, "at_risk": 0, "off_track": 1, "off_track_change": 1, "partial": 0, "no_target": 0,
        "no_data": 0, "review": "closed", "review_closed_on": "2026-11-06", "next_meeting": "2026-12-08",
        "meeting_moved": "no", "overdue_actions": 1, "vanity_traps": 1, "latest_complete_month": "2026-10",
        "last_import": "2026-11-02", "late_sql_sources": "Finance", "widest_confidence_gap": 3,
        "confidence_gaps_of_2_or_more": 1,
        "attention": "1 KPI off track; 1 overdue action; 1 vanity trap; CEO and CMO disagree on 1 KPI; "
                     "1 SQL source late"}


def test_the_fixed_width_table_lines_up() -> None:
    rows = [portfolio_row(figures(), TODAY), portfolio_row(figures(workspace_id=8, name="A" * 60), TODAY)]
    lines = fixed_width(rows, widest=30).splitlines()
    assert lines[0].startswith("Company") and set(lines[1].replace(" ", "")) == {"-"}
    starts = [line.index("1 on track") for line in lines[2:]]
    assert starts[0] == starts[1] == lines[0].index("KPIs")
    assert lines[3].startswith("A" * 29 + "…")


# --- choosing and ordering ------------------------------------------------------------------------------


def row(name: str, *statuses: Rag, attention: int = 0, overdue: int = 0, meeting: int = 8,
        agreement: bool = True) -> PortfolioRow:
    return PortfolioRow(
        workspace_id=len(name), name=name, month=OCT, has_agreement=agreement,
        kpis=[KpiChip(key=f"k{i}", label=f"K{i}", rag=s) for i, s in enumerate(statuses)],
        off_track=sum(s == Rag.RED for s in statuses), off_track_before=0, review=ReviewProgress.OPEN,
        next_meeting=D(2026, 12, meeting), cadence="", overdue_actions=overdue, vanity_traps=0,
        latest_complete_month=OCT, last_import_on=None, late_sources=[], widest_confidence_gap=None,
        confidence_disagreements=0, attention=[f"reason {i}" for i in range(attention)])


ROWS = [row("Calm", Rag.GREEN, Rag.GREEN, meeting=3), row("Busy", Rag.RED, Rag.RED, Rag.AMBER, attention=2),
        row("Late", Rag.GREEN, Rag.AMBER, attention=2, overdue=3, meeting=1), row("new", agreement=False, attention=1)]


@pytest.mark.parametrize(("chosen", "order", "names"), [
    (PortfolioFilter.ALL, PortfolioSort.ATTENTION, ["Busy", "Late", "new", "Calm"]),  # Busy: more off track
    (PortfolioFilter.ALL, PortfolioSort.NAME, ["Busy", "Calm", "Late", "new"]),  # letter case aside
    (PortfolioFilter.ALL, PortfolioSort.NEXT_MEETING, ["Late", "Calm", "Busy", "new"]),
    (PortfolioFilter.ALL, PortfolioSort.OFF_TRACK, ["Busy", "Calm", "Late", "new"]),
    (PortfolioFilter.ATTENTION, PortfolioSort.NAME, ["Busy", "Late", "new"]),
    (PortfolioFilter.OFF_TRACK, PortfolioSort.NAME, ["Busy"]),
    (PortfolioFilter.AT_RISK, PortfolioSort.NAME, ["Busy", "Late"]),
    (PortfolioFilter.ON_TRACK, PortfolioSort.NAME, ["Calm"]),
    (PortfolioFilter.NO_AGREEMENT, PortfolioSort.NAME, ["new"]),
])
def test_filters_and_orders(chosen: PortfolioFilter, order: PortfolioSort, names: list[str]) -> None:
    assert [r.name for r in arranged(ROWS, chosen, order)] == names


def test_the_months_of_the_portfolio() -> None:
    """A month is partial for the portfolio only when no company has it whole."""
    coverage = {1: {SEP: 1.0, OCT: 0.4}, 2: {OCT: 1.0, NOV: 0.5}, 3: {NOV: 0.3}}
    assert portfolio_months(coverage) == {SEP: 1.0, OCT: 1.0, NOV: 0.5}


# --- meeting dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cadence", "text"), [
    (Cadence(), "Next review: Tue 8 Dec 2026 (the second Tuesday of each month)"),
    (Cadence(weekday=3, week=-1), "Next review: Thu 26 Nov 2026 (the last Thursday of each month)"),
    (Cadence(next_override=D(2026, 12, 10)),
     "Next review: Thu 10 Dec 2026 (moved from Tue 8 Dec 2026; usually the second Tuesday of each month)"),
    (Cadence(next_override=D(2026, 11, 1)), "Next review: Tue 8 Dec 2026 (the second Tuesday of each month)"),
    (Cadence(next_override=D(2026, 12, 8)), "Next review: Tue 8 Dec 2026 (the second Tuesday of each month)"),
])
def test_next_review_text(cadence: Cadence, text: str) -> None:
    assert next_review_text(cadence, TODAY) == text


def test_changing_the_cadence_keeps_the_pre_read_and_refuses_a_past_day() -> None:
    current = Cadence(pre_read_days=5)
    changed = changed_cadence(current, weekday=3, week=-1, moved_to=D(2026, 12, 3), today=TODAY)
    assert changed == Cadence(weekday=3, week=-1, pre_read_days=5, next_override=D(2026, 12, 3))
    with pytest.raises(MeetingRefused, match="Sun 15 Nov 2026: that day has passed. Choose Mon 16 Nov 2026 or later"):
        changed_cadence(current, weekday=1, week=2, moved_to=D(2026, 11, 15), today=TODAY)
    assert day_text(D(2027, 1, 5)) == "Tue 5 Jan 2027"
    assert changed_cadence(current, weekday=1, week=2, moved_to=None, today=TODAY, pre_read_days=2).pre_read_days == 2
    with pytest.raises(MeetingRefused, match="0 to 14 days before the meeting, not 15"):
        changed_cadence(current, weekday=1, week=2, moved_to=None, today=TODAY, pre_read_days=15)
