"""Period values from monthly roll-ups: aggregation rules, derived formulas and changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from metrics.catalog import Aggregation, Catalog, Metric, Unit
from metrics.formula import evaluate
from metrics.periods import Month


@dataclass(frozen=True)
class MonthPoint:
    """A metric's value for one month. For weighted averages ``weight`` is the total weight; ``coverage`` is the
    share of the month's days its sources cover (below 1: a partial month, see metrics.coverage)."""

    value: float
    weight: float = 1.0
    coverage: float = 1.0


MonthlyData = Mapping[str, Mapping[Month, MonthPoint]]


def base_value(metric: Metric, points: list[MonthPoint]) -> float | None:
    """Aggregate a base metric's monthly points (in month order) over a period."""
    if not points:
        return None
    if metric.aggregation == Aggregation.SUM:
        return sum(p.value for p in points)
    if metric.aggregation == Aggregation.FIRST:
        return points[0].value
    if metric.aggregation == Aggregation.LAST:
        return points[-1].value
    total_weight = sum(p.weight for p in points)
    return sum(p.value * p.weight for p in points) / total_weight if total_weight else None


def months_with_data(catalog: Catalog, key: str, data: MonthlyData, months: Iterable[Month]) -> list[Month]:
    """Months of the period where every input of ``key`` has a value."""
    inputs = [k for k in catalog[key].inputs if k != "months"]
    return [m for m in months if all(m in data.get(k, {}) for k in inputs)]


def period_value(catalog: Catalog, key: str, data: MonthlyData, months: Iterable[Month]) -> float | None:
    """The value of ``key`` over ``months``: a base aggregate, or a ratio of sums for derived metrics.

    Derived metrics use only months where all their inputs exist, so a month missing clicks never
    divides by that month's impressions.
    """
    metric = catalog[key]
    covered = months_with_data(catalog, key, data, sorted(months))
    if not covered:
        return None
    if not metric.derived:
        return base_value(metric, [data[key][m] for m in covered])
    inputs: dict[str, float | None] = {"months": float(len(covered))}
    for name in metric.inputs:
        if name != "months":
            inputs[name] = base_value(catalog[name], [data[name][m] for m in covered])
    return evaluate(metric.formula or "", inputs)


def monthly_values(catalog: Catalog, key: str, data: MonthlyData, months: Iterable[Month]) -> dict[Month, float | None]:
    """One value per month, None where the month has no data."""
    return {m: period_value(catalog, key, data, [m]) for m in months}


class ChangeKind(StrEnum):
    RELATIVE = "relative"  # percent change of the value
    POINTS = "points"  # difference in percentage points or score points


@dataclass(frozen=True)
class Change:
    value: float
    kind: ChangeKind


def change(metric: Metric, current: float | None, previous: float | None) -> Change | None:
    """Change from ``previous`` to ``current``: points for rates and scores, percent otherwise."""
    if current is None or previous is None:
        return None
    if metric.unit == Unit.PERCENT:
        return Change((current - previous) * 100, ChangeKind.POINTS)
    if metric.unit == Unit.SCORE:
        return Change(current - previous, ChangeKind.POINTS)
    if previous == 0:
        return None
    return Change((current - previous) / abs(previous) * 100, ChangeKind.RELATIVE)


def growth(current: float | None, previous: float | None) -> float | None:
    """Relative growth as a fraction; None when either side is missing or the base is zero."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)
