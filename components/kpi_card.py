"""One KPI tile: the month's value with its unit, the change vs last month and vs last year, a sparkline with
its scale on hover, the agreed target and status where there is one, and its workings behind a small button."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import streamlit as st

from components.rag_badge import rag_badge_html
from components.sparkline import sparkline_svg
from components.text import plain
from metrics.catalog import STANDARD_CATALOG
from metrics.coverage import is_complete, partial_label
from metrics.formatting import format_value
from metrics.one_view import (
    INDEXED_HOVER,
    VISIBLE_CHANGE,
    CardFigures,
    change_text,
    chart_values,
    rebased,
    sparkline_hovers,
    sparkline_scale,
)
from metrics.periods import Month, month_label, previous_month, same_month_last_year
from metrics.series import Change
from metrics.status import Rag

if TYPE_CHECKING:
    from db.queries import SourceBatch

ChangeColor = Literal["green", "red", "gray"]
TILE_PREFIX = "tile_"  # every tile's container key starts so: the page's styles find them by it


def change_color(good: bool | None) -> ChangeColor:
    """Green when the metric moved its good way (a fall in CAC is green), red when not, grey otherwise."""
    return "gray" if good is None else ("green" if good else "red")


def kpi_card(figures: CardFigures, currency: str, *, sources: Sequence[SourceBatch] = (),
             target_text: str | None = None, status: Rag | None = None, key: str | None = None,
             mask_currency: bool = False) -> None:
    """Render one tile in a bordered container; agreed KPIs also show their target and status.

    ``key`` must be unique on the page; by default the metric and month, so pass one to show a tile twice.
    ``mask_currency`` (share-safe) hides amounts of money on the tile, and its sparkline is indexed instead.
    """
    key = key or f"kpi_{figures.key}_{figures.month:%Y_%m}"
    with st.container(border=True, key=f"{TILE_PREFIX}{key}", gap="xxsmall"):
        if target_text or status is not None:
            _agreement_line(target_text, status)
        _metric(figures, currency, mask_currency)
        st.markdown(tile_foot(figures, currency, mask_currency), unsafe_allow_html=True)
        with st.popover("", type="tertiary", icon=":material/functions:", help="How is this computed?",
                        key=f"{key}_workings"):  # placed in the tile's corner by the page's styles
            st.markdown(workings_markdown(figures, sources))


def _agreement_line(target_text: str | None, status: Rag | None) -> None:
    parts = [rag_badge_html(status)] if status is not None else []
    if target_text:
        parts.append(f'<span style="opacity:0.8;vertical-align:middle">Target: {html.escape(target_text)}</span>')
    st.markdown(f'<span style="font-size:0.72rem">{"&nbsp;".join(parts)}</span>', unsafe_allow_html=True)


def tile_help(description: str, *notes: str) -> str:
    """The tooltip of a tile's label: what the metric is, then what its changes compare and its sparkline's scale."""
    return "\n\n".join(part for part in (description, *notes) if part)


def _metric(figures: CardFigures, currency: str, mask_currency: bool) -> None:
    moved = figures.vs_previous_month
    scale = sparkline_scale(figures.sparkline_months, figures.sparkline, figures.unit, currency,
                            mask_currency=mask_currency)
    st.metric(  # its sparkline is drawn below it, by ``tile_foot``
        typed(figures.key, figures.label),
        format_value(figures.value, figures.unit, currency, mask_currency),
        delta=change_text(moved),
        delta_color=change_color(figures.previous_month_good),
        delta_arrow="auto" if moved is not None and abs(moved.value) >= VISIBLE_CHANGE else "off",
        delta_description="m/m",
        help=plain(tile_help(figures.description, compared_text(figures.month), scale)),
    )


def tile_foot(figures: CardFigures, currency: str, mask_currency: bool) -> str:
    """What goes under the figure, as one markdown element (a tile's every element costs the browser): the
    sparkline, a partial month's note, and the change vs the same month last year."""
    plotted = chart_values(figures.sparkline, figures.unit, mask_currency=mask_currency)
    hovers = sparkline_hovers(figures.sparkline_months, figures.sparkline, plotted, figures.unit, currency,
                              rebased_as=INDEXED_HOVER if rebased(figures.unit, mask_currency) else None)
    svg = sparkline_svg(plotted, hovers, change_color(figures.previous_month_good),
                        label=f"{figures.label}: 12 months")
    parts = [svg] if svg else []
    if not is_complete(figures.coverage):
        parts.append(f":orange[{partial_label(figures.month, figures.coverage)}: not compared with full months]")
    parts.append(year_change(figures))
    return "\n\n".join(parts)


def compared_text(month: Month) -> str:
    return (f"m/m: the change vs {month_label(previous_month(month))}; y/y: vs "
            f"{month_label(same_month_last_year(month))}.")


def typed(key: str, text: str) -> str:
    """A metric's label or description as markdown: the catalog's own words as they are; a company's own
    metric's, typed when it was defined, escaped so that it reads as typed."""
    return text if key in STANDARD_CATALOG else plain(text)


def colored_change(change: Change | None, good: bool | None) -> str:
    """A change as coloured markdown, e.g. ':red[+12.0%]'."""
    return f":{change_color(good)}[{plain(change_text(change))}]"


def year_change(figures: CardFigures) -> str:
    """The change vs the same month last year, short enough for a narrow tile (the label's tooltip names the month)."""
    return f"{colored_change(figures.vs_last_year, figures.last_year_good)} y/y"


def workings_markdown(figures: CardFigures, sources: Sequence[SourceBatch]) -> str:
    """What the tile's "How is this computed?" shows, as one element (21 tiles send it on every rerun): the
    formula, what the metric is, and the import batches behind the month (or that there are none)."""
    parts = ["**How is this computed?**", plain(figures.formula_text)]
    if figures.description.strip():
        parts.append(f"*{plain(figures.description.strip())}*")
    mine = [s for s in sources if s.metric_key in figures.inputs]
    if not mine:
        return "\n\n".join([*parts, f"No imported figures behind {month_label(figures.month)}."])
    lines = "\n".join(f"- {line}" for line in source_lines(mine))
    return "\n\n".join([*parts, f"Sources behind {month_label(figures.month)}:\n\n{lines}"])


def source_lines(sources: Sequence[SourceBatch]) -> list[str]:
    """One line per import batch, naming the metrics it supplied."""
    batches: dict[int, tuple[SourceBatch, list[str]]] = {}
    for source in sources:
        metric = STANDARD_CATALOG.get(source.metric_key)
        label = metric.label if metric else source.metric_key
        note = " (source of record)" if source.is_record else "" if source.counted else " (not counted)"
        batches.setdefault(source.batch_id, (source, []))[1].append(label + note)
    return [_source_line(batch, labels) for batch, labels in batches.values()]


def _source_line(batch: SourceBatch, labels: list[str]) -> str:
    file = f" ({plain(batch.file_name)})" if batch.file_name else ""
    who = f" by {plain(batch.created_by)}" if batch.created_by else ""
    when = batch.created_at.strftime("%d %b %Y") if batch.created_at else ""
    return (f"{plain(batch.source_name)}{file}: {plain(', '.join(labels))} — import \\#{batch.batch_id}, "
            f"{when}{who}")
