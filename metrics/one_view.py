"""The One View of Reality: the P&L, the campaigns and how people feel, from the same numbers.

Which metrics each band shows is data; the figures on a card and the outputs-vs-outcomes
index lines are computed here so every page and export tells the same story.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from metrics.catalog import STANDARD_CATALOG, Aggregation, Band, Catalog, Metric, MetricClass, Unit
from metrics.coverage import point_coverage, without_partial
from metrics.formatting import currency_symbol, format_change, format_value, is_good
from metrics.periods import Month, month_label, previous_month, same_month_last_year, trailing
from metrics.refusal import Refused
from metrics.series import Change, MonthlyData, change, monthly_values, period_value

BAND_METRICS: dict[Band, tuple[str, ...]] = {
    Band.PNL: ("revenue", "new_bookings", "gross_margin", "nrr", "churn_rate", "cac", "ltv_to_cac",
               "cac_payback_months"),
    Band.CAMPAIGNS: ("marketing_spend", "impressions", "clicks", "ctr", "engagements", "mqls",
                     "pipeline_created", "win_rate", "marketing_sourced_share"),
    Band.FEEL: ("nps", "decision_confidence", "aided_awareness", "share_of_voice"),
}

# The activity a dashboard tends to celebrate, and the business results it is meant to drive.
INDEX_OUTPUTS: tuple[str, ...] = ("impressions", "clicks", "engagements")
INDEX_OUTCOMES: tuple[str, ...] = ("pipeline_created", "new_bookings", "revenue")

SPARKLINE_MONTHS = 12
INDEX_WINDOW = 12
VISIBLE_CHANGE = 0.05  # changes are shown to one decimal: anything that reads "+0.0" is neither good nor bad


def card_keys() -> list[str]:
    """Every metric shown as a card, band by band."""
    return [key for keys in BAND_METRICS.values() for key in keys]


class CardFigures(BaseModel):
    """What one KPI card shows for a month; values are raw numbers, formatting happens at render."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    description: str
    unit: Unit
    month: Month
    value: float | None
    vs_previous_month: Change | None
    vs_last_year: Change | None
    previous_month_good: bool | None
    last_year_good: bool | None
    sparkline_months: list[Month]
    sparkline: list[float | None]
    formula_text: str
    inputs: tuple[str, ...]
    coverage: float | None = None  # the month's coverage share; below 1 the month is partial


def judge(metric: Metric, moved: Change | None) -> bool | None:
    """Good (True), bad (False) or neither (None): a change too small to see is neither."""
    if moved is None or abs(moved.value) < VISIBLE_CHANGE:
        return None
    return is_good(metric, moved)


def change_text(moved: Change | None) -> str:
    """A change as shown: 'n/a' when unknown, and a change too small to see as 0.0 (never '-0.0')."""
    if moved is not None and abs(moved.value) < VISIBLE_CHANGE:
        return format_change(Change(0.0, moved.kind)).replace("+", "")
    return format_change(moved)


def _value(catalog: Catalog, key: str, data: MonthlyData, month: Month) -> float | None:
    return period_value(catalog, key, data, [month])


def card_figures(catalog: Catalog, key: str, data: MonthlyData, month: Month, *,
                 include_partial: bool = False, counted: MonthlyData | None = None) -> CardFigures:
    """The month's value, its changes vs last month and last year, and a 12-month sparkline.

    Unless ``include_partial``, months the figures cover only in part are not compared (their change is
    "n/a") and leave the sparkline, so five days of September never read as a collapse. ``counted``: the figures
    compared, when the caller has them already (``data``, or ``without_partial(data)``).
    """
    metric = catalog[key]
    if counted is None:
        counted = data if include_partial else without_partial(data)
    value, now = _value(catalog, key, data, month), _value(catalog, key, counted, month)
    vs_previous = change(metric, now, _value(catalog, key, counted, previous_month(month)))
    vs_year = change(metric, now, _value(catalog, key, counted, same_month_last_year(month)))
    spark_months = trailing(month, SPARKLINE_MONTHS)
    spark = monthly_values(catalog, key, counted, spark_months)
    inputs = source_keys(catalog, key)
    return CardFigures(
        key=key, label=metric.label, description=metric.description, unit=metric.unit, month=month,
        value=value, vs_previous_month=vs_previous, vs_last_year=vs_year,
        previous_month_good=judge(metric, vs_previous), last_year_good=judge(metric, vs_year),
        sparkline_months=spark_months, sparkline=[spark[m] for m in spark_months],
        formula_text=formula_text(catalog, metric), inputs=inputs,
        coverage=point_coverage(inputs, data, month) if value is not None else None,
    )


def band_keys(catalog: Catalog) -> dict[Band, list[str]]:
    """Each band's metrics in display order: the standard cards, then the company's own metrics of that band."""
    keys = {band: [k for k in standard if k in catalog] for band, standard in BAND_METRICS.items()}
    for metric in catalog:
        if metric.custom and metric.band in keys and metric.key not in keys[metric.band]:
            keys[metric.band].append(metric.key)
    return keys


def is_tracked(catalog: Catalog, key: str, data: MonthlyData) -> bool:
    """Whether the company has any figure of ``key`` (a derived metric: any month where it can be computed)."""
    metric = catalog[key]
    if not metric.derived:
        return bool(data.get(key))
    months = sorted({m for k in catalog.needed_base_keys([key]) for m in data.get(k, {})})
    return any(v is not None for v in monthly_values(catalog, key, data, months).values())


def band_figures(catalog: Catalog, data: MonthlyData, month: Month, *,
                 include_partial: bool = False) -> dict[Band, list[CardFigures]]:
    """Card figures of every metric the company tracks, band by band; metrics never imported are left out
    (``not_tracked`` lists them)."""
    counted = data if include_partial else without_partial(data)  # once for every card
    return {band: [card_figures(catalog, key, data, month, include_partial=include_partial, counted=counted)
                   for key in keys if is_tracked(catalog, key, data)]
            for band, keys in band_keys(catalog).items()}


def not_tracked(catalog: Catalog, data: MonthlyData) -> list[str]:
    """The One View's metrics the company has no figures for, in display order (labels)."""
    return [catalog[key].label for keys in band_keys(catalog).values() for key in keys
            if not is_tracked(catalog, key, data)]


def source_keys(catalog: Catalog, key: str) -> tuple[str, ...]:
    """Stored metrics (and weights) whose imports make up ``key``'s value."""
    return tuple(sorted(catalog.needed_base_keys([key])))


_NAME = re.compile(r"[a-z][a-z0-9_]*")
_AGGREGATION_TEXT: dict[Aggregation, str] = {
    Aggregation.SUM: "the month's total as imported, all sources and segments added up",
    Aggregation.FIRST: "the value at the start of the month, as imported",
    Aggregation.LAST: "the value at the end of the month, as imported",
}


def formula_text(catalog: Catalog, metric: Metric) -> str:
    """How a value is computed, in the metrics' own names: 'CTR = Clicks ÷ Impressions'."""
    if metric.formula:
        def label(match: re.Match[str]) -> str:
            name = match.group(0)
            return catalog[name].label if name in catalog else name
        readable = _NAME.sub(label, metric.formula).replace("/", "÷").replace("*", "×")
        return f"{metric.label} = {readable}, each input summed over the period first (a ratio of sums)."
    if metric.aggregation == Aggregation.WEIGHTED_AVERAGE and metric.weight_key:
        weight = catalog[metric.weight_key].label if metric.weight_key in catalog else metric.weight_key
        return f"{metric.label}: average across sources and segments, weighted by {weight}."
    return f"{metric.label}: {_AGGREGATION_TEXT[metric.aggregation]}."


class IndexLine(BaseModel):
    """One metric indexed to 100 at the first month of the window that has a usable value."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    metric_class: MetricClass
    months: list[Month]
    index: list[float | None]


def indexed(values: list[float | None]) -> list[float | None]:
    """Values as an index of the first non-zero value (= 100, or -100 when it is negative: dividing by its size
    keeps the line's direction); missing stays missing."""
    base = next((v for v in values if v not in (None, 0)), None)
    if base is None:
        return [None] * len(values)
    return [None if v is None else v / abs(base) * 100 for v in values]


def index_lines(data: MonthlyData, month: Month, catalog: Catalog = STANDARD_CATALOG,
                outputs: tuple[str, ...] = INDEX_OUTPUTS, outcomes: tuple[str, ...] = INDEX_OUTCOMES,
                window: int = INDEX_WINDOW) -> list[IndexLine]:
    """Outputs then outcomes over the ``window`` months ending at ``month``; lines without data are left out."""
    months = trailing(month, window)
    roles = [(key, MetricClass.OUTPUT) for key in outputs] + [(key, MetricClass.OUTCOME) for key in outcomes]
    lines = []
    for key, role in roles:
        if key not in catalog:
            continue
        values = monthly_values(catalog, key, data, months)
        points = indexed([values[m] for m in months])
        if any(p is not None for p in points):
            lines.append(IndexLine(key=key, label=catalog[key].label, metric_class=role, months=months,
                                   index=points))
    return lines


# --- Tiles: the compact cards of the bands, their sparkline data and scale ----------------------------

_CHART_DECIMALS: dict[Unit, int] = {Unit.CURRENCY: 0, Unit.COUNT: 0, Unit.PERCENT: 1, Unit.SCORE: 1,
                                    Unit.RATIO: 2, Unit.MONTHS: 1}


def rebased(unit: Unit, mask_currency: bool) -> bool:
    """Whether a chart of this unit is drawn as an index: money in share-safe mode, so no amount is sent."""
    return mask_currency and unit == Unit.CURRENCY


def chart_values(values: list[float | None], unit: Unit, *, mask_currency: bool = False) -> list[float | None]:
    """What a sparkline plots, as its hover reads it: percentages in points (4.2 for 4.2%), money in whole
    units, or in share-safe mode indexed to 100 at its first month with a value (no amount reaches the page)."""
    if rebased(unit, mask_currency):
        return [None if v is None else round(v, 1) for v in indexed(values)]
    scale = 100 if unit == Unit.PERCENT else 1
    digits = _CHART_DECIMALS.get(unit, 2)
    return [None if v is None else round(v * scale, digits) for v in values]


def chart_unit_text(unit: Unit, currency: str, *, mask_currency: bool = False) -> str:
    """What a sparkline's hover value is in: 'in $', 'in %', 'indexed, first month = 100'."""
    if rebased(unit, mask_currency):
        return "indexed, first month with a value = 100"
    return {Unit.CURRENCY: f"in {currency_symbol(currency).strip()}", Unit.PERCENT: "in %",
            Unit.RATIO: "as a ratio", Unit.MONTHS: "in months", Unit.SCORE: "as a score"}.get(unit, "as a count")


def sparkline_scale(months: list[Month], values: list[float | None], unit: Unit, currency: str, *,
                    mask_currency: bool = False) -> str:
    """The sparkline's scale in words: its months, its low and its high (indexed in share-safe mode)."""
    points = [(m, v) for m, v in zip(months, chart_values(values, unit, mask_currency=mask_currency), strict=True)
              if v is not None]
    if len(points) < 2:
        return ""
    low, high = min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])
    raw = dict(zip(months, values, strict=True))

    def shown(point: tuple[Month, float]) -> str:
        text = f"{point[1]:.0f}" if rebased(unit, mask_currency) else format_value(raw[point[0]], unit, currency)
        return f"{text} ({month_label(point[0])})"

    span = f"{month_label(months[0])} – {month_label(months[-1])}"
    return (f"Sparkline {span}, {chart_unit_text(unit, currency, mask_currency=mask_currency)}: "
            f"low {shown(low)}, high {shown(high)}. Hover the line for each month's value.")


INDEXED_HOVER = "(index, first month with a value = 100)"
PCT_OF_TARGET_HOVER = "% of target"


def sparkline_hovers(months: list[Month], values: list[float | None], plotted: list[float | None], unit: Unit,
                     currency: str, *, rebased_as: str | None = None) -> list[str]:
    """Each month's tooltip on a sparkline, 'Mar 2026: $1.2M' as the tile writes it; a line rebased in share-safe
    mode shows the number it plots and what it is ('Mar 2026: 104 (index, …)', 'Mar 2026: 96% of target')."""
    def shown(value: float | None, point: float | None) -> str:
        if point is None:
            return "no data"
        if rebased_as is None:
            return format_value(value, unit, currency)
        return f"{point:.0f}{'' if rebased_as.startswith('%') else ' '}{rebased_as}"

    return [f"{month_label(m)}: {shown(v, p)}" for m, v, p in zip(months, values, plotted, strict=True)]


def agreed_trend_meaning(points: list[tuple[float | None, float | None]], unit: Unit, *,
                         mask_currency: bool = False) -> str | None:
    """What an agreed KPI's plotted trend is, when it is not the actuals themselves (see ``agreed_trend``)."""
    if not rebased(unit, mask_currency):
        return None
    if any(actual is not None and not target for actual, target in points):
        return INDEXED_HOVER
    return PCT_OF_TARGET_HOVER


def agreed_trend(points: list[tuple[float | None, float | None]], unit: Unit, *,
                 mask_currency: bool = False) -> list[float | None]:
    """An agreed KPI's 12 months (actual, target) as its tile plots them. In share-safe mode money becomes
    % of target (the months without a target as an index of the first month with a value = 100), so the
    trend keeps its meaning without an amount."""
    actuals = [actual for actual, _ in points]
    meaning = agreed_trend_meaning(points, unit, mask_currency=mask_currency)
    if meaning != PCT_OF_TARGET_HOVER:
        return chart_values(actuals, unit, mask_currency=mask_currency)
    return [None if actual is None else round(actual / target * 100, 1) for actual, target in points]


# --- The company's tile layout: pinned first, hidden folded away, its own order ---------------------------

class TilePlacement(BaseModel):
    """Where one metric's tile goes on the company's One View."""

    model_config = ConfigDict(frozen=True)

    metric_key: str
    position: int  # 1 first; compared within the tile's band
    pinned: bool = False
    hidden: bool = False


class TileLayout(BaseModel):
    """A company's arrangement of its tiles; metrics it does not name keep their standard place after them."""

    model_config = ConfigDict(frozen=True)

    placements: tuple[TilePlacement, ...] = ()

    def placement(self, key: str) -> TilePlacement | None:
        return next((p for p in self.placements if p.metric_key == key), None)

    def is_hidden(self, key: str) -> bool:
        found = self.placement(key)
        return bool(found and found.hidden)

    def is_pinned(self, key: str) -> bool:
        found = self.placement(key)
        return bool(found and found.pinned)


DEFAULT_LAYOUT = TileLayout()


def arranged(keys: list[str], layout: TileLayout) -> list[str]:
    """One band's keys in the company's order: pinned first, then the rest by saved position, then metrics the
    layout does not name in their standard order. Hidden keys stay in the list (``shown_tiles`` drops them)."""
    standard = {key: index for index, key in enumerate(keys)}

    def rank(key: str) -> tuple[bool, int, int]:
        found = layout.placement(key)
        if found is None:
            return (True, 1, standard[key])
        return (not found.pinned, 0, found.position)

    return sorted(keys, key=rank)


def shown_tiles(keys: list[str], layout: TileLayout) -> list[str]:
    """The band's tiles that show, in order."""
    return [key for key in arranged(keys, layout) if not layout.is_hidden(key)]


def hidden_tiles(keys: list[str], layout: TileLayout) -> list[str]:
    """The band's tiles the company hid, in their arranged order."""
    return [key for key in arranged(keys, layout) if layout.is_hidden(key)]


class LayoutRefused(Refused):
    """The arrangement was not saved; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Nothing was saved: " + "; ".join(self.problems) + ".")


class LayoutRow(BaseModel):
    """One row of the "Arrange tiles" table as the person left it."""

    metric_key: str
    label: str
    position: float | None
    pinned: bool = False
    hidden: bool = False


def checked_layout(rows: list[LayoutRow], known: set[str]) -> TileLayout:
    """The layout to save from the edited rows, or Refused naming every problem (row, tile, why).

    Positions order the tiles (ties keep the table's order) and are renumbered 1, 2, 3…; a tile cannot be
    pinned and hidden at once.
    """
    problems = []
    for number, row in enumerate(rows, start=1):
        where = f"row {number} ({row.label})"
        if row.metric_key not in known:
            problems.append(f"{where}: this tile is not on the One View any more; reload the page")
        if row.position is None or math.isnan(row.position) or row.position < 1:
            problems.append(f"{where}: the position must be a number from 1 up")
        if row.pinned and row.hidden:
            problems.append(f"{where}: a tile cannot be pinned and hidden at once; untick one of them")
    if len({row.metric_key for row in rows}) != len(rows):
        problems.append("the same tile appears twice; reload the page")
    if problems:
        raise LayoutRefused(problems)
    ordered = sorted(enumerate(rows), key=lambda item: (item[1].position, item[0]))
    return TileLayout(placements=tuple(
        TilePlacement(metric_key=row.metric_key, position=rank, pinned=row.pinned, hidden=row.hidden)
        for rank, (_, row) in enumerate(ordered, start=1)))


def layout_rows(band_tracked: dict[Band, list[str]], layout: TileLayout, catalog: Catalog) -> list[LayoutRow]:
    """The "Arrange tiles" table: every tracked tile band by band in the order it shows (hidden ones last),
    numbered from 1 within its band."""
    rows = []
    for keys in band_tracked.values():
        ordered = shown_tiles(keys, layout) + hidden_tiles(keys, layout)
        rows += [LayoutRow(metric_key=key, label=catalog[key].label, position=number, pinned=layout.is_pinned(key),
                           hidden=layout.is_hidden(key)) for number, key in enumerate(ordered, start=1)]
    return rows
