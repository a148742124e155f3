"""Partial months: a month the figures cover only in part is marked, and left out of comparisons by default."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG
from metrics.coverage import (
    MonthCoverage,
    coverage_of,
    inferred_coverage,
    latest_complete_month,
    partial_label,
    span_coverage,
    whole_months,
    without_partial,
)
from metrics.one_view import band_figures, card_figures, not_tracked
from metrics.scorecard import KpiFigures, KpiTerms, kpi_line
from metrics.series import MonthPoint
from metrics.status import Rag
from metrics.summary import month_summary

AUG, SEP = dt.date(2021, 8, 1), dt.date(2021, 9, 1)


def d(year: int, month: int, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(("first", "last", "today", "expected"), [
    (d(2021, 1, 4), d(2021, 3, 31), None, [(d(2021, 1), 28, 31), (d(2021, 2), 28, 28), (d(2021, 3), 31, 31)]),
    (d(2021, 8, 30), d(2021, 9, 5), None, [(d(2021, 8), 2, 31), (d(2021, 9), 5, 30)]),
    (d(2024, 2, 1), d(2024, 2, 29), None, [(d(2024, 2), 29, 29)]),
    (d(2026, 10, 1), d(2026, 11, 30), d(2026, 11, 16), [(d(2026, 10), 31, 31), (d(2026, 11), 16, 30)]),
    (d(2026, 12, 1), d(2026, 12, 31), d(2026, 11, 16), []),
])
def test_span_coverage_counts_the_days_of_each_month(first: dt.date, last: dt.date, today: dt.date | None,
                                                      expected: list[tuple[dt.date, int, int]]) -> None:
    assert span_coverage(first, last, today) == [MonthCoverage(*e) for e in expected]


def test_whole_months_except_the_one_still_running() -> None:
    assert whole_months([d(2026, 10), d(2026, 11)], today=d(2026, 11, 16)) == [
        MonthCoverage(d(2026, 10), 31, 31), MonthCoverage(d(2026, 11), 16, 30)]


def test_coverage_is_inferred_from_the_dates_when_the_rows_bring_none() -> None:
    import pandas as pd

    frame = pd.DataFrame({"date": ["2021-08-30", "2021-09-05", "2021-08-01", "2021-09-01"],
                          "metric": ["clicks", "clicks", "revenue", "revenue"], "value": [1, 2, 3, 4]})
    table = inferred_coverage(frame)
    got = {(r.metric, r.month): (r.covered_days, r.month_days) for r in table.itertuples()}
    assert got == {("clicks", AUG): (2, 31), ("clicks", SEP): (5, 30),
                   ("revenue", AUG): (31, 31), ("revenue", SEP): (30, 30)}


def test_a_share_reads_as_days() -> None:
    assert coverage_of(SEP, 5 / 30) == MonthCoverage(SEP, 5, 30)
    assert partial_label(SEP, 5 / 30) == "partial: 5 of 30 days"


# A weekly file whose last week put five days into September: revenue looks as if it collapsed.
WEEKLY = {
    "revenue": {d(2021, m): MonthPoint(100_000.0 + m) for m in range(1, 9)} | {SEP: MonthPoint(17_000.0,
                                                                                               coverage=5 / 30)},
    "impressions": {d(2021, m): MonthPoint(1_000.0 * m) for m in range(1, 9)} | {SEP: MonthPoint(900.0,
                                                                                                coverage=5 / 30)},
}


def test_the_latest_complete_month_is_the_one_to_open_on() -> None:
    coverage = {m: min(WEEKLY[k][m].coverage for k in WEEKLY) for m in WEEKLY["revenue"]}
    assert latest_complete_month(coverage) == AUG


def test_a_partial_month_is_not_compared_unless_asked() -> None:
    card = card_figures(STANDARD_CATALOG, "revenue", WEEKLY, SEP)
    assert card.value == 17_000.0 and card.coverage == pytest.approx(5 / 30)
    assert card.vs_previous_month is None  # not "-83%"
    assert card.sparkline[-1] is None and card.sparkline[-2] == 100_008.0
    included = card_figures(STANDARD_CATALOG, "revenue", WEEKLY, SEP, include_partial=True)
    assert included.vs_previous_month.value == pytest.approx((17_000 - 100_008) / 100_008 * 100)


def test_a_full_month_is_not_compared_with_a_partial_one() -> None:
    data = {"revenue": {**WEEKLY["revenue"], d(2021, 10): MonthPoint(101_000.0)}}
    card = card_figures(STANDARD_CATALOG, "revenue", data, d(2021, 10))
    assert card.coverage == 1.0 and card.vs_previous_month is None


def test_the_month_in_brief_says_a_month_is_partial_and_compares_nothing() -> None:
    text = " ".join(month_summary(WEEKLY, SEP, "EUR"))
    assert "Sep 2021 is a partial month (partial: 5 of 30 days)" in text
    assert "%" not in text and "Biggest concern" not in text
    assert "Biggest concern" in " ".join(month_summary(WEEKLY, SEP, "EUR", include_partial=True))


def test_without_partial_drops_only_partial_points() -> None:
    kept = without_partial(WEEKLY)
    assert SEP not in kept["revenue"] and AUG in kept["revenue"] and len(kept["impressions"]) == 8


def test_a_kpi_in_a_partial_month_is_marked_not_judged() -> None:
    terms = KpiTerms(metric_key="revenue", mandate="growth", owner_name="Ana", targets={AUG: 90_000, SEP: 100_000})
    actuals = {m: WEEKLY["revenue"][m].value for m in WEEKLY["revenue"]}
    figures = KpiFigures(actuals=actuals, targets=terms.targets, coverage={SEP: 5 / 30})
    line = kpi_line(terms, STANDARD_CATALOG["revenue"], figures, SEP)
    assert line.rag == Rag.PARTIAL and line.coverage == pytest.approx(5 / 30)
    assert kpi_line(terms, STANDARD_CATALOG["revenue"], figures, AUG).rag == Rag.GREEN


def test_only_tracked_metrics_get_cards_and_the_rest_fold_into_one_line() -> None:
    data = {"revenue": {AUG: MonthPoint(10.0)}, "marketing_spend": {AUG: MonthPoint(2.0)},
            "impressions": {AUG: MonthPoint(1000.0)}}
    cards = {c.key for cards in band_figures(STANDARD_CATALOG, data, AUG).values() for c in cards}
    assert cards == {"revenue", "marketing_spend", "impressions"}
    missing = not_tracked(STANDARD_CATALOG, data)
    assert {"Net Promoter Score", "Click-through rate", "Clicks"} <= set(missing)  # CTR needs clicks too
    assert not {"Revenue", "Marketing spend", "Impressions"} & set(missing)


def test_a_partial_month_is_marked_in_the_review_and_the_deck(engine, workspace_id) -> None:  # noqa: ANN001
    import io

    from pptx import Presentation

    from db.engine import session_scope
    from db.imports import import_table
    from db.review import live_snapshot
    from importers.reading import read_file
    from importers.suggest import suggest
    from reports.board_pack import build_board_pack

    text = "Week,Revenue\n" + "".join(f"2026-08-{day:02d},100\n" for day in (3, 10, 17, 24, 31))
    table = read_file("weekly.csv", text.encode())
    assert import_table(engine, workspace_id, table, suggest(table, STANDARD_CATALOG), created_by="Dana").accepted
    with session_scope(engine) as session:
        snapshot = live_snapshot(session, workspace_id, SEP.replace(year=2026))
    [revenue] = [c for c in snapshot.cards if c.key == "revenue"]
    assert revenue.coverage == pytest.approx(6 / 30) and revenue.change_month == "n/a"
    assert "Sep 2026 is a partial month" in snapshot.summary[0]
    deck = Presentation(io.BytesIO(build_board_pack(snapshot, draft=True)))
    cells = [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert "Revenue (partial: 6 of 30 days)" in cells
