"""The validator's statistics against series whose truth is known."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pytest
from scipy import stats

from metrics.periods import add_months
from metrics.predictive import (
    RetestStatus,
    VerdictKind,
    analyse,
    differenced,
    evidence_of,
    lagged_pairs,
    retest,
)

START = dt.date(2023, 1, 1)
MONTHS = [add_months(START, i) for i in range(36)]


def _series(values) -> dict[dt.date, float | None]:
    return {m: (None if v is None else float(v)) for m, v in zip(MONTHS, values, strict=False)}


def _leading_pair(seed: int = 1, lead: int = 2, noise: float = 0.8) -> tuple[dict, dict]:
    """An output, and an outcome that follows it ``lead`` months later plus noise."""
    rng = np.random.default_rng(seed)
    driver = np.cumsum(rng.normal(0, 1, len(MONTHS) + lead))
    outcome = [2 * driver[i] + rng.normal(0, noise) for i in range(len(MONTHS))]
    return _series(driver[lead:]), _series(outcome)


def test_differencing_needs_both_months_and_never_fills_gaps() -> None:
    series = {MONTHS[0]: 10.0, MONTHS[1]: 13.0, MONTHS[3]: 20.0, MONTHS[4]: 18.0}
    assert differenced(series, MONTHS[:5]) == {MONTHS[1]: 3.0, MONTHS[4]: -2.0}


def test_lagged_pairs_stay_inside_the_sample() -> None:
    predictor = {m: float(i * i) for i, m in enumerate(MONTHS[:5])}  # changes 1, 3, 5, 7
    outcome = {m: float(i) for i, m in enumerate(MONTHS[:5])}  # changes 1, 1, 1, 1
    pairs = lagged_pairs(predictor, outcome, MONTHS[:5], lag=2)
    assert pairs == [(MONTHS[1], 1.0, 1.0), (MONTHS[2], 3.0, 1.0)]  # month 3 + 2 falls outside


def test_an_output_leading_by_two_months_is_found_at_lag_two() -> None:
    predictor, outcome = _leading_pair()
    result = analyse(predictor, outcome, MONTHS, labels=("Clicks", "pipeline created"))
    assert result.verdict == VerdictKind.PREDICTS
    assert result.best is not None and result.best.lag == 2
    assert result.best.ci_low > 0  # the 95% interval excludes zero
    assert result.best.n == 33  # 35 changes, of which the last two have no outcome two months later
    assert result.message.startswith("Clicks predicts pipeline created 2 months ahead.")
    assert [r.lag for r in result.lags] == list(range(7))
    assert result.correction == "Holm"


def test_holm_correction_is_applied_across_lags() -> None:
    predictor, outcome = _leading_pair()
    result = analyse(predictor, outcome, MONTHS)
    raw = sorted((r.p_value, r.lag) for r in result.lags)
    adjusted = {r.lag: r.p_adjusted for r in result.lags}
    smallest_p, smallest_lag = raw[0]
    assert adjusted[smallest_lag] == pytest.approx(min(1.0, smallest_p * 7))  # Holm's first step is Bonferroni
    assert all(adjusted[r.lag] >= r.p_value for r in result.lags)


def test_pearson_and_spearman_match_scipy_at_the_found_lag() -> None:
    predictor, outcome = _leading_pair()
    result = analyse(predictor, outcome, MONTHS)
    pairs = lagged_pairs(predictor, outcome, MONTHS, 2)
    x, y = [p[1] for p in pairs], [p[2] for p in pairs]
    assert result.best.pearson == pytest.approx(stats.pearsonr(x, y).statistic)
    assert result.best.spearman == pytest.approx(stats.spearmanr(x, y).statistic)
    z, half = np.arctanh(result.best.pearson), 1.959964 / np.sqrt(len(x) - 3)  # Fisher z by hand, as a check
    assert (result.best.ci_low, result.best.ci_high) == pytest.approx((np.tanh(z - half), np.tanh(z + half)), abs=1e-4)


def test_independent_random_walks_with_high_raw_correlation_are_no_reliable_relationship() -> None:
    rng = np.random.default_rng(10)
    walk_a, walk_b = np.cumsum(rng.normal(0, 1, 36)), np.cumsum(rng.normal(0, 1, 36))
    assert stats.pearsonr(walk_a, walk_b).statistic > 0.85  # they look related before de-trending
    result = analyse(_series(walk_a), _series(walk_b), MONTHS, labels=("Impressions", "new bookings"))
    assert result.verdict == VerdictKind.NO_RELATIONSHIP
    assert result.best is None
    assert result.message == "No reliable relationship between Impressions and new bookings."


def test_fewer_than_twelve_points_is_not_enough_data() -> None:
    predictor, outcome = _leading_pair()
    months = MONTHS[:12]  # 12 months give 11 changes
    result = analyse(predictor, outcome, months)
    assert result.verdict == VerdictKind.NOT_ENOUGH_DATA
    assert result.message.startswith("Not enough data (fewer than 12 points)")
    assert all(not r.tested and r.n <= 11 for r in result.lags)
    assert evidence_of(result) == {}


def test_missing_months_are_reported_and_shrink_the_sample() -> None:
    predictor, outcome = _leading_pair()
    predictor[MONTHS[10]] = None
    del outcome[MONTHS[20]]
    result = analyse(predictor, outcome, MONTHS)
    assert result.missing_predictor == [MONTHS[10]]
    assert result.missing_outcome == [MONTHS[20]]
    lag0 = result.lags[0]
    assert lag0.n == 35 - 2 - 2  # each gap removes the change into and out of the missing month


@pytest.mark.parametrize("constant_side", ["predictor", "outcome"])
def test_constant_series_give_a_clear_message_without_warnings(constant_side: str) -> None:
    predictor, outcome = _leading_pair()
    flat = _series([5.0] * 36)
    if constant_side == "predictor":
        predictor = flat
    else:
        outcome = flat
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = analyse(predictor, outcome, MONTHS, labels=("Clicks", "Pipeline created"))
    assert result.verdict == VerdictKind.NO_VARIATION
    assert "does not vary from month to month" in result.message
    assert result.best is None


def test_a_steady_trend_has_no_variation_once_differenced() -> None:
    predictor, outcome = _leading_pair()
    result = analyse(_series(range(36)), outcome, MONTHS, labels=("Sessions", "Pipeline created"))
    assert result.verdict == VerdictKind.NO_VARIATION
    assert result.message.startswith("Sessions does not vary")


def test_empty_series_says_which_one_has_no_data() -> None:
    _, outcome = _leading_pair()
    result = analyse({}, outcome, MONTHS, labels=("Content published", "Pipeline created"))
    assert result.verdict == VerdictKind.NOT_ENOUGH_DATA
    assert result.message == "Content published has no data in the chosen months."


def test_a_same_month_link_moves_together_but_does_not_predict() -> None:
    predictor, outcome = _leading_pair(lead=0, noise=0.3)
    result = analyse(predictor, outcome, MONTHS, labels=("Clicks", "pipeline created"))
    assert result.verdict == VerdictKind.MOVES_TOGETHER
    assert result.best.lag == 0
    assert "gives no warning ahead of it" in result.message


def test_a_negative_leading_link_says_the_direction() -> None:
    predictor, outcome = _leading_pair()
    flipped = {m: -v for m, v in predictor.items()}
    result = analyse(flipped, outcome, MONTHS, labels=("Cost per MQL", "pipeline created"))
    assert result.verdict == VerdictKind.PREDICTS and result.best.pearson < 0
    assert "opposite direction" in result.message


def test_evidence_is_json_ready() -> None:
    predictor, outcome = _leading_pair()
    evidence = evidence_of(analyse(predictor, outcome, MONTHS))
    assert evidence["lag"] == 2 and evidence["n"] == 33 and evidence["correction"] == "Holm"
    assert evidence["sample_start"] == "2023-01-01" and evidence["sample_end"] == "2025-12-01"
    assert evidence["ci_low"] > 0 and evidence["sample_months"] == 36


def test_retest_still_predicts_while_the_link_holds() -> None:
    predictor, outcome = _leading_pair()
    adopted_through = MONTHS[29]
    result = retest(predictor, outcome, lag=2, window=24, tested_through=adopted_through, latest=MONTHS[35])
    assert result.status == RetestStatus.STILL_PREDICTS
    assert [c.month for c in result.checks] == MONTHS[30:36]
    assert all(c.holds for c in result.checks)


def test_retest_flags_the_month_an_indicator_stopped_predicting() -> None:
    predictor, outcome = _leading_pair()
    rng = np.random.default_rng(7)
    broken = dict(outcome)
    for m in MONTHS[18:]:  # from mid-2024 the outcome wanders on its own
        broken[m] = float(broken[add_months(m, -1)] + rng.normal(0, 3))
    result = retest(predictor, broken, lag=2, window=12 + 3, tested_through=MONTHS[17], latest=MONTHS[35])
    assert result.status == RetestStatus.STOPPED
    assert result.checks[0].month == MONTHS[18] and result.checks[0].holds  # still mostly the old months
    assert result.since == dt.date(2024, 8, 1)  # the first failing month of the run that lasts to the end
    assert result.message == "Stopped predicting since Aug 2024."
    assert all(c.holds is False for c in result.checks[1:])


def test_retest_waits_for_a_month_after_adoption() -> None:
    predictor, outcome = _leading_pair()
    result = retest(predictor, outcome, lag=2, window=36, tested_through=MONTHS[35], latest=MONTHS[35])
    assert result.status == RetestStatus.NOT_YET and result.checks == []
