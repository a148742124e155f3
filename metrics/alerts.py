"""Alerts: what is worth a word to the CEO, the CMO and the advisors, and when it is news.

A condition is news when it starts to hold: a KPI turns off track, a vanity trap appears, a SQL source goes
late. Each condition has a stable key; what was last alerted about a key (raised, or cleared when it stopped
holding) is kept, so a KPI that stays off track is alerted once, and again only after it recovered. Import
failures are news each time they happen. Each alert carries its numbers twice: as said, and without amounts
of money for companies whose mail is share-safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from enum import StrEnum

from metrics.catalog import Catalog
from metrics.formatting import format_value, mask_currency_text
from metrics.periods import month_label
from metrics.review import percent
from metrics.scorecard import KpiLine
from metrics.status import Rag
from metrics.vanity import VanityTrap

LATE_AFTER_DAYS = 31  # a SQL source not refreshed for more than a month is late
JUDGED = frozenset({Rag.GREEN, Rag.AMBER, Rag.RED})  # "no data" and partial months say nothing new


class AlertKind(StrEnum):
    KPI_OFF_TRACK = "kpi_off_track"
    VANITY_TRAP = "vanity_trap"
    SOURCE_LATE = "source_late"
    IMPORT_FAILED = "import_failed"


KIND_PREFIX = {AlertKind.KPI_OFF_TRACK: "kpi:", AlertKind.VANITY_TRAP: "vanity:", AlertKind.SOURCE_LATE: "late:",
               AlertKind.IMPORT_FAILED: "import:"}


@dataclass(frozen=True)
class Condition:
    """Something that holds now, worth an alert when it starts to: its key, words, numbers and where to look."""

    key: str
    kind: AlertKind
    title: str
    text: str
    safe_text: str
    page: str = ""  # the app's page to open: "scorecard", "output_vs_outcome", "data"


Observations = Mapping[str, Condition | None]
"""What a check found: per key, the condition when it holds, None when it was checked and does not."""


def changes(observed: Observations, raised: Set[str]) -> tuple[list[Condition], list[str]]:
    """The alerts to raise (holding now, not raised yet) and the keys to clear (raised, no longer holding).
    Keys the check said nothing about keep what was last alerted."""
    new = [condition for key, condition in observed.items() if condition is not None and key not in raised]
    cleared = [key for key, condition in observed.items() if condition is None and key in raised]
    return new, cleared


def _unasked(raised: Set[str], kind: AlertKind, found: Iterable[str]) -> dict[str, None]:
    """Raised keys of this kind the check no longer finds: they stopped holding."""
    prefix, seen = KIND_PREFIX[kind], set(found)
    return {key: None for key in raised if key.startswith(prefix) and key not in seen}


# --- KPIs off track ------------------------------------------------------------------------------


def kpi_condition(kpi: KpiLine, month: dt.date, currency: str) -> Condition:
    def said(mask: bool) -> str:
        actual = format_value(kpi.actual, kpi.unit, currency, mask_currency=mask)
        target = format_value(kpi.target, kpi.unit, currency, mask_currency=mask)
        owner = f" Owner: {kpi.owner}." if kpi.owner else ""
        return (f"{actual} against a target of {target} in {month_label(month)} ({percent(kpi.pct_of_target)} of "
                f"target); {kpi.streak} month(s) at this status.{owner}")

    return Condition(key=f"{KIND_PREFIX[AlertKind.KPI_OFF_TRACK]}{kpi.key}", kind=AlertKind.KPI_OFF_TRACK,
                     title=f"Off track: {kpi.label}", text=said(False), safe_text=said(True), page="scorecard")


def kpi_observations(kpis: Sequence[KpiLine], month: dt.date, currency: str, raised: Set[str]) -> dict:
    """Each agreed KPI judged this month: off track holds, on track or at risk does not. A KPI taken off the
    agreement no longer holds either; one without a judgement (no data, a partial month) is left as it was."""
    observed: dict[str, Condition | None] = {}
    for kpi in kpis:
        if kpi.rag in JUDGED:
            key = f"{KIND_PREFIX[AlertKind.KPI_OFF_TRACK]}{kpi.key}"
            observed[key] = kpi_condition(kpi, month, currency) if kpi.rag == Rag.RED else None
    agreed = {f"{KIND_PREFIX[AlertKind.KPI_OFF_TRACK]}{kpi.key}" for kpi in kpis}
    return {**_unasked(raised, AlertKind.KPI_OFF_TRACK, agreed), **observed}


# --- Vanity traps --------------------------------------------------------------------------------


def vanity_observations(catalog: Catalog, traps: Sequence[VanityTrap], month: dt.date, raised: Set[str]) -> dict:
    """The month's vanity traps hold; raised traps no longer found have cleared."""
    observed: dict[str, Condition | None] = {}
    for trap in traps:
        key = f"{KIND_PREFIX[AlertKind.VANITY_TRAP]}{trap.output}:{trap.outcome}"
        title = f"Vanity trap: {catalog[trap.output].label} up, {catalog[trap.outcome].label} not"
        text = f"{trap.reading} ({month_label(month)})"
        observed[key] = Condition(key=key, kind=AlertKind.VANITY_TRAP, title=title, text=text,
                                  safe_text=mask_currency_text(text), page="output_vs_outcome")
    return {**_unasked(raised, AlertKind.VANITY_TRAP, observed), **observed}


# --- SQL sources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceAge:
    """A SQL source and when its figures last arrived (None: never refreshed since it was added)."""

    id: int
    name: str
    added: dt.date
    refreshed: dt.date | None


def is_late(source: SourceAge, today: dt.date) -> bool:
    return (today - (source.refreshed or source.added)).days > LATE_AFTER_DAYS


def source_observations(sources: Sequence[SourceAge], today: dt.date, raised: Set[str]) -> dict:
    """Each source is late or not; a deleted source's alert clears."""
    observed: dict[str, Condition | None] = {}
    for source in sources:
        key = f"{KIND_PREFIX[AlertKind.SOURCE_LATE]}{source.id}"
        if not is_late(source, today):
            observed[key] = None
            continue
        since = (f"has not been refreshed since {source.refreshed:%d %b %Y}" if source.refreshed
                 else f"has not been refreshed since it was added on {source.added:%d %b %Y}")
        text = (f"The SQL source '{source.name}' {since} ({(today - (source.refreshed or source.added)).days} days): "
                "its figures may be out of date.")
        observed[key] = Condition(key=key, kind=AlertKind.SOURCE_LATE, title=f"SQL source late: {source.name}",
                                  text=text, safe_text=text, page="data")
    return {**_unasked(raised, AlertKind.SOURCE_LATE, observed), **observed}


# --- Import failures -----------------------------------------------------------------------------

PROBLEMS_IN_ALERT = 3


def import_failure(key: str, file_name: str, source: str, by: str, problems: Sequence[str]) -> Condition:
    """A refused import: which file, whose, and its first problems (left out of share-safe mail, as cells may
    hold amounts)."""
    who = f" by {by}" if by else ""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}" if problems else "A problem"
    head = f"{count} stopped the import of {file_name} (source '{source}'){who}; nothing was imported."
    listed = "; ".join(problems[:PROBLEMS_IN_ALERT]) + ("; …" if len(problems) > PROBLEMS_IN_ALERT else "")
    return Condition(key=key, kind=AlertKind.IMPORT_FAILED, title=f"Import failed: {file_name}",
                     text=f"{head} {listed}".strip(), safe_text=f"{head} The Data page lists the problems.",
                     page="data")
