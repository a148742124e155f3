"""Data health: robust scores by hand, unusual moves, missing months; and importers/ stays free of UI and SQL."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG
from metrics.health import metric_health, outliers, robust_scores
from metrics.periods import add_months
from metrics.series import MonthPoint
from settings import PROJECT_ROOT
from tests.test_purity import FORBIDDEN, imported_roots

JAN = dt.date(2025, 1, 1)


def series(values: list[float]) -> dict[dt.date, float]:
    return {add_months(JAN, i): v for i, v in enumerate(values)}


def test_robust_scores_by_hand() -> None:
    # median 3, absolute deviations 2,1,0,1,97 -> MAD 1 -> sigma 1/0.6745
    scores = robust_scores([1, 2, 3, 4, 100])
    assert scores == pytest.approx([-1.349, -0.6745, 0, 0.6745, 65.4265])


def test_when_most_values_are_equal_the_mean_deviation_is_used() -> None:
    # median 5, deviations 0,0,0,0,5 -> MAD 0 -> mean deviation 1 -> sigma 1/0.7979
    assert robust_scores([5, 5, 5, 5, 10]) == pytest.approx([0, 0, 0, 0, 3.9895])
    assert robust_scores([5, 5, 5]) == [None, None, None]


@pytest.mark.parametrize(("values", "unusual"), [
    ([100 * 1.05**i for i in range(24)], []),  # steady growth is not unusual
    ([100, 101, 99, 100, 102, 100, 98, 500, 101, 100, 99, 100], [7]),  # a spike: the jump, not the way back
    ([100, 101, 99, 100, 102, 100, 98, 101, 100, 99, 100, 300], [11]),  # the newest month jumps
    ([100, 101, 99, 100, 102, 100, 300, 301, 299, 300, 302, 300], [6]),  # a step change
    ([100, 100.4, 99.8, 100.1, 100, 100.3, 99.9, 101.2], []),  # wobbles under 1% never count
    ([100, 101, 99, 100, 900], []),  # too little history to judge
])
def test_unusual_months(values: list[float], unusual: list[int]) -> None:
    assert [o.month for o in outliers(series(values))] == [add_months(JAN, i) for i in unusual]


def test_metric_health_counts_missing_months_up_to_the_last_complete_month() -> None:
    data = {"revenue": {JAN: MonthPoint(5), add_months(JAN, 2): MonthPoint(6)},
            "clicks": {add_months(JAN, 3): MonthPoint(1)}}
    report = metric_health(STANDARD_CATALOG, data, add_months(JAN, 4))
    assert [(h.label, h.last_month, h.missing) for h in report] == [
        ("Clicks", add_months(JAN, 3), [add_months(JAN, 4)]),
        ("Revenue", add_months(JAN, 2), [add_months(JAN, 1), add_months(JAN, 3), add_months(JAN, 4)]),
    ]


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "importers").glob("*.py")), ids=lambda p: p.name)
def test_importers_use_neither_streamlit_nor_sqlalchemy(path) -> None:  # noqa: ANN001 - a Path
    assert not imported_roots(path.read_text()) & set(FORBIDDEN)
