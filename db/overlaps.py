"""Before an import writes: is this file already in, and would it give a metric-month a second source?

Two sources of one metric are added up (parts of a total, one file per ad platform) unless a source of
record says which counts. Adding a second file of the same figures would double them silently, so an
import that overlaps another source's months asks first; and a file identical to an active import is caught
whatever its name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import ImportBatch, Observation, PartSource
from db.queries import ACTIVE, RECORD_JOIN, Record
from metrics.catalog import Catalog
from metrics.periods import Month, add_months, month_label


class OverlapChoice(StrEnum):
    """What to do when another source already gives some of the file's metric-months a value."""

    ASK = "ask"  # refuse and say so (a dry run reports it): the default
    REPLACE = "replace"  # this file's values replace the other sources' for those months
    COMPARE = "compare"  # keep this file as a comparison source: reconciled against the other, never summed
    SEGMENT = "segment"  # add it as another part of the total (another channel, platform or region)


CHOICE_TITLES = {
    OverlapChoice.REPLACE: "Replace those months with this file",
    OverlapChoice.COMPARE: "Keep this file as a comparison source (reconciled, never added)",
    OverlapChoice.SEGMENT: "Add it as another segment (its figures are a further part of the total)",
}


@dataclass(frozen=True)
class Overlap:
    """A metric whose months already come from another source."""

    metric_key: str
    label: str
    months: tuple[Month, ...]
    other_source: str
    other_file: str

    def sentence(self) -> str:
        """'Revenue for Jan–Oct 2026 already comes from finance.csv'."""
        origin = self.other_file or self.other_source
        return f"{self.label} for {month_ranges(self.months)} already comes from {origin}"


@dataclass(frozen=True)
class IdenticalImport:
    """An active import with the same content as the file at hand."""

    batch_id: int
    file_name: str
    source_name: str
    created_at: dt.datetime

    def sentence(self) -> str:
        when = f" on {self.created_at:%d %b %Y}" if self.created_at else ""
        return (f"This file is identical to {self.file_name or self.source_name} imported{when} (import "
                f"#{self.batch_id}): importing it again would count its figures twice")


def month_ranges(months: tuple[Month, ...] | list[Month]) -> str:
    """Months as short ranges: 'Jan–Oct 2026', 'Nov 2025 – Feb 2026', 'Mar 2025, May–Jul 2025'."""
    runs: list[list[Month]] = []
    for month in sorted(set(months)):
        if runs and add_months(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(_run_text(run[0], run[-1]) for run in runs)


def _run_text(first: Month, last: Month) -> str:
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%b}–{month_label(last)}"
    return f"{month_label(first)} – {month_label(last)}"


def find_identical(session: Session, workspace_id: int, source_name: str, file_digest: str,
                   content_digest: str) -> IdenticalImport | None:
    """The newest active import of another source of this company with the same bytes or the same rows.

    The same source again only replaces its own values with the same ones, so it is no risk; under another
    name (``report (1).csv``, ``Copy of report.csv``) every figure would count twice.
    """
    same = [d for d in (ImportBatch.file_digest == file_digest if file_digest else None,
                        ImportBatch.content_digest == content_digest if content_digest else None) if d is not None]
    if not same:
        return None
    row = session.execute(
        select(ImportBatch.id, ImportBatch.file_name, ImportBatch.source_name, ImportBatch.created_at)
        .where(ImportBatch.workspace_id == workspace_id, ImportBatch.status == "active",
               ImportBatch.source_name != source_name, or_(*same))
        .order_by(ImportBatch.id.desc()).limit(1)).first()
    return IdenticalImport(*row) if row else None


def find_overlaps(session: Session, workspace_id: int, source_name: str, rollup: pd.DataFrame,
                  catalog: Catalog) -> list[Overlap]:
    """Metric-months of ``rollup`` that another source already reports, for metrics without a source of
    record (with one, only the record counts and nothing is added up), unless both sources were already
    agreed to be parts of the metric's total."""
    pairs = set(zip(rollup["metric_key"], rollup["month"], strict=True))
    if not pairs:
        return []
    keys = sorted({key for key, _ in pairs})
    query = (
        select(Observation.metric_key, Observation.month, Observation.source_name, func.max(ImportBatch.file_name))
        .join(ImportBatch, ImportBatch.id == Observation.batch_id)
        .outerjoin(Record, RECORD_JOIN)
        .where(Observation.workspace_id == workspace_id, ACTIVE, Record.id.is_(None),
               Observation.source_name != source_name, Observation.metric_key.in_(keys),
               Observation.month.between(min(m for _, m in pairs), max(m for _, m in pairs)))
        .group_by(Observation.metric_key, Observation.month, Observation.source_name)
    )
    parts = part_sources(session, workspace_id, keys)
    found: dict[tuple[str, str], list[Month]] = defaultdict(list)
    files: dict[tuple[str, str], str] = {}
    for key, month, other, file_name in session.execute(query):
        if (key, month) in pairs and not {source_name, other} <= parts.get(key, set()):
            found[key, other].append(month)
            files[key, other] = file_name or ""
    return [Overlap(key, catalog[key].label if key in catalog else key, tuple(sorted(months)), other,
                    files[key, other]) for (key, other), months in sorted(found.items())]


def part_sources(session: Session, workspace_id: int, keys: list[str]) -> dict[str, set[str]]:
    """Per metric, the sources agreed to be parts of its total (one file per platform, channel or region)."""
    rows = session.execute(select(PartSource.metric_key, PartSource.source_name).where(
        PartSource.workspace_id == workspace_id, PartSource.metric_key.in_(keys)))
    parts: dict[str, set[str]] = defaultdict(set)
    for key, source in rows:
        parts[key].add(source)
    return dict(parts)


def mark_parts(session: Session, workspace_id: int, overlaps: list[Overlap], source_name: str) -> None:
    """Remember that this source and the ones it overlaps add up, so later imports of either do not ask again."""
    wanted = {(o.metric_key, s) for o in overlaps for s in (o.other_source, source_name)}
    known = part_sources(session, workspace_id, sorted({key for key, _ in wanted}))
    for key, source in sorted(wanted):
        if source not in known.get(key, set()):
            session.add(PartSource(workspace_id=workspace_id, metric_key=key, source_name=source))
    session.flush()
