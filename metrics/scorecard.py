"""The agreed scorecard as numbers: RAG against target, variance, streaks, target fills, reconciliation.

Pure: values in, typed results out. The database layer gathers actuals, targets, commentary and
votes and calls ``build_scorecard``; pages, the One View and exports read the resulting ``Scorecard``.

RAG rule (both directions use the same two shares, ``green_at`` and ``amber_at``):

* higher is better: on track when actual >= green_at x target; at risk when actual >= amber_at x target;
  off track below. Defaults 100% and 90%: target 100 -> 100 green, 90 amber, 89.9 red.
* lower is better (CAC, churn): the shares apply to target / actual, so on track when
  actual <= target / green_at and at risk up to target / amber_at. Defaults: target 100 ->
  100 green, 111.1 amber (100 / 0.9), 111.2 red. This keeps "90% of target" meaning the same
  effort in both directions, rather than a flat 110%.
* negative targets (NPS can be below zero) use the same margins measured on |target|;
  a target of exactly zero has no ratio, so the KPI is on track at or better than zero, else off track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, Field, model_validator

from metrics.catalog import Direction, Mandate, Metric, Unit
from metrics.coverage import is_complete
from metrics.formatting import MASK, compact, currency_symbol, format_value, masked
from metrics.periods import Month, add_months, same_month_last_year
from metrics.status import Rag

MIN_KPIS = 3
MAX_KPIS = 7
FOCUS_KPIS = 5  # above this the app warns; at MAX_KPIS it refuses more
CAP_REASON = (
    "Seven KPIs is the hard limit. When the CEO asks for too many metrics, focus is lost: agree on a few "
    "together and report what is being done to improve them. Drop one before adding another."
)
DISAGREEMENT_GAP = 2  # confidence votes this far apart mean "we disagree about this number"
RECONCILIATION_THRESHOLD = 0.05
_TOLERANCE = 1e-9  # relative: 90.00000000000001 still counts as 90% of 100


# --- how many KPIs ----------------------------------------------------------------------------


def kpi_count_problems(count: int) -> list[str]:
    """Why a set of ``count`` KPIs cannot be agreed (empty when it can)."""
    if count > MAX_KPIS:
        return [f"{count} KPIs chosen. {CAP_REASON}"]
    if count < MIN_KPIS:
        return [f"{count} KPI{'s' if count != 1 else ''} chosen: agree on at least {MIN_KPIS}, "
                "so both the meaning and the math are covered."]
    return []


def kpi_count_warning(count: int) -> str | None:
    """A nudge when the set is allowed but already wide."""
    if FOCUS_KPIS < count <= MAX_KPIS:
        return (f"{count} KPIs: allowed, but more than {FOCUS_KPIS} makes the monthly review thin. "
                "Consider which one you would drop.")
    return None


# --- status against target --------------------------------------------------------------------


class Thresholds(BaseModel):
    """Shares of target: on track at ``green_at`` or better, at risk from ``amber_at``, off track below."""

    green_at: float = Field(default=1.0, gt=0, le=2)
    amber_at: float = Field(default=0.9, gt=0, le=2)

    @model_validator(mode="after")
    def _amber_below_green(self) -> Thresholds:
        if self.amber_at > self.green_at:
            raise ValueError(f"'at risk from' ({self.amber_at:.0%}) must not be above 'on track at' "
                             f"({self.green_at:.0%})")
        return self


def _limit(target: float, share: float, direction: Direction) -> float:
    """The actual that exactly meets ``share`` of target in the KPI's good direction."""
    if direction == Direction.DOWN:
        return target + abs(target) * (1 / share - 1)
    return target - abs(target) * (1 - share)


def _meets(actual: float, limit: float, direction: Direction, scale: float) -> bool:
    slack = _TOLERANCE * max(scale, 1.0)
    return actual <= limit + slack if direction == Direction.DOWN else actual >= limit - slack


def rag_status(actual: float | None, target: float | None, direction: Direction,
               thresholds: Thresholds | None = None) -> Rag:
    """Red, amber or green for one month; no data without both an actual and a target."""
    if actual is None or target is None:
        return Rag.NO_DATA
    thresholds = thresholds or Thresholds()
    if target == 0:
        return Rag.GREEN if _meets(actual, 0.0, direction, 0.0) else Rag.RED
    scale = abs(target)
    if _meets(actual, _limit(target, thresholds.green_at, direction), direction, scale):
        return Rag.GREEN
    if _meets(actual, _limit(target, thresholds.amber_at, direction), direction, scale):
        return Rag.AMBER
    return Rag.RED


class Variance(BaseModel):
    absolute: float | None = None  # actual minus target, in the KPI's unit
    pct: float | None = None  # fraction of |target|; None when the target is zero
    pct_of_target: float | None = None  # actual / target; None when the target is zero


def variance(actual: float | None, target: float | None) -> Variance:
    if actual is None or target is None:
        return Variance()
    if target == 0:
        return Variance(absolute=actual - target)
    return Variance(absolute=actual - target, pct=(actual - target) / abs(target), pct_of_target=actual / target)


def streak(statuses: Sequence[Rag]) -> int:
    """How many months in a row, ending with the last, share the last month's status."""
    if not statuses:
        return 0
    count = 0
    for status in reversed(statuses):
        if status != statuses[-1]:
            break
        count += 1
    return count


def format_variance(value: float | None, unit: Unit, currency: str = "USD", mask_currency: bool = False) -> str:
    """A signed gap in the KPI's unit: "+$12K", "-3.0 pts", "+1.2"; money as the mask in share-safe mode."""
    if masked(unit, mask_currency):
        return MASK
    if value is None:
        return "n/a"
    sign = "+" if value >= 0 else "-"
    if unit == Unit.PERCENT:
        return f"{sign}{abs(value) * 100:.1f} pts"
    if unit == Unit.CURRENCY:
        return f"{sign}{currency_symbol(currency)}{compact(abs(value))}"
    return f"{sign}{format_value(abs(value), unit, currency)}"


def format_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f}%"


# --- confidence votes -------------------------------------------------------------------------


def disagreement(ceo_vote: int | None, cmo_vote: int | None) -> bool:
    """True when both voted and their trust in the number is 2 or more points apart."""
    return ceo_vote is not None and cmo_vote is not None and abs(ceo_vote - cmo_vote) >= DISAGREEMENT_GAP


# --- target fill helpers ----------------------------------------------------------------------


def fill_flat(months: Iterable[Month], value: float) -> dict[Month, float]:
    return {m: float(value) for m in months}


def fill_monthly_growth(months: Iterable[Month], start_value: float, growth_per_month: float) -> dict[Month, float]:
    """The first month at ``start_value``, each later month ``growth_per_month`` (0.02 = +2%) above the one before."""
    ordered = sorted(months)
    return {m: start_value * (1 + growth_per_month) ** i for i, m in enumerate(ordered)}


def fill_from_last_year(months: Iterable[Month], actuals: Mapping[Month, float | None],
                        change: float) -> dict[Month, float | None]:
    """Same month last year's actual plus ``change`` (0.1 = +10%); None where last year has no actual."""
    filled: dict[Month, float | None] = {}
    for month in sorted(months):
        last_year = actuals.get(same_month_last_year(month))
        filled[month] = None if last_year is None else last_year * (1 + change)
    return filled


def tidy_target(value: float, unit: Unit) -> float:
    """Targets are written in round numbers: three significant figures, rates to a hundredth of a point."""
    if unit == Unit.PERCENT:
        return round(value, 4)
    if unit in (Unit.SCORE, Unit.RATIO, Unit.MONTHS):
        return round(value, 1)
    return float(f"{value:.3g}")


def target_months(latest: Month, back: int = 23, ahead: int = 12) -> list[Month]:
    """The months a target grid shows: two years back to a year ahead of ``latest``."""
    return [add_months(latest, i) for i in range(-back, ahead + 1)]


# --- reconciliation ---------------------------------------------------------------------------


class Reconciliation(BaseModel):
    """One KPI's month from two sources. ``source`` is the reference (the system of record);
    ``variance_pct`` is the other source against it, as a fraction."""

    source: str
    value: float | None
    other_source: str
    other_value: float | None
    difference: float | None = None
    variance_pct: float | None = None
    flagged: bool = False


def reconcile(source: str, value: float | None, other_source: str, other_value: float | None,
              threshold: float = RECONCILIATION_THRESHOLD) -> Reconciliation:
    """Compare two sources; flagged when they differ by more than ``threshold`` of the reference.

    A zero reference has no percentage: then any difference at all is flagged.
    """
    if value is None or other_value is None:
        return Reconciliation(source=source, value=value, other_source=other_source, other_value=other_value)
    difference = other_value - value
    pct = None if value == 0 else difference / abs(value)
    flagged = difference != 0 if pct is None else abs(pct) > threshold + _TOLERANCE
    return Reconciliation(source=source, value=value, other_source=other_source, other_value=other_value,
                          difference=difference, variance_pct=pct, flagged=flagged)


def reconcile_sources(values: Mapping[str, float], reference: str = "",
                      threshold: float = RECONCILIATION_THRESHOLD) -> Reconciliation | None:
    """The reference source (or the first by name) against the largest other source; None with one source."""
    if len(values) < 2:
        return None
    names = sorted(values)
    base = reference if reference in values else names[0]
    other = max((n for n in names if n != base), key=lambda n: abs(values[n] - values[base]))
    return reconcile(base, values[base], other, values[other], threshold)


# --- the scorecard ----------------------------------------------------------------------------


class TrendPoint(BaseModel):
    month: Month
    actual: float | None = None
    target: float | None = None
    rag: Rag = Rag.NO_DATA
    coverage: float | None = None  # below 1: a partial month


class KpiLine(BaseModel):
    """One agreed KPI for the month: where it stands, who owns it, what is being done, how far it is trusted."""

    key: str
    label: str
    mandate: Mandate
    unit: Unit
    direction: Direction = Direction.UP
    owner_name: str = ""
    owner_role: str = ""
    rationale: str = ""
    green_at: float = 1.0
    amber_at: float = 0.9
    actual: float | None = None
    target: float | None = None
    variance: float | None = None
    variance_pct: float | None = None
    pct_of_target: float | None = None
    rag: Rag = Rag.NO_DATA
    streak: int = 0
    trend: list[TrendPoint] = Field(default_factory=list)
    commentary: str = ""
    commentary_author: str = ""
    commentary_version: int | None = None  # for safe concurrent edits of the commentary
    ceo_confidence: int | None = None
    cmo_confidence: int | None = None
    disagree: bool = False
    reconciliation: Reconciliation | None = None
    coverage: float | None = None  # the month's coverage share when below a whole month

    @property
    def owner(self) -> str:
        return f"{self.owner_name} ({self.owner_role})" if self.owner_role else self.owner_name


class SignatureLine(BaseModel):
    role: str
    name: str
    signed_at: dt.datetime


class Scorecard(BaseModel):
    """The agreed scorecard for one month. Empty ``kpis`` and ``agreement == ""`` when nothing is agreed yet."""

    workspace_id: int
    month: Month
    agreement: str = ""  # "Agreement v3"
    agreement_number: int | None = None
    agreed_at: dt.datetime | None = None
    signatures: list[SignatureLine] = Field(default_factory=list)
    pending_draft: str = ""  # "Draft v4", when a newer version awaits signatures
    kpis: list[KpiLine] = Field(default_factory=list)

    def mandate_kpis(self, mandate: Mandate) -> list[KpiLine]:
        return [k for k in self.kpis if k.mandate == mandate]

    def kpi(self, key: str) -> KpiLine | None:
        return next((k for k in self.kpis if k.key == key), None)

    def by_key(self) -> dict[str, KpiLine]:
        return {k.key: k for k in self.kpis}


class KpiTerms(BaseModel):
    """One KPI as agreed: which metric, whose, judged on which mandate, against which targets."""

    metric_key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    mandate: Mandate
    owner_name: str = Field(default="", max_length=120)
    owner_role: str = Field(default="", max_length=60)
    green_at: float = Field(default=1.0, gt=0, le=2)
    amber_at: float = Field(default=0.9, gt=0, le=2)
    rationale: str = Field(default="", max_length=300)
    evidence: str = Field(default="", max_length=300)  # the validator's finding this KPI rests on
    source_of_record: str = Field(default="", max_length=255)  # reference source for reconciliation
    targets: dict[Month, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _tidy(self) -> KpiTerms:
        Thresholds(green_at=self.green_at, amber_at=self.amber_at)  # raises with a plain message
        self.owner_name, self.owner_role = self.owner_name.strip(), self.owner_role.strip()
        self.rationale = " ".join(self.rationale.split())  # one line
        return self

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(green_at=self.green_at, amber_at=self.amber_at)


class KpiFigures(BaseModel):
    """What ``kpi_line`` needs beyond the KPI's terms: monthly actuals and targets."""

    actuals: dict[Month, float | None] = Field(default_factory=dict)
    targets: dict[Month, float] = Field(default_factory=dict)
    coverage: dict[Month, float] = Field(default_factory=dict)  # months the figures cover only in part

    def status(self, month: Month, direction: Direction, thresholds: Thresholds) -> Rag:
        """The month's RAG; a partial month is not judged against a whole month's target."""
        actual = self.actuals.get(month)
        if actual is not None and not is_complete(self.coverage.get(month)):
            return Rag.PARTIAL
        return rag_status(actual, self.targets.get(month), direction, thresholds)


def status_history(figures: KpiFigures, direction: Direction, thresholds: Thresholds,
                   upto: Month) -> list[Rag]:
    """Statuses month by month from the first target up to ``upto``, for the streak."""
    months = sorted(m for m in figures.targets if m <= upto)
    if not months:
        return [figures.status(upto, direction, thresholds)]
    history, month = [], months[0]
    while month <= upto:
        history.append(figures.status(month, direction, thresholds))
        month = add_months(month, 1)
    return history


def trend(figures: KpiFigures, direction: Direction, thresholds: Thresholds, month: Month,
          length: int = 12) -> list[TrendPoint]:
    points = []
    for m in (add_months(month, -i) for i in range(length - 1, -1, -1)):
        actual, target = figures.actuals.get(m), figures.targets.get(m)
        points.append(TrendPoint(month=m, actual=actual, target=target, rag=figures.status(m, direction, thresholds),
                                 coverage=figures.coverage.get(m)))
    return points


class Votes(BaseModel):
    ceo: int | None = Field(default=None, ge=1, le=5)
    cmo: int | None = Field(default=None, ge=1, le=5)


class Commentary(BaseModel):
    """What we are doing to improve it: one KPI, one month."""

    text: str = ""
    author: str = ""
    version: int | None = None  # None until first saved


def kpi_line(terms: KpiTerms, metric: Metric, figures: KpiFigures, month: Month,
             commentary: Commentary | None = None, votes: Votes | None = None,
             reconciliation: Reconciliation | None = None) -> KpiLine:
    """Everything the scorecard shows for one KPI in ``month``."""
    thresholds, votes, commentary = terms.thresholds, votes or Votes(), commentary or Commentary()
    actual, target = figures.actuals.get(month), figures.targets.get(month)
    gap = variance(actual, target)
    return KpiLine(
        key=terms.metric_key, label=metric.label, mandate=terms.mandate, unit=metric.unit,
        direction=metric.direction, owner_name=terms.owner_name, owner_role=terms.owner_role,
        rationale=terms.rationale, green_at=terms.green_at, amber_at=terms.amber_at,
        actual=actual, target=target, variance=gap.absolute, variance_pct=gap.pct,
        pct_of_target=gap.pct_of_target, rag=figures.status(month, metric.direction, thresholds),
        streak=streak(status_history(figures, metric.direction, thresholds, month)),
        trend=trend(figures, metric.direction, thresholds, month),
        commentary=commentary.text, commentary_author=commentary.author, commentary_version=commentary.version,
        ceo_confidence=votes.ceo, cmo_confidence=votes.cmo, disagree=disagreement(votes.ceo, votes.cmo),
        reconciliation=reconciliation, coverage=figures.coverage.get(month),
    )
