"""Scorecard arithmetic against hand-worked values: cap, RAG edges, variance, streaks, fills, votes, reconciliation."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from metrics.catalog import STANDARD_CATALOG, Direction, Mandate
from metrics.scorecard import (
    Commentary,
    KpiFigures,
    KpiTerms,
    Thresholds,
    Votes,
    disagreement,
    fill_flat,
    fill_from_last_year,
    fill_monthly_growth,
    format_variance,
    kpi_count_problems,
    kpi_count_warning,
    kpi_line,
    rag_status,
    reconcile,
    reconcile_sources,
    streak,
    target_months,
    variance,
)
from metrics.status import Rag

G, A, R, N = Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_DATA
UP, DOWN = Direction.UP, Direction.DOWN


def m(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


@pytest.mark.parametrize(
    ("count", "refused", "warned"),
    [(0, True, False), (2, True, False), (3, False, False), (5, False, False), (6, False, True),
     (7, False, True), (8, True, False), (12, True, False)],
)
def test_kpi_count_cap_and_warning(count: int, refused: bool, warned: bool) -> None:
    assert bool(kpi_count_problems(count)) is refused
    assert (kpi_count_warning(count) is not None) is warned


def test_an_eighth_kpi_is_refused_with_the_reason() -> None:
    (message,) = kpi_count_problems(8)
    assert message.startswith("8 KPIs chosen.")
    assert "Seven KPIs is the hard limit" in message and "focus is lost" in message


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        # higher is better, defaults: green from 100% of target, amber from 90%
        (100, 100, UP, G), (130, 100, UP, G), (99.99, 100, UP, A), (90, 100, UP, A), (89.99, 100, UP, R),
        (0, 100, UP, R),
        # lower is better: green at or below target, amber up to target / 0.9 = 111.11
        (100, 100, DOWN, G), (40, 100, DOWN, G), (100.01, 100, DOWN, A), (100 / 0.9, 100, DOWN, A),
        (111.12, 100, DOWN, R),
        # a negative target (NPS): the margin is 10% of |target|
        (-10, -10, UP, G), (-11, -10, UP, A), (-11.01, -10, UP, R), (-9, -10, DOWN, A), (-8.8, -10, DOWN, R),
        (-11, -10, DOWN, G),
        # a zero target has no ratio: at or better than zero, else off track
        (0, 0, UP, G), (-0.5, 0, UP, R), (0.5, 0, DOWN, R), (0, 0, DOWN, G),
        # rates stored as fractions: 76% against a 75% target
        (0.76, 0.75, UP, G), (0.675, 0.75, UP, A), (0.674, 0.75, UP, R),
        # no actual or no target: no status
        (None, 100, UP, N), (100, None, UP, N),
    ],
)
def test_rag_respects_the_good_direction_at_the_edges(actual, target, direction, expected) -> None:
    assert rag_status(actual, target, direction) == expected


@pytest.mark.parametrize(
    ("actual", "direction", "expected"),
    [(95, UP, G), (94.9, UP, A), (80, UP, A), (79.9, UP, R),
     (100 / 0.95, DOWN, G), (105.3, DOWN, A), (125, DOWN, A), (125.1, DOWN, R)],
)
def test_rag_with_agreed_thresholds(actual: float, direction: Direction, expected: Rag) -> None:
    assert rag_status(actual, 100, direction, Thresholds(green_at=0.95, amber_at=0.8)) == expected


def test_thresholds_refuse_amber_above_green() -> None:
    with pytest.raises(ValidationError, match="must not be above"):
        Thresholds(green_at=0.9, amber_at=0.95)


@pytest.mark.parametrize(
    ("actual", "target", "absolute", "pct", "of_target"),
    [(120, 100, 20, 0.2, 1.2), (80, 100, -20, -0.2, 0.8), (-12, -10, -2, -0.2, 1.2), (5, 0, 5, None, None),
     (None, 100, None, None, None)],
)
def test_variance_absolute_and_percent(actual, target, absolute, pct, of_target) -> None:
    result = variance(actual, target)
    assert result.absolute == pytest.approx(absolute) if absolute is not None else result.absolute is None
    assert result.pct == pytest.approx(pct) if pct is not None else result.pct is None
    assert result.pct_of_target == pytest.approx(of_target) if of_target is not None else result.pct_of_target is None


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(-0.042, "percent", "-4.2 pts"), (12_500, "currency", "+$12.5K"), (-3, "score", "-3.0"), (None, "count", "n/a")],
)
def test_variance_is_shown_in_the_kpis_unit(value, unit, expected) -> None:
    assert format_variance(value, unit, "USD") == expected


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([], 0), ([G], 1), ([R, G, G, G], 3), ([G, G, A], 1), ([A, R, R], 2), ([N, N], 2), ([R, R, R, R], 4)],
)
def test_streak_counts_months_in_a_row_at_the_latest_status(statuses, expected) -> None:
    assert streak(statuses) == expected


def test_fill_flat_and_monthly_growth() -> None:
    months = [m(2026, 1), m(2026, 2), m(2026, 3)]
    assert fill_flat(months, 50) == {m(2026, 1): 50, m(2026, 2): 50, m(2026, 3): 50}
    grown = fill_monthly_growth(months, 100, 0.02)
    assert [round(grown[x], 4) for x in months] == [100, 102, 104.04]


def test_fill_from_last_year_leaves_months_without_history_empty() -> None:
    actuals = {m(2025, 1): 200.0, m(2025, 2): None}
    filled = fill_from_last_year([m(2026, 1), m(2026, 2), m(2026, 3)], actuals, 0.1)
    assert filled == {m(2026, 1): pytest.approx(220.0), m(2026, 2): None, m(2026, 3): None}


def test_target_months_span_two_years_back_and_one_ahead() -> None:
    months = target_months(m(2026, 6))
    assert (months[0], months[-1], len(months)) == (m(2024, 7), m(2027, 6), 36)


@pytest.mark.parametrize(("ceo", "cmo", "flag"), [(2, 4, True), (5, 1, True), (3, 4, False), (4, 4, False),
                                                   (None, 5, False), (1, None, False)])
def test_confidence_gap_of_two_or_more_is_a_disagreement(ceo, cmo, flag) -> None:
    assert disagreement(ceo, cmo) is flag


@pytest.mark.parametrize(
    ("reference", "other", "pct", "flagged"),
    [(100, 105, 0.05, False), (100, 105.5, 0.055, True), (100, 94, -0.06, True), (200, 196, -0.02, False),
     (0, 0, None, False), (0, 3, None, True)],
)
def test_reconciliation_variance_and_flag(reference, other, pct, flagged) -> None:
    result = reconcile("Finance ledger", reference, "Marketing CRM", other)
    assert result.variance_pct == pytest.approx(pct) if pct is not None else result.variance_pct is None
    assert result.flagged is flagged
    assert result.difference == pytest.approx(other - reference)


def test_reconcile_sources_uses_the_source_of_record_as_the_reference() -> None:
    values = {"Finance ledger": 1_000.0, "Marketing CRM": 1_120.0}
    assert reconcile_sources({"Finance ledger": 1_000.0}) is None
    by_record = reconcile_sources(values, reference="Marketing CRM")
    assert (by_record.source, by_record.other_source) == ("Marketing CRM", "Finance ledger")
    assert by_record.variance_pct == pytest.approx(-120 / 1_120)
    by_name = reconcile_sources(values)  # no source of record: the first by name is the reference
    assert (by_name.source, by_name.variance_pct, by_name.flagged) == ("Finance ledger", pytest.approx(0.12), True)


def test_kpi_line_puts_the_month_together() -> None:
    terms = KpiTerms(metric_key="cac", mandate=Mandate.GROWTH, owner_name="Dana", owner_role="CMO",
                     targets={m(2026, 1): 1000, m(2026, 2): 1000, m(2026, 3): 1000, m(2026, 4): 1000})
    actuals = {m(2026, 1): 1200.0, m(2026, 2): 1050.0, m(2026, 3): 1100.0, m(2026, 4): 1080.0}
    line = kpi_line(terms, STANDARD_CATALOG["cac"], KpiFigures(actuals=actuals, targets=terms.targets), m(2026, 4),
                    Commentary(text="Pausing events", author="Dana", version=2), Votes(ceo=2, cmo=4))
    assert (line.actual, line.target, line.variance) == (1080.0, 1000, 80.0)
    assert line.variance_pct == pytest.approx(0.08)
    assert line.rag == Rag.AMBER  # lower is better: 1080 is within 1000 / 0.9
    assert line.streak == 3  # Feb, Mar, Apr amber; Jan (1200) red
    assert [p.month for p in line.trend] == [m(2025, 5 + i) if i < 8 else m(2026, i - 7) for i in range(12)]
    assert line.trend[-1].rag == Rag.AMBER and line.trend[0].rag == Rag.NO_DATA
    assert (line.commentary, line.commentary_version, line.disagree) == ("Pausing events", 2, True)
    assert line.owner == "Dana (CMO)"


def test_kpi_terms_keep_the_rationale_on_one_line() -> None:
    terms = KpiTerms(metric_key="nps", mandate=Mandate.BRAND, rationale="  Serves\nretention  and referrals ")
    assert terms.rationale == "Serves retention and referrals"
