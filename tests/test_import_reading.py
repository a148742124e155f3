"""Reading people's files: encodings, separators, header rows, blank and totals rows, Excel, size limit."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from importers.reading import read_file
from metrics.validation import ImportRejected

SHEET = "Date,Channel,Revenue\n2026-01-01,Web,1200\n2026-01-02,Café,1300\n"


def cells(table) -> list[list[str]]:  # noqa: ANN001 - SourceTable
    return table.frame.astype(str).values.tolist()


@pytest.mark.parametrize(("data", "encoding"), [
    (SHEET.encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + SHEET.encode("utf-8"), "UTF-8 with BOM"),
    (SHEET.encode("latin-1"), "Latin-1"),
    (SHEET.replace("Web", "Web €").encode("cp1252"), "Windows-1252 (Latin-1)"),
    (SHEET.encode("utf-16"), "UTF-16"),
])
def test_encodings_are_recognised(data: bytes, encoding: str) -> None:
    table = read_file("sheet.csv", data)
    assert table.encoding == encoding
    assert table.columns == ["Date", "Channel", "Revenue"]
    assert table.frame["Channel"].astype(str).tolist()[1] == "Café"
    assert table.frame["Channel"].astype(str).tolist()[0] in ("Web", "Web €")


@pytest.mark.parametrize(("separator", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_separators_are_sniffed(separator: str, name: str) -> None:
    table = read_file("sheet.csv", SHEET.replace(",", separator).encode())
    assert table.separator == separator
    assert f"{name}-separated" in table.describe()
    assert cells(table)[0][:2] == ["2026-01-01 00:00:00", "Web"] or cells(table)[0][:2] == ["2026-01-01", "Web"]


def test_semicolon_files_read_decimal_commas() -> None:
    table = read_file("eu.csv", b"Monat;Umsatz\n2026-01;1.234,50\n2026-02;12,5\n")
    assert table.decimal_hint == ","


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_line_numbers() -> None:
    data = (b'Campaign performance report\n"March 1, 2026 - March 31, 2026"\n'
            b"Day,Campaign,Clicks\n2026-03-01,Brand,5\n\n2026-03-02,Brand,6\n")
    table = read_file("ads.csv", data)
    assert table.header_row == 3
    assert table.columns == ["Day", "Campaign", "Clicks"]
    assert table.rows.tolist() == [4, 6]  # line 5 is blank
    assert table.notes == ["Skipped 1 blank row(s)."]


def test_quoted_line_breaks_keep_exact_line_numbers() -> None:
    data = b'Date,Note,Revenue\n2026-01-01,"two\nlines",5\n2026-01-02,plain,6\n'
    table = read_file("notes.csv", data)
    assert table.rows.tolist() == [2, 4]
    assert table.frame["Note"].tolist() == ["two\nlines", "plain"]


def test_a_row_with_too_many_cells_is_a_problem_with_its_line() -> None:
    table = read_file("ragged.csv", b"Date,Revenue\n2026-01-01,5\n2026-01-02,6,7\n2026-01-03,8\n")
    assert [(p.row, p.reason) for p in table.problems] == [(3, "the row has 3 cells but the header has 2")]
    assert table.rows.tolist() == [2, 4]


def test_trailing_totals_rows_are_dropped_but_not_a_campaign_called_total() -> None:
    data = (b"Campaign,Day,Clicks\nTotal Recall,2026-01-01,5\nBrand,2026-01-02,6\n,,\n"
            b"Total: Account,,11\nGrand total,,11\n")
    table = read_file("ads.csv", data)
    assert table.frame["Campaign"].tolist() == ["Total Recall", "Brand"]
    assert "Skipped the totals row(s) at the end (row 5, 6)." in table.notes


def test_files_above_the_size_limit_are_refused_with_the_limit_named() -> None:
    data = b"Date,Revenue\n" + b"2026-01-01,1\n" * 100_000  # about 1.3 MB
    with pytest.raises(ImportRejected) as refused:
        read_file("big.csv", data, max_mb=1)
    [problem] = refused.value.problems
    assert problem.file == "big.csv"
    assert "imports accept files up to 1 MB" in problem.reason and "ALIGNBOARD_MAX_UPLOAD_MB" in problem.reason


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"\xd0\xcf\x11\xe0rest-of-an-old-workbook", "old Excel (.xls)"),
    (b"PK\x03\x04not really a zip", "not a readable Excel (.xlsx) file"),
])
def test_unreadable_files_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(ImportRejected) as refused:
        read_file("x.xlsx", data)
    assert reason in refused.value.problems[0].reason


def workbook(rows: list[list], title_rows: int = 0, sheets: tuple[str, ...] = ("Data",)) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    sheet = book[sheets[-1]]
    for _ in range(title_rows):
        sheet.append(["Monthly figures"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_cells_keep_their_types_and_sheet_row_numbers() -> None:
    data = workbook([["Month", "Revenue"], [dt.datetime(2026, 1, 1), 1200.5], [46054, "1,300"], [None, None],
                     ["Total", 2500.5]], title_rows=2, sheets=("Notes", "Figures"))
    table = read_file("figures.xlsx", data)
    assert table.kind == "xlsx" and table.sheet == "Figures" and table.sheets == ["Notes", "Figures"]
    assert table.header_row == 3
    assert table.rows.tolist() == [4, 5]
    assert table.frame["Revenue"].tolist() == [1200.5, "1,300"]
    assert table.frame["Month"].tolist()[1] == 46054


def test_an_excel_sheet_can_be_chosen_by_name() -> None:
    data = workbook([["Month", "Revenue"], ["2026-01", 5]], sheets=("Summary", "Detail"))
    assert read_file("x.xlsx", data, sheet="Detail").sheet == "Detail"
    with pytest.raises(ImportRejected, match="no sheet called 'Other'"):
        read_file("x.xlsx", data, sheet="Other")
