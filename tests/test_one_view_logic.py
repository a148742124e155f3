"""Card figures, index lines and the plain-language summary, against values worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from metrics.catalog import STANDARD_CATALOG, Band, MetricClass
from metrics.formatting import format_change
from metrics.one_view import BAND_METRICS, card_figures, card_keys, change_text, index_lines, indexed, judge
from metrics.series import Change, ChangeKind, MonthPoint
from metrics.summary import month_summary, phrase

MAR_25, JAN, FEB, MAR = dt.date(2025, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def d(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def series(**by_month: float) -> dict[dt.date, MonthPoint]:
    """series(m2026_02=5) -> {Feb 2026: MonthPoint(5)}."""
    return {dt.date(int(k[1:5]), int(k[6:]), 1): MonthPoint(v) for k, v in by_month.items()}


CARD_DATA = {
    "impressions": series(m2025_03=800, m2026_02=1000, m2026_03=1200),
    "clicks": series(m2026_02=40, m2026_03=60),
    "marketing_spend": series(m2026_02=5000, m2026_03=6000),
    "sales_spend": series(m2026_02=3000, m2026_03=4000),
    "new_customers": series(m2026_02=10, m2026_03=10),
    "revenue": series(m2026_02=0, m2026_03=100),
    "nps": {MAR: MonthPoint(40, 50)},
    "nps_responses": series(m2026_03=50),
}


def test_bands_hold_the_agreed_metrics_in_order() -> None:
    assert BAND_METRICS[Band.PNL][:3] == ("revenue", "new_bookings", "gross_margin")
    assert len(BAND_METRICS[Band.PNL]) == 8 and len(BAND_METRICS[Band.CAMPAIGNS]) == 9
    assert BAND_METRICS[Band.FEEL] == ("nps", "decision_confidence", "aided_awareness", "share_of_voice")
    assert all(key in STANDARD_CATALOG for key in card_keys())


def test_card_value_and_both_changes() -> None:
    card = card_figures(STANDARD_CATALOG, "impressions", CARD_DATA, MAR)
    assert card.value == 1200
    assert card.vs_previous_month.value == pytest.approx(20.0)  # 1200 / 1000
    assert card.vs_last_year.value == pytest.approx(50.0)  # 1200 / 800
    assert card.previous_month_good is True and card.last_year_good is True


def test_a_rise_in_cac_is_bad() -> None:
    card = card_figures(STANDARD_CATALOG, "cac", CARD_DATA, MAR)
    assert card.value == pytest.approx(1000)  # (6000 + 4000) / 10
    assert card.vs_previous_month.value == pytest.approx(25.0)  # vs (5000 + 3000) / 10 = 800
    assert card.previous_month_good is False


def test_rates_change_in_points() -> None:
    card = card_figures(STANDARD_CATALOG, "ctr", CARD_DATA, MAR)
    assert card.value == pytest.approx(0.05)  # 60 / 1200
    assert card.vs_previous_month.kind == ChangeKind.POINTS
    assert card.vs_previous_month.value == pytest.approx(1.0)  # 5% vs 4%
    assert card.vs_last_year is None  # no clicks a year ago


@pytest.mark.parametrize("key", ["nps", "revenue"])
def test_missing_or_zero_previous_month_is_not_applicable(key: str) -> None:
    card = card_figures(STANDARD_CATALOG, key, CARD_DATA, MAR)
    assert card.value is not None
    assert card.vs_previous_month is None and card.previous_month_good is None
    assert format_change(card.vs_previous_month) == "n/a"


@pytest.mark.parametrize(("moved", "expected"), [
    (None, "n/a"),
    (Change(-0.04, ChangeKind.POINTS), "0.0 pts"),  # never "-0.0 pts"
    (Change(0.03, ChangeKind.RELATIVE), "0.0%"),
    (Change(-1.26, ChangeKind.RELATIVE), "-1.3%"),
    (Change(12.0, ChangeKind.POINTS), "+12.0 pts"),
])
def test_change_text(moved: Change | None, expected: str) -> None:
    assert change_text(moved) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.04, None), (-0.04, None), (3.0, False), (-3.0, True)])
def test_a_change_too_small_to_see_is_neither_good_nor_bad(value: float, expected: bool | None) -> None:
    assert judge(STANDARD_CATALOG["cac"], Change(value, ChangeKind.RELATIVE)) is expected


def test_sparkline_covers_twelve_months_with_gaps() -> None:
    card = card_figures(STANDARD_CATALOG, "impressions", CARD_DATA, MAR)
    assert card.sparkline_months[0] == d(2025, 4) and card.sparkline_months[-1] == MAR
    assert card.sparkline == [None] * 10 + [1000, 1200]


def test_month_without_data_has_no_value_and_no_change() -> None:
    card = card_figures(STANDARD_CATALOG, "impressions", CARD_DATA, d(2019, 1))
    assert card.value is None and card.vs_previous_month is None and card.vs_last_year is None
    assert card.sparkline == [None] * 12


def test_formula_text_names_metrics_and_sources() -> None:
    ctr = card_figures(STANDARD_CATALOG, "ctr", CARD_DATA, MAR)
    assert ctr.formula_text.startswith("Click-through rate = Clicks ÷ Impressions")
    assert ctr.inputs == ("clicks", "impressions")
    nps = card_figures(STANDARD_CATALOG, "nps", CARD_DATA, MAR)
    assert "weighted by NPS responses" in nps.formula_text
    assert nps.inputs == ("nps", "nps_responses")


@pytest.mark.parametrize(("values", "expected"), [
    ([None, 0, 50, None, 75], [None, 0, 100, None, 150]),
    ([200, 100, 300], [100, 50, 150]),
    ([None, None], [None, None]),
    ([0, 0], [None, None]),
])
def test_indexed_to_first_month_with_data(values: list, expected: list) -> None:
    assert indexed(values) == expected


def test_index_lines_outputs_then_outcomes_with_gaps() -> None:
    data = {"impressions": series(m2025_05=500, m2026_03=1200), "pipeline_created": series(m2026_01=80, m2026_03=60)}
    lines = index_lines(data, MAR)
    assert [(line.key, line.metric_class) for line in lines] == [
        ("impressions", MetricClass.OUTPUT), ("pipeline_created", MetricClass.OUTCOME)]
    impressions, pipeline = lines
    assert len(impressions.months) == 12 and impressions.months[0] == d(2025, 4)
    assert impressions.index[0] is None and impressions.index[1] == 100 and impressions.index[-1] == 240
    assert impressions.index[2:11] == [None] * 9
    assert pipeline.index[-3:] == [100, None, 75]
    assert not any(isinstance(v, float) and math.isinf(v) for line in lines for v in line.index)


# --- the plain summary ----------------------------------------------------------------

DIVERGING = {
    # Oct-Dec 100 each (300) -> Jan-Mar 110, 120, 130 (360): +20%.
    "impressions": series(m2025_10=100, m2025_11=100, m2025_12=100, m2026_01=110, m2026_02=120, m2026_03=130),
    # Oct-Dec 1000 each (3000) -> Jan-Mar 950, 900, 850 (2700): -10%.
    "pipeline_created": series(m2025_10=1000, m2025_11=1000, m2025_12=1000,
                               m2026_01=950, m2026_02=900, m2026_03=850),
}


def test_summary_says_outputs_rise_while_outcomes_fall() -> None:
    assert month_summary(DIVERGING, MAR) == [
        "In Mar 2026, pipeline created $850 (-5.6% vs Feb 2026).",  # 850 / 900 - 1
        "Impressions +20% over the quarter while pipeline created fell 10%.",
        "Outputs are rising while outcomes fall: more activity is not turning into more business.",
        "Best move vs Feb 2026: impressions +8.3%, to 130.",  # 130 / 120 - 1
        "Biggest concern vs Feb 2026: pipeline created -5.6%, to $850.",
    ]


def test_summary_of_aligned_growth_in_euros() -> None:
    data = {
        "impressions": series(m2025_10=100, m2025_11=100, m2025_12=100, m2026_01=120, m2026_02=120, m2026_03=120),
        "revenue": series(m2025_10=1000, m2025_11=1000, m2025_12=1000,
                          m2026_01=1000, m2026_02=1100, m2026_03=1200),
    }
    sentences = month_summary(data, MAR, "EUR")
    assert sentences[0] == "In Mar 2026, revenue €1.2K (+9.1% vs Feb 2026)."  # 1200 / 1100 - 1
    # Impressions 360 vs 300: +20%; revenue 3300 vs 3000: +10%.
    assert sentences[1] == ("Over the quarter, impressions +20% and revenue +10%: "
                            "outputs and outcomes are rising together.")
    assert sentences[2] == "Best move vs Feb 2026: revenue +9.1%, to €1.2K."
    assert len(sentences) == 3  # impressions flat vs Feb: neither good nor bad


def test_summary_of_a_month_without_data() -> None:
    assert month_summary(DIVERGING, d(2019, 1)) == ["No data for Jan 2019."]


def test_summary_of_a_first_month() -> None:
    sentences = month_summary({"revenue": series(m2026_03=5000)}, MAR)
    assert sentences == [
        "In Mar 2026, revenue $5K.",
        "There is not yet enough history to compare this quarter with the one before.",
        "There are no figures for Feb 2026 to compare with.",
    ]


def test_summary_names_a_rising_cac_as_the_concern() -> None:
    sentences = month_summary(CARD_DATA, MAR)
    assert 3 <= len(sentences) <= 6
    # CAC +25% is the only bad move; clicks +50% (60 vs 40) beat impressions +20% and CTR +1 pt.
    assert "Biggest concern vs Feb 2026: customer acquisition cost +25.0%, to $1K." in sentences
    assert "Best move vs Feb 2026: clicks +50.0%, to 60." in sentences


@pytest.mark.parametrize(("label", "expected"), [
    ("Pipeline created", "pipeline created"), ("MQLs", "MQLs"), ("Net Promoter Score", "Net Promoter Score"),
    ("LTV : CAC", "LTV : CAC"),
])
def test_labels_read_naturally_mid_sentence(label: str, expected: str) -> None:
    assert phrase(label) == expected
