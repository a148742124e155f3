"""Tables on the scorecard and review pages: text columns wide enough for their longest cell, or wrapping
rows when the text is longer than a column should be; nothing cut off with "…"."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from components.table_fit import BUDGET, PADDING_PX, WRAP_AT, fitted_columns
from tests.apptest_helpers import demo_workspace_id, open_page

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CUT_OFF = ["Aisha Bello (VP Customer Success)", "CEO 2 · CMO 4 ⚠ we disagree"]  # what a new user saw cut


def drawn_width(text: str, size: int = 14) -> float:
    """The width Chromium needs for ``text`` in the tables' font, measured with a wider font (DejaVu Sans)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(DEJAVU), size).getlength(text)


def lines_drawn(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped at spaces into ``width`` pixels, measured with DejaVu Sans."""
    lines, line = 1, ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and drawn_width(candidate) > width:
            lines, line = lines + 1, word
        else:
            line = candidate
    return lines


def shows_whole(table: pd.DataFrame, fitted: dict) -> list[str]:
    """The text cells that would be cut: a word wider than its column, or more lines than a row holds."""
    rows_hold = max(1, (fitted.get("row_height", 35) - 14) // 21)
    cut = []
    for column, settings in fitted["column_config"].items():
        if column not in table or not isinstance(settings, dict) or not isinstance(settings.get("width"), int):
            continue
        room = settings["width"] - 16  # the cell's own padding
        for text in table[column].astype(str):
            if any(drawn_width(w) > room for w in text.split()) or lines_drawn(text, room) > rows_hold:
                cut.append(f"{column}: {text}")
    return cut


needs_dejavu = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")


@needs_dejavu
def test_the_cut_off_names_get_columns_that_hold_them_whole() -> None:
    frame = pd.DataFrame({"KPI": ["Net revenue retention", "NPS"], "Owner": [CUT_OFF[0], "Daniel Okafor (CMO)"],
                          "Confidence": ["CEO 4 · CMO 5", CUT_OFF[1]], "Streak": [23, 3]})
    fitted = fitted_columns(frame, {"Confidence": st.column_config.TextColumn("Confidence (1–5)")})
    config = fitted["column_config"]
    assert config["Owner"]["width"] >= drawn_width(CUT_OFF[0]) + 16  # the cell's padding on both sides
    assert config["Confidence"]["width"] >= drawn_width(CUT_OFF[1]) + 16
    assert config["Confidence"]["label"] == "Confidence (1–5)"  # the caller's column settings are kept
    assert config["Streak"]["width"] >= drawn_width("Streak") + 16
    assert "row_height" not in fitted  # everything fits on one line
    assert shows_whole(frame, fitted) == []


@needs_dejavu
def test_a_table_wider_than_the_page_wraps_its_widest_columns_instead() -> None:
    frame = pd.DataFrame({name: [f"{name} {CUT_OFF[0]} {CUT_OFF[1]}"] for name in ("KPI", "Owner", "Confidence",
                                                                                   "Streak", "Status")})
    fitted = fitted_columns(frame)
    widths = [fitted["column_config"][c]["width"] for c in frame]
    assert sum(widths) <= BUDGET
    assert fitted["row_height"] > 64  # so Streamlit wraps
    assert shows_whole(frame, fitted) == []


@needs_dejavu
def test_text_longer_than_a_column_should_be_wraps_onto_taller_rows() -> None:
    title = "Agree one definition of a sales-qualified lead with sales and finance before the next quarter " * 3
    fitted = fitted_columns(pd.DataFrame({"Action": [title.strip()], "Owner": ["Tom Becker (CRO)"]}))
    width = fitted["column_config"]["Action"]["width"]
    assert width == WRAP_AT + PADDING_PX
    lines = -(-drawn_width(title.strip()) // (width - PADDING_PX))  # at least this many lines
    assert fitted["row_height"] > 64 and fitted["row_height"] >= lines * 21  # Streamlit wraps above 64 px


def test_a_header_longer_than_its_cells_sets_the_width() -> None:
    narrow = fitted_columns(pd.DataFrame({"Confidence CEO / CMO": ["4 / 5"]}))["column_config"]
    assert narrow["Confidence CEO / CMO"]["width"] > fitted_columns(pd.DataFrame({"C": ["4 / 5"]}))[
        "column_config"]["C"]["width"]


def test_hidden_chart_and_date_columns_are_left_alone() -> None:
    frame = pd.DataFrame({"Trend": [[1, 2]], "Due": pd.to_datetime(["2026-09-10"]), "Note": ["x"]})
    config = {"Trend": st.column_config.LineChartColumn("12 months", width="small"), "Note": None}
    fitted = fitted_columns(frame, config)["column_config"]
    assert fitted["Trend"]["width"] == "small" and fitted["Note"] is None
    assert fitted["Due"]["width"] >= drawn_width("2026-09-10") + 16


def widths(element) -> dict[str, object]:  # noqa: ANN001 - AppTest's Dataframe element
    return {name: settings.get("width") for name, settings in json.loads(element.proto.columns).items()}


def as_fitted(element) -> dict:  # noqa: ANN001 - AppTest's Dataframe element
    """What the page passed to st.dataframe, as ``fitted_columns`` returns it."""
    fitted = {"column_config": json.loads(element.proto.columns)}
    if element.proto.row_height:
        fitted["row_height"] = element.proto.row_height
    return fitted


@needs_dejavu
def test_the_scorecard_page_tables_show_every_owner_and_vote_whole(seeded_url) -> None:
    at = open_page("pages/scorecard.py", demo_workspace_id(seeded_url), timeout=120)
    tables = [d for d in at.dataframe if "Owner" in d.value.columns]
    assert len(tables) == 2  # brand and growth
    for table in tables:
        assert shows_whole(table.value, as_fitted(table)) == []
        assert sum(w if isinstance(w, int) else 75 for w in widths(table).values() if w) <= BUDGET
    assert any(CUT_OFF[0] in set(t.value["Owner"]) for t in tables)


@needs_dejavu
def test_the_review_page_tables_show_every_owner_and_title_whole(seeded_url) -> None:
    at = open_page("pages/review.py", demo_workspace_id(seeded_url), timeout=120)
    actions = next(d for d in at.dataframe if "Agreed in" in d.value.columns)
    assert shows_whole(actions.value, as_fitted(actions)) == []
    scorecards = [d for d in at.dataframe if "Owner" in d.value.columns and "KPI" in d.value.columns]
    assert scorecards and all(shows_whole(d.value, as_fitted(d)) == [] for d in scorecards)
