"""Vanity traps against hand-made series: direction-aware on both the output and the outcome side."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.catalog import STANDARD_CATALOG, MetricClass
from metrics.drivers import DEFAULT_DRIVERS, changed_lines, check_driver_map, drivers_of, effective_drivers
from metrics.periods import add_months
from metrics.series import MonthPoint
from metrics.vanity import VanityThresholds, vanity_traps

MONTH = dt.date(2025, 6, 1)  # trailing quarter Apr-Jun 2025 against Jan-Mar 2025
BEFORE = [add_months(MONTH, -i) for i in (5, 4, 3)]
AFTER = [add_months(MONTH, -i) for i in (2, 1, 0)]


def _flat(before: float, after: float) -> dict[dt.date, MonthPoint]:
    """The same value each month of the earlier quarter, another value each month of the later one."""
    return {**{m: MonthPoint(before) for m in BEFORE}, **{m: MonthPoint(after) for m in AFTER}}


def _traps(drivers: dict, limits: VanityThresholds | None = None, **series: tuple[float, float]) -> list:
    data = {key: _flat(*values) for key, values in series.items()}
    return vanity_traps(STANDARD_CATALOG, drivers, data, MONTH, limits)


PIPELINE = {"clicks": ("pipeline_created",)}


@pytest.mark.parametrize(("clicks", "pipeline", "trapped"), [
    ((100, 120), (50, 45), True),  # +20% while -10%
    ((100, 120), (50, 50), True),  # stalled outcome counts
    ((100, 110), (50, 47.5), True),  # exactly +10% is enough
    ((100, 109), (50, 40), False),  # +9% is not a rise worth flagging
    ((100, 120), (50, 50.5), False),  # +1% outcome: it moved the right way
    ((100, 80), (50, 40), False),  # both fell: a problem, but not a vanity trap
])
def test_output_up_outcome_down_or_flat_is_a_trap(clicks, pipeline, trapped) -> None:
    assert bool(_traps(PIPELINE, clicks=clicks, pipeline_created=pipeline)) is trapped


def test_a_trap_carries_both_numbers_and_a_reading() -> None:
    [trap] = _traps(PIPELINE, clicks=(100, 120), pipeline_created=(50, 45))
    assert (trap.output, trap.outcome) == ("clicks", "pipeline_created")
    assert trap.output_growth == pytest.approx(0.20)
    assert trap.outcome_growth == pytest.approx(-0.10)
    assert trap.gap == pytest.approx(0.30)
    assert trap.reading == ("Clicks rose 20% over the last quarter while pipeline created fell 10%: "
                            "the gain in clicks is not reaching pipeline created.")


# CAC = (marketing_spend + sales_spend) / new_customers, with 10 customers a month and no sales spend.
@pytest.mark.parametrize(("spend", "trapped"), [((1000, 900), False), ((1000, 1100), True)])
def test_a_falling_cac_is_good_and_a_rising_one_is_not(spend, trapped) -> None:
    traps = _traps({"clicks": ("cac",)}, clicks=(100, 130), marketing_spend=spend, sales_spend=(0, 0),
                   new_customers=(10, 10))
    assert bool(traps) is trapped
    if trapped:
        assert traps[0].outcome_growth == pytest.approx(0.10)
        assert traps[0].gap == pytest.approx(0.30 + 0.10)


# Cost per MQL = marketing_spend / mqls: cheaper leads are an output improving.
@pytest.mark.parametrize(("mqls", "trapped"), [((100, 125), True), ((100, 80), False)])
def test_a_falling_cost_per_mql_counts_as_an_output_improving(mqls, trapped) -> None:
    traps = _traps({"cost_per_mql": ("pipeline_created",)}, marketing_spend=(1000, 1000), mqls=mqls,
                   pipeline_created=(50, 45))
    assert bool(traps) is trapped
    if trapped:
        assert traps[0].output_growth == pytest.approx(-0.20)
        assert traps[0].reading.startswith("Cost per MQL fell 20% over the last quarter while pipeline created fell")


def test_spend_with_no_good_direction_is_never_a_trap() -> None:
    assert _traps({"marketing_spend": ("pipeline_created",)}, marketing_spend=(100, 150),
                  pipeline_created=(50, 40)) == []


def test_traps_are_ranked_by_the_widest_gap() -> None:
    drivers = {"clicks": ("pipeline_created", "new_bookings"), "impressions": ("pipeline_created",)}
    traps = _traps(drivers, clicks=(100, 115), impressions=(1000, 1400), pipeline_created=(50, 45),
                   new_bookings=(80, 80))
    assert [(t.output, t.outcome) for t in traps] == [
        ("impressions", "pipeline_created"),  # 0.40 + 0.10
        ("clicks", "pipeline_created"),  # 0.15 + 0.10
        ("clicks", "new_bookings"),  # 0.15 + 0
    ]


def test_thresholds_are_configurable() -> None:
    series = {"clicks": (100, 120), "pipeline_created": (50, 51)}  # +20% vs +2%
    assert _traps(PIPELINE, **series) == []
    assert len(_traps(PIPELINE, VanityThresholds(outcome_max=0.05), **series)) == 1
    assert _traps(PIPELINE, VanityThresholds(output_min=0.25, outcome_max=0.05), **series) == []


def test_a_six_month_window_reads_as_months() -> None:
    data = {"clicks": {add_months(MONTH, -i): MonthPoint(100 if i >= 6 else 150) for i in range(12)},
            "pipeline_created": {add_months(MONTH, -i): MonthPoint(50 if i >= 6 else 40) for i in range(12)}}
    [trap] = vanity_traps(STANDARD_CATALOG, PIPELINE, data, MONTH, VanityThresholds(months=6))
    assert trap.reading.startswith("Clicks rose 50% over the last 6 months while pipeline created fell 20%")


def test_pairs_without_data_on_both_sides_are_skipped() -> None:
    data = {"clicks": _flat(100, 150), "pipeline_created": {m: MonthPoint(40) for m in AFTER}}
    assert vanity_traps(STANDARD_CATALOG, PIPELINE, data, MONTH) == []


def test_the_default_driver_map_points_outputs_at_outcomes() -> None:
    assert check_driver_map(STANDARD_CATALOG, DEFAULT_DRIVERS) == []
    for output, outcomes in DEFAULT_DRIVERS.items():
        assert STANDARD_CATALOG[output].metric_class == MetricClass.OUTPUT and outcomes
    assert "impressions" in drivers_of(DEFAULT_DRIVERS, "pipeline_created")


def test_wrong_way_round_maps_are_named() -> None:
    assert check_driver_map(STANDARD_CATALOG, {"revenue": ["clicks"], "nope": []}) == [
        "'revenue' is not an output metric",
        "'clicks' (driven by 'revenue') is not an outcome metric",
        "'nope' is not an output metric",
    ]


def test_overrides_replace_lines_and_an_empty_line_drives_nothing() -> None:
    mapping = effective_drivers(STANDARD_CATALOG, {"clicks": ["new_bookings"], "impressions": []})
    assert mapping["clicks"] == ("new_bookings",)
    assert "impressions" not in mapping
    assert mapping["sessions"] == DEFAULT_DRIVERS["sessions"]
    assert changed_lines(DEFAULT_DRIVERS, {**DEFAULT_DRIVERS, "clicks": ("new_bookings",), "impressions": ()}) == {
        "clicks": ("new_bookings",), "impressions": ()}
