"""The month in plain words, written from the numbers, so the review starts from the same story."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.catalog import STANDARD_CATALOG, Catalog
from metrics.coverage import is_complete, partial_label, without_partial
from metrics.formatting import format_value
from metrics.one_view import INDEX_OUTCOMES, INDEX_OUTPUTS, band_keys, change_text, judge
from metrics.periods import Month, month_label, previous_month
from metrics.series import Change, MonthlyData, change, period_value
from metrics.trends import trailing_growth

HEADLINE_KEYS: tuple[str, ...] = ("revenue", "new_bookings", "pipeline_created")
FLAT = 0.02  # quarter-on-quarter growth under 2% either way reads as flat


def month_summary(data: MonthlyData, month: Month, currency: str = "USD",
                  catalog: Catalog = STANDARD_CATALOG, mask_currency: bool = False,
                  include_partial: bool = False) -> list[str]:
    """Three to six sentences about ``month``; one sentence saying so when it has no data.

    ``mask_currency`` (share-safe) writes amounts of money as the mask; changes stay. Months the figures
    cover only in part are left out of every comparison unless ``include_partial``; a partial ``month`` itself
    is described without comparisons, and says so.
    """
    if not has_data(data, month):
        return [f"No data for {month_label(month)}."]
    share = month_share(data, month)
    if not include_partial and not is_complete(share):
        return [f"{month_label(month)} is a partial month ({partial_label(month, share)}): the figures so far are "
                "not compared with full months. Choose a complete month, or include partial months to compare "
                "it anyway.", headline(catalog, {k: {month: p[month]} for k, p in data.items() if month in p},
                                        month, currency, mask_currency)]
    counted = data if include_partial else without_partial(data)
    return [headline(catalog, counted, month, currency, mask_currency), *quarter_trend(catalog, counted, month),
            *biggest_moves(catalog, counted, month, currency, mask_currency)]


def month_share(data: MonthlyData, month: Month) -> float:
    """The least coverage of any figure in ``month`` (1 for a whole month)."""
    return min((points[month].coverage for points in data.values() if month in points), default=1.0)


def has_data(data: MonthlyData, month: Month) -> bool:
    return any(month in points for points in data.values())


def phrase(label: str) -> str:
    """A label as it reads mid-sentence: 'Pipeline created' -> 'pipeline created', 'MQLs' stays."""
    return label if any(c.isupper() for c in label[1:]) else label[:1].lower() + label[1:]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(catalog: Catalog, key: str, data: MonthlyData, month: Month) -> float | None:
    return period_value(catalog, key, data, [month])


def headline(catalog: Catalog, data: MonthlyData, month: Month, currency: str, mask_currency: bool = False) -> str:
    """Revenue, bookings and pipeline for the month, each with its change vs last month."""
    prev = previous_month(month)
    parts = []
    for key in (k for k in HEADLINE_KEYS if k in catalog):
        metric, value = catalog[key], _value(catalog, key, data, month)
        if value is None:
            continue
        moved = change(metric, value, _value(catalog, key, data, prev))
        vs = f" vs {month_label(prev)}" if not parts else ""
        text = f"{phrase(metric.label)} {format_value(value, metric.unit, currency, mask_currency)}"
        parts.append(text + (f" ({change_text(moved)}{vs})" if moved else ""))
    if not parts:
        return f"{month_label(month)} has figures, but no revenue, bookings or pipeline yet."
    return f"In {month_label(month)}, {_join(parts)}."


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _pct(growth: float) -> str:
    return f"{growth * 100:+.0f}%"


def _trend(growth: float) -> int:
    return 0 if abs(growth) < FLAT else (1 if growth > 0 else -1)


def _growths(catalog: Catalog, data: MonthlyData, month: Month, keys: tuple[str, ...]) -> dict[str, float]:
    found = {k: trailing_growth(catalog, k, data, month) for k in keys if k in catalog}
    return {k: g for k, g in found.items() if g is not None}


_TOGETHER: dict[tuple[int, int], str] = {
    (1, 1): ": outputs and outcomes are rising together",
    (-1, -1): ": outputs and outcomes both fell",
    (-1, 1): ": outcomes grew on less activity",
}


def quarter_trend(catalog: Catalog, data: MonthlyData, month: Month) -> list[str]:
    """The last three months vs the three before: do outputs and outcomes move together?"""
    outputs = _growths(catalog, data, month, INDEX_OUTPUTS)
    outcomes = _growths(catalog, data, month, INDEX_OUTCOMES)
    if not outputs or not outcomes:
        return ["There is not yet enough history to compare this quarter with the one before."]
    rising, falling = max(outputs, key=outputs.__getitem__), min(outcomes, key=outcomes.__getitem__)
    if _trend(outputs[rising]) == 1 and _trend(outcomes[falling]) == -1:
        return [f"{sentence(phrase(catalog[rising].label))} {_pct(outputs[rising])} over the quarter while "
                f"{phrase(catalog[falling].label)} fell {abs(outcomes[falling]) * 100:.0f}%.",
                "Outputs are rising while outcomes fall: more activity is not turning into more business."]
    out = max(outputs, key=lambda k: abs(outputs[k]))
    result = max(outcomes, key=lambda k: abs(outcomes[k]))
    verdict = _TOGETHER.get((_trend(outputs[out]), _trend(outcomes[result])), "")
    return [f"Over the quarter, {phrase(catalog[out].label)} {_pct(outputs[out])} and "
            f"{phrase(catalog[result].label)} {_pct(outcomes[result])}{verdict}."]


@dataclass(frozen=True)
class Move:
    key: str
    value: float
    change: Change
    good: bool | None


def moves_vs_last_month(catalog: Catalog, data: MonthlyData, month: Month) -> list[Move]:
    """Every card metric with a value this month and last month."""
    moves = []
    for key in (k for keys in band_keys(catalog).values() for k in keys):
        metric, value = catalog[key], _value(catalog, key, data, month)
        moved = change(metric, value, _value(catalog, key, data, previous_month(month)))
        if value is not None and moved is not None:
            moves.append(Move(key, value, moved, judge(metric, moved)))
    return moves


def biggest_moves(catalog: Catalog, data: MonthlyData, month: Month, currency: str,
                  mask_currency: bool = False) -> list[str]:
    """The largest move in a good direction and the largest in a bad one, as the cards show them."""
    prev = month_label(previous_month(month))
    moves = moves_vs_last_month(catalog, data, month)
    if not moves:
        return [f"There are no figures for {prev} to compare with."]
    sentences = []
    for good, opening in ((True, "Best move"), (False, "Biggest concern")):
        chosen = [m for m in moves if m.good is good]
        if chosen:
            move = max(chosen, key=lambda m: abs(m.change.value))
            metric = catalog[move.key]
            sentences.append(f"{opening} vs {prev}: {phrase(metric.label)} {change_text(move.change)}, "
                             f"to {format_value(move.value, metric.unit, currency, mask_currency)}.")
    return sentences or [f"Nothing moved in a way that matters vs {prev}."]
