"""The One View's bands of compact tiles, the page's tile styles, and the "Arrange tiles" control."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from components.kpi_card import TILE_PREFIX
from metrics.one_view import CardFigures, LayoutRow

# Compact tiles: smaller type than a lone st.metric, tight spacing, a band's tiles side by side on one line.
TILE_CSS = f"""
<style>
  [class*="st-key-{TILE_PREFIX}"] {{ min-width: 0; padding: 0.45rem 0.6rem 0.3rem !important; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricLabel"] p {{ font-size: 0.76rem; line-height: 1.25; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricLabel"] * {{
    white-space: normal !important; overflow-wrap: normal !important; word-break: normal !important; }}
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-{TILE_PREFIX}"]) {{ align-self: stretch !important; }}
  [data-testid="stLayoutWrapper"] > [class*="st-key-{TILE_PREFIX}"] {{ height: 100%; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricLabel"] {{ min-height: 2.1rem; align-items: flex-start; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stPopoverButton"] div[aria-hidden="true"] {{ display: none; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="rag-badge"] {{
    font-size: 0.68rem !important; padding: 0 0.4rem !important; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricValue"] {{ font-size: 1.45rem; line-height: 1.3; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricDelta"],
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricDeltaDescription"] p {{ font-size: 0.72rem; }}
  [class*="st-key-{TILE_PREFIX}"] {{ position: relative; }}
  [class*="st-key-{TILE_PREFIX}"] > [data-testid="stElementContainer"] {{ flex-shrink: 0; }}
  [class*="st-key-{TILE_PREFIX}"] > [data-testid="stLayoutWrapper"]:has(> [data-testid="stPopover"]) {{
    position: absolute; right: 0.3rem; bottom: 0.2rem; width: auto !important; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stElementContainer"]:has([data-testid="stMetric"])
    + [data-testid="stElementContainer"] p {{
    font-size: 0.72rem; margin-bottom: 0.1rem; color: rgba(28, 36, 48, 0.7); }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stElementContainer"]:has([data-testid="stMetric"])
    + [data-testid="stElementContainer"] [data-testid="stMarkdownContainer"] {{ margin-bottom: 0; }}
  [class*="st-key-{TILE_PREFIX}"] svg[data-testid="sparkline"] {{ margin: 0.2rem 0 0.15rem; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stCaptionContainer"] p {{ font-size: 0.72rem; }}
  [class*="st-key-{TILE_PREFIX}"] [data-testid="stPopoverButton"] {{ min-height: 1.2rem; padding: 0 0.1rem; }}
  .st-key-agreed_kpis {{ background: rgba(31, 78, 121, 0.06); }}
  .st-key-agreed_kpis [class*="st-key-{TILE_PREFIX}"] {{ background: #ffffff; }}
  .st-key-agreed_kpis [class*="st-key-{TILE_PREFIX}"] [data-testid="stMetricValue"] {{ font-size: 1.7rem; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 2rem; padding-right: 2rem; padding-bottom: 2rem; }}
</style>
"""
SCREEN_TOP_CSS = '<style>[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }</style>'
BAND_PREFIX = "band_"
MOST_IN_A_ROW = 9  # a band with more tiles wraps onto lines of equal length


def tile_styles(*, presenting: bool = False) -> None:
    """The page's compact styles; presentation mode keeps its own top spacing."""
    st.html(TILE_CSS if presenting else TILE_CSS + SCREEN_TOP_CSS)


def tile_rows(count: int, most: int = MOST_IN_A_ROW) -> list[int]:
    """How many tiles go on each line: one line up to ``most``, else lines as even as can be (12 -> 6, 6)."""
    lines = max(1, math.ceil(count / most))
    return [count // lines + (1 if i < count % lines else 0) for i in range(lines)]


def band_tiles(band_key: str, title: str, cards: Sequence[CardFigures], render: Callable[[CardFigures], None]) -> None:
    """One band: its title, then its tiles side by side on one line of equal tiles (two when there are many)."""
    with st.container(key=f"{BAND_PREFIX}{band_key}", gap="xxsmall"):
        st.markdown(f"**{title}**")
        if not cards:
            st.caption("Nothing tracked here yet.")
            return
        start = 0
        for count in tile_rows(len(cards)):
            with st.container(horizontal=True, gap="small", wrap=False):
                for figures in cards[start:start + count]:
                    render(figures)
            start += count


def layout_frame(rows: Sequence[LayoutRow], bands: dict[str, str]) -> pd.DataFrame:
    """The "Arrange tiles" table: one row per tile, in the order they show."""
    return pd.DataFrame({
        "metric_key": [r.metric_key for r in rows],
        "Tile": [r.label for r in rows],
        "Band": [bands[r.metric_key] for r in rows],
        "Position": [r.position for r in rows],
        "Pinned": [r.pinned for r in rows],
        "Hidden": [r.hidden for r in rows],
    })


def edited_rows(frame: pd.DataFrame) -> list[LayoutRow]:
    """The rows as the person left them (a cleared position stays None: the check says so)."""
    return [LayoutRow(metric_key=str(r.metric_key), label=str(r.Tile), pinned=bool(r.Pinned), hidden=bool(r.Hidden),
                      position=None if pd.isna(r.Position) else float(r.Position))
            for r in frame.itertuples(index=False)]


COLUMN_WIDTHS = (80, 240, 150, 80, 80)  # pixels: Position, Tile, Band, Pinned, Hidden
ArrangeChoice = tuple[str, list[LayoutRow]]  # ("save", rows) or ("reset", [])


def arrange_tiles(rows: Sequence[LayoutRow], bands: dict[str, str], *, can_edit: bool,
                  key: str) -> ArrangeChoice | None:
    """A small table to pin, hide and order the tiles: pinned lead their band, hidden fold into one line, the
    position orders the rest. Returns what the person asked for, or None. The table is built only while the
    expander is open, so the page does not send it (nor the browser load a table) on every visit."""
    with st.expander("Arrange tiles", icon=":material/dashboard_customize:", key=f"{key}_open",
                     on_change="rerun") as box:
        if not box.open:
            return None
        if not can_edit:
            st.caption("Only the CEO, the CMO or an advisor of the company can arrange its tiles.")
        st.caption("Tick **Pinned** to put a tile first in its band, **Hidden** to fold it away; the position "
                   "orders the others. The arrangement is the company's: everyone sees it.")
        edited = st.data_editor(
            layout_frame(rows, bands), key=f"{key}_editor", hide_index=True, width="content", disabled=not can_edit,
            column_order=("Position", "Tile", "Band", "Pinned", "Hidden"),
            column_config={
                "Position": st.column_config.NumberColumn(min_value=1, step=1, format="%d", width=COLUMN_WIDTHS[0]),
                "Tile": st.column_config.TextColumn(disabled=True, width=COLUMN_WIDTHS[1]),
                "Band": st.column_config.TextColumn(disabled=True, width=COLUMN_WIDTHS[2]),
                "Pinned": st.column_config.CheckboxColumn(width=COLUMN_WIDTHS[3]),
                "Hidden": st.column_config.CheckboxColumn(width=COLUMN_WIDTHS[4])})
        with st.container(horizontal=True, gap="small"):
            if st.button("Save arrangement", key=f"{key}_save", type="primary", disabled=not can_edit):
                return "save", edited_rows(edited)
            if st.button("Standard arrangement", key=f"{key}_reset", disabled=not can_edit):
                return "reset", []
    return None

