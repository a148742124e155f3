"""The advisor's month: one row per client company, from figures already read (``db.portfolio`` reads them).

Pure: a ``CompanyFigures`` in, a ``PortfolioRow`` out. Each figure on a row follows the rule of the page it
summarises, so the portfolio never tells a different story from the company's own pages:

* KPI statuses are the scorecard's (``KpiFigures.status``: partial months are "partial month", not judged);
* overdue actions are the review's (``actions_for_month`` as of ``review_as_of``);
* vanity traps are the Output vs outcome page's (``vanity_traps`` on whole months, default thresholds);
* a confidence gap of 2 or more is the scorecard's "we disagree about this number".

Besides the page, the command line (``python cli.py portfolio``) and the e-mails read these rows; ``table_cells``
and ``csv_cells`` are the one place their columns are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel

from metrics.catalog import Catalog
from metrics.coverage import coverage_of, is_complete, latest_complete_month, point_coverage, without_partial
from metrics.drivers import DriverMap
from metrics.meeting_dates import day_text, is_moved
from metrics.meetings import Cadence, next_meeting
from metrics.periods import Month, add_months, month_label, months_between, previous_month
from metrics.review import Action, actions_for_month, review_as_of
from metrics.scorecard import DISAGREEMENT_GAP, KpiFigures, KpiTerms, Votes
from metrics.series import MonthlyData, monthly_values
from metrics.status import RAG_COLORS, RAG_LABELS, Rag
from metrics.vanity import VanityThresholds, vanity_traps

VANITY_LIMITS = VanityThresholds()  # the Output vs outcome page's defaults
NO_TARGET = "No target"


def months_read(month: Month, limits: VanityThresholds = VANITY_LIMITS) -> list[Month]:
    """The months whose figures a row compares: the month, the one before (the change in off-track KPIs) and
    the trailing windows the vanity traps compare (two quarters by default)."""
    return months_between(min(add_months(month, 1 - 2 * limits.months), previous_month(month)), month)


# --- What a row is made from ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewMark:
    """A month's review as stored: open or closed, and when it closed."""

    closed: bool
    closed_at: dt.datetime | None = None


@dataclass(frozen=True)
class SqlSourceMark:
    """A SQL source's name and when it last ran (``refreshed_at``; never: None) or was added."""

    name: str
    added_at: dt.datetime
    refreshed_at: dt.datetime | None = None


@dataclass(frozen=True)
class CompanyFigures:
    """Everything one company's row is computed from, as ``db.portfolio.company_figures`` reads it.

    ``data`` holds the month totals of ``months_read(month)`` only; ``coverage`` every month with figures and
    the least any of its metrics covers; ``kpis`` the signed agreement's KPIs (empty without one), with the
    targets of the months read; ``votes`` the month's confidence votes by KPI; ``review`` the month's review
    (None: not started); ``actions`` the actions still open at the month or closed in it.
    """

    workspace_id: int
    name: str
    month: Month
    catalog: Catalog
    drivers: DriverMap
    data: MonthlyData
    coverage: Mapping[Month, float]
    cadence: Cadence
    is_demo: bool = False
    kpis: Sequence[KpiTerms] = ()
    votes: Mapping[str, Votes] = field(default_factory=dict)
    review: ReviewMark | None = None
    actions: Sequence[Action] = ()
    last_import_at: dt.datetime | None = None
    sql_sources: Sequence[SqlSourceMark] = ()


# --- The row --------------------------------------------------------------------------------------


class ReviewProgress(StrEnum):
    NOT_STARTED = "not started"
    OPEN = "open"
    CLOSED = "closed"


class KpiChip(BaseModel):
    """One agreed KPI's status for the month, as a chip."""

    key: str
    label: str
    rag: Rag
    has_target: bool = True

    @property
    def status_label(self) -> str:
        """'On track', 'At risk', 'Off track', 'Partial month', 'No data', or 'No target' when the agreement set
        none for the month."""
        return NO_TARGET if self.rag == Rag.NO_DATA and not self.has_target else RAG_LABELS[self.rag]

    @property
    def color(self) -> str:
        return RAG_COLORS[self.rag]


class PortfolioRow(BaseModel):
    """One company's month at a glance; ``attention`` lists, in plain words, what needs the advisor."""

    workspace_id: int
    name: str
    is_demo: bool = False
    month: Month
    has_agreement: bool
    kpis: list[KpiChip]
    off_track: int
    off_track_before: int | None  # the month before, by the same agreement; None without an agreement
    review: ReviewProgress
    review_closed_on: dt.date | None = None
    next_meeting: dt.date
    cadence: str  # "the second Tuesday of each month"
    meeting_moved: bool = False
    overdue_actions: int
    vanity_traps: int
    month_coverage: float | None = None  # the least share of the month its figures cover; None: no figures
    latest_complete_month: Month | None
    last_import_on: dt.date | None
    late_sources: list[str]
    widest_confidence_gap: int | None  # the largest CEO-CMO gap among the month's KPIs voted on by both
    confidence_disagreements: int  # KPIs whose gap is DISAGREEMENT_GAP or more
    attention: list[str]

    @property
    def off_track_change(self) -> int | None:
        return None if self.off_track_before is None else self.off_track - self.off_track_before

    def count(self, rag: Rag, *, no_target: bool | None = None) -> int:
        """How many chips have ``rag`` (for NO_DATA, ``no_target`` tells "no target" from "no data")."""
        return sum(c.rag == rag and (no_target is None or (not c.has_target) == no_target) for c in self.kpis)


def kpi_chips(catalog: Catalog, terms: KpiTerms, data: MonthlyData, months: Sequence[Month]) -> dict[Month, KpiChip]:
    """A KPI's status in each of ``months`` by the scorecard's rule: its actual against the month's target, a
    partial month not judged."""
    metric = catalog.get(terms.metric_key)
    if metric is None:  # the company no longer defines the metric: the scorecard shows it without data
        return {m: KpiChip(key=terms.metric_key, label=terms.metric_key, rag=Rag.NO_DATA,
                           has_target=m in terms.targets) for m in months}
    inputs = catalog.needed_base_keys([metric.key])
    shares = {m: point_coverage(inputs, data, m) for m in months}
    figures = KpiFigures(actuals=monthly_values(catalog, metric.key, data, months), targets=terms.targets,
                         coverage={m: share for m, share in shares.items() if share is not None})
    return {m: KpiChip(key=metric.key, label=metric.label, rag=figures.status(m, metric.direction, terms.thresholds),
                       has_target=m in terms.targets) for m in months}


def kpi_chip(catalog: Catalog, terms: KpiTerms, data: MonthlyData, month: Month) -> KpiChip:
    """A KPI's status in ``month`` (see ``kpi_chips``)."""
    return kpi_chips(catalog, terms, data, [month])[month]


def metrics_read(catalog: Catalog, kpis: Iterable[KpiTerms], drivers: DriverMap) -> set[str]:
    """The stored metrics a row needs: those behind the agreed KPIs and behind the driver map's vanity traps."""
    keys = {k.metric_key for k in kpis} | set(drivers) | {o for outcomes in drivers.values() for o in outcomes}
    return catalog.needed_base_keys(k for k in keys if k in catalog)


def review_progress(mark: ReviewMark | None) -> ReviewProgress:
    if mark is None:
        return ReviewProgress.NOT_STARTED
    return ReviewProgress.CLOSED if mark.closed else ReviewProgress.OPEN


def overdue_actions(actions: Iterable[Action], month: Month, today: dt.date) -> int:
    """The month's overdue actions as its review counts them (due before the meeting's day, still open)."""
    return sum(view.overdue for view in actions_for_month(actions, month, review_as_of(month, today)))


def trap_count(figures: CompanyFigures, month: Month) -> int:
    """Vanity traps as the Output vs outcome page finds them: whole months only, default thresholds."""
    return len(vanity_traps(figures.catalog, figures.drivers, without_partial(figures.data), month, VANITY_LIMITS))


def one_month_before(day: dt.date) -> dt.date:
    """The same day a month earlier (the month's last day when it is shorter: 31 Mar -> 28 Feb)."""
    first = add_months(day.replace(day=1), -1)
    last_day = (add_months(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))


def late_sources(sources: Iterable[SqlSourceMark], today: dt.date) -> list[str]:
    """SQL sources not refreshed for more than a month (one never run counts from when it was added)."""
    since = one_month_before(today)
    return sorted(s.name for s in sources if (s.refreshed_at or s.added_at).date() < since)


def confidence_gaps(kpis: Sequence[KpiTerms], votes: Mapping[str, Votes]) -> list[int]:
    """The CEO-CMO gap of each agreed KPI both voted on this month."""
    pairs = [votes.get(k.metric_key, Votes()) for k in kpis]
    return [abs(v.ceo - v.cmo) for v in pairs if v.ceo is not None and v.cmo is not None]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def attention_reasons(row: PortfolioRow) -> list[str]:
    """What needs the advisor this month, most pressing first; empty when nothing does."""
    reasons = []
    if not row.has_agreement:
        reasons.append("no signed KPI agreement")
    if row.off_track:
        reasons.append(f"{_plural(row.off_track, 'KPI')} off track")
    if row.overdue_actions:
        reasons.append(f"{_plural(row.overdue_actions, 'overdue action')}")
    if row.vanity_traps:
        reasons.append(f"{_plural(row.vanity_traps, 'vanity trap')}")
    if row.confidence_disagreements:
        reasons.append(f"CEO and CMO disagree on {_plural(row.confidence_disagreements, 'KPI')}")
    if row.month_coverage is None:
        reasons.append(f"no figures for {month_label(row.month)}")
    elif not is_complete(row.month_coverage):
        covered = coverage_of(row.month, row.month_coverage)
        reasons.append(f"{month_label(row.month)} is partial ({covered.covered_days} of {covered.month_days} days)")
    if row.late_sources:
        reasons.append(f"{_plural(len(row.late_sources), 'SQL source')} late")
    return reasons


def portfolio_row(figures: CompanyFigures, today: dt.date) -> PortfolioRow:
    """The company's row for ``figures.month``, with what needs attention."""
    month, before_month = figures.month, previous_month(figures.month)
    statuses = [kpi_chips(figures.catalog, k, figures.data, [before_month, month]) for k in figures.kpis]
    chips, before = [s[month] for s in statuses], [s[before_month] for s in statuses] if figures.kpis else None
    gaps = confidence_gaps(figures.kpis, figures.votes)
    review = figures.review
    row = PortfolioRow(
        workspace_id=figures.workspace_id, name=figures.name, is_demo=figures.is_demo, month=month,
        has_agreement=bool(figures.kpis), kpis=chips, off_track=sum(c.rag == Rag.RED for c in chips),
        off_track_before=None if before is None else sum(c.rag == Rag.RED for c in before),
        review=review_progress(review),
        review_closed_on=review.closed_at.date() if review and review.closed and review.closed_at else None,
        next_meeting=next_meeting(figures.cadence, today), cadence=figures.cadence.text(),
        meeting_moved=is_moved(figures.cadence, today),
        overdue_actions=overdue_actions(figures.actions, month, today), vanity_traps=trap_count(figures, month),
        month_coverage=figures.coverage.get(month), latest_complete_month=latest_complete_month(figures.coverage),
        last_import_on=figures.last_import_at.date() if figures.last_import_at else None,
        late_sources=late_sources(figures.sql_sources, today),
        widest_confidence_gap=max(gaps, default=None),
        confidence_disagreements=sum(gap >= DISAGREEMENT_GAP for gap in gaps), attention=[],
    )
    return row.model_copy(update={"attention": attention_reasons(row)})


# --- Choosing and ordering rows ---------------------------------------------------------------------


class PortfolioFilter(StrEnum):
    ALL = "All companies"
    ATTENTION = "Needs attention"
    OFF_TRACK = "A KPI off track"
    AT_RISK = "A KPI at risk"
    ON_TRACK = "Every KPI on track"
    NO_AGREEMENT = "No signed agreement"


class PortfolioSort(StrEnum):
    ATTENTION = "Attention needed"
    OFF_TRACK = "Most off track"
    NEXT_MEETING = "Next meeting"
    NAME = "Name"


def shows(row: PortfolioRow, chosen: PortfolioFilter) -> bool:
    """Whether ``row`` passes the filter."""
    statuses = {c.rag for c in row.kpis}
    return {
        PortfolioFilter.ALL: True,
        PortfolioFilter.ATTENTION: bool(row.attention),
        PortfolioFilter.OFF_TRACK: Rag.RED in statuses,
        PortfolioFilter.AT_RISK: Rag.AMBER in statuses,
        PortfolioFilter.ON_TRACK: statuses == {Rag.GREEN},
        PortfolioFilter.NO_AGREEMENT: not row.has_agreement,
    }[chosen]


def _name_key(row: PortfolioRow) -> tuple[str, int]:
    return row.name.casefold(), row.workspace_id


def sort_key(row: PortfolioRow, order: PortfolioSort) -> tuple:
    """Most attention first: more reasons, then more off track, more overdue, more traps; ties by name."""
    if order == PortfolioSort.NAME:
        return _name_key(row)
    if order == PortfolioSort.NEXT_MEETING:
        return row.next_meeting, *_name_key(row)
    if order == PortfolioSort.OFF_TRACK:
        return -row.off_track, -(row.off_track_change or 0), *_name_key(row)
    return -len(row.attention), -row.off_track, -row.overdue_actions, -row.vanity_traps, *_name_key(row)


def arranged(rows: Iterable[PortfolioRow], chosen: PortfolioFilter = PortfolioFilter.ALL,
             order: PortfolioSort = PortfolioSort.ATTENTION) -> list[PortfolioRow]:
    """The rows that pass the filter, in the chosen order."""
    return sorted((r for r in rows if shows(r, chosen)), key=lambda r: sort_key(r, order))


# --- The row as text: the page, the fixed-width table and the CSV ------------------------------------


def change_text(change: int | None) -> str:
    """'+1', '−2' (a true minus), '±0', or 'n/a' without a month to compare with."""
    if change is None:
        return "n/a"
    return "±0" if change == 0 else f"+{change}" if change > 0 else f"−{-change}"


def review_text(row: PortfolioRow) -> str:
    """'not started', 'open', 'closed on 6 Nov 2026'."""
    if row.review == ReviewProgress.CLOSED and row.review_closed_on:
        return f"closed on {row.review_closed_on.day} {row.review_closed_on:%b %Y}"
    return row.review.value


def meeting_text(row: PortfolioRow) -> str:
    """'Tue 8 Dec 2026', '(moved)' added for a meeting moved by hand."""
    return day_text(row.next_meeting) + (" (moved)" if row.meeting_moved else "")


def freshness_text(row: PortfolioRow) -> str:
    """'Oct 2026 complete · imported 2 Nov 2026 · 1 SQL source late'."""
    parts = [f"{month_label(row.latest_complete_month)} complete" if row.latest_complete_month
             else "no complete month"]
    parts.append(f"imported {row.last_import_on.day} {row.last_import_on:%b %Y}" if row.last_import_on
                 else "nothing imported")
    if row.late_sources:
        parts.append(f"{_plural(len(row.late_sources), 'SQL source')} late: {', '.join(row.late_sources)}")
    return " · ".join(parts)


def confidence_text(row: PortfolioRow) -> str:
    """'widest gap 2 · 1 KPI at 2 or more', or 'no votes' when no KPI has both votes."""
    if row.widest_confidence_gap is None:
        return "no votes"
    return (f"widest gap {row.widest_confidence_gap} · {_plural(row.confidence_disagreements, 'KPI')} at "
            f"{DISAGREEMENT_GAP} or more")


def status_counts_text(row: PortfolioRow) -> str:
    """'3 on track, 1 at risk, 2 off track', naming only the statuses present."""
    parts = [f"{row.count(rag)} {RAG_LABELS[rag].lower()}" for rag in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.PARTIAL)
             if row.count(rag)]
    parts += [f"{n} no target" for n in [row.count(Rag.NO_DATA, no_target=True)] if n]
    parts += [f"{n} no data" for n in [row.count(Rag.NO_DATA, no_target=False)] if n]
    return ", ".join(parts) or "no agreed KPIs"


TABLE_COLUMNS = ("Company", "KPIs", "Off track", "Review", "Next meeting", "Overdue", "Traps", "Data",
                 "Confidence", "Needs attention")


def table_cells(row: PortfolioRow) -> list[str]:
    """The row as the fixed-width table prints it, column by column (``TABLE_COLUMNS``)."""
    return [row.name, status_counts_text(row), f"{row.off_track} ({change_text(row.off_track_change)})",
            review_text(row), meeting_text(row), str(row.overdue_actions), str(row.vanity_traps),
            freshness_text(row), confidence_text(row), "; ".join(row.attention) or "-"]


CSV_COLUMNS = ("company", "month", "kpis", "on_track", "at_risk", "off_track", "off_track_change", "partial",
               "no_target", "no_data", "review", "review_closed_on", "next_meeting", "meeting_moved",
               "overdue_actions", "vanity_traps", "latest_complete_month", "last_import", "late_sql_sources",
               "widest_confidence_gap", "confidence_gaps_of_2_or_more", "attention")


def _iso(day: dt.date | None, month_only: bool = False) -> str:
    return "" if day is None else f"{day:%Y-%m}" if month_only else day.isoformat()


def csv_cells(row: PortfolioRow) -> list[str | int]:
    """The row as the CSV writes it (``CSV_COLUMNS``): ISO dates, plain integers, lists joined by '; '."""
    change = row.off_track_change
    return [row.name, f"{row.month:%Y-%m}", "; ".join(f"{c.label}: {c.status_label.lower()}" for c in row.kpis),
            row.count(Rag.GREEN), row.count(Rag.AMBER), row.off_track, "" if change is None else change,
            row.count(Rag.PARTIAL), row.count(Rag.NO_DATA, no_target=True), row.count(Rag.NO_DATA, no_target=False),
            row.review.value, _iso(row.review_closed_on), _iso(row.next_meeting), "yes" if row.meeting_moved else "no",
            row.overdue_actions, row.vanity_traps, _iso(row.latest_complete_month, month_only=True),
            _iso(row.last_import_on), "; ".join(row.late_sources),
            "" if row.widest_confidence_gap is None else row.widest_confidence_gap, row.confidence_disagreements,
            "; ".join(row.attention)]


def fixed_width(rows: Sequence[PortfolioRow], widest: int = 40) -> str:
    """A plain-text table: one line per company, columns padded to their widest cell (at most ``widest``)."""
    cells = [list(TABLE_COLUMNS), *(table_cells(r) for r in rows)]
    widths = [min(widest, max(len(line[i]) for line in cells)) for i in range(len(TABLE_COLUMNS))]

    def line(values: list[str]) -> str:
        fitted = [v if len(v) <= w else v[:w - 1] + "…" for v, w in zip(values, widths, strict=True)]
        return "  ".join(v.ljust(w) for v, w in zip(fitted[:-1], widths[:-1], strict=True)) + "  " + values[-1]

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *(line(c) for c in cells[1:])])


def portfolio_months(coverage: Mapping[int, Mapping[Month, float]]) -> dict[Month, float]:
    """Every month any company has figures for, with the best coverage any company has (a month is offered as
    partial only when no company has it whole)."""
    months: dict[Month, float] = {}
    for shares in coverage.values():
        for month, share in shares.items():
            months[month] = max(months.get(month, 0.0), share)
    return dict(sorted(months.items()))

