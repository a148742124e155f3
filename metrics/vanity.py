"""Vanity traps: outputs that look better while the outcomes they are meant to drive do not.

Direction-aware on both sides: "better" means moving in the metric's good direction, so a falling cost per
MQL is an output improving, and a rising CAC is an outcome getting worse. Spend-like outputs with no good
direction are never traps: more spend is not good news in itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from metrics.catalog import Catalog, Direction, Metric
from metrics.drivers import DriverMap
from metrics.periods import Month
from metrics.series import MonthlyData
from metrics.trends import trailing_growth


class VanityThresholds(BaseModel):
    """When an output's rise counts as a trap: it improved by at least ``output_min`` while its outcome
    improved by at most ``outcome_max`` (both fractions, in the good direction) over ``months``."""

    output_min: float = Field(default=0.10, ge=0, description="Least improvement of the output, e.g. 0.10 = +10%.")
    outcome_max: float = Field(default=0.0, description="Most improvement of the outcome, e.g. 0.0 = stalled or fell.")
    months: int = Field(default=3, ge=1, le=12, description="Length of the trailing window, in months.")


@dataclass(frozen=True)
class VanityTrap:
    """One output that improved while an outcome it should drive fell or stalled."""

    output: str
    outcome: str
    output_growth: float  # raw growth as a fraction (sign as measured)
    outcome_growth: float
    gap: float  # output improvement minus outcome improvement: the ranking key
    reading: str


def improvement(metric: Metric, growth: float) -> float:
    """Growth turned so that positive is good: a 10% fall in CAC is a 0.10 improvement."""
    return -growth if metric.direction == Direction.DOWN else growth


def _percent(growth: float) -> str:
    share = abs(growth) * 100
    return f"{share:.0f}%" if share >= 10 else f"{share:.1f}%"


def _moved(growth: float) -> str:
    if growth == 0:
        return "did not move"
    return ("rose " if growth > 0 else "fell ") + _percent(growth)


def in_sentence(label: str) -> str:
    """'Pipeline created' -> 'pipeline created', but 'MQLs' and 'NPS responses' keep their capitals."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def reading(output: Metric, outcome: Metric, output_growth: float, outcome_growth: float, months: int) -> str:
    """One plain line a CEO can read aloud."""
    window = "quarter" if months == 3 else f"{months} months"
    goal = in_sentence(outcome.label)
    return (f"{output.label} {_moved(output_growth)} over the last {window} while {goal} {_moved(outcome_growth)}: "
            f"the gain in {in_sentence(output.label)} is not reaching {goal}.")


def _trap(catalog: Catalog, output: str, outcome: str, growth_of: Callable[[str], float | None],
          limits: VanityThresholds) -> VanityTrap | None:
    out_metric, goal_metric = catalog[output], catalog[outcome]
    if out_metric.direction == Direction.NEUTRAL or goal_metric.direction == Direction.NEUTRAL:
        return None
    out_growth, goal_growth = growth_of(output), growth_of(outcome)
    if out_growth is None or goal_growth is None:
        return None
    out_better, goal_better = improvement(out_metric, out_growth), improvement(goal_metric, goal_growth)
    if out_better < limits.output_min or goal_better > limits.outcome_max:
        return None
    return VanityTrap(output, outcome, out_growth, goal_growth, out_better - goal_better,
                      reading(out_metric, goal_metric, out_growth, goal_growth, limits.months))


def vanity_traps(catalog: Catalog, drivers: DriverMap, data: MonthlyData, month: Month,
                 limits: VanityThresholds | None = None) -> list[VanityTrap]:
    """Every trap in the driver map at ``month``, the widest gap first. Pairs without data are skipped."""
    limits = limits or VanityThresholds()
    growths: dict[str, float | None] = {}  # an outcome driven by several outputs is measured once

    def growth_of(key: str) -> float | None:
        if key not in growths:
            growths[key] = trailing_growth(catalog, key, data, month, limits.months)
        return growths[key]

    found = [
        trap
        for output, outcomes in drivers.items()
        for outcome in outcomes
        if output in catalog and outcome in catalog
        and (trap := _trap(catalog, output, outcome, growth_of, limits)) is not None
    ]
    return sorted(found, key=lambda t: (-t.gap, t.output, t.outcome))
