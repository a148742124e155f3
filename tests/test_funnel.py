"""Journey momentum: stage conversions and the weakest stage, against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.funnel import conversion, journey, stage_conversion, weakest_stage
from metrics.periods import add_months
from metrics.series import MonthPoint

MONTHS = [add_months(dt.date(2025, 1, 1), i) for i in range(7)]  # six trailing months, then July


def _counts(*values: float) -> dict[dt.date, MonthPoint]:
    return {m: MonthPoint(v) for m, v in zip(MONTHS, values, strict=True)}


DATA = {
    "sessions": _counts(1000, 1000, 1000, 1000, 1000, 1000, 1000),
    "mqls": _counts(50, 50, 50, 50, 50, 50, 40),
    "sqls": _counts(20, 20, 20, 20, 20, 20, 20),
    "opportunities": _counts(10, 10, 10, 10, 10, 10, 9),
    "deals_won": _counts(3, 3, 3, 3, 3, 3, 2),
}


def test_conversion_by_month_and_against_the_trailing_average() -> None:
    steps = journey(DATA, MONTHS)
    assert [(s.from_key, s.to_key) for s in steps] == [
        ("sessions", "mqls"), ("mqls", "sqls"), ("sqls", "opportunities"), ("opportunities", "deals_won")]
    latest = [s.latest for s in steps]
    assert latest == pytest.approx([40 / 1000, 20 / 40, 9 / 20, 2 / 9])
    assert [s.trailing_average for s in steps] == pytest.approx([300 / 6000, 120 / 300, 60 / 120, 18 / 60])
    assert [s.change for s in steps] == pytest.approx([-0.20, 0.25, -0.10, (2 / 9) / 0.3 - 1])
    assert steps[0].by_month[MONTHS[0]] == pytest.approx(0.05)


def test_the_weakest_stage_fell_most_against_its_own_average() -> None:
    worst = weakest_stage(journey(DATA, MONTHS))
    assert (worst.from_key, worst.to_key) == ("opportunities", "deals_won")  # -25.9% beats -20%


def test_no_weakest_stage_when_nothing_fell() -> None:
    steady = {key: _counts(*[points[MONTHS[0]].value] * 7) for key, points in DATA.items()}
    steps = journey(steady, MONTHS)
    assert [s.change for s in steps] == [0.0] * 4
    assert weakest_stage(steps) is None


def test_the_average_is_a_ratio_of_sums_not_a_mean_of_ratios() -> None:
    data = {"sessions": _counts(1000, 3000, 1, 1, 1, 1, 1), "mqls": _counts(100, 60, 0, 0, 0, 0, 0)}
    assert conversion(data, "sessions", "mqls", MONTHS[:2]) == pytest.approx(160 / 4000)  # not (10% + 2%) / 2


def test_missing_months_and_zero_denominators_have_no_value() -> None:
    data = {"sessions": {MONTHS[0]: MonthPoint(0), MONTHS[1]: MonthPoint(500)},
            "mqls": {MONTHS[0]: MonthPoint(0), MONTHS[2]: MonthPoint(10)}}
    step = stage_conversion(data, "sessions", "mqls", MONTHS[:3])
    assert step.by_month == {MONTHS[0]: None, MONTHS[1]: None, MONTHS[2]: None}
    assert step.latest is None and step.change is None
