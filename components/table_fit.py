"""Column widths for st.dataframe tables, so names and figures are shown whole instead of cut with "…".

Each text column gets a width in pixels that holds its longest cell (and its header). A column whose text
would run wider than ``WRAP_AT`` gets that width instead and the table's rows grow so the text wraps
onto more lines. Widths are estimated with metrics.text_width, whose font is wider than the app's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from metrics.text_width import longest_word, text_width, wrapped_lines

FONT_PX = 14  # the tables' type
PADDING_PX = 2 * 8 + 12  # the cell's padding on both sides, and room for the header's sort arrow
WRAP_AT = 360  # pixels: wider text wraps within this width
LINE_PX = 21
ROW_PADDING_PX = 14
WRAPPING_ROW_PX = 65  # Streamlit wraps text only in rows taller than 64 pixels


def _entry(config: Mapping[str, Any], column: str) -> dict[str, Any]:
    """A column's configuration as a dict (st.column_config also takes a bare label)."""
    entry = config.get(column)
    return {"label": entry} if isinstance(entry, str) else dict(entry or {})


def _text_columns(frame: pd.DataFrame, config: Mapping[str, Any]) -> list[str]:
    """Columns holding text, except hidden ones and those configured as something else (a chart, a date)."""
    def is_text(column: str) -> bool:
        if column in config and config[column] is None:
            return False
        configured = _entry(config, column).get("type_config", {}).get("type")
        return configured == "text" or (configured is None and not pd.api.types.is_numeric_dtype(frame[column])
                                        and not pd.api.types.is_datetime64_any_dtype(frame[column]))
    return [c for c in frame.columns if isinstance(c, str) and is_text(c)]


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in frame[column]] if len(frame) else []


def column_width(header: str, cells: list[str]) -> int:
    """Pixels that hold the header and the longest cell on one line, but at most WRAP_AT (never narrower
    than the widest word)."""
    widest = max([text_width(header, FONT_PX, bold=True), *(text_width(c, FONT_PX) for c in cells)])
    words = max([longest_word(header, FONT_PX, bold=True), *(longest_word(c, FONT_PX) for c in cells)])
    return round(max(min(widest, WRAP_AT), words) + PADDING_PX)


def lines_needed(cells: list[str], width: int) -> int:
    return max((wrapped_lines(c, width - PADDING_PX, FONT_PX) for c in cells), default=1)


def fitted_columns(table: pd.DataFrame | Styler, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments for st.dataframe: ``column_config`` (``config`` with pixel widths for the text
    columns) and, when some text wraps, a ``row_height`` tall enough for its lines."""
    frame = table.data if isinstance(table, Styler) else table
    config = dict(config or {})
    lines = 1
    for column in _text_columns(frame, config):
        cells = _cells(frame, column)
        entry = _entry(config, column) or st.column_config.TextColumn(column)
        label = entry.get("label") or column
        width = column_width(label, cells)
        config[column] = {**entry, "label": label, "width": width}
        lines = max(lines, lines_needed(cells, width))
    fitted: dict[str, Any] = {"column_config": config}
    if lines > 1:
        fitted["row_height"] = max(WRAPPING_ROW_PX, lines * LINE_PX + ROW_PADDING_PX)
    return fitted
