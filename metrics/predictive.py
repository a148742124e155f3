"""Does this output predict that outcome? Step 4 of the five-step method, and the monthly re-test.

How it works, in the order a reviewer would check it:
- Both series are differenced (this month minus last month) so two metrics that merely trend together over
  the years do not look related. A change needs both months present; gaps are reported, never filled.
- For each lag L (default 0 to 6 months) the predictor's change in month m is paired with the outcome's
  change in month m + L. Lags with fewer than 12 pairs are not tested.
- Pearson's r with its p-value and 95% confidence interval (Fisher z, from scipy), and Spearman's rank
  correlation as a check that a few extreme months do not carry the result.
- Testing seven lags gives seven chances of a fluke, so p-values are corrected with Holm's step-down method
  (statsmodels), which keeps the chance of any false "predicts" at 5%.
- Verdict: the strongest lag of at least one month whose corrected p is below 5% and whose interval excludes
  zero; a same-month link alone is reported as moving together, not as predicting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

from metrics.periods import Month, add_months, month_label, trailing

Series = Mapping[Month, float | None]
Pair = tuple[Month, float, float]  # predictor month, predictor change, outcome change

MIN_POINTS = 12
DEFAULT_LAGS: tuple[int, ...] = tuple(range(7))
ALPHA = 0.05
CORRECTION = "Holm"


class VerdictKind(StrEnum):
    PREDICTS = "predicts"
    MOVES_TOGETHER = "moves_together"  # related in the same month only: no lead time
    NO_RELATIONSHIP = "no_relationship"
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_VARIATION = "no_variation"  # a constant series: nothing to correlate


@dataclass(frozen=True)
class LagResult:
    """The test at one lag. Statistics are None when the lag could not be tested (``note`` says why)."""

    lag: int
    n: int
    pearson: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    spearman: float | None = None
    spearman_p: float | None = None
    spearman_p_adjusted: float | None = None
    note: str = ""

    @property
    def tested(self) -> bool:
        return self.pearson is not None

    @property
    def interval_excludes_zero(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None and (self.ci_low > 0 or self.ci_high < 0)

    def reliable(self, alpha: float = ALPHA, corrected: bool = True) -> bool:
        """p below ``alpha`` (corrected for the number of lags unless told otherwise) and an interval without 0."""
        p = self.p_adjusted if corrected else self.p_value
        return p is not None and p < alpha and self.interval_excludes_zero


@dataclass(frozen=True)
class Analysis:
    """Everything step 4 shows: per-lag results, the verdict, and what data was used or missing."""

    verdict: VerdictKind
    message: str
    lags: list[LagResult]
    best: LagResult | None
    sample: list[Month]
    missing_predictor: list[Month] = field(default_factory=list)
    missing_outcome: list[Month] = field(default_factory=list)
    correction: str = CORRECTION

    @property
    def points_used(self) -> int:
        return self.best.n if self.best else max((r.n for r in self.lags), default=0)


def present(series: Series, months: Sequence[Month]) -> dict[Month, float]:
    """The months of ``months`` that have a finite value."""
    return {m: float(v) for m in months if (v := series.get(m)) is not None and math.isfinite(v)}


def differenced(series: Series, months: Sequence[Month]) -> dict[Month, float]:
    """Month-on-month change, keyed by the later month; only where both months have a value."""
    values = present(series, months)
    return {m: values[m] - values[p] for m in values if (p := add_months(m, -1)) in values}


def lagged_pairs(predictor: Series, outcome: Series, months: Sequence[Month], lag: int) -> list[Pair]:
    """(predictor month, predictor change, outcome change ``lag`` months later), inside the sample only."""
    dx, dy = differenced(predictor, months), differenced(outcome, months)
    return [(m, dx[m], dy[later]) for m in sorted(dx) if (later := add_months(m, lag)) in dy]


def _varies(values: Sequence[float]) -> bool:
    return len(values) > 1 and float(np.ptp(values)) > 0


def _lag_result(pairs: list[Pair], lag: int, min_points: int) -> LagResult:
    n = len(pairs)
    if n < min_points:
        return LagResult(lag, n, note=f"too few points ({n} of the {min_points} needed)")
    x, y = [p[1] for p in pairs], [p[2] for p in pairs]
    if not (_varies(x) and _varies(y)):
        return LagResult(lag, n, note="no month-to-month variation")
    pearson = stats.pearsonr(x, y)
    interval = pearson.confidence_interval(0.95)
    spearman = stats.spearmanr(x, y)
    return LagResult(lag, n, float(pearson.statistic), float(interval.low), float(interval.high),
                     float(pearson.pvalue), spearman=float(spearman.statistic), spearman_p=float(spearman.pvalue))


def _holm(results: list[LagResult]) -> list[LagResult]:
    """Corrected p-values for every tested lag (Pearson and Spearman corrected separately)."""
    tested = [r for r in results if r.tested]
    if not tested:
        return results
    pearson = multipletests([r.p_value for r in tested], method="holm")[1]
    spearman = multipletests([r.spearman_p for r in tested], method="holm")[1]
    adjusted = {r.lag: (float(p), float(s)) for r, p, s in zip(tested, pearson, spearman, strict=True)}
    return [replace(r, p_adjusted=adjusted[r.lag][0], spearman_p_adjusted=adjusted[r.lag][1])
            if r.lag in adjusted else r for r in results]


def _evidence(result: LagResult) -> str:
    return (f"r = {result.pearson:.2f}, 95% CI {result.ci_low:.2f} to {result.ci_high:.2f}, "
            f"{CORRECTION}-corrected p = {result.p_adjusted:.3g}, {result.n} points")


def months_ahead(lag: int) -> str:
    return f"{lag} month{'s' if lag != 1 else ''} ahead"


def _verdict(results: list[LagResult], predictor: str, outcome: str) -> tuple[VerdictKind, str, LagResult | None]:
    reliable = [r for r in results if r.reliable()]
    leading = [r for r in reliable if r.lag > 0]
    if leading:
        best = max(leading, key=lambda r: (abs(r.pearson or 0), -r.lag))
        sense = "" if (best.pearson or 0) > 0 else " (in the opposite direction: when it rises, the outcome falls)"
        return (VerdictKind.PREDICTS, f"{predictor} predicts {outcome} {months_ahead(best.lag)}{sense}. "
                f"{_evidence(best)}.", best)
    if reliable:
        return (VerdictKind.MOVES_TOGETHER, f"{predictor} moves with {outcome} in the same month but gives no "
                f"warning ahead of it. {_evidence(reliable[0])}.", reliable[0])
    return VerdictKind.NO_RELATIONSHIP, f"No reliable relationship between {predictor} and {outcome}.", None


def _missing(series: Series, months: Sequence[Month]) -> list[Month]:
    values = present(series, months)
    return [m for m in months if m not in values]


def _unusable(predictor: Series, outcome: Series, months: Sequence[Month],
              labels: tuple[str, str]) -> tuple[VerdictKind, str] | None:
    """A plain reason the pair cannot be analysed at all (no data, or a series that never changes)."""
    for series, label in zip((predictor, outcome), labels, strict=True):
        values = list(present(series, months).values())
        if not values:
            return VerdictKind.NOT_ENOUGH_DATA, f"{label} has no data in the chosen months."
        if not _varies(list(differenced(series, months).values())):
            return (VerdictKind.NO_VARIATION, f"{label} does not vary from month to month in the chosen months, "
                    "so there is nothing to correlate.")
    return None


def analyse(predictor: Series, outcome: Series, months: Sequence[Month], lags: Sequence[int] = DEFAULT_LAGS,
            labels: tuple[str, str] = ("The predictor", "the outcome"),
            min_points: int = MIN_POINTS) -> Analysis:
    """Test whether changes in ``predictor`` are followed by changes in ``outcome``, at each lag in ``lags``."""
    months = sorted(months)
    missing = {"missing_predictor": _missing(predictor, months), "missing_outcome": _missing(outcome, months)}
    if (reason := _unusable(predictor, outcome, months, labels)) is not None:
        return Analysis(reason[0], reason[1], [], None, months, **missing)
    results = _holm([_lag_result(lagged_pairs(predictor, outcome, months, lag), lag, min_points) for lag in lags])
    if not any(r.tested for r in results):
        most = max((r.n for r in results), default=0)
        return Analysis(VerdictKind.NOT_ENOUGH_DATA, f"Not enough data (fewer than {min_points} points): at most "
                        f"{most} month-to-month changes line up.", results, None, months, **missing)
    kind, message, best = _verdict(results, *labels)
    return Analysis(kind, message, results, best, months, **missing)


def evidence_of(analysis: Analysis) -> dict[str, object]:
    """The numbers an adoption is recorded with (JSON-ready); empty when nothing was found."""
    best = analysis.best
    if best is None or not analysis.sample:
        return {}
    return {
        "lag": best.lag, "r": best.pearson, "ci_low": best.ci_low, "ci_high": best.ci_high,
        "p_value": best.p_value, "p_adjusted": best.p_adjusted, "spearman": best.spearman,
        "spearman_p_adjusted": best.spearman_p_adjusted, "n": best.n, "correction": analysis.correction,
        "lags_tested": [r.lag for r in analysis.lags if r.tested],
        "sample_start": analysis.sample[0].isoformat(), "sample_end": analysis.sample[-1].isoformat(),
        "sample_months": len(analysis.sample),
        "missing_predictor": [m.isoformat() for m in analysis.missing_predictor],
        "missing_outcome": [m.isoformat() for m in analysis.missing_outcome],
    }


# --- Step 5: re-testing an adopted indicator each later month ---------------------------------------------


class RetestStatus(StrEnum):
    STILL_PREDICTS = "still_predicts"
    STOPPED = "stopped"
    NOT_YET = "not_yet"  # no month after adoption yet


@dataclass(frozen=True)
class MonthCheck:
    month: Month
    n: int
    pearson: float | None
    p_value: float | None
    holds: bool | None  # None: too few points that month to tell


@dataclass(frozen=True)
class Retest:
    status: RetestStatus
    since: Month | None
    message: str
    checks: list[MonthCheck]


def check_month(predictor: Series, outcome: Series, month: Month, window: int, lag: int, positive: bool,
                alpha: float = ALPHA, min_points: int = MIN_POINTS) -> MonthCheck:
    """The adopted lag alone, on the ``window`` months ending at ``month``: does the link still hold?

    One lag is tested, so no multiple-testing correction applies; the sign must match the adopted one.
    """
    result = _lag_result(lagged_pairs(predictor, outcome, trailing(month, window), lag), lag, min_points)
    if not result.tested:
        return MonthCheck(month, result.n, None, None, None)
    same_sense = ((result.pearson or 0) > 0) == positive
    return MonthCheck(month, result.n, result.pearson, result.p_value,
                      result.reliable(alpha, corrected=False) and same_sense)


def retest(predictor: Series, outcome: Series, lag: int, window: int, tested_through: Month, latest: Month,
           positive: bool = True, alpha: float = ALPHA) -> Retest:
    """Re-run the adopted lag for every month after the one it was adopted on, with a rolling window of the
    same length as the original sample, and say whether it still predicts or since when it stopped."""
    checks = [check_month(predictor, outcome, add_months(tested_through, i), window, lag, positive, alpha)
              for i in range(1, _months_after(tested_through, latest) + 1)]
    decided = [c for c in checks if c.holds is not None]
    if not decided:
        return Retest(RetestStatus.NOT_YET, None, f"Tested through {month_label(tested_through)}; "
                      "re-tested as each new month arrives.", checks)
    if decided[-1].holds:
        return Retest(RetestStatus.STILL_PREDICTS, None,
                      f"Still predicts (re-tested through {month_label(decided[-1].month)}).", checks)
    since = _start_of_last_failures(decided)
    return Retest(RetestStatus.STOPPED, since, f"Stopped predicting since {month_label(since)}.", checks)


def retest_adopted(predictor: Series, outcome: Series, lag: int, evidence: Mapping[str, object],
                   latest: Month) -> Retest:
    """Re-test an indicator from the evidence it was adopted with (sample length, last month, sign of r)."""
    window = int(str(evidence["sample_months"]))
    tested_through = dt.date.fromisoformat(str(evidence["sample_end"]))
    return retest(predictor, outcome, lag, window, tested_through, latest, positive=float(str(evidence["r"])) > 0)


def _months_after(first: Month, last: Month) -> int:
    return max((last.year - first.year) * 12 + last.month - first.month, 0)


def _start_of_last_failures(decided: list[MonthCheck]) -> Month:
    """The first month of the unbroken run of failed checks that ends with the latest one."""
    since = decided[-1].month
    for check in reversed(decided):
        if check.holds:
            break
        since = check.month
    return since
