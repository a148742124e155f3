"""The contrast: outputs beside the outcomes they drive, growth over 3, 6 and 12 months, direction-aware colour."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG, MetricClass
from metrics.contrast import contrast, growth_text
from metrics.periods import add_months
from metrics.series import MonthPoint

MONTH = dt.date(2025, 12, 1)


def _monthly(values_oldest_first: list[float]) -> dict[dt.date, MonthPoint]:
    start = add_months(MONTH, -(len(values_oldest_first) - 1))
    return {add_months(start, i): MonthPoint(v) for i, v in enumerate(values_oldest_first)}


# 24 months at 100, except the last three at 130.
CLICKS = _monthly([100.0] * 21 + [130.0] * 3)
SPEND = _monthly([1000.0] * 21 + [1300.0] * 3)  # CAC rises with spend while customers stay at 10
DATA = {"clicks": CLICKS, "marketing_spend": SPEND, "sales_spend": _monthly([0.0] * 24),
        "new_customers": _monthly([10.0] * 24)}
DRIVERS = {"clicks": ("cac",), "marketing_spend": ("cac",)}


def test_each_side_lists_its_class_with_links() -> None:
    sides = contrast(STANDARD_CATALOG, DRIVERS, DATA, MONTH)
    assert [r.metric.key for r in sides[MetricClass.OUTPUT]] == ["clicks", "marketing_spend"]
    assert [r.metric.key for r in sides[MetricClass.OUTCOME]] == ["cac"]
    assert sides[MetricClass.OUTCOME][0].linked == ("clicks", "marketing_spend")


def test_growth_over_three_six_and_twelve_months() -> None:
    clicks = contrast(STANDARD_CATALOG, DRIVERS, DATA, MONTH)[MetricClass.OUTPUT][0]
    assert clicks.growth[3] == pytest.approx(390 / 300 - 1)  # 3 x 130 against 3 x 100
    assert clicks.growth[6] == pytest.approx((300 + 390) / 600 - 1)
    assert clicks.growth[12] == pytest.approx((900 + 390) / 1200 - 1)
    assert growth_text(clicks.growth[3]) == "+30.0%" and growth_text(None) == "no data"


def test_good_follows_the_metric_direction() -> None:
    sides = contrast(STANDARD_CATALOG, DRIVERS, DATA, MONTH)
    clicks, spend = sides[MetricClass.OUTPUT]
    [cac] = sides[MetricClass.OUTCOME]
    assert clicks.good(3) is True  # more clicks: good
    assert cac.growth[3] == pytest.approx(0.30) and cac.good(3) is False  # a rising CAC: bad
    assert spend.good(3) is None  # spend has no good direction
