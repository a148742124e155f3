"""The monthly review as data: what was reviewed (the snapshot), the agenda, actions and what changed.

Pure: the database and the pages hand values in; the same functions feed the meeting page,
the presentation mode and the board pack, so what people see and what they download agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from metrics.catalog import Band, Catalog, Direction, Mandate, Unit
from metrics.formatting import MASK as MASK  # re-exported: the review's callers read it here
from metrics.formatting import format_change, format_value, mask_currency_text
from metrics.one_view import CardFigures, IndexLine
from metrics.periods import Month, add_months, month_label
from metrics.scorecard import Scorecard, format_variance
from metrics.status import RAG_LABELS, Rag
from metrics.vanity import VanityTrap

VANITY_ON_AGENDA = 3  # the widest gaps; a long list of traps would crowd out the rest of the meeting


# --- actions ---------------------------------------------------------------------------------


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class Action(BaseModel):
    """An action item agreed in a review; it is carried month to month until someone closes it."""

    id: int
    title: str
    owner: str = ""
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    kpi_key: str | None = None
    created_month: Month
    closed_month: Month | None = None


class ActionView(BaseModel):
    """An action as a month's review shows it: still open then, carried over, overdue."""

    action: Action
    open_in_month: bool
    carried_over: bool
    overdue: bool


def open_in_month(action: Action, month: Month) -> bool:
    """True when the action was still open at the end of ``month``'s review (not closed in it or before)."""
    if action.created_month > month:
        return False
    return action.status == ActionStatus.OPEN or (action.closed_month is not None and action.closed_month > month)


def is_overdue(action: Action, as_of: dt.date) -> bool:
    """Open and past its due date on ``as_of`` (the due day itself is not late yet)."""
    return action.status == ActionStatus.OPEN and action.due is not None and action.due < as_of


def review_as_of(month: Month, today: dt.date) -> dt.date:
    """The day against which a month's actions count as overdue: today, but never after the month
    following the reviewed one, when that review meeting takes place."""
    return min(today, add_months(month, 2) - dt.timedelta(days=1))


def actions_for_month(actions: Iterable[Action], month: Month, as_of: dt.date) -> list[ActionView]:
    """The actions a month's review shows: open ones first (overdue on top), then those closed in it."""
    views = []
    for action in actions:
        still_open = open_in_month(action, month)
        if not still_open and action.closed_month != month:
            continue
        late = still_open and action.due is not None and action.due < as_of
        views.append(ActionView(action=action, open_in_month=still_open, overdue=late,
                                carried_over=still_open and action.created_month < month))
    return sorted(views, key=lambda v: (not v.open_in_month, not v.overdue, v.action.due or dt.date.max, v.action.id))


# --- the snapshot ----------------------------------------------------------------------------


class TrendPoint(BaseModel):
    month: Month
    actual: float | None = None
    target: float | None = None


class Reconciliation(BaseModel):
    """Two sources for one KPI (say marketing-reported against finance-booked revenue)."""

    source: str
    value: float | None
    other_source: str
    other_value: float | None
    variance_pct: float | None  # fraction: other against the source, 0.05 is 5%
    flagged: bool = False


class KpiSnapshot(BaseModel):
    """One agreed KPI as reviewed for the month."""

    key: str
    label: str
    mandate: Mandate
    unit: Unit
    direction: Direction = Direction.UP
    owner: str = ""
    actual: float | None = None
    target: float | None = None
    variance: float | None = None  # actual minus target, in the KPI's unit
    variance_pct: float | None = None  # fraction of the target
    pct_of_target: float | None = None  # actual / target as a fraction
    rag: Rag = Rag.NO_DATA
    streak: int = 0
    commentary: str = ""
    ceo_confidence: int | None = None
    cmo_confidence: int | None = None
    disagree: bool = False
    trend: list[TrendPoint] = Field(default_factory=list)
    trend_as_pct_of_target: bool = False  # share-safe decks chart % of target instead of amounts
    reconciliation: Reconciliation | None = None
    coverage: float | None = None  # below 1: the month's figures cover only part of it


class CardFigure(BaseModel):
    """A One View card as it stood: value, changes and colour."""

    key: str
    label: str
    unit: Unit
    band: Band
    value: float | None = None
    change_month: str = "n/a"  # already formatted: "+4.2%" or "-1.0 pts"
    change_year: str = "n/a"
    good_month: bool | None = None
    rag: Rag | None = None
    target: float | None = None
    coverage: float | None = None  # below 1: a partial month


class VanityTrapLine(BaseModel):
    """An output that grew while the outcome it should drive fell or stalled."""

    output_label: str
    output_growth: float | None
    outcome_label: str
    outcome_growth: float | None
    reading: str


class NoteLine(BaseModel):
    item_key: str
    kind: str  # note | decision
    text: str
    author: str = ""
    created_at: dt.datetime | None = None


class ReviewSnapshot(BaseModel):
    """Everything a month's review looked at. Frozen as JSON when the month is closed."""

    workspace_name: str
    currency: str = "USD"
    color: str = "#1f4e79"
    month: Month
    agreement: str = ""  # "Agreement v3", or "" when nothing is agreed yet
    kpis: list[KpiSnapshot] = Field(default_factory=list)
    cards: list[CardFigure] = Field(default_factory=list)
    summary: list[str] = Field(default_factory=list)
    vanity_traps: list[VanityTrapLine] = Field(default_factory=list)
    # outputs and outcomes indexed to 100 over the 12 months to the month; None in reviews closed before it was kept
    index_lines: list[IndexLine] | None = None
    actions: list[ActionView] = Field(default_factory=list)
    notes: list[NoteLine] = Field(default_factory=list)
    taken_at: dt.datetime | None = None
    closed_by: str = ""
    share_safe: bool = False

    def mandate_kpis(self, mandate: Mandate) -> list[KpiSnapshot]:
        return [k for k in self.kpis if k.mandate == mandate]

    def kpi(self, key: str) -> KpiSnapshot | None:
        return next((k for k in self.kpis if k.key == key), None)


def shown(snapshot: ReviewSnapshot, value: float | None, unit: Unit) -> str:
    """A figure as text, or the mask when share-safe hides currency amounts."""
    return format_value(value, unit, snapshot.currency, mask_currency=snapshot.share_safe)


def shown_gap(snapshot: ReviewSnapshot, value: float | None, unit: Unit) -> str:
    """A signed gap to target in the KPI's unit ("+$12K", "-3.0 pts"), or the mask for money in share-safe mode."""
    return format_variance(value, unit, snapshot.currency, mask_currency=snapshot.share_safe)


def percent(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.0f}%"


# --- the agenda ------------------------------------------------------------------------------


class AgendaKind(StrEnum):
    SCORECARD = "scorecard"
    EXCEPTION = "exception"
    ACTIONS = "actions"
    DECISIONS = "decisions"


class AgendaItem(BaseModel):
    """One point of the meeting. ``key`` is stable month to month so notes attach to it."""

    key: str
    kind: AgendaKind
    title: str
    detail: str = ""
    kpi_key: str | None = None


def _rag_counts(kpis: Sequence[KpiSnapshot]) -> str:
    counts = {rag: sum(k.rag == rag for k in kpis) for rag in Rag}
    parts = [f"{counts[r]} {RAG_LABELS[r].lower()}" for r in Rag if counts[r]]
    return ", ".join(parts) or "no agreed KPIs yet"


def _exceptions(snapshot: ReviewSnapshot) -> list[AgendaItem]:
    items = [AgendaItem(key=f"red:{k.key}", kind=AgendaKind.EXCEPTION, kpi_key=k.key,
                        title=f"Off track: {k.label}",
                        detail=f"{percent(k.pct_of_target)} of target; {k.streak} month(s) at this status.")
             for k in snapshot.kpis if k.rag == Rag.RED]
    items += [AgendaItem(key=f"confidence:{k.key}", kind=AgendaKind.EXCEPTION, kpi_key=k.key,
                         title=f"We disagree about this number: {k.label}",
                         detail=f"Confidence CEO {k.ceo_confidence}/5, CMO {k.cmo_confidence}/5.")
              for k in snapshot.kpis if k.disagree]
    items += _vanity_items(snapshot.vanity_traps)
    items += [AgendaItem(key=f"reconciliation:{k.key}", kind=AgendaKind.EXCEPTION, kpi_key=k.key,
                         title=f"Sources disagree: {k.label}",
                         detail=f"{k.reconciliation.source} vs {k.reconciliation.other_source}: "
                                f"{percent(k.reconciliation.variance_pct, signed=True)}.")
              for k in snapshot.kpis if k.reconciliation is not None and k.reconciliation.flagged]
    return items


def _vanity_items(traps: Sequence[VanityTrapLine]) -> list[AgendaItem]:
    """The widest vanity traps, one item each; the rest are counted on the last one."""
    shown_traps = traps[:VANITY_ON_AGENDA]
    items = [AgendaItem(key=f"vanity:{t.output_label}:{t.outcome_label}", kind=AgendaKind.EXCEPTION,
                        title=f"Vanity trap: {t.output_label} up, {t.outcome_label} not", detail=t.reading)
             for t in shown_traps]
    if len(traps) > len(shown_traps):
        more = len(traps) - len(shown_traps)
        items[-1].detail += f" ({more} more vanity trap{'s' if more > 1 else ''} on the Output vs outcome page.)"
    return items


def build_agenda(snapshot: ReviewSnapshot) -> list[AgendaItem]:
    """The meeting in order: the agreed scorecard, the exceptions, open actions, decisions."""
    still_open = [v for v in snapshot.actions if v.open_in_month]
    overdue = sum(v.overdue for v in still_open)
    carried = sum(v.carried_over for v in still_open)
    return [
        AgendaItem(key="scorecard", kind=AgendaKind.SCORECARD, title="The agreed scorecard",
                   detail=f"{snapshot.agreement or 'No agreement signed yet'}: {_rag_counts(snapshot.kpis)}."),
        *_exceptions(snapshot),
        AgendaItem(key="actions", kind=AgendaKind.ACTIONS, title="Open actions",
                   detail=f"{len(still_open)} open, {carried} carried over, {overdue} overdue."),
        AgendaItem(key="decisions", kind=AgendaKind.DECISIONS, title="Decisions",
                   detail=f"{sum(n.kind == 'decision' for n in snapshot.notes)} recorded this month."),
    ]


# --- what changed since the review -----------------------------------------------------------


class Difference(BaseModel):
    """One figure that differs between the frozen review and today's data."""

    item: str
    field: str
    frozen: str
    live: str


def _kpi_fields(snapshot: ReviewSnapshot, kpi: KpiSnapshot) -> dict[str, str]:
    return {
        "actual": shown(snapshot, kpi.actual, kpi.unit),
        "target": shown(snapshot, kpi.target, kpi.unit),
        "status": RAG_LABELS[kpi.rag],
        "commentary": kpi.commentary,
        "CEO confidence": str(kpi.ceo_confidence or "-"),
        "CMO confidence": str(kpi.cmo_confidence or "-"),
    }


def _compare(item: str, before: dict[str, str], after: dict[str, str], every: bool = False) -> list[Difference]:
    return [Difference(item=item, field=name, frozen=before.get(name, "-"), live=after.get(name, "-"))
            for name in dict.fromkeys([*before, *after]) if every or before.get(name) != after.get(name)]


def _differences(frozen: ReviewSnapshot, live: ReviewSnapshot, every: bool = False) -> list[Difference]:
    """Each compared figure of the two snapshots (``every``), or only those that differ."""
    differences: list[Difference] = []
    for key in dict.fromkeys([k.key for k in frozen.kpis] + [k.key for k in live.kpis]):
        before, after = frozen.kpi(key), live.kpi(key)
        label = (before or after).label  # type: ignore[union-attr]
        differences += _compare(label, _kpi_fields(frozen, before) if before else {"KPI": "not on the scorecard"},
                                _kpi_fields(live, after) if after else {"KPI": "not on the scorecard"}, every)
    live_cards = {c.key: c for c in live.cards}
    for card in frozen.cards:
        other = live_cards.get(card.key)
        after = shown(live, other.value, other.unit) if other else "-"
        differences += _compare(card.label, {"One View value": shown(frozen, card.value, card.unit)},
                                {"One View value": after}, every)
    return differences


def snapshot_differences(frozen: ReviewSnapshot, live: ReviewSnapshot,
                         mask_currency: bool = False) -> list[Difference]:
    """Figures that changed since the month was closed: KPI values, targets, statuses, commentary,
    votes and One View cards. Actions and notes are the review's own record, not data, so they are not compared.

    Pass the snapshots as they are: with ``mask_currency`` (share-safe) the amounts are compared, so a changed
    amount still counts, and shown as the mask (amounts in the commentary masked too)."""
    found = _differences(frozen, live)
    if not mask_currency or not found:
        return found
    masked = {(d.item, d.field): d for d in _differences(share_safe(frozen), share_safe(live), every=True)}
    return [masked[d.item, d.field] for d in found]


# --- share-safe ------------------------------------------------------------------------------

def _safe_trend(kpi: KpiSnapshot) -> list[TrendPoint]:
    """Currency trends become % of target, so the chart keeps its shape without amounts."""
    return [TrendPoint(month=p.month, target=1.0 if p.target else None,
                       actual=p.actual / p.target if p.actual is not None and p.target else None)
            for p in kpi.trend]


def _safe_kpi(kpi: KpiSnapshot) -> KpiSnapshot:
    safe = kpi.model_copy(update={"commentary": mask_currency_text(kpi.commentary)})
    if kpi.unit == Unit.CURRENCY:
        safe = safe.model_copy(update={"actual": None, "target": None, "variance": None,
                                       "trend": _safe_trend(kpi), "trend_as_pct_of_target": True})
    if kpi.reconciliation is not None and kpi.unit == Unit.CURRENCY:
        safe.reconciliation = kpi.reconciliation.model_copy(update={"value": None, "other_value": None})
    return safe


def _safe_card(card: CardFigure) -> CardFigure:
    if card.unit != Unit.CURRENCY:
        return card
    return card.model_copy(update={"value": None, "target": None})


def _safe_action(view: ActionView) -> ActionView:
    action = view.action.model_copy(update={"title": mask_currency_text(view.action.title)})
    return view.model_copy(update={"action": action})


def share_safe(snapshot: ReviewSnapshot) -> ReviewSnapshot:
    """A copy fit for screen-sharing: changes, % of target and RAG stay; absolute currency figures go,
    in the numbers and in the free text."""
    return snapshot.model_copy(update={
        "share_safe": True,
        "kpis": [_safe_kpi(k) for k in snapshot.kpis],
        "cards": [_safe_card(c) for c in snapshot.cards],
        "summary": [mask_currency_text(s) for s in snapshot.summary],
        "vanity_traps": [t.model_copy(update={"reading": mask_currency_text(t.reading)})
                         for t in snapshot.vanity_traps],
        "actions": [_safe_action(v) for v in snapshot.actions],
        "notes": [n.model_copy(update={"text": mask_currency_text(n.text)}) for n in snapshot.notes],
    })


def review_title(snapshot: ReviewSnapshot) -> str:
    return f"{snapshot.workspace_name} · monthly review · {month_label(snapshot.month)}"


# --- from the other views' figures into the snapshot ----------------------------------------


def card_lines(bands: Mapping[Band, Sequence[CardFigures]]) -> list[CardFigure]:
    """The One View cards as the review keeps them: value, formatted changes and their colour."""
    return [CardFigure(key=c.key, label=c.label, unit=c.unit, band=band, value=c.value,
                       change_month=format_change(c.vs_previous_month), change_year=format_change(c.vs_last_year),
                       good_month=c.previous_month_good, coverage=c.coverage)
            for band, cards in bands.items() for c in cards]


def vanity_lines(catalog: Catalog, traps: Iterable[VanityTrap]) -> list[VanityTrapLine]:
    return [VanityTrapLine(output_label=catalog[t.output].label, output_growth=t.output_growth,
                           outcome_label=catalog[t.outcome].label, outcome_growth=t.outcome_growth,
                           reading=t.reading)
            for t in traps]


def kpi_lines(scorecard: Scorecard) -> list[KpiSnapshot]:
    """The agreed KPIs as the review keeps them (owner as "name (role)")."""
    return [KpiSnapshot.model_validate({**line.model_dump(), "owner": line.owner}) for line in scorecard.kpis]


def with_targets(cards: Sequence[CardFigure], scorecard: Scorecard) -> list[CardFigure]:
    """Cards of agreed KPIs carry the month's target and RAG, as on the One View."""
    agreed = scorecard.by_key()
    return [card.model_copy(update={"target": agreed[card.key].target, "rag": agreed[card.key].rag})
            if card.key in agreed else card for card in cards]


# --- What the meeting types in ------------------------------------------------------------------


class ActionIn(BaseModel):
    """A new action item as typed in the meeting."""

    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(default="", max_length=120)
    due: dt.date | None = None
    kpi_key: str | None = Field(default=None, max_length=64)

    @field_validator("title", "owner", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class NoteIn(BaseModel):
    """A note or decision on one agenda item."""

    item_key: str = Field(min_length=1, max_length=200)
    kind: str = Field(pattern="^(note|decision)$")
    text: str = Field(min_length=1, max_length=5000)
    author: str = Field(default="", max_length=120)

    @field_validator("text", "author", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value
