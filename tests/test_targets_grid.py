"""The KPI agreement's targets grid in AppTest: a month without a target is an empty cell, not "None"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import demo_workspace_id, open_page

AGREEMENT = "pages/agreement.py"


def grid(at: AppTest):  # noqa: ANN201 - AppTest's Dataframe element
    return next(d for d in at.dataframe if "grid_editor" in (d.key or ""))


def test_months_without_a_target_are_drawn_as_empty_cells(seeded_url) -> None:
    at = open_page(AGREEMENT, demo_workspace_id(seeded_url, "Bloom & Brew"), timeout=120)
    editor = grid(at)
    assert editor.proto.HasField("placeholder") and editor.proto.placeholder == ""  # not Streamlit's "None"
    frame = editor.value
    targets = frame.drop(columns="Month")
    assert all(pd.api.types.is_float_dtype(targets[c]) for c in targets)
    assert frame["Month"].iloc[-1] == "Oct 2027" and targets.iloc[-1].isna().all()  # a year ahead: no plan yet
    assert targets.iloc[0].notna().all()  # the first planned month has a target for every KPI
    assert not (targets.astype(str) == "None").any().any()


def test_filled_months_show_numbers_and_the_rest_stay_empty(seeded_url) -> None:
    workspace_id = demo_workspace_id(seeded_url, "Bloom & Brew")
    at = open_page(AGREEMENT, workspace_id, timeout=120)
    prefix = grid(at).key.split("_grid_editor")[0]
    at.selectbox(key=f"{prefix}_fill_kpi").set_value("revenue")
    at.selectbox(key=f"{prefix}_fill_method").set_value("Flat")
    at.number_input(key=f"{prefix}_fill_value").set_value(900_000.0)
    at.selectbox(key=f"{prefix}_fill_from").set_value(dt.date(2027, 9, 1))
    at.selectbox(key=f"{prefix}_fill_to").set_value(dt.date(2027, 9, 1))
    next(b for b in at.button if b.label == "Fill").click().run()
    assert not at.exception
    editor = grid(at)
    frame = editor.value.set_index("Month")
    assert frame.loc["Sep 2027", "revenue"] == 900_000.0
    assert pd.isna(frame.loc["Oct 2027", "revenue"]) and pd.isna(frame.loc["Sep 2027", "nps"])
    assert editor.proto.placeholder == ""
