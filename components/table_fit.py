"""Column widths for st.dataframe tables, so names and figures are shown whole instead of cut with "…".

Each column gets a width in pixels that holds its longest cell and its header. When the columns together
would run wider than ``BUDGET`` (the room a table has beside the sidebar on a laptop), the widest text
columns give way first, never below their longest word, and the rows grow so their text wraps onto more
lines. Widths are estimated with metrics.text_width, whose font is wider than the app's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from metrics.text_width import longest_word, text_width, wrapped_lines

FONT_PX = 14  # the tables' type
PADDING_PX = 2 * 8  # a cell's padding, on both sides
HEADER_PADDING_PX = PADDING_PX + 12  # and room for the header's sort arrow
WRAP_AT = 360  # pixels: no column is made wider than this; longer text wraps
BUDGET = 1000  # pixels: the width a table can count on in the wide layout, sidebar open, on a laptop
LINE_PX = 21
ROW_PADDING_PX = 14
WRAPPING_ROW_PX = 65  # Streamlit wraps text only in rows taller than 64 pixels
NAMED_WIDTHS = {"small": 75, "medium": 200, "large": 400}


def _entry(config: Mapping[str, Any], column: str) -> dict[str, Any]:
    """A column's configuration as a dict (st.column_config also takes a bare label)."""
    entry = config.get(column)
    return {"label": entry} if isinstance(entry, str) else dict(entry or {})


def _is_text(frame: pd.DataFrame, config: Mapping[str, Any], column: str) -> bool:
    configured = _entry(config, column).get("type_config", {}).get("type")
    return configured == "text" or (configured is None and not pd.api.types.is_numeric_dtype(frame[column])
                                    and not pd.api.types.is_datetime64_any_dtype(frame[column]))


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    return ["" if _missing(v) else str(v) for v in frame[column]]


def natural_width(header: str, cells: list[str]) -> int:
    """Pixels that hold the header and the longest cell on one line, but at most WRAP_AT + padding (never
    narrower than the widest word)."""
    widest = max([text_width(header, FONT_PX, bold=True) + HEADER_PADDING_PX,
                  *(text_width(c, FONT_PX) + PADDING_PX for c in cells)])
    return max(math.ceil(min(widest, WRAP_AT + PADDING_PX)), narrowest_width(header, cells))


def narrowest_width(header: str, cells: list[str]) -> int:
    """Pixels below which a word of the column would be cut."""
    return math.ceil(max([longest_word(header, FONT_PX, bold=True) + HEADER_PADDING_PX,
                          *(longest_word(c, FONT_PX) + PADDING_PX for c in cells)]))


def lines_needed(cells: list[str], width: int) -> int:
    return max((wrapped_lines(c, width - PADDING_PX, FONT_PX) for c in cells), default=1)


def within_budget(natural: Mapping[str, int], narrowest: Mapping[str, int], fixed: int,
                  budget: int = BUDGET) -> dict[str, int]:
    """The text columns' widths once the widest have given way so that all fit in ``budget`` beside
    ``fixed`` pixels of other columns: each is capped at one width, but never below its widest word."""
    def widths_at(cap: float) -> dict[str, int]:
        return {c: max(narrowest[c], min(natural[c], math.floor(cap))) for c in natural}

    if not natural or fixed + sum(natural.values()) <= budget:
        return dict(natural)
    low, high = 0.0, float(max(natural.values()))
    for _ in range(30):  # the largest cap that fits, to within a pixel
        middle = (low + high) / 2
        low, high = (middle, high) if fixed + sum(widths_at(middle).values()) <= budget else (low, middle)
    return widths_at(low)


def fitted_columns(table: pd.DataFrame | Styler, config: Mapping[str, Any] | None = None,
                   budget: int = BUDGET) -> dict[str, Any]:
    """Keyword arguments for st.dataframe: ``column_config`` (``config`` with pixel widths for every column
    it does not size itself) and, when some text wraps, a ``row_height`` tall enough for its lines."""
    frame = table.data if isinstance(table, Styler) else table
    config = dict(config or {})
    shown = [c for c in frame.columns if isinstance(c, str) and not (c in config and config[c] is None)]
    natural, narrowest, fixed = {}, {}, 0
    for column in shown:
        entry = _entry(config, column)
        label, cells = entry.get("label") or column, _cells(frame, column)
        if entry.get("width") is not None:  # the caller chose: a chart, say
            fixed += NAMED_WIDTHS.get(entry["width"], 0) if isinstance(entry["width"], str) else entry["width"]
        elif _is_text(frame, config, column):
            natural[column], narrowest[column] = natural_width(label, cells), narrowest_width(label, cells)
        else:
            width = natural_width(label, cells)
            config[column] = {**(entry or st.column_config.Column(label)), "width": width}
            fixed += width
    lines = 1
    for column, width in within_budget(natural, narrowest, fixed, budget).items():
        entry = _entry(config, column) or st.column_config.TextColumn(column)
        config[column] = {**entry, "label": entry.get("label") or column, "width": width}
        lines = max(lines, lines_needed(_cells(frame, column), width))
    fitted: dict[str, Any] = {"column_config": config}
    if lines > 1:
        fitted["row_height"] = max(WRAPPING_ROW_PX, lines * LINE_PX + ROW_PADDING_PX)
    return fitted
