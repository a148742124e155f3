"""Does this output predict that outcome? Step 4 of the five-step method, and the monthly re-test.

How it works, in the order a reviewer would check it:
- Both series are differenced (this month minus last month) so two metrics that merely trend together over
  the years do not look related. A change needs both months present; gaps are reported, never filled.
- For each lag L (default 0 to 6 months) the predictor's change in month m is paired with the outcome's
  change in month m + L. Lags with fewer than 12 pairs are not tested.
- Pearson's r with its p-value and 95% confidence interval (Fisher z, from scipy), and Spearman's rank
  correlation as a check that a few extreme months do not carry the result.
- Testing seven lags gives seven chances of a fluke, so p-values are corrected with Holm's step-down method,
  which keeps the chance of any false "predicts" at 5%. Pearson and Spearman are corrected separately.
- A second look at every lag Pearson calls reliable, because a correlation of monthly changes can come from
  one or two extreme months (a file starting on the 24th makes a tiny first month and a huge jump after it):
  the rank correlation (Spearman) must agree, with the same sign and a corrected p below 5%; and no single
  month may carry it. Each pair is dropped in turn and the lag re-tested; the re-test is corrected by
  re-running Holm across the lags with this lag's p-value replaced by the one without that month (the
  correction a sample without that month would have got). If any drop loses significance or flips the sign,
  the month carries the result. A lag that fails either check is *fragile*, and the verdict names why.
- Months passed in ``exclude`` are left out (the page passes the partial months unless the user includes
  them): a change that starts or ends in one is not used, and the analysis lists them.
- Verdict: the strongest lag of at least one month that is reliable and survives the second look; a
  same-month link alone is reported as moving together, not as predicting; a reliable lag that does not
  survive is fragile.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from scipy import stats

from metrics.periods import Month, add_months, month_label, trailing

Series = Mapping[Month, float | None]
Pair = tuple[Month, float, float]  # predictor month, predictor change, outcome change

MIN_POINTS = 12
DEFAULT_LAGS: tuple[int, ...] = tuple(range(7))
ALPHA = 0.05
CORRECTION = "Holm"
MOST_EXTREME_MONTHS = 3  # how many months the search for "the few months that drive it" may take out
MOST_MONTHS_NAMED = 3  # single months named in a fragile verdict, most damaging first


class VerdictKind(StrEnum):
    PREDICTS = "predicts"
    MOVES_TOGETHER = "moves_together"  # related in the same month only: no lead time
    FRAGILE = "fragile"  # Pearson says yes, but the second look (Spearman, leave-one-out) does not
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

    def spearman_agrees(self, alpha: float = ALPHA) -> bool:
        """The rank correlation says the same: same sign as Pearson's r and a corrected p below ``alpha``."""
        if self.pearson is None or self.spearman is None or self.spearman_p_adjusted is None:
            return False
        return self.spearman_p_adjusted < alpha and (self.spearman > 0) == (self.pearson > 0)


@dataclass(frozen=True)
class Without:
    """A lag re-tested with some months' pairs taken out: does the correlation survive without them?"""

    months: tuple[Month, ...]  # the predictor months of the pairs taken out
    n: int
    pearson: float | None  # None: without those months nothing varies any more
    p_value: float | None
    p_adjusted: float | None  # Holm across the lags, with this lag's p-value replaced by this one

    def holds(self, positive: bool, alpha: float = ALPHA) -> bool:
        """Still significant after the same correction, and still in the same direction."""
        return (self.pearson is not None and self.p_adjusted is not None and self.p_adjusted < alpha
                and (self.pearson > 0) == positive)

    def text(self, inside_brackets: bool = False) -> str:
        """'r = -0.05 (Holm-corrected p = 0.77)' ('r = -0.05, Holm-corrected p = 0.77' inside brackets)."""
        if self.pearson is None or self.p_adjusted is None:
            return "nothing varies any more"
        p = f"{CORRECTION}-corrected p = {self.p_adjusted:.2g}"
        return f"r = {self.pearson:.2f}, {p}" if inside_brackets else f"r = {self.pearson:.2f} ({p})"


@dataclass(frozen=True)
class SecondLook:
    """Whether a lag Pearson calls reliable survives a second look: Spearman agrees, no single month carries it."""

    lag: int
    spearman_agrees: bool
    carried_by: tuple[Without, ...]  # single months without which it is lost, most damaging first
    weakest: Without | None  # the single month whose removal weakens it most (shown even when it holds)
    extreme: Without | None = None  # when Spearman disagrees: the few months that drive it
    extreme_found: bool = False  # whether taking out ``extreme`` loses the result

    @property
    def holds(self) -> bool:
        return self.spearman_agrees and not self.carried_by

    def reasons(self) -> list[str]:
        """Why the lag is fragile, one plain sentence each; empty when it holds."""
        reasons = [] if self.spearman_agrees else [self._spearman_reason(named=not self._one_month_carries_it)]
        if self.carried_by:
            reasons.append(self._carried_reason())
        return reasons

    @property
    def _one_month_carries_it(self) -> bool:
        """The few extreme months are one, already named as carrying the result on its own."""
        return bool(self.carried_by) and self.extreme is not None and len(self.extreme.months) == 1

    def _spearman_reason(self, named: bool = True) -> str:
        reason = "Pearson says yes but the rank correlation (Spearman) does not: a few extreme months drive it"
        if self.extreme is None or not named:
            return reason + "."
        months = _and_list([month_label(m) for m in self.extreme.months])
        without = f"without them {self.extreme.text(inside_brackets=True)}"
        if self.extreme_found:
            return reason + f" ({months}; {without})."
        return reason + f" (the most extreme are {months}; {without})."

    def _carried_reason(self) -> str:
        first = self.carried_by[0]
        if len(self.carried_by) == 1:
            return f"It rests on {month_label(first.months[0])} alone: without that month {first.text()}."
        named = [f"without {month_label(w.months[0])} {w.text()}" for w in self.carried_by[:MOST_MONTHS_NAMED]]
        more = len(self.carried_by) - MOST_MONTHS_NAMED
        tail = f", and {more} more month{'s' if more != 1 else ''} like them" if more > 0 else ""
        return f"It rests on single months: {'; '.join(named)}{tail}."


@dataclass(frozen=True)
class Analysis:
    """Everything step 4 shows: per-lag results, the verdict, and what data was used, missing or left out."""

    verdict: VerdictKind
    message: str
    lags: list[LagResult]
    best: LagResult | None  # the lag the verdict is about (for a fragile verdict: the one that looked reliable)
    sample: list[Month]
    missing_predictor: list[Month] = field(default_factory=list)
    missing_outcome: list[Month] = field(default_factory=list)
    correction: str = CORRECTION
    excluded: list[Month] = field(default_factory=list)  # months of the sample left out (partial months)
    second_looks: list[SecondLook] = field(default_factory=list)  # one per lag Pearson calls reliable

    @property
    def points_used(self) -> int:
        return self.best.n if self.best else max((r.n for r in self.lags), default=0)

    @property
    def second_look(self) -> SecondLook | None:
        """The second look at the verdict's lag, when Pearson called it reliable."""
        return next((s for s in self.second_looks if self.best and s.lag == self.best.lag), None)

    @property
    def fragile_reasons(self) -> list[str]:
        return self.second_look.reasons() if self.verdict == VerdictKind.FRAGILE and self.second_look else []


def present(series: Series, months: Sequence[Month]) -> dict[Month, float]:
    """The months of ``months`` that have a finite value."""
    return {m: float(v) for m in months if (v := series.get(m)) is not None and math.isfinite(v)}


def differenced(series: Series, months: Sequence[Month]) -> dict[Month, float]:
    """Month-on-month change, keyed by the later month; only where both months have a value."""
    values = present(series, months)
    return {m: values[m] - values[p] for m in values if (p := add_months(m, -1)) in values}


def kept_months(months: Sequence[Month], exclude: Collection[Month] = ()) -> list[Month]:
    """The sample without the months left out: a change into or out of a left-out month is then not formed."""
    left_out = set(exclude)
    return [m for m in months if m not in left_out]


def lagged_pairs(predictor: Series, outcome: Series, months: Sequence[Month], lag: int,
                 exclude: Collection[Month] = ()) -> list[Pair]:
    """(predictor month, predictor change, outcome change ``lag`` months later), inside the sample only.

    A change that starts or ends in a month of ``exclude`` is not used, on either side.
    """
    kept = kept_months(months, exclude)
    dx, dy = differenced(predictor, kept), differenced(outcome, kept)
    return [(m, dx[m], dy[later]) for m in sorted(dx) if (later := add_months(m, lag)) in dy]


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given: the k-th smallest is multiplied by (m - k + 1),
    never below the one before it, and capped at 1."""
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(sorted(range(len(p_values)), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


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
    pearson = holm([float(r.p_value or 0) for r in tested])
    spearman = holm([float(r.spearman_p or 0) for r in tested])
    adjusted = {r.lag: (p, s) for r, p, s in zip(tested, pearson, spearman, strict=True)}
    return [replace(r, p_adjusted=adjusted[r.lag][0], spearman_p_adjusted=adjusted[r.lag][1])
            if r.lag in adjusted else r for r in results]


# --- The second look: Spearman must agree, and no single month may carry the result -------------------


@dataclass(frozen=True)
class _LagSample:
    """One lag's pairs and the raw p-values of every tested lag, to re-correct a re-test the same way."""

    lag: int
    pairs: list[Pair]
    p_values: dict[int, float]  # lag -> raw Pearson p of every tested lag

    def without(self, months: Collection[Month]) -> Without:
        """The lag re-tested without the pairs of ``months``, corrected across the lags as the original was."""
        kept = [p for p in self.pairs if p[0] not in months]
        x, y = [p[1] for p in kept], [p[2] for p in kept]
        taken = tuple(sorted(months))
        if len(kept) < 3 or not (_varies(x) and _varies(y)):
            return Without(taken, len(kept), None, None, None)
        r, p = _pearson(x, y)
        p_values = {**self.p_values, self.lag: p}
        adjusted = dict(zip(p_values, holm(list(p_values.values())), strict=True))
        return Without(taken, len(kept), r, p, adjusted[self.lag])


def _pearson(x: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Pearson's r and its two-sided p-value (the t test scipy's pearsonr does), without scipy's per-call
    overhead: the second look re-tests a lag dozens of times."""
    r = float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))
    n = len(x)
    if abs(r) == 1.0:
        return r, 0.0
    t = abs(r) * math.sqrt((n - 2) / (1 - r * r))
    return r, float(2 * stats.t.sf(t, n - 2))


def _weakness(without: Without, positive: bool) -> tuple[bool, float]:
    """Sort key, weakest first: lost results before surviving ones, then by r in the original direction."""
    strength = 0.0 if without.pearson is None else (without.pearson if positive else -without.pearson)
    return without.holds(positive), strength


def _most_extreme(sample: _LagSample, positive: bool) -> tuple[Without | None, bool]:
    """Take out, one at a time, the month whose removal weakens the result most, until it is lost (or the
    limit is reached). Returns the months taken out with the result without them, and whether it was lost."""
    taken: set[Month] = set()
    result: Without | None = None
    for _ in range(MOST_EXTREME_MONTHS):
        options = [sample.without(taken | {p[0]}) for p in sample.pairs if p[0] not in taken]
        if not options:
            break
        result = min(options, key=lambda w: _weakness(w, positive))
        taken = set(result.months)
        if not result.holds(positive):
            return result, True
    return result, False


def second_look(result: LagResult, pairs: list[Pair], p_values: Mapping[int, float]) -> SecondLook:
    """Spearman's agreement and the leave-one-out re-test of a lag Pearson calls reliable."""
    sample = _LagSample(result.lag, pairs, dict(p_values))
    positive = (result.pearson or 0) > 0
    drops = sorted((sample.without({p[0]}) for p in pairs), key=lambda w: _weakness(w, positive))
    carried = tuple(w for w in drops if not w.holds(positive))
    agrees = result.spearman_agrees()
    extreme, found = (None, False) if agrees else _most_extreme(sample, positive)
    return SecondLook(result.lag, agrees, carried, drops[0] if drops else None, extreme, found)


def _second_looks(results: list[LagResult], pairs: Mapping[int, list[Pair]]) -> list[SecondLook]:
    p_values = {r.lag: float(r.p_value) for r in results if r.tested and r.p_value is not None}
    return [second_look(r, pairs[r.lag], p_values) for r in results if r.reliable()]


# --- The verdict ------------------------------------------------------------------------------------------


def _evidence(result: LagResult) -> str:
    return (f"r = {result.pearson:.2f}, 95% CI {result.ci_low:.2f} to {result.ci_high:.2f}, "
            f"{CORRECTION}-corrected p = {result.p_adjusted:.3g}, {result.n} points")


def _survived(result: LagResult) -> str:
    return (f"Spearman's rank correlation agrees (ρ = {result.spearman:.2f}) and no single month carries it.")


def months_ahead(lag: int) -> str:
    return f"{lag} month{'s' if lag != 1 else ''} ahead"


def _predicts(best: LagResult, predictor: str, outcome: str) -> str:
    sense = "" if (best.pearson or 0) > 0 else " (in the opposite direction: when it rises, the outcome falls)"
    return (f"{predictor} predicts {outcome} {months_ahead(best.lag)}{sense}. {_evidence(best)}. "
            f"{_survived(best)}")


def _moves_together(best: LagResult, predictor: str, outcome: str) -> str:
    return (f"{predictor} moves with {outcome} in the same month but gives no warning ahead of it. "
            f"{_evidence(best)}. {_survived(best)}")


def _fragile(best: LagResult, look: SecondLook, predictor: str, outcome: str) -> str:
    claim = (f"predicts {outcome} {months_ahead(best.lag)}" if best.lag > 0
             else f"moves with {outcome} in the same month")
    return (f"Fragile: {predictor} looks as if it {claim} ({_evidence(best)}), but the result does not survive a "
            f"second look. {' '.join(look.reasons())} Treat it as no reliable relationship.")


def _strongest(results: list[LagResult]) -> LagResult:
    return max(results, key=lambda r: (abs(r.pearson or 0), -r.lag))


def _verdict(results: list[LagResult], looks: list[SecondLook], predictor: str,
             outcome: str) -> tuple[VerdictKind, str, LagResult | None]:
    reliable = [r for r in results if r.reliable()]
    holding = {s.lag for s in looks if s.holds}
    robust = [r for r in reliable if r.lag in holding]
    if leading := [r for r in robust if r.lag > 0]:
        best = _strongest(leading)
        return VerdictKind.PREDICTS, _predicts(best, predictor, outcome), best
    if robust:
        return VerdictKind.MOVES_TOGETHER, _moves_together(robust[0], predictor, outcome), robust[0]
    if reliable:
        best = _strongest([r for r in reliable if r.lag > 0] or reliable)
        look = next(s for s in looks if s.lag == best.lag)
        return VerdictKind.FRAGILE, _fragile(best, look, predictor, outcome), best
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
            min_points: int = MIN_POINTS, exclude: Collection[Month] = ()) -> Analysis:
    """Test whether changes in ``predictor`` are followed by changes in ``outcome``, at each lag in ``lags``.

    The months of ``exclude`` (partial months) are left out of the sample and listed in ``Analysis.excluded``.
    """
    months = sorted(months)
    kept = kept_months(months, exclude)
    context = {"missing_predictor": _missing(predictor, kept), "missing_outcome": _missing(outcome, kept),
               "excluded": [m for m in months if m not in set(kept)]}
    if (reason := _unusable(predictor, outcome, kept, labels)) is not None:
        return Analysis(reason[0], reason[1], [], None, months, **context)
    pairs = {lag: lagged_pairs(predictor, outcome, kept, lag) for lag in lags}
    results = _holm([_lag_result(pairs[lag], lag, min_points) for lag in lags])
    if not any(r.tested for r in results):
        most = max((r.n for r in results), default=0)
        return Analysis(VerdictKind.NOT_ENOUGH_DATA, f"Not enough data (fewer than {min_points} points): at most "
                        f"{most} month-to-month changes line up.", results, None, months, **context)
    looks = _second_looks(results, pairs)
    kind, message, best = _verdict(results, looks, *labels)
    return Analysis(kind, message, results, best, months, **context, second_looks=looks)


def left_out_text(months: Sequence[Month], why: str = "partial month") -> str:
    """'Left out: Sep 2021 (partial month).', or '' when nothing was left out."""
    if not months:
        return ""
    reason = why if len(months) == 1 else f"{why}s"
    return f"Left out: {_and_list([month_label(m) for m in months])} ({reason})."


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _without_record(without: Without | None) -> dict[str, object] | None:
    if without is None:
        return None
    return {"months": [m.isoformat() for m in without.months], "n": without.n, "r": without.pearson,
            "p_adjusted": without.p_adjusted}


def evidence_of(analysis: Analysis) -> dict[str, object]:
    """The numbers an adoption is recorded with (JSON-ready); empty when nothing was found.

    Keys only ever get added, so evidence stored by earlier versions reads the same: ``verdict``,
    ``spearman_agrees``, ``weakest_without`` and ``excluded`` are newer and may be absent from old records.
    """
    best = analysis.best
    if best is None or not analysis.sample:
        return {}
    look = analysis.second_look
    return {
        "lag": best.lag, "r": best.pearson, "ci_low": best.ci_low, "ci_high": best.ci_high,
        "p_value": best.p_value, "p_adjusted": best.p_adjusted, "spearman": best.spearman,
        "spearman_p_adjusted": best.spearman_p_adjusted, "n": best.n, "correction": analysis.correction,
        "lags_tested": [r.lag for r in analysis.lags if r.tested],
        "sample_start": analysis.sample[0].isoformat(), "sample_end": analysis.sample[-1].isoformat(),
        "sample_months": len(analysis.sample),
        "missing_predictor": [m.isoformat() for m in analysis.missing_predictor],
        "missing_outcome": [m.isoformat() for m in analysis.missing_outcome],
        "verdict": analysis.verdict.value, "spearman_agrees": best.spearman_agrees(),
        "weakest_without": _without_record(look.weakest if look else None),
        "excluded": [m.isoformat() for m in analysis.excluded],
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
                alpha: float = ALPHA, min_points: int = MIN_POINTS, exclude: Collection[Month] = ()) -> MonthCheck:
    """The adopted lag alone, on the ``window`` months ending at ``month``: does the link still hold?

    One lag is tested, so no multiple-testing correction applies; the sign must match the adopted one. The
    months of ``exclude`` (partial months) are left out as in the validator.
    """
    result = _lag_result(lagged_pairs(predictor, outcome, trailing(month, window), lag, exclude), lag, min_points)
    if not result.tested:
        return MonthCheck(month, result.n, None, None, None)
    same_sense = ((result.pearson or 0) > 0) == positive
    return MonthCheck(month, result.n, result.pearson, result.p_value,
                      result.reliable(alpha, corrected=False) and same_sense)


def retest(predictor: Series, outcome: Series, lag: int, window: int, tested_through: Month, latest: Month,
           positive: bool = True, alpha: float = ALPHA, exclude: Collection[Month] = ()) -> Retest:
    """Re-run the adopted lag for every month after the one it was adopted on, with a rolling window of the
    same length as the original sample, and say whether it still predicts or since when it stopped."""
    checks = [check_month(predictor, outcome, add_months(tested_through, i), window, lag, positive, alpha,
                          exclude=exclude) for i in range(1, _months_after(tested_through, latest) + 1)]
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
                   latest: Month, exclude: Collection[Month] = ()) -> Retest:
    """Re-test an indicator from the evidence it was adopted with (sample length, last month, sign of r),
    leaving out the months of ``exclude``. Reads evidence of every version: it needs only the oldest keys."""
    window = int(str(evidence["sample_months"]))
    tested_through = dt.date.fromisoformat(str(evidence["sample_end"]))
    return retest(predictor, outcome, lag, window, tested_through, latest, positive=float(str(evidence["r"])) > 0,
                  exclude=exclude)


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
