"""Hostile files are bounded: limits checked before anything is built, each refusal naming the file and the
limit; repeated headers told apart; numbers beyond any real figure refused with their row and column."""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
import xml.etree.ElementTree as ElementTree
import zipfile

import pytest
from sqlalchemy import Engine

from bench.faults import changed, table_counts
from bench.hostile import (
    HEADER_ROW,
    SHEET_PART,
    SMALL_BOOK_ROWS,
    data_rows,
    empty_rows,
    forced_mapping,
    lying_size,
    many_parts,
    number_cell,
    sheet_book,
    sheet_xml,
    text_cell,
    wide_csv,
    with_part,
    workbook,
)
from db.imports import import_table
from importers import reading
from importers import workbook as streaming
from importers.convert import convert
from importers.limits import ReadLimits
from importers.problems import OUR_FAULT, ReadFailure
from importers.reading import first_long_line, read_file, unique_headers
from importers.suggest import suggest
from importers.workbook import EmptyRowsSkipped, column_letters, column_number
from metrics.catalog import STANDARD_CATALOG
from metrics.validation import ImportRejected

TODAY = dt.date(2026, 11, 16)
# Times are this process's CPU seconds: the machine may be busy with other work, which only adds wall time.


def refusal(data: bytes, name: str = "hostile.csv", **limits: int) -> str:
    with pytest.raises(ImportRejected) as refused:
        read_file(name, data, limits=ReadLimits(**limits))
    [problem] = refused.value.problems
    assert problem.file == name
    return problem.reason


# --- CSV limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "limits", "words"), [
    (wide_csv(6), {"columns": 5}, ["the header has 6 columns", "at most 5", "ALIGNBOARD_MAX_IMPORT_COLUMNS"]),
    (b"Date,Revenue\n" + b"2026-01-01,1\n" * 60, {"cells": 100},  # 60 rows x 2 columns
     ["about 60 rows of 2 columns", "about 120 cells", "at most 100", "ALIGNBOARD_MAX_IMPORT_CELLS"]),
    (b"Date,Note\n2026-01-01,a\n2026-01-02," + b"x" * 150 + b"\n", {"line_bytes": 100},  # line 3: 11 + 150 bytes
     ["line 3 is 161 bytes long", "at most 100 bytes", "ALIGNBOARD_MAX_LINE_KB"]),
    (b"a," * 100, {"line_bytes": 150}, ["line 1 is 200 bytes long"]),
    (b"\n" * 100 + b"Date,Revenue\n2026-01-01,5\n", {}, ["no columns found in the first 60 lines"]),
])
def test_csv_limits_are_checked_before_parsing(data: bytes, limits: dict[str, int], words: list[str]) -> None:
    reason = refusal(data, **limits)
    for word in words:
        assert word in reason


def test_the_default_limits_refuse_the_10000_column_file_at_once() -> None:
    start = time.process_time()
    reason = refusal(wide_csv(10_000))
    assert "10,000 columns" in reason and "at most 500" in reason
    assert time.process_time() - start < 2  # it took 100 s to read, suggest and convert before


def test_a_table_at_the_limits_is_read_whole() -> None:
    table = read_file("ok.csv", wide_csv(5, rows=4), limits=ReadLimits(columns=5, cells=5 * 4))
    assert table.frame.shape == (4, 5) and table.rows.tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize(("text", "most", "start"), [
    (b"ab\ncdef\ngh", 3, 3),  # "cdef" starts at byte 3
    (b"abcd", 3, 0),
    (b"ab\r\ncd\rxyzw", 3, 7),  # \r and \n both end lines
    (b"ab\ncd\n", 2, None),
    (b"abc\n", 3, None),
    (b"ab\n\nabcd", 3, 4),
])
def test_first_long_line(text: bytes, most: int, start: int | None) -> None:
    assert first_long_line(text, most) == start


def test_first_long_line_across_scan_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "SCAN_BYTES", 4)
    text = b"ab\nabc\nabcdefg\nab"  # the long line (7 bytes) starts at 7 and spans two chunks of 4
    assert first_long_line(text, 6) == 7
    assert first_long_line(text, 7) is None


def test_a_quoted_cell_of_200_kb_is_read() -> None:
    table = read_file("notes.csv", b'Date,Revenue,Note\n2026-01-01,5,"' + b"x" * 200_000 + b'"\n')
    assert len(table.frame["Note"].tolist()[0]) == 200_000


def test_a_quote_never_closed_that_runs_past_the_limit_is_named() -> None:
    data = b'Date,Note\n2026-01-01,"' + (b"y" * 999 + b"\n") * 1500 + b"2026-01-02,z\n"  # 1.5 MB in quotes
    reason = refusal(data)
    assert "a cell that starts near line 2 runs longer than 1.0 MB" in reason and "never closed" in reason


@pytest.mark.parametrize(("names", "headers"), [
    (["Revenue", "Revenue"], ["Revenue", "Revenue (2)"]),
    (["Revenue", "Revenue (2)", "revenue", "Revenue"], ["Revenue", "Revenue (2)", "revenue", "Revenue (3)"]),
    (["Revenue", "Revenue", "Revenue (2)"], ["Revenue", "Revenue (3)", "Revenue (2)"]),
    (["", "Column 1", None], ["Column 1", "Column 1 (2)", "Column 3"]),
    ([" \ufeffDate ", "x" * 300], ["Date", "x" * 254 + "…"]),
])
def test_unique_headers_never_collide(names: list, headers: list[str]) -> None:
    assert unique_headers(names) == headers


def test_header_collisions_read_suggest_and_convert() -> None:
    table = read_file("twice.csv", b"Date,Revenue,Revenue (2),revenue,Revenue\n2026-01-01,1,2,3,4\n")
    assert table.columns == ["Date", "Revenue", "Revenue (2)", "revenue", "Revenue (3)"]
    mapping = suggest(table, STANDARD_CATALOG)
    assert list(mapping.metric_columns().values()) == ["revenue"]  # one of them: never counted twice
    conversion = convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)
    assert conversion.problems == [] and conversion.long["value"].tolist() == [1.0]


def test_a_500_column_file_reads_suggests_and_converts_in_well_under_5_seconds() -> None:
    start = time.process_time()
    table = read_file("wide.csv", wide_csv(500, rows=400))
    convert(table, suggest(table, STANDARD_CATALOG), STANDARD_CATALOG, "USD", TODAY)
    convert(table, forced_mapping(table.columns), STANDARD_CATALOG, "USD", TODAY)
    assert time.process_time() - start < 5


def test_limits_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_MAX_IMPORT_COLUMNS", "2")
    monkeypatch.setenv("ALIGNBOARD_MAX_LINE_KB", "3")
    assert ReadLimits.configured() == ReadLimits(columns=2, line_bytes=3 * 1024)
    with pytest.raises(ImportRejected, match="the header has 3 columns; imports read at most 2"):
        read_file("three.csv", b"Date,Revenue,Clicks\n2026-01-01,1,2\n")


def test_a_fault_of_ours_is_logged_and_told_plainly(monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(reading, "read_csv", broken)
    with caplog.at_level(logging.ERROR), pytest.raises(ReadFailure) as failed:
        read_file("any.csv", b"Date,Revenue\n")
    assert failed.value.problems[0].reason == OUR_FAULT and "a bug" in caplog.text


# --- Excel limits --------------------------------------------------------------------------------


def far_cell_sheet(dimension: str | None) -> bytes:
    rows = HEADER_ROW + data_rows(["5"]) + f'<row r="1048576">{number_cell("XFD1048576", "1")}</row>'
    return sheet_book(rows, dimension=dimension)


@pytest.mark.parametrize(("data", "words"), [
    (workbook(SMALL_BOOK_ROWS, far_cell="XFD1048576"),
     ["says it spans 1,048,576 rows × 16,384 columns (up to cell XFD1048576)", "at most 500 columns"]),
    (far_cell_sheet(None), ["a value in column XFD (column 16,384, row 1,048,576)", "at most 500 columns"]),
    (far_cell_sheet("A1:B2"), ["a value in column XFD"]),
    (sheet_book(HEADER_ROW + data_rows(["5"]), dimension="A1:B1000001"),
     ["1,000,001 rows × 2 columns", "at most 1,000,000 rows", "ALIGNBOARD_MAX_EXCEL_ROWS"]),
    (sheet_book(HEADER_ROW + data_rows(["5"], first=1_000_001), dimension=None),
     ["values in row 1,000,001", "at most 1,000,000 rows"]),
    (sheet_book(HEADER_ROW + f'<row r="2">{number_cell("SG2", "1")}</row>', dimension=None),
     ["a value in column SG (column 501, row 2)"]),
    (sheet_book(HEADER_ROW + '<row r="2000000"/>', dimension=None), ["a row 2,000,000, beyond Excel's last row"]),
])
def test_excel_sizes_are_checked_before_and_while_reading(data: bytes, words: list[str]) -> None:
    start = time.process_time()
    reason = refusal(data, "far.xlsx")
    for word in words:
        assert word in reason
    assert time.process_time() - start < 2  # the far cell took 7.5 GB before


def test_the_cells_limit_counts_rows_times_width_while_streaming() -> None:
    data = sheet_book(HEADER_ROW + data_rows([str(i) for i in range(5)]), dimension=None)  # 6 rows x 2
    assert "holds more than 11 cells by row 6 (2 columns wide)" in refusal(data, "cells.xlsx", cells=11)
    assert read_file("cells.xlsx", data, limits=ReadLimits(cells=12)).frame.shape == (5, 2)


@pytest.mark.parametrize(("data", "words"), [
    (with_part(workbook(SMALL_BOOK_ROWS), SHEET_PART, sheet_xml(HEADER_ROW + "<row/>" * 500_000, None), level=9),
     ["unpacks", "times larger than it is packed", "at most 200 times", "ALIGNBOARD_MAX_COMPRESSION_RATIO"]),
    (lying_size(workbook(SMALL_BOOK_ROWS), SHEET_PART, 4_000_000_000),
     ["the workbook unpacks to 3,814.7 MB", "at most 500 MB", "ALIGNBOARD_MAX_UNPACKED_MB"]),
    (many_parts(10_001), ["it holds 10,001 parts"]),
    (workbook(SMALL_BOOK_ROWS)[:900], ["not a readable Excel (.xlsx) file"]),
])
def test_zip_bombs_are_refused_from_the_zip_directory(data: bytes, words: list[str]) -> None:
    reason = refusal(data, "bomb.xlsx")
    for word in words:
        assert word in reason


def test_a_part_that_says_it_is_smaller_than_it_unpacks_is_damaged() -> None:
    book = with_part(workbook(SMALL_BOOK_ROWS), SHEET_PART, sheet_xml(HEADER_ROW + data_rows(["1"] * 400)))
    assert "the Excel file is damaged" in refusal(lying_size(book, SHEET_PART, 300), "lying.xlsx")


@pytest.mark.parametrize(("part", "content", "words"), [
    (SHEET_PART, b"<worksheet><sheetData><row><c>", "damaged and cannot be read (sheet 'Sheet')"),
    ("xl/workbook.xml", b"<workbook><sheets", "not a readable Excel (.xlsx) file"),
    ("xl/styles.xml", b"\xff\xfe<styles", "not a readable Excel (.xlsx) file"),
    ("[Content_Types].xml", None, "not a readable Excel (.xlsx) file"),
    (SHEET_PART, None, "it has no worksheet"),
    (SHEET_PART, sheet_xml(HEADER_ROW + data_rows(["5"], first=3) + data_rows(["6"])),
     "row 2 comes after row 3: its rows are out of order"),
    (SHEET_PART, sheet_xml(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'),
     "cell A2 refers to text the file lacks"),
    (SHEET_PART, sheet_xml(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>-1</v></c></row>'),
     "cell A2 refers to text the file lacks"),
    (SHEET_PART, sheet_xml(HEADER_ROW + '<row r="2"><c r="A2">' + "<x>" * 70 + "</x>" * 70 + "</c></row>"),
     "its elements nest too deep"),
    (SHEET_PART, sheet_xml(HEADER_ROW + '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>'),
     "cell reference 'ZZZZ2' in row 2 is not one"),
])
def test_damaged_parts_are_refused_plainly(part: str, content: bytes | None, words: str) -> None:
    assert words in refusal(with_part(workbook(SMALL_BOOK_ROWS), part, content), "damaged.xlsx")


def test_a_cell_longer_than_a_line_may_be_is_refused() -> None:
    data = sheet_book(HEADER_ROW + f'<row r="2">{text_cell("A2", "x" * 3000)}</row>')
    assert "cell A2 holds 3 KB of text; imports read cells of at most 2 KB" in refusal(data, "t.xlsx",
                                                                                       line_bytes=2048)


def test_empty_rows_cost_nothing_and_rows_keep_their_numbers() -> None:
    rows = HEADER_ROW + data_rows(["5", "6"]) + empty_rows(300_000) + data_rows(["7"], first=300_004)
    start = time.process_time()
    table = read_file("gaps.xlsx", sheet_book(rows, dimension=None))
    assert time.process_time() - start < 3
    assert table.rows.tolist() == [2, 3, 300_004]  # rows 4 to 300,003 are empty
    assert table.frame["Revenue"].tolist() == [5, 6, 7]
    assert table.notes == ["Skipped 300,000 blank row(s)."]


def parsed_rows(xml: bytes, skip_empty: bool) -> list[tuple[int, list]]:
    stream = streaming.SheetStream("x.xlsx", "Sheet", _decoder(), ReadLimits())
    source = io.BytesIO(xml)
    stream.read(EmptyRowsSkipped(source) if skip_empty else source)
    result = stream.result()
    return list(zip(result.numbers, result.values, strict=True))


def _decoder() -> object:
    from openpyxl.worksheet._reader import WorkSheetParser

    return WorkSheetParser(None, [], data_only=True)


EMPTY_CELLS = "".join(f'<c r="{column_letters(c)}30" s="1"/>' for c in range(2, 42))  # B30 to AO30
CDATA_ROW = '<![CDATA[<row r="9"/>]]>'


@pytest.mark.parametrize("rows", [
    HEADER_ROW + empty_rows(50) + '<row><c r="A55"><v>1</v></c></row>' + '<row><c><v>2</v></c><c><v>3</v></c></row>',
    HEADER_ROW + empty_rows(20, styled=False) + f'<row r="30">{EMPTY_CELLS}<c r="AP30"><v>9</v></c><c><v>10</v></c>'
    "</row>",
    HEADER_ROW + '<row r="2" x="a/>"><c r="A2"><v>4</v></c></row>' + empty_rows(5, first=3),
    HEADER_ROW + f'<row r="2">{text_cell("A2", CDATA_ROW)}</row>' + empty_rows(5, first=3),
])
def test_skipping_empty_rows_never_changes_what_is_read(rows: str) -> None:
    xml = sheet_xml(rows, None)
    assert parsed_rows(xml, skip_empty=True) == parsed_rows(xml, skip_empty=False)


def read_all(source: EmptyRowsSkipped) -> bytes:
    parts = []
    while chunk := source.read(64):
        parts.append(chunk)
    return b"".join(parts)


def test_skipped_rows_leave_the_last_row_so_rows_without_a_number_follow_on() -> None:
    xml = sheet_xml(HEADER_ROW + empty_rows(10) + '<row><c><v>1</v></c></row>', None)  # the last empty row is 13
    assert parsed_rows(xml, skip_empty=True)[-1] == (14, [1, None])  # as wide as the header
    filtered = read_all(EmptyRowsSkipped(io.BytesIO(xml)))
    assert filtered.count(b"<row") == 3 and b'<row r="13"/>' in filtered  # header, the run's last, the data row


def test_the_filtered_sheet_is_still_xml() -> None:
    xml = sheet_xml(HEADER_ROW + data_rows(["5"]) + empty_rows(1000), "A1:B2")
    filtered = EmptyRowsSkipped(io.BytesIO(xml)).read()
    assert ElementTree.fromstring(filtered).find(streaming.SHEET_DATA) is not None


@pytest.mark.parametrize(("letters", "number"), [("A", 1), ("Z", 26), ("AA", 27), ("SG", 501), ("XFD", 16_384)])
def test_column_letters(letters: str, number: int) -> None:
    assert column_number(letters) == number and column_letters(number) == letters


def test_excel_cells_keep_their_values_and_the_workbook_closes() -> None:
    data = workbook([["Date", "Revenue", None, "Note"], [dt.datetime(2026, 1, 1), 1.5, None, " "],
                     ["2026-01-02", "1,300", None, "x"]])
    table = read_file("book.xlsx", data)
    assert table.columns == ["Date", "Revenue", "Column 3", "Note"]
    assert table.frame["Revenue"].tolist() == [1.5, "1,300"] and table.frame["Note"].tolist() == [None, "x"]
    assert table.sheets == ["Sheet"] and zipfile.is_zipfile(io.BytesIO(data))


# --- Numbers beyond any real figure, on every path -----------------------------------------------


def import_refused(engine: Engine, workspace_id: int, name: str, data: bytes) -> list[str]:
    """The file imported with every column taken for a figure: refused, nothing written, the problems."""
    table = read_file(name, data)
    before = table_counts(engine)
    outcome = import_table(engine, workspace_id, table, forced_mapping(table.columns), created_by="test",
                           today=TODAY)
    assert not outcome.accepted
    assert changed(before, table_counts(engine)) == {}
    return [str(p) for p in outcome.problems]


@pytest.mark.parametrize(("cell", "problem"), [
    ("1e309", "n.csv, row 2, column 'Revenue': not a number: '1e309'"),
    ("-1e309", "n.csv, row 2, column 'Revenue': not a number: '-1e309'"),
    ("inf", "n.csv, row 2, column 'Revenue': not a number: 'inf'"),
    ("-inf", "n.csv, row 2, column 'Revenue': not a number: '-inf'"),
    ("Infinity", "n.csv, row 2, column 'Revenue': not a number: 'Infinity'"),
    ("nan", "n.csv: no values to import: every mapped cell is blank"),  # "nan" is how exports write a blank
    ("2e15", "n.csv, column 'Revenue': Revenue for Jan 2026 adds up to more than 1,000,000,000,000,000"),
])
def test_a_single_hostile_number_in_a_csv_is_named(engine: Engine, workspace_id: int, cell: str,
                                                   problem: str) -> None:
    problems = import_refused(engine, workspace_id, "n.csv", f"Date,Revenue\n2026-01-01,{cell}\n".encode())
    assert problems[0].startswith(problem)


@pytest.mark.parametrize(("value", "problem"), [
    ("1e309", "n.xlsx, row 2, column 'Revenue': not a number: 'inf'"),
    ("-1e309", "n.xlsx, row 2, column 'Revenue': not a number: '-inf'"),
    ("inf", "n.xlsx, row 2, column 'Revenue': not a number: 'inf'"),
    ("0x1F", "n.xlsx, row 2, column 'Revenue': not a number: '0x1F'"),
    ("nan", "n.xlsx: no values to import: every mapped cell is blank"),
])
def test_a_single_hostile_number_in_a_workbook_is_named(engine: Engine, workspace_id: int, value: str,
                                                        problem: str) -> None:
    problems = import_refused(engine, workspace_id, "n.xlsx", sheet_book(HEADER_ROW + data_rows([value])))
    assert problems[0].startswith(problem)


@pytest.mark.parametrize("name", ["twice.csv", "twice.xlsx"])
def test_two_rows_of_1_5e308_are_refused_at_their_month(engine: Engine, workspace_id: int, name: str) -> None:
    data = (b"Date,Revenue\n2026-01-01,1.5e308\n2026-01-02,1.5e308\n" if name.endswith(".csv")
            else sheet_book(HEADER_ROW + data_rows(["1.5e308", "1.5e308"])))
    [problem] = import_refused(engine, workspace_id, name, data)
    assert problem.startswith(f"{name}, column 'Revenue': Revenue for Jan 2026 adds up to more than")


def test_an_export_of_open_deals_only_imports_its_pipeline(engine: Engine, workspace_id: int) -> None:
    data = (b"Opportunity ID,Stage,Amount,Created Date,Close Date\n1,Prospecting,100,2026-01-05,\n"
            b"2,Negotiation,200,2026-02-05,\n")
    table = read_file("open.csv", data)
    outcome = import_table(engine, workspace_id, table, suggest(table, STANDARD_CATALOG), today=TODAY)
    assert outcome.accepted
    by_metric = outcome.conversion.long.groupby("metric")["value"].sum().to_dict()
    assert by_metric == {"opportunities": 2.0, "pipeline_created": 300.0}


def test_open_deals_without_a_created_date_say_there_is_nothing(engine: Engine, workspace_id: int) -> None:
    table = read_file("open.csv", b"Stage,Amount,Close Date\nProspecting,100,\nQualified,200,\n")
    outcome = import_table(engine, workspace_id, table, suggest(table, STANDARD_CATALOG), today=TODAY)
    assert not outcome.accepted and outcome.problems
    assert all(p.file == "open.csv" and p.reason for p in outcome.problems)
