"""Fuzzed CSV and Excel bytes through the whole import on SQLite and PostgreSQL: every outcome is a plain
refusal (file, row, column, reason) or one whole import; never an unhandled exception, never a partial write."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import uuid
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from bench.faults import TABLES_AN_IMPORT_WRITES, changed, new_workspace, table_counts
from bench.hostile import SHEET_PART, forced_mapping, number_cell, sheet_xml, text_cell, with_part, workbook
from db.imports import import_table
from importers.problems import ReadFailure
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG
from metrics.validation import ImportRejected

TODAY = dt.date(2026, 11, 16)
# 50 examples a test keep the module under a minute on both databases (each example imports twice, in a fresh
# company); raise max_examples for a longer search.
FUZZ = settings(max_examples=50, deadline=None, print_blob=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

HEADERS = ["Date", "Day", "Month", "Revenue", "Revenue (2)", "revenue", "Revenue ", "", "Column 2", "Clicks",
           "Cost (USD)", "Channel", "Stage", "Amount", "Created Date", "Close Date", "Opportunity ID", "metric",
           "value", "NPS", "NPS responses", "\ufeffDate", "Re\x00venue", "Total"]
HUGE = ["1e309", "-1e309", "1.5e308", "inf", "-inf", "nan", "NaN", "Infinity", "9" * 400, "1e15", "2e15", "-0",
        "1,5e308", "0x1F", "1e-400"]
CELLS = st.one_of(st.sampled_from(HUGE), st.sampled_from(["", "2026-01-01", "2026-02-30", "01/02/2026", "5", "-5",
                                                          "€12", "12%", "(3)", "Prospecting", "Closed Won", '"']),
                  st.text(max_size=8), st.integers(-10**6, 10**6).map(str))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]
OPEN_STAGES = ["Prospecting", "Qualified", "Negotiation", "Proposal", ""]


def whole_path(engine: Engine, name: str, data: bytes, forced: bool) -> None:
    """read_file, suggest (or every column forced into a figure), a dry run and a real import."""
    try:
        table = read_file(name, data, max_mb=20)
    except ReadFailure as failure:
        pytest.fail(f"the reader failed on its own: {failure.__cause__!r}")
    except ImportRejected as refused:
        assert refused.problems and all(p.file == name and p.reason for p in refused.problems)
        return
    mapping = forced_mapping(table.columns) if forced else suggest(table, STANDARD_CATALOG)
    workspace_id = new_workspace(engine, f"fuzz {name} {uuid.uuid4().hex[:8]}")
    for dry_run in (True, False):
        before = table_counts(engine)
        outcome = import_table(engine, workspace_id, table, mapping, created_by="fuzz", dry_run=dry_run, today=TODAY)
        difference = changed(before, table_counts(engine))
        if outcome.accepted and not dry_run:
            assert difference.get("import_batch") == 1 and difference.get("observation", 0) > 0
            assert set(difference) <= TABLES_AN_IMPORT_WRITES
        else:
            assert difference == {}, f"{'dry run' if dry_run else 'refused import'} changed {difference}"
            assert all(p.file == name and p.reason for p in outcome.problems)
            assert outcome.problems or dry_run


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 6))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 1), max_size=12))
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = "\n".join(separator.join(r) for r in [header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):  # a BOM too many, NUL bytes, a cut in the middle
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([codecs.BOM_UTF8, b"\x00", b"\x00" * 7, b'"', b"\r"])) + data[at:]
    return data[:draw(st.integers(1, len(data)))] if draw(st.booleans()) and data else data


@st.composite
def crm_open_deals(draw: st.DrawFn) -> bytes:
    """A CRM export whose deals are all still open: no won or lost stage, close dates mostly blank."""
    lines = ["Opportunity ID,Stage,Amount,Created Date,Close Date"]
    for deal in range(draw(st.integers(0, 8))):
        created = draw(st.sampled_from(["2026-01-05", "2026-03-17", "", "2026-13-01"]))
        closed = draw(st.sampled_from(["", "", "2026-04-01"]))
        lines.append(f"{deal},{draw(st.sampled_from(OPEN_STAGES))},{draw(CELLS)},{created},{closed}")
    return ("\n".join(lines) + "\n").encode()


def sheet_rows(header: list[str], rows: list[list[str]]) -> str:
    cells = [f'<row r="1">{"".join(text_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(header))}</row>']
    for number, row in enumerate(rows, start=2):
        cells.append(f'<row r="{number}">' + "".join(
            number_cell(f"{chr(65 + i)}{number}", v) if i else text_cell(f"A{number}", v)
            for i, v in enumerate(row)) + "</row>")
    return "".join(cells)


BASE_BOOK = workbook([["Date", "Revenue"], ["2026-01-01", 5]])  # once: a saved workbook carries the time it was made
XML_SAFE = str.maketrans({"<": "", "&": "", ">": "", '"': "", "\x00": ""})


@st.composite
def xlsx_bytes(draw: st.DrawFn) -> bytes:
    """A workbook with hostile values, then perhaps cut short, bit-flipped, or with one part broken."""
    header = [h.translate(XML_SAFE) for h in draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4))]
    rows = [[c.translate(XML_SAFE) for c in row]
            for row in draw(st.lists(st.lists(CELLS, min_size=1, max_size=len(header)), max_size=8))]
    dimension = draw(st.sampled_from([None, "A1:D9", "A1:XFD1048576", "nonsense"]))
    data = with_part(BASE_BOOK, SHEET_PART,
                     sheet_xml(sheet_rows(header, rows), dimension))
    damage = draw(st.sampled_from(["none", "cut", "flip", "part"]))
    if damage == "cut":
        return data[:draw(st.integers(1, len(data) - 1))]
    if damage == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    if damage == "part":
        name = draw(st.sampled_from(zipfile.ZipFile(io.BytesIO(data)).namelist()))
        part = zipfile.ZipFile(io.BytesIO(data)).read(name)
        return with_part(data, name, part[:draw(st.integers(0, len(part)))] + draw(st.binary(max_size=20)))
    return data


@FUZZ
@given(data=st.binary(max_size=2000), forced=st.booleans())
def test_random_bytes(engine: Engine, data: bytes, forced: bool) -> None:
    whole_path(engine, "random.csv", data, forced)
    whole_path(engine, "random.xlsx", b"PK\x03\x04" + data, forced)


@FUZZ
@given(data=csv_bytes(), forced=st.booleans())
def test_hostile_csv(engine: Engine, data: bytes, forced: bool) -> None:
    whole_path(engine, "hostile.csv", data, forced)


@FUZZ
@given(data=crm_open_deals())
def test_crm_exports_of_open_deals(engine: Engine, data: bytes) -> None:
    whole_path(engine, "deals.csv", data, forced=False)


@FUZZ
@given(data=xlsx_bytes(), forced=st.booleans())
def test_hostile_workbooks(engine: Engine, data: bytes, forced: bool) -> None:
    whole_path(engine, "hostile.xlsx", data, forced)
