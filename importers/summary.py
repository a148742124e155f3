"""Words for what an import found and would change, shared by the page and the command line."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from metrics.catalog import Catalog, Unit
from metrics.formatting import format_value
from metrics.periods import month_label
from metrics.validation import Problem

QUOTED = re.compile(r"'[^']*'|\brow \d+\b")


@dataclass(frozen=True)
class ChangeLine:
    month: dt.date
    metric: str
    before: str
    after: str
    kind: str  # new | changed | same
    change: str = ""  # the difference, signed ("+$3.5K"); blank for new values

    def __str__(self) -> str:
        return f"{month_label(self.month)} {self.metric} {self.before} → {self.after}"


def change_lines(changes: list, catalog: Catalog, currency: str) -> list[ChangeLine]:
    """Each metric-month an import touches, formatted ("Mar 2026 Revenue $1.2M → $1.26M")."""
    lines = []
    for change in changes:
        metric = catalog.get(change.metric_key)
        unit = metric.unit if metric else Unit.COUNT
        label = metric.label if metric else change.metric_key
        before, after = format_value(change.before, unit, currency), format_value(change.after, unit, currency)
        kind = "new" if change.before is None else "same" if _same(change.before, change.after) else "changed"
        lines.append(ChangeLine(change.month, label, before, after, kind, _difference(change, unit, currency)))
    return lines


def _difference(change, unit: Unit, currency: str) -> str:  # noqa: ANN001 - db.ingest.ValueChange
    if change.before is None or change.after is None:
        return ""
    difference = change.after - change.before
    if unit == Unit.PERCENT:
        return f"{difference * 100:+.1f} pts"
    sign = "+" if difference >= 0 else "-"
    return sign + format_value(abs(difference), unit, currency)


def _same(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is after
    return abs(before - after) <= 1e-9 * max(1.0, abs(before))


def problem_counts(problems: list[Problem]) -> list[tuple[str, str, int, str]]:
    """Problems grouped by column and kind of reason: (column, reason, how many rows, first rows)."""
    groups: Counter[tuple[str, str]] = Counter()
    rows: dict[tuple[str, str], list[int]] = {}
    for problem in problems:
        key = (problem.column or "", QUOTED.sub("…", problem.reason))
        groups[key] += 1
        if problem.row is not None:
            rows.setdefault(key, []).append(problem.row)
    return [(column, reason, count, ", ".join(str(r) for r in rows.get((column, reason), [])[:5]))
            for (column, reason), count in groups.most_common()]
