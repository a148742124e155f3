"""One number reported by several sources, month by month, against its source of record.

Pure: per-source monthly values in, checks out. Each month compares the source of record with the
other source that differs from it most, using the scorecard's ``reconcile`` rule (flagged above 5%
of the record by default).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from metrics.catalog import Unit
from metrics.periods import Month
from metrics.scorecard import RECONCILIATION_THRESHOLD, Reconciliation, reconcile, reconcile_sources

SourceValues = Mapping[str, Mapping[Month, float]]  # source name -> month -> that source's own value


class MonthCheck(BaseModel):
    month: Month
    check: Reconciliation


class ReconciledMetric(BaseModel):
    """A metric with a source of record and at least one other source, over some months."""

    key: str
    label: str
    unit: Unit
    source_of_record: str
    months: list[MonthCheck] = Field(default_factory=list)

    @property
    def flagged_months(self) -> list[Month]:
        return [m.month for m in self.months if m.check.flagged]


def reconcile_month(values: Mapping[str, float], reference: str, others: Sequence[str],
                    threshold: float = RECONCILIATION_THRESHOLD) -> Reconciliation:
    """The record against the other source furthest from it; a missing side shows as no value, unflagged."""
    if reference in values and len(values) > 1:
        check = reconcile_sources(values, reference, threshold)
        if check is not None:
            return check
    other = next((name for name in others if name in values), others[0])
    return reconcile(reference, values.get(reference), other, values.get(other), threshold)


def reconcile_months(values: SourceValues, reference: str, months: Sequence[Month],
                     threshold: float = RECONCILIATION_THRESHOLD) -> list[MonthCheck]:
    """One check per month in which any source reported; empty when there is no other source."""
    others = sorted(name for name in values if name != reference)
    if not others:
        return []
    checks = []
    for month in months:
        present = {name: series[month] for name, series in values.items() if month in series}
        if present:
            checks.append(MonthCheck(month=month, check=reconcile_month(present, reference, others, threshold)))
    return checks
