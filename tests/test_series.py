"""Period values from monthly roll-ups, every derived metric against figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG
from metrics.series import ChangeKind, MonthPoint, change, growth, monthly_values, period_value

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)

# Two months of a small company. Hand-computed results are in the tables below.
JANUARY = {
    "revenue": 50_000, "gross_profit": 20_000, "new_bookings": 12_000, "marketing_sourced_revenue": 3_000,
    "mrr_start": 40_000, "expansion_revenue": 4_000, "contraction_revenue": 1_000, "churned_revenue": 2_000,
    "customers": 100, "new_customers": 5, "customers_lost": 5,
    "marketing_spend": 6_000, "sales_spend": 4_000, "impressions": 1_000, "clicks": 50, "engagements": 80,
    "mqls": 40, "sqls": 10, "pipeline_created": 30_000, "deals_won": 3, "deals_lost": 9,
}
FEBRUARY = {
    "revenue": 30_000, "gross_profit": 10_000, "new_bookings": 8_000, "marketing_sourced_revenue": 1_000,
    "mrr_start": 41_000, "expansion_revenue": 1_000, "contraction_revenue": 0, "churned_revenue": 0,
    "customers": 105, "new_customers": 5, "customers_lost": 0,
    "marketing_spend": 4_000, "sales_spend": 2_000, "impressions": 100, "clicks": 10, "engagements": 20,
    "mqls": 20, "sqls": 10, "pipeline_created": 10_000, "deals_won": 1, "deals_lost": 1,
}
DATA = {
    key: {JAN: MonthPoint(float(JANUARY[key])), FEB: MonthPoint(float(FEBRUARY[key]))} for key in JANUARY
}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ctr", 50 / 1_000),
        ("cac", (6_000 + 4_000) / 5),  # 2,000
        ("win_rate", 3 / (3 + 9)),
        ("pipeline_per_marketing_dollar", 30_000 / 6_000),
        ("ltv", 20_000 / 5),  # gross profit per customer lost: 4,000
        ("ltv_to_cac", 4_000 / 2_000),
        ("cac_payback_months", 2_000 / (20_000 / 100 / 1)),  # 10 months
        ("nrr", (40_000 + 4_000 - 1_000 - 2_000) / 40_000),  # 1.025
        ("grr", (40_000 - 1_000 - 2_000) / 40_000),  # 0.925
        ("churn_rate", 5 / (100 - 5 + 5)),  # 5 of the 100 at the start
        ("gross_margin", 20_000 / 50_000),
        ("marketing_sourced_share", 3_000 / 12_000),
        ("engagement_rate", 80 / 1_000),
        ("cost_per_mql", 6_000 / 40),
        ("mql_to_sql_rate", 10 / 40),
    ],
)
def test_derived_metrics_for_one_month(key: str, expected: float) -> None:
    assert period_value(STANDARD_CATALOG, key, DATA, [JAN]) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ctr", 60 / 1_100),
        ("cac", 16_000 / 10),
        ("win_rate", 4 / 14),
        ("pipeline_per_marketing_dollar", 40_000 / 10_000),
        ("ltv", 30_000 / 5),
        ("ltv_to_cac", (30_000 / 5) / (16_000 / 10)),  # 3.75
        ("cac_payback_months", 1_600 / (30_000 / 105 / 2)),  # customers at the end, two months: 11.2
        ("nrr", (40_000 + 5_000 - 1_000 - 2_000) / 40_000),  # start of the period: January's 40,000
        ("grr", (40_000 - 1_000 - 2_000) / 40_000),
        ("churn_rate", 5 / (105 - 10 + 5)),
        ("gross_margin", 30_000 / 80_000),
        ("marketing_sourced_share", 4_000 / 20_000),
        ("engagement_rate", 100 / 1_100),
        ("cost_per_mql", 10_000 / 60),
        ("mql_to_sql_rate", 20 / 60),
    ],
)
def test_derived_metrics_over_two_months_are_ratios_of_sums(key: str, expected: float) -> None:
    assert period_value(STANDARD_CATALOG, key, DATA, [JAN, FEB]) == pytest.approx(expected)


def test_ratio_of_sums_not_mean_of_ratios() -> None:
    # January 5% on 1,000 impressions, February 10% on 100: the mean of ratios would say 7.5%.
    value = period_value(STANDARD_CATALOG, "ctr", DATA, [JAN, FEB])
    assert value == pytest.approx(60 / 1_100)
    assert value != pytest.approx((0.05 + 0.10) / 2)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("revenue", 80_000),  # sum
        ("mrr_start", 40_000),  # first
        ("customers", 105),  # last
        ("clicks", 60),
    ],
)
def test_base_metrics_follow_their_aggregation(key: str, expected: float) -> None:
    assert period_value(STANDARD_CATALOG, key, DATA, [FEB, JAN]) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("key", "months", "expected"),
    [
        ("mrr_start", [JAN, FEB, MAR], 10.0),  # first month with data
        ("customers", [JAN, FEB, MAR], 30.0),  # last month with data
        ("customers", [JAN, FEB], 20.0),
        ("nps", [JAN, FEB], (40 * 10 + 10 * 30) / (10 + 30)),  # 17.5, weighted by responses
        ("nps", [JAN, FEB, MAR], (40 * 10 + 10 * 30 - 20 * 60) / (10 + 30 + 60)),  # -5
        ("nps", [MAR], -20.0),
    ],
)
def test_first_last_and_weighted_aggregation(key: str, months: list[dt.date], expected: float) -> None:
    data = {
        "mrr_start": {JAN: MonthPoint(10), FEB: MonthPoint(20), MAR: MonthPoint(30)},
        "customers": {JAN: MonthPoint(10), FEB: MonthPoint(20), MAR: MonthPoint(30)},
        "nps": {JAN: MonthPoint(40, 10), FEB: MonthPoint(10, 30), MAR: MonthPoint(-20, 60)},
    }
    assert period_value(STANDARD_CATALOG, key, data, months) == pytest.approx(expected)


def test_weighted_average_with_no_weight_is_no_value() -> None:
    data = {"nps": {JAN: MonthPoint(40, 0)}}
    assert period_value(STANDARD_CATALOG, "nps", data, [JAN]) is None


@pytest.mark.parametrize(
    ("key", "zeroed"),
    [
        ("ctr", {"impressions": 0}),
        ("cac", {"new_customers": 0}),
        ("win_rate", {"deals_won": 0, "deals_lost": 0}),
        ("pipeline_per_marketing_dollar", {"marketing_spend": 0}),
        ("ltv", {"customers_lost": 0}),
        ("ltv_to_cac", {"new_customers": 0}),
        ("ltv_to_cac", {"marketing_spend": 0, "sales_spend": 0}),  # CAC of zero
        ("cac_payback_months", {"gross_profit": 0}),
        ("cac_payback_months", {"customers": 0}),
        ("nrr", {"mrr_start": 0}),
        ("grr", {"mrr_start": 0}),
        ("churn_rate", {"customers": 0, "new_customers": 0, "customers_lost": 0}),
        ("gross_margin", {"revenue": 0}),
        ("marketing_sourced_share", {"new_bookings": 0}),
        ("engagement_rate", {"impressions": 0}),
        ("cost_per_mql", {"mqls": 0}),
        ("mql_to_sql_rate", {"mqls": 0}),
    ],
)
def test_zero_denominator_gives_no_value(key: str, zeroed: dict[str, float]) -> None:
    data = {k: {JAN: MonthPoint(float(zeroed.get(k, v)))} for k, v in JANUARY.items()}
    assert period_value(STANDARD_CATALOG, key, data, [JAN]) is None


def test_derived_metric_uses_only_months_where_every_input_exists() -> None:
    # February has impressions but no clicks: its 500 impressions must not dilute the rate.
    data = {
        "impressions": {JAN: MonthPoint(1_000), FEB: MonthPoint(500), MAR: MonthPoint(1_000)},
        "clicks": {JAN: MonthPoint(50), MAR: MonthPoint(30)},
    }
    assert period_value(STANDARD_CATALOG, "ctr", data, [JAN, FEB, MAR]) == pytest.approx(80 / 2_000)
    assert period_value(STANDARD_CATALOG, "ctr", data, [FEB]) is None
    assert period_value(STANDARD_CATALOG, "impressions", data, [JAN, FEB, MAR]) == pytest.approx(2_500)


def test_months_in_a_formula_counts_only_covered_months() -> None:
    # Three-month window, data for two: payback uses two months of gross profit per customer.
    data = {k: {JAN: MonthPoint(float(JANUARY[k])), FEB: MonthPoint(float(FEBRUARY[k]))}
            for k in ("marketing_spend", "sales_spend", "new_customers", "gross_profit", "customers")}
    value = period_value(STANDARD_CATALOG, "cac_payback_months", data, [JAN, FEB, MAR])
    assert value == pytest.approx(1_600 / (30_000 / 105 / 2))


@pytest.mark.parametrize("key", ["revenue", "ctr", "nps", "customers"])
def test_no_data_at_all_is_no_value(key: str) -> None:
    assert period_value(STANDARD_CATALOG, key, {}, [JAN, FEB]) is None
    assert period_value(STANDARD_CATALOG, key, DATA, []) is None


def test_monthly_values_one_per_month() -> None:
    values = monthly_values(STANDARD_CATALOG, "ctr", DATA, [JAN, FEB, MAR])
    assert values == {JAN: pytest.approx(0.05), FEB: pytest.approx(0.10), MAR: None}


@pytest.mark.parametrize(
    ("key", "current", "previous", "expected_value", "expected_kind"),
    [
        ("ctr", 0.06, 0.05, 1.0, ChangeKind.POINTS),  # percent: 5% -> 6% is +1 point
        ("churn_rate", 0.02, 0.05, -3.0, ChangeKind.POINTS),
        ("ctr", 0.05, 0.0, 5.0, ChangeKind.POINTS),  # points need no base
        ("nps", 35.0, 30.0, 5.0, ChangeKind.POINTS),  # score
        ("nps", -10.0, 0.0, -10.0, ChangeKind.POINTS),
        ("revenue", 110.0, 100.0, 10.0, ChangeKind.RELATIVE),
        ("cac", 1_500.0, 2_000.0, -25.0, ChangeKind.RELATIVE),
        ("ltv_to_cac", 3.0, 2.0, 50.0, ChangeKind.RELATIVE),
        ("gross_profit", -100.0, -50.0, -100.0, ChangeKind.RELATIVE),  # worse against a negative base
        ("gross_profit", 50.0, -50.0, 200.0, ChangeKind.RELATIVE),
    ],
)
def test_change(key: str, current: float, previous: float, expected_value: float,
                expected_kind: ChangeKind) -> None:
    result = change(STANDARD_CATALOG[key], current, previous)
    assert result is not None
    assert result.value == pytest.approx(expected_value)
    assert result.kind == expected_kind


@pytest.mark.parametrize(
    ("key", "current", "previous"),
    [
        ("revenue", 100.0, 0.0),  # relative change from zero
        ("revenue", None, 100.0),
        ("revenue", 100.0, None),
        ("ctr", None, 0.05),
        ("nps", 30.0, None),
    ],
)
def test_change_without_a_base_is_no_value(key: str, current: float | None, previous: float | None) -> None:
    assert change(STANDARD_CATALOG[key], current, previous) is None


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(120.0, 100.0, 0.2), (80.0, 100.0, -0.2), (-50.0, -100.0, 0.5), (1.0, 0.0, None), (None, 1.0, None)],
)
def test_growth(current: float | None, previous: float | None, expected: float | None) -> None:
    assert growth(current, previous) == (pytest.approx(expected) if expected is not None else None)
