"""The One View of Reality: the P&L, the campaigns and how people feel, from the same numbers.

Which metrics each band shows is data; the figures on a card and the outputs-vs-outcomes
index lines are computed here so every page and export tells the same story.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from metrics.catalog import STANDARD_CATALOG, Aggregation, Band, Catalog, Metric, MetricClass, Unit
from metrics.coverage import point_coverage, without_partial
from metrics.formatting import format_change, is_good
from metrics.periods import Month, previous_month, same_month_last_year, trailing
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
                 include_partial: bool = False) -> CardFigures:
    """The month's value, its changes vs last month and last year, and a 12-month sparkline.

    Unless ``include_partial``, months the figures cover only in part are not compared (their change is
    "n/a") and leave the sparkline, so five days of September never read as a collapse.
    """
    metric = catalog[key]
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
    return {band: [card_figures(catalog, key, data, month, include_partial=include_partial)
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
    """Values as an index of the first non-zero value (= 100); missing stays missing."""
    base = next((v for v in values if v not in (None, 0)), None)
    if base is None:
        return [None] * len(values)
    return [None if v is None else v / base * 100 for v in values]


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
