"""Excel workbooks read as a stream, within the import limits, whatever the file says about itself.

The zip directory is checked before anything is unpacked (a zip bomb never gets opened), each sheet's declared
size before its rows are read, and the rows are counted while they stream: empty rows and cells cost nothing,
and the first value beyond a limit stops the read. openpyxl reads the workbook's own parts (sheet names,
shared strings, number formats); the sheet's rows are parsed here, one cell at a time, so a file that
declares no size, or lies about it, is bounded all the same.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from importers.limits import EXCEL_COLUMNS, EXCEL_ROWS, MB, ReadLimits, setting_note, size_text
from importers.problems import refuse
from metrics.validation import ImportRejected

log = logging.getLogger(__name__)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v"
SHEET_DATA, DIMENSION = f"{MAIN}sheetData", f"{MAIN}dimension"
MAX_PARTS = 10_000  # an Excel workbook has a few dozen parts
RATIO_FROM = MB  # smaller parts may compress as well as they like: they cannot unpack to much
MAX_DEPTH = 64  # a sheet's elements nest a handful deep
MAX_CELL_PARTS = 10_000  # rich-text runs of one cell
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
# A row of nothing but empty cells, as written (cells closed at once, no value): a run of them is skipped before
# the XML parser sees it, leaving the last row of the run so the rows after it keep their numbers.
ATTRIBUTES = rb'(?:[^<>/"]++|"[^"<>]*+")*+'  # quoted values whole: "/>" in one never ends the tag
EMPTY_CELL = rb'<c r="[A-Z]{1,3}\d+"' + ATTRIBUTES + rb"/>"
EMPTY_ROWS = re.compile(rb'(?:<row r="\d+"' + ATTRIBUTES + rb"(?:/>|>(?:" + EMPTY_CELL + rb")*</row>))+")
EMPTY_CELLS = re.compile(rb"(?:" + EMPTY_CELL + rb"){2,}")
LAST_ROW = re.compile(rb'<row r="(\d+)"')
READ_BYTES = MB
NOT_READABLE = "not a readable Excel (.xlsx) file"
DAMAGED = "the Excel file is damaged and cannot be read"
# What parsing a damaged part can raise: broken XML, broken compression, a truncated or lying zip.
DAMAGE = (ElementTree.ParseError, zlib.error, zipfile.BadZipFile, EOFError, OSError, ValueError, IndexError,
          KeyError, TypeError, OverflowError, NotImplementedError, RuntimeError, AttributeError)


@dataclass
class SheetRows:
    """The non-empty rows of one sheet: their values (from column A) and their row numbers in the sheet."""

    title: str
    values: list[list[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    width: int = 0


@dataclass
class Workbook:
    """A workbook opened for reading: its worksheets by name and what its cells need to be decoded."""

    archive: zipfile.ZipFile
    sheets: dict[str, str]  # sheet name -> part name in the archive
    cells: Any  # openpyxl's cell decoder (shared strings, dates by number format)


# --- The zip directory ---------------------------------------------------------------------------


def check_archive(file_name: str, data: bytes, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts are too many, unpack too large, or compress too well (a zip bomb)."""
    parts = declared_parts(data)
    if parts is not None and parts > MAX_PARTS:
        raise refuse(file_name, f"{NOT_READABLE}: it holds {parts:,} parts, where a workbook has a few dozen")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as error:
        raise refuse(file_name, NOT_READABLE) from error
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_mb * MB:
        raise refuse(file_name, f"the workbook unpacks to {size_text(unpacked)}; imports unpack workbooks of at "
                                f"most {limits.unpacked_mb:,} MB {setting_note('unpacked_mb')}")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > limits.compression_ratio:
            raise refuse(file_name, f"its part '{member.filename[:80]}' unpacks {ratio:,.0f} times larger than it "
                                    f"is packed ({size_text(member.file_size)}), like a zip bomb; imports accept at "
                                    f"most {limits.compression_ratio:,} times {setting_note('compression_ratio')}")


def declared_parts(data: bytes) -> int | None:
    """How many parts the zip's end record says it has, read before Python's zip module lists them all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    total = struct.unpack_from("<H", data, end + 10)[0]
    return None if total == 0xFFFF else total  # 0xFFFF: a zip64 record holds the count


# --- The workbook --------------------------------------------------------------------------------


def open_workbook(file_name: str, data: bytes, limits: ReadLimits) -> Workbook:
    """The workbook's sheet names and cell decoder; the sheets' rows are not read yet."""
    from openpyxl.reader.excel import ExcelReader  # imported here: only Excel files need openpyxl
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in (rel.Type or "")}
    except Exception as error:  # noqa: BLE001 - any failure of a third-party parser on the user's bytes
        log.info("unreadable workbook %s: %r", file_name, error)
        raise refuse(file_name, NOT_READABLE) from error
    if not sheets:
        raise refuse(file_name, f"{NOT_READABLE}: it has no worksheet")
    if len(reader.shared_strings) > limits.cells:
        raise refuse(file_name, f"the workbook holds {len(reader.shared_strings):,} distinct texts; imports read at "
                                f"most {limits.cells:,} cells {setting_note('cells')}")
    wb = reader.wb
    cells = WorkSheetParser(None, reader.shared_strings, data_only=True, epoch=wb.epoch,
                            date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
    return Workbook(reader.archive, sheets, cells)


def sheet_rows(file_name: str, workbook: Workbook, sheet: str | None, limits: ReadLimits) -> SheetRows:
    """The rows of the chosen sheet, else of the first sheet with more than one row (else of the first)."""
    if sheet is not None:
        if sheet not in workbook.sheets:
            raise refuse(file_name, f"there is no sheet called '{sheet}' (sheets: {', '.join(workbook.sheets)})")
        return read_sheet(file_name, workbook, sheet, limits)
    for title in workbook.sheets:
        size = declared_size(file_name, workbook, title)
        if size is not None and size[1] <= 1:
            continue  # declares one row at most: a notes or cover sheet
        rows = read_sheet(file_name, workbook, title, limits, size)
        if len(rows.values) > 1:
            return rows
    return read_sheet(file_name, workbook, next(iter(workbook.sheets)), limits)


def declared_size(file_name: str, workbook: Workbook, title: str) -> tuple[int, int] | None:
    """(columns, rows) a sheet's dimension element declares, None when it declares none (or nonsense)."""
    try:
        with workbook.archive.open(workbook.sheets[title]) as source:
            for _event, element in ElementTree.iterparse(source, events=("start",)):
                if element.tag == DIMENSION:
                    return _dimension(element.get("ref", ""))
                if element.tag == SHEET_DATA:
                    return None
    except DAMAGE as error:
        raise refuse(file_name, f"{DAMAGED} (sheet '{title}')") from error
    return None


def _dimension(ref: str) -> tuple[int, int] | None:
    match = CELL_REFERENCE.match(ref.split(":")[-1])
    return (column_number(match.group(1)), int(match.group(2))) if match else None


def check_declared_size(file_name: str, title: str, size: tuple[int, int] | None, limits: ReadLimits) -> None:
    """Refuse a sheet whose declared size is beyond the limits, before a row of it is read."""
    if size is None:
        return
    columns, rows = size
    beyond = [(limit, f"{allowed:,} {what}") for limit, allowed, what, found in (
        ("columns", limits.columns, "columns", columns), ("excel_rows", limits.excel_rows, "rows", rows),
        ("cells", limits.cells, "cells", columns * rows)) if found > allowed]
    if beyond:
        limit, most = beyond[0]
        raise refuse(file_name, (
            f"the sheet '{title}' says it spans {rows:,} rows × {columns:,} columns (up to cell "
            f"{column_letters(columns)}{rows}); imports read at most {most} {setting_note(limit)}. Delete what "
            "lies beyond your table (Ctrl+End shows the last cell Excel keeps) or save the table as CSV"))


# --- The rows ------------------------------------------------------------------------------------


def read_sheet(file_name: str, workbook: Workbook, title: str, limits: ReadLimits,
               size: tuple[int, int] | None = None) -> SheetRows:
    """A sheet's non-empty rows, refused as soon as a value lies beyond a limit."""
    check_declared_size(file_name, title, size or declared_size(file_name, workbook, title), limits)
    stream = SheetStream(file_name, title, workbook.cells, limits)
    try:
        with workbook.archive.open(workbook.sheets[title]) as source:
            stream.read(EmptyRowsSkipped(source))
    except ImportRejected:
        raise
    except DAMAGE as error:
        log.info("damaged sheet %s in %s near row %s: %r", title, file_name, stream.row, error)
        raise refuse(file_name, f"{DAMAGED} (sheet '{title}', near row {stream.row:,})") from error
    return stream.result()


class SheetStream:
    """One pass over a sheet's XML: every element is dropped as soon as it has been read."""

    def __init__(self, file_name: str, title: str, cells: Any, limits: ReadLimits) -> None:
        self.file, self.title, self.cells, self.limits = file_name, title, cells, limits
        self.rows = SheetRows(title)
        self.row = 0  # the sheet row being read
        self.column = 0  # the last cell's column in that row
        self.values: list[Any] = []  # the row's values from column A, as far as its last value
        self.cell_parts = 0

    def read(self, source: IO[bytes]) -> None:
        stack: list[ElementTree.Element] = []
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                self.started(element, len(stack))
                continue
            stack.pop()
            if element.tag == CELL:
                self.cell(element)
            elif element.tag == ROW:
                self.row_done()
            elif self.cell_parts:
                continue  # a cell's value or text: read with its cell
            if stack:
                stack[-1].remove(element)

    def started(self, element: ElementTree.Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.damaged("its elements nest too deep")
        if element.tag == ROW:
            self.row = self.row_number(element.get("r"))
            self.column, self.values = 0, []
        elif element.tag == CELL:
            self.cell_parts = 1
        elif self.cell_parts:
            self.cell_parts += 1
            if self.cell_parts > MAX_CELL_PARTS:
                raise self.damaged(f"a cell of row {self.row:,} has more than {MAX_CELL_PARTS:,} parts")

    def row_number(self, text: str | None) -> int:
        number = self.row + 1 if text is None else int(float(text))
        if number > EXCEL_ROWS:
            raise self.damaged(f"it has a row {number:,}, beyond Excel's last row ({EXCEL_ROWS:,})")
        if number <= self.row:
            raise self.damaged(f"row {number:,} comes after row {self.row:,}: its rows are out of order")
        return number

    def cell(self, element: ElementTree.Element) -> None:
        self.cell_parts = 0
        self.column = self.column_number(element.get("r"))
        self.cells.row_counter, self.cells.col_counter = self.row, self.column - 1
        element.set("r", f"{column_letters(self.column)}{self.row}")  # the decoder's coordinate, checked
        value = self.decoded(element)
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        if isinstance(value, str) and len(value) > self.limits.line_bytes:
            raise self.beyond(f"cell {column_letters(self.column)}{self.row} holds {size_text(len(value))} of "
                              f"text; imports read cells of at most {size_text(self.limits.line_bytes)}",
                              "line_bytes")
        if self.column > self.limits.columns:
            raise self.beyond(f"the sheet '{self.title}' has a value in column {column_letters(self.column)} "
                              f"(column {self.column:,}, row {self.row:,}); imports read at most "
                              f"{self.limits.columns:,} columns", "columns")
        self.values.extend([None] * (self.column - 1 - len(self.values)))
        self.values.append(value)

    def column_number(self, reference: str | None) -> int:
        if reference is None:
            number = self.column + 1
        else:
            match = CELL_REFERENCE.match(reference)
            if match is None:
                raise self.damaged(f"cell reference '{reference[:20]}' in row {self.row:,} is not one")
            number = column_number(match.group(1))
        if number <= self.column or number > EXCEL_COLUMNS:
            raise self.damaged(f"the cells of row {self.row:,} are out of order or beyond Excel's columns")
        return number

    def decoded(self, element: ElementTree.Element) -> Any:
        """The cell's value as Excel stores it; a number or date Python cannot read ("nan") stays as its text."""
        text = element.findtext(VALUE)
        kind = element.get("t", "n")
        if kind == "s" and text is not None and not text.strip().isdigit():
            raise self.damaged(f"cell {column_letters(self.column)}{self.row} refers to text the file lacks")
        try:
            return self.cells.parse_cell(element)["value"]
        except (ValueError, OverflowError) as error:
            if text is not None and kind != "s":
                return text
            raise self.damaged(f"cell {column_letters(self.column)}{self.row} cannot be read") from error
        except (IndexError, KeyError, TypeError) as error:
            raise self.damaged(f"cell {column_letters(self.column)}{self.row} refers to text the file lacks") \
                from error

    def row_done(self) -> None:
        if not self.values:
            return  # an empty row costs nothing
        rows = self.rows
        if self.row > self.limits.excel_rows:
            raise self.beyond(f"the sheet '{self.title}' has values in row {self.row:,}; imports read at most "
                              f"{self.limits.excel_rows:,} rows", "excel_rows")
        width = max(rows.width, len(self.values))
        if (len(rows.numbers) + 1) * width > self.limits.cells:
            raise self.beyond(f"the sheet '{self.title}' holds more than {self.limits.cells:,} cells by row "
                              f"{self.row:,} ({width:,} columns wide); imports read at most {self.limits.cells:,}",
                              "cells")
        rows.width = width
        rows.numbers.append(self.row)
        rows.values.append(self.values)  # filled to the full width once it is known

    def result(self) -> SheetRows:
        width = self.rows.width
        for values in self.rows.values:
            values.extend([None] * (width - len(values)))
        return self.rows

    def damaged(self, why: str) -> ImportRejected:
        return refuse(self.file, f"{DAMAGED} (sheet '{self.title}': {why})")

    def beyond(self, why: str, limit: str) -> ImportRejected:
        return refuse(self.file, f"{why} {setting_note(limit)}")


class EmptyRowsSkipped:
    """A sheet part's bytes with runs of empty rows (and of empty cells) cut short before they are parsed.

    Two million empty rows would cost the XML parser seconds; a regular expression passes them in a fraction.
    Text is cut only after a ">", so no tag is ever split; a sheet with CDATA sections (where "<row" could be
    text) is passed as it is from there on.
    """

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.pending = b""  # read, not yet filtered: what follows the last ">"
        self.ready = b""
        self.verbatim = False

    def read(self, size: int = -1) -> bytes:
        while not self.ready:
            chunk = self.source.read(READ_BYTES)
            if not chunk:
                self.ready, self.pending = self.pending, b""
                break
            self.ready = self.filtered(chunk)
        size = len(self.ready) if size is None or size < 0 else size
        out, self.ready = self.ready[:size], self.ready[size:]
        return out

    def filtered(self, chunk: bytes) -> bytes:
        text = self.pending + chunk
        cut = text.rfind(b">") + 1 or len(text)  # without a ">" (a long text) there is no tag to cut short
        text, self.pending = text[:cut], text[cut:]
        if self.verbatim or b"<![CDATA[" in text:
            self.verbatim = True
            return text
        text = EMPTY_ROWS.sub(_last_row, text)
        return EMPTY_CELLS.sub(lambda cells: cells.group(0)[cells.group(0).rfind(b"<c "):], text)


def _last_row(rows: re.Match[bytes]) -> bytes:
    text = rows.group(0)
    return b'<row r="' + LAST_ROW.match(text, text.rfind(b"<row ")).group(1) + b'"/>'


@lru_cache(maxsize=4096)
def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


@lru_cache(maxsize=4096)
def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
