"""The validator's statistics against series whose truth is known."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import numpy as np
import pytest
from scipy import stats

from metrics.periods import add_months
from metrics.predictive import (
    RetestStatus,
    VerdictKind,
    Without,
    analyse,
    check_month,
    differenced,
    evidence_of,
    holm,
    lagged_pairs,
    left_out_text,
    retest,
    retest_adopted,
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


# --- The second look: Spearman must agree and no single month may carry the verdict -----------------------


def _from_changes(changes) -> dict[dt.date, float]:
    """Levels whose month-to-month changes are exactly ``changes`` (change i is the one into MONTHS[i + 1])."""
    return _series(np.concatenate([[100.0], 100.0 + np.cumsum(changes)]))


def _pairs_at(dx, dy, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """The test's own pairing: change i of the predictor with change i + lag of the outcome."""
    return np.asarray(dx[:len(dx) - lag]), np.asarray(dy[lag:])


def _holm_by_statsmodels(p_values: list[float]) -> list[float]:
    from statsmodels.stats.multitest import multipletests

    return [float(p) for p in multipletests(p_values, method="holm")[1]]


def _corrected_without(dx, dy, lag: int, drop: list[int]) -> tuple[float, float, float]:
    """r, raw p and Holm-corrected p at ``lag`` without the changes ``drop``, the other lags as they are."""
    raw = [stats.pearsonr(*_pairs_at(dx, dy, lag_)).pvalue for lag_ in range(7)]
    x, y = _pairs_at(dx, dy, lag)
    keep = [i for i in range(len(x)) if i not in drop]
    without = stats.pearsonr(x[keep], y[keep])
    raw[lag] = without.pvalue
    return float(without.statistic), float(without.pvalue), _holm_by_statsmodels(raw)[lag]


@pytest.mark.parametrize(("p_values", "expected"), [
    ([0.01, 0.04, 0.03], [0.03, 0.06, 0.06]),  # 0.01 x 3; 0.03 x 2; 0.04 x 1 = 0.04, raised to 0.06 (never below)
    ([0.2, 0.5], [0.4, 0.5]),
    ([0.6, 0.7, 0.001], [1.0, 1.0, 0.003]),  # capped at 1
    ([0.02], [0.02]),  # one test: nothing to correct
    ([], []),
])
def test_holm_by_hand(p_values: list[float], expected: list[float]) -> None:
    assert holm(p_values) == pytest.approx(expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_holm_matches_statsmodels(seed: int) -> None:
    p_values = list(np.random.default_rng(seed).uniform(0, 0.2, 7))
    assert holm(p_values) == pytest.approx(_holm_by_statsmodels(p_values))


@pytest.mark.parametrize(("pearson", "p_adjusted", "positive", "holds"), [
    (0.40, 0.010, True, True),
    (-0.40, 0.010, False, True),  # a negative link stays negative
    (-0.40, 0.010, True, False),  # the sign flipped
    (0.40, 0.050, True, False),  # at the threshold: no longer below 5%
    (0.40, 0.300, True, False),
    (None, None, True, False),  # nothing varies without the month
])
def test_a_result_without_some_months_holds_only_if_significant_in_the_same_direction(
        pearson, p_adjusted, positive, holds) -> None:
    assert Without((MONTHS[3],), 30, pearson, p_adjusted, p_adjusted).holds(positive) is holds


@pytest.mark.parametrize(("seed", "noise"), [(1, 0.8), (2, 0.8), (3, 1.2), (4, 1.2), (5, 1.2)])
def test_a_true_two_month_lead_predicts_with_spearman_agreeing(seed: int, noise: float) -> None:
    predictor, outcome = _leading_pair(seed=seed, noise=noise)
    result = analyse(predictor, outcome, MONTHS, labels=("Clicks", "pipeline created"))
    assert result.verdict == VerdictKind.PREDICTS and result.best.lag == 2
    dx = np.diff([predictor[m] for m in MONTHS])
    dy = np.diff([outcome[m] for m in MONTHS])
    spearman_adjusted = _holm_by_statsmodels([stats.spearmanr(*_pairs_at(dx, dy, lag)).pvalue for lag in range(7)])
    assert result.best.spearman_p_adjusted == pytest.approx(spearman_adjusted[2])
    assert spearman_adjusted[2] < 0.05 and result.best.spearman > 0
    x, y = _pairs_at(dx, dy, 2)
    weakest = min(np.corrcoef(np.delete(x, i), np.delete(y, i))[0, 1] for i in range(len(x)))
    look = result.second_look
    assert look.holds and look.carried_by == () and look.weakest.pearson == pytest.approx(weakest)
    assert result.message.endswith("Spearman's rank correlation agrees "
                                   f"(ρ = {result.best.spearman:.2f}) and no single month carries it.")


@pytest.mark.parametrize("seed", [10, 11, 12, 13, 14])
def test_independent_random_walks_give_no_relationship(seed: int) -> None:
    rng = np.random.default_rng(seed)
    walk_a, walk_b = np.cumsum(rng.normal(0, 1, 36)), np.cumsum(rng.normal(0, 1, 36))
    result = analyse(_series(walk_a), _series(walk_b), MONTHS)
    assert result.verdict == VerdictKind.NO_RELATIONSHIP and result.best is None


def _edge_months(seed: int, share: float = 7 / 31) -> tuple[dict, dict]:
    """Two unrelated metrics from one file that starts and ends a week into a month: the first and last months
    hold only ``share`` of a month's figures, so both metrics jump up into February and fall into December."""
    rng = np.random.default_rng(seed)
    a, b = 100 + rng.normal(0, 3, 36), 50 + rng.normal(0, 2, 36)
    for edge in (0, 35):
        a[edge] *= share
        b[edge] *= share
    return _series(a), _series(b)


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_two_edge_months_that_make_the_correlation_are_fragile_and_named(seed: int) -> None:
    predictor, outcome = _edge_months(seed)
    dx = np.diff([predictor[m] for m in MONTHS])
    dy = np.diff([outcome[m] for m in MONTHS])
    extreme = [0, 34]  # the changes into Feb 2023 and into Dec 2025
    assert stats.pearsonr(dx, dy).statistic > 0.85  # with them the same-month link looks strong
    r_without, _, p_without = _corrected_without(dx, dy, 0, extreme)
    assert abs(r_without) < 0.15  # without them there is nothing
    result = analyse(predictor, outcome, MONTHS, labels=("Clicks", "pipeline created"))
    assert result.verdict == VerdictKind.FRAGILE and result.best.lag == 0
    assert result.message.startswith("Fragile: Clicks looks as if it moves with pipeline created in the same month")
    assert result.fragile_reasons == [
        "Pearson says yes but the rank correlation (Spearman) does not: a few extreme months drive it (Feb 2023 and "
        f"Dec 2025; without them r = {r_without:.2f}, Holm-corrected p = {p_without:.2g})."]
    assert result.message.endswith("Treat it as no reliable relationship.")
    assert evidence_of(result)["verdict"] == "fragile"


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_partial_edge_months_left_out_leave_no_relationship_and_are_listed(seed: int) -> None:
    predictor, outcome = _edge_months(seed)
    edges = {MONTHS[0], MONTHS[35]}
    result = analyse(predictor, outcome, MONTHS, exclude=edges)
    assert result.verdict == VerdictKind.NO_RELATIONSHIP
    assert result.excluded == [MONTHS[0], MONTHS[35]]
    assert result.sample == MONTHS  # the span chosen is unchanged; only the left-out months are not used
    assert result.lags[0].n == 33  # 35 changes less the one out of Jan 2023 and the one into Dec 2025
    assert left_out_text(result.excluded) == "Left out: Jan 2023 and Dec 2025 (partial months)."
    assert evidence_of(analyse(*_leading_pair(), MONTHS, exclude=edges))["excluded"] == ["2023-01-01", "2025-12-01"]


@pytest.mark.parametrize(("left_out", "lag", "expected_n"), [
    (set(), 0, 35),
    ({10}, 0, 33),  # the change into month 10 and the one out of it
    ({10}, 1, 31),  # predictor changes 10 and 11 go, and so do those whose outcome change (one later) is 10 or 11
    ({10}, 2, 29),  # two on each side, none shared
    ({10, 11}, 0, 32),  # three changes touch months 10 and 11
    ({0}, 0, 34),  # the first month only starts a change
    ({35}, 2, 32),  # the change into month 35 was the outcome of the pair starting in month 33
])
def test_a_change_that_touches_a_left_out_month_is_not_used(left_out: set[int], lag: int, expected_n: int) -> None:
    predictor, outcome = _leading_pair()
    exclude = {MONTHS[i] for i in left_out}
    pairs = lagged_pairs(predictor, outcome, MONTHS, lag, exclude=exclude)
    assert len(pairs) == expected_n
    for month, _, _ in pairs:
        touched = {add_months(month, -1), month, add_months(month, lag - 1), add_months(month, lag)}
        assert not touched & exclude


def test_left_out_text_names_one_month() -> None:
    assert left_out_text([dt.date(2021, 9, 1)]) == "Left out: Sep 2021 (partial month)."
    assert left_out_text([]) == ""


@pytest.mark.parametrize("seed", [0, 2])
def test_pearson_yes_spearman_no_is_fragile_with_that_reason(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dx, dy = rng.normal(0, 1, 35), rng.normal(0, 1, 35)
    for i in (4, 10, 16, 22, 28):  # five months where both jump, the outcome two months after the candidate
        dx[i] += 3.5
        dy[i + 2] += 3.5
    raw = [stats.pearsonr(*_pairs_at(dx, dy, lag)).pvalue for lag in range(7)]
    spearman = [stats.spearmanr(*_pairs_at(dx, dy, lag)).pvalue for lag in range(7)]
    assert _holm_by_statsmodels(raw)[2] < 0.05 <= _holm_by_statsmodels(spearman)[2]  # the case as built
    result = analyse(_from_changes(dx), _from_changes(dy), MONTHS, labels=("Clicks", "pipeline created"))
    assert result.verdict == VerdictKind.FRAGILE and result.best.lag == 2
    [reason] = result.fragile_reasons  # Spearman's reason alone: no single month carries it
    assert reason.startswith("Pearson says yes but the rank correlation (Spearman) does not: a few extreme months "
                             "drive it (")
    named = result.second_look.extreme.months
    assert set(named) <= {MONTHS[i + 1] for i in (4, 10, 16, 22, 28)}  # the months it names are the jumps
    assert "Clicks looks as if it predicts pipeline created 2 months ahead" in result.message


def test_a_month_that_carries_the_result_is_named_and_the_retest_is_holm_corrected_across_lags() -> None:
    rng = np.random.default_rng(73)
    dx, dy = rng.normal(0, 1, 35), rng.normal(0, 1, 35)
    dy[2:] += 0.45 * dx[:-2]  # a real but modest two-month lead
    dx[20] += 2.5  # and one month (Oct 2024) where both jump, the outcome two months later
    dy[22] += 2.5
    spearman = [stats.spearmanr(*_pairs_at(dx, dy, lag)).pvalue for lag in range(7)]
    assert _holm_by_statsmodels(spearman)[2] < 0.05  # the ranks agree: only the leave-one-out check can fail
    r_without, p_raw, p_corrected = _corrected_without(dx, dy, 2, [20])
    assert p_raw < 0.05 <= p_corrected  # significant on its own, not after correcting for seven lags
    result = analyse(_from_changes(dx), _from_changes(dy), MONTHS)
    assert result.verdict == VerdictKind.FRAGILE and result.best.lag == 2
    assert result.fragile_reasons == [
        f"It rests on Oct 2024 alone: without that month r = {r_without:.2f} (Holm-corrected p = {p_corrected:.2g})."]
    assert result.second_look.carried_by[0].p_value == pytest.approx(p_raw)


def test_one_extreme_month_is_named_once() -> None:
    rng = np.random.default_rng(0)
    dx, dy = rng.normal(0, 1, 35), rng.normal(0, 1, 35)
    dx[15] += 15  # May 2024, and the outcome a month later
    dy[16] += 15
    r_without, _, p_corrected = _corrected_without(dx, dy, 1, [15])
    result = analyse(_from_changes(dx), _from_changes(dy), MONTHS)
    assert result.verdict == VerdictKind.FRAGILE and result.best.lag == 1
    assert result.fragile_reasons == [
        "Pearson says yes but the rank correlation (Spearman) does not: a few extreme months drive it.",
        f"It rests on May 2024 alone: without that month r = {r_without:.2f} (Holm-corrected p = {p_corrected:.2g})."]


# --- What adoption records, and evidence recorded by earlier versions ---------------------------------------

EARLIER_EVIDENCE = {  # what evidence_of recorded before the second look existed, as stored in the database
    "lag": 2, "r": 0.61, "ci_low": 0.33, "ci_high": 0.79, "p_value": 0.0002, "p_adjusted": 0.0014,
    "spearman": 0.55, "spearman_p_adjusted": 0.006, "n": 33, "correction": "Holm", "lags_tested": [0, 1, 2],
    "sample_start": "2023-01-01", "sample_end": "2024-12-01", "sample_months": 24,
    "missing_predictor": [], "missing_outcome": []}


def test_evidence_keeps_every_earlier_key_and_stays_json_ready() -> None:
    predictor, outcome = _leading_pair()
    evidence = evidence_of(analyse(predictor, outcome, MONTHS))
    assert set(EARLIER_EVIDENCE) <= set(evidence)
    assert json.loads(json.dumps(evidence)) == evidence
    assert evidence["verdict"] == "predicts" and evidence["spearman_agrees"] is True and evidence["excluded"] == []
    assert set(evidence["weakest_without"]) == {"months", "n", "r", "p_adjusted"}


def test_evidence_recorded_by_an_earlier_version_is_still_retested() -> None:
    predictor, outcome = _leading_pair()
    check = retest_adopted(predictor, outcome, 2, EARLIER_EVIDENCE, latest=MONTHS[35])
    assert check.status == RetestStatus.STILL_PREDICTS
    assert [c.month for c in check.checks] == MONTHS[24:36]


def test_the_retest_leaves_out_the_months_it_is_told_to() -> None:
    predictor, outcome = _leading_pair()
    full = check_month(predictor, outcome, MONTHS[35], window=24, lag=2, positive=True)
    without = check_month(predictor, outcome, MONTHS[35], window=24, lag=2, positive=True, exclude={MONTHS[30]})
    assert (full.n, without.n) == (21, 17)  # 23 changes in 24 months, less 2 with no outcome yet; 4 touch month 30
    retested = retest_adopted(predictor, outcome, 2, EARLIER_EVIDENCE, latest=MONTHS[35], exclude={MONTHS[30]})
    assert retested.checks[-1].n == 17
