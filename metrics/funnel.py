"""Journey momentum: stage-to-stage conversion by month, and the stage where buyers lose confidence.

Each conversion is a ratio of sums of two counts in the same months (a flow view: this month's SQLs over
this month's MQLs). The stage that "lost momentum" is the one whose latest conversion fell furthest,
relative to its own trailing average, so a 2% visit-to-lead rate and a 25% win rate compare fairly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metrics.periods import Month, add_months, trailing
from metrics.series import MonthlyData, growth

DEFAULT_STAGES: tuple[str, ...] = ("sessions", "mqls", "sqls", "opportunities", "deals_won")
TRAILING_MONTHS = 6


@dataclass(frozen=True)
class StageConversion:
    """Conversion from one stage to the next: by month, latest, its trailing average and the change."""

    from_key: str
    to_key: str
    by_month: dict[Month, float | None]
    latest: float | None
    trailing_average: float | None
    change: float | None  # latest vs trailing average, as a fraction (-0.2 = a fifth lower)


def conversion(data: MonthlyData, from_key: str, to_key: str, months: Sequence[Month]) -> float | None:
    """Sum of the later stage over sum of the earlier one, using only months that have both."""
    start, end = data.get(from_key, {}), data.get(to_key, {})
    covered = [m for m in months if m in start and m in end]
    denominator = sum(start[m].value for m in covered)
    if not covered or denominator == 0:
        return None
    return sum(end[m].value for m in covered) / denominator


def stage_conversion(data: MonthlyData, from_key: str, to_key: str, months: Sequence[Month],
                     trailing_months: int = TRAILING_MONTHS) -> StageConversion:
    """One step of the funnel over ``months`` (oldest first); latest is the last month of the range."""
    by_month = {m: conversion(data, from_key, to_key, [m]) for m in months}
    if not months:
        return StageConversion(from_key, to_key, by_month, None, None, None)
    latest = by_month[months[-1]]
    average = conversion(data, from_key, to_key, trailing(add_months(months[-1], -1), trailing_months))
    return StageConversion(from_key, to_key, by_month, latest, average, growth(latest, average))


def journey(data: MonthlyData, months: Sequence[Month], stages: Sequence[str] = DEFAULT_STAGES,
            trailing_months: int = TRAILING_MONTHS) -> list[StageConversion]:
    """Every consecutive step of ``stages``."""
    return [stage_conversion(data, a, b, months, trailing_months) for a, b in zip(stages, stages[1:], strict=False)]


def weakest_stage(steps: Sequence[StageConversion]) -> StageConversion | None:
    """The step whose conversion fell most against its trailing average; None when none fell."""
    fallen = [s for s in steps if s.change is not None and s.change < 0]
    return min(fallen, key=lambda s: s.change or 0.0, default=None)
