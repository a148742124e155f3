"""Exports never carry a formula: text cells starting with = + - @ are neutralised in CSV, XLSX and PPTX."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from metrics.review import NoteLine
from reports.board_pack import build_board_pack
from reports.safe_text import csv_bytes, neutralise, safe_frame, xlsx_bytes
from reports.workbook import review_workbook
from tests.review_samples import snapshot

HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_looking_text_gets_an_apostrophe(text) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-4.2%", "+3.1 pts", "-$5.5K", "+12", "-0.5", "1,200", "plain words", "", "a=b"])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(text) -> None:
    assert neutralise(text) == text


def test_safe_frame_touches_text_only() -> None:
    frame = pd.DataFrame({"=title": ["=1+1", "fine"], "value": [-3, 4]})
    safe = safe_frame(frame)
    assert list(safe.columns) == ["'=title", "value"]
    assert safe["'=title"].tolist() == ["'=1+1", "fine"]
    assert safe["value"].tolist() == [-3, 4]
    assert frame["=title"].tolist() == ["=1+1", "fine"]  # the caller's frame is not changed


def test_csv_export_is_neutralised() -> None:
    text = csv_bytes(pd.DataFrame({"Action": HOSTILE[:2], "Amount": [-5, 7]})).decode("utf-8-sig")
    assert text.splitlines() == ["Action,Amount", "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",-5",
                                 "'+cmd|' /C calc'!A0,7"]


def test_xlsx_export_stores_hostile_text_as_text() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Sheet": pd.DataFrame({"Note": HOSTILE, "n": range(6)})})))
    cells = list(book["Sheet"].iter_rows(min_row=2, values_only=False))
    assert all(note.data_type == "s" and note.value.startswith("'") for note, _ in cells)
    assert [n.value for _, n in cells] == list(range(6)) and cells[0][1].data_type == "n"


def test_review_workbook_neutralises_commentary_and_notes() -> None:
    review = snapshot(kpi_count=3)
    review.kpis[0].commentary = "=WEBSERVICE(\"http://evil\")"
    review.notes.append(NoteLine(item_key="scorecard", kind="note", text="@SUM(1)"))
    book = openpyxl.load_workbook(io.BytesIO(review_workbook(review)))
    assert book.sheetnames == ["Scorecard", "One View", "Vanity traps", "Actions", "Notes and decisions"]
    commentary = [c.value for c in book["Scorecard"]["O"]]
    assert commentary[0] == "What we are doing" and commentary[1] == "'=WEBSERVICE(\"http://evil\")"
    assert book["Scorecard"]["E2"].value == 80_000  # amounts stay numbers
    assert "'@SUM(1)" in [c.value for c in book["Notes and decisions"]["C"]]


def test_deck_text_is_neutralised() -> None:
    review = snapshot(kpi_count=3)
    review.kpis[0].commentary = "=HYPERLINK(\"http://evil\")"
    review.actions[0].action.title = "+cmd|' /C calc'!A0"
    deck = Presentation(io.BytesIO(build_board_pack(review, draft=False)))
    texts = [p.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs]
    cells = [c.text for s in deck.slides for shape in s.shapes if shape.has_table
             for row in shape.table.rows for c in row.cells]
    assert "'=HYPERLINK(\"http://evil\")" in texts
    assert "'+cmd|' /C calc'!A0" in cells
    assert not [t for t in texts + cells if t.startswith(("=", "@", "+cmd", "-2+"))]
