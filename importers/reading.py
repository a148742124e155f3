"""Files to tables: encoding and separator sniffing, the header row, blank rows and trailing totals rows.

Every row keeps its line number in the original file so a problem can say exactly where it is.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from importers.limits import MB, ReadLimits, setting_note, size_text
from importers.problems import ReadFailure, refuse
from importers.workbook import SheetRows, check_archive, open_workbook, sheet_rows
from metrics.validation import ImportRejected, Problem

log = logging.getLogger(__name__)
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_BYTES = 256 * 1024
SNIFF_LINES = 60
HEADER_SEARCH_ROWS = 30
DICTIONARY_LIMIT = 65_536  # text columns with fewer distinct values per block arrive as categories
TOTALS = re.compile(r"^\s*(grand\s+total|totals?|sum|summe|gesamt\w*|totaal|totale|totaux|suma)\b", re.IGNORECASE)
EXCEL_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
HEADER_LENGTH = 255  # longer header cells are cut: a name is for telling columns apart, not for holding data
SCAN_BYTES = MB  # line lengths are measured this much at a time (its line ends take 8 bytes each)


@dataclass
class SourceTable:
    """A table read from a file or a query, with where each row came from and how it was read."""

    file_name: str
    frame: pd.DataFrame
    rows: np.ndarray  # line (or sheet row) number of each frame row in the original file
    kind: str = "csv"  # csv | xlsx | sql
    encoding: str = ""
    separator: str = ""
    sheet: str = ""
    header_row: int = 1
    decimal_hint: str = "."  # "," when the file looks European (semicolon-separated)
    digest: str = ""  # SHA-256 of the file's bytes, kept in the import history
    sheets: list[str] = field(default_factory=list)  # an Excel workbook's sheet names
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blank_rows: int = 0  # empty sheet rows between the data rows, never read into ``frame``

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns.tolist()]  # tolist: iterating an Arrow-backed index is slow

    def samples(self, column: str, count: int = 3) -> list[str]:
        """A few non-blank values of a column, as text, to show beside the mapping."""
        values = self.frame[column].dropna().astype(str)
        return [v for v in values.head(50).unique().tolist() if v.strip()][:count]

    def describe(self) -> str:
        """How the file was read, in a sentence ("CSV, UTF-8 with BOM, semicolon-separated, header on row 3")."""
        parts = [self.kind.upper()]
        if self.encoding:
            parts.append(self.encoding)
        if self.separator:
            parts.append(f"{SEPARATORS.get(self.separator, repr(self.separator))}-separated")
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        parts.append(f"header on row {self.header_row}")
        return ", ".join(parts)


def check_size(file_name: str, size: int, max_mb: int) -> None:
    """Refuse files above the configured limit before reading them."""
    if size > max_mb * 1024 * 1024:
        raise refuse(file_name, f"the file is {size / 1024 / 1024:,.1f} MB; imports accept files up to {max_mb} MB "
                                "(setting ALIGNBOARD_MAX_UPLOAD_MB)")


def read_file(file_name: str, data: bytes, max_mb: int = 200, sheet: str | None = None,
              decimal: str | None = None, limits: ReadLimits | None = None) -> SourceTable:
    """Read a CSV or Excel file's bytes into a table; raises ImportRejected when it cannot be read at all.

    ``decimal`` ("." or ",") overrides the decimal mark guessed from a CSV's separator. ``limits`` bound what
    is read (the ALIGNBOARD_MAX_* settings by default); a file beyond one is refused before it is built.
    """
    check_size(file_name, len(data), max_mb)
    if not data or data.isspace():
        raise refuse(file_name, "the file is empty")
    if data.startswith(OLD_EXCEL_MAGIC):
        raise refuse(file_name, "this is an old Excel (.xls) file: save it as .xlsx or CSV and import that")
    limits = limits or ReadLimits.configured()
    try:
        return finish(read_bytes(file_name, data, sheet, decimal if decimal in (".", ",") else None, limits))
    except ImportRejected:
        raise
    except Exception as error:  # noqa: BLE001 - ours, not the file's: logged in full, told plainly
        log.exception("reading %s failed", file_name)
        raise ReadFailure(file_name) from error


def read_bytes(file_name: str, data: bytes, sheet: str | None, decimal: str | None,
               limits: ReadLimits) -> SourceTable:
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: digest while parsing
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        if data.startswith(EXCEL_MAGIC):
            table = read_excel(file_name, data, sheet, limits)
        else:
            table = read_csv(file_name, data, decimal, limits)
        table.digest = digest.result()
    return table


def table_from_frame(name: str, frame: pd.DataFrame, kind: str = "sql") -> SourceTable:
    """A table from a query result: row 1 is the first result row."""
    frame = frame.reset_index(drop=True)
    frame.columns = unique_headers([str(c) for c in frame.columns])
    return finish(SourceTable(file_name=name, frame=frame, rows=np.arange(1, len(frame) + 1), kind=kind,
                              header_row=0))


# --- Encodings -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, bytes]:
    """The encoding's name and the bytes as UTF-8 without a byte-order mark."""
    if data.startswith(codecs.BOM_UTF8):
        return "UTF-8 with BOM", valid_utf8(data[len(codecs.BOM_UTF8):])
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return "UTF-16", data.decode(codec, errors="replace").encode("utf-8")
    try:
        if not data.isascii():
            data.decode("utf-8")
        return "UTF-8", data
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return "Windows-1252 (Latin-1)", data.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            pass
    return "Latin-1", data.decode("latin-1").encode("utf-8")


def valid_utf8(data: bytes) -> bytes:
    """UTF-8 as it is, or with its broken sequences (a file cut in the middle of a character) replaced."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").encode("utf-8")
    return data


# --- CSV -----------------------------------------------------------------------------------------


def read_csv(file_name: str, data: bytes, decimal: str | None = None,
             limits: ReadLimits | None = None) -> SourceTable:
    """A CSV (or tab-separated) file; ``decimal`` overrides the decimal mark its separator suggests."""
    limits = limits or ReadLimits()
    encoding, text = decode(data)
    if b"\x00" in text:
        text = text.replace(b"\x00", b"")  # NUL bytes only come from broken or hostile files
    check_line_lengths(file_name, text, limits)
    separator, header_index, header = csv_header(file_name, text, limits)
    lines_below = text.count(b"\n") + (not text.endswith(b"\n")) - header_index - 1  # rows, unless quoted
    check_csv_size(file_name, len(header), lines_below, limits, "about ")
    decimal = decimal or ("," if separator == ";" else ".")
    frame, rows, problems = fast_csv(text, separator, header_index, len(header), decimal)
    if frame is None:
        frame, rows, problems = exact_csv(file_name, text, separator, header_index, len(header))
    check_csv_size(file_name, len(header), len(frame), limits)
    frame.columns = header
    return SourceTable(file_name=file_name, frame=frame, rows=rows, kind="csv", encoding=encoding,
                       separator=separator, header_row=header_index + 1, decimal_hint=decimal, problems=problems)


def csv_header(file_name: str, text: bytes, limits: ReadLimits) -> tuple[str, int, list[str]]:
    """The separator, the header's index among the first lines, and its column names."""
    allow_fields_of(limits.line_bytes)
    lines = sample_lines(text)
    try:
        separator = sniff_separator(lines)
        header_index = header_line(lines, separator)
        record = next(csv.reader([lines[header_index]], delimiter=separator), [])
    except csv.Error as error:
        raise refuse(file_name, f"not a readable CSV file in its first lines: {error}") from error
    if not any(cell.strip() for cell in record):
        raise refuse(file_name, f"no columns found in the first {len(lines):,} lines: is this a table?")
    return separator, header_index, unique_headers(record)


def check_line_lengths(file_name: str, text: bytes, limits: ReadLimits) -> None:
    """Refuse a file with a line longer than the limit, before it is parsed (a CSV line is a row)."""
    start = first_long_line(text, limits.line_bytes)
    if start is None:
        return
    end = next((i for i in (text.find(b"\n", start), text.find(b"\r", start)) if i >= 0), len(text))
    line = text.count(b"\n", 0, start) + 1
    raise refuse(file_name, f"line {line:,} is {size_text(end - start)} long; imports read lines of at most "
                            f"{size_text(limits.line_bytes)} {setting_note('line_bytes')}. Is this a CSV file?")


def first_long_line(text: bytes, most: int) -> int | None:
    """Where the first line longer than ``most`` bytes starts (line ends: \\n, \\r or both), None if none is."""
    if len(text) <= most:
        return None
    codes = np.frombuffer(text, dtype=np.uint8)
    previous = -1  # position of the last line end seen
    for start in range(0, len(codes), SCAN_BYTES):
        chunk = codes[start:start + SCAN_BYTES]
        ends = np.flatnonzero((chunk == 10) | (chunk == 13)) + start
        if ends.size:
            gaps = np.diff(ends, prepend=previous) - 1
            long = np.flatnonzero(gaps > most)
            if long.size:
                return int(ends[long[0]] - gaps[long[0]])
            previous = int(ends[-1])
    return previous + 1 if len(codes) - previous - 1 > most else None


def allow_fields_of(size: int) -> None:
    """Python's csv module stops at cells of 128 KB: a cell may be as long as a line may be."""
    if csv.field_size_limit() < size:
        csv.field_size_limit(size)


def check_csv_size(file_name: str, width: int, rows: int, limits: ReadLimits, about: str = "") -> None:
    """Refuse a table wider, or with more cells, than the limits; ``about`` when ``rows`` counts lines."""
    if width > limits.columns:
        raise refuse(file_name, f"the header has {width:,} columns; imports read at most {limits.columns:,} "
                                f"{setting_note('columns')}")
    if max(rows, 0) * width > limits.cells:
        raise refuse(file_name, f"the file has {about}{rows:,} rows of {width:,} columns, {about}{rows * width:,} "
                                f"cells; imports read at most {limits.cells:,} {setting_note('cells')}")


def sample_lines(text: bytes) -> list[str]:
    sample = text[:SNIFF_BYTES].decode("utf-8", errors="replace")
    lines = sample.splitlines()
    if len(text) > SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut in half
    return lines[:SNIFF_LINES] or [""]


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the sample into the most columns, the same number on most lines."""
    best, best_score = ",", (0, 0)
    for separator in SEPARATORS:
        counts = [len(r) for r in csv.reader(lines, delimiter=separator) if any(c.strip() for c in r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = separator, score
    return best


def header_line(lines: list[str], separator: str) -> int:
    """Index of the header among the first lines: report titles and date ranges above it are skipped."""
    rows = list(csv.reader(lines[:HEADER_SEARCH_ROWS], delimiter=separator))
    return header_index([[c if c.strip() else None for c in r] for r in rows])


def header_index(rows: list[list]) -> int:
    filled = [sum(c is not None and str(c).strip() != "" for c in r) for r in rows]
    widest = max(filled, default=0)
    for index, count in enumerate(filled):
        if count >= max(2, 0.6 * widest):
            return index
    return next((i for i, count in enumerate(filled) if count), 0)


def unique_headers(names: list) -> list[str]:
    """Blank headers get a position name, repeated ones a number, so every column can be told apart.

    A number never takes a name the file itself uses: Revenue, Revenue, Revenue (2) becomes Revenue,
    Revenue (3), Revenue (2).
    """
    wanted = [header_name(raw) or f"Column {position}" for position, raw in enumerate(names, start=1)]
    taken = set(wanted)
    result: list[str] = []
    first: set[str] = set()
    for name in wanted:
        if name not in first:
            first.add(name)
            result.append(name)
            continue
        number = 2
        while f"{name} ({number})" in taken:
            number += 1
        taken.add(f"{name} ({number})")
        result.append(f"{name} ({number})")
    return result


def header_name(raw: object) -> str:
    name = str(raw).replace("\ufeff", "").strip() if raw is not None else ""
    return name if len(name) <= HEADER_LENGTH else name[:HEADER_LENGTH - 1].rstrip() + "…"


def fast_csv(text: bytes, separator: str, header_index: int, width: int,
             decimal: str) -> tuple[pd.DataFrame | None, np.ndarray, list[Problem]]:
    """Arrow's multi-threaded reader; gives up (None) unless every row maps to exactly one line.

    Clean numeric and ISO date columns come out typed; a column Arrow cannot type in full (text in it,
    "$1,234") comes out as text for the cell-by-cell parsers, by a second read with every column as text.
    """
    names = [f"c{i}" for i in range(width)]
    for column_types in ({}, {name: pa.large_string() for name in names}):
        invalid: list[object] = []
        try:
            table = pa_csv.read_csv(
                pa.BufferReader(text),
                read_options=pa_csv.ReadOptions(skip_rows=header_index + 1, column_names=names),
                parse_options=pa_csv.ParseOptions(delimiter=separator, ignore_empty_lines=False,
                                                  invalid_row_handler=lambda row, found=invalid: _first(found, row)),
                convert_options=pa_csv.ConvertOptions(
                    column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=True,
                    decimal_point=decimal, auto_dict_encode=True, auto_dict_max_cardinality=DICTIONARY_LIMIT),
            )
        except (pa.ArrowException, ValueError, OverflowError):
            continue  # a column typed from the first block failed later on: read everything as text
        if invalid or not _one_line_per_row(text, header_index, table.num_rows):
            break
        if not column_types and _has_infinity(table):
            continue  # "1e309" read as infinity: as text, the problem can quote the cell as it is written
        rows = np.arange(table.num_rows, dtype=np.int64) + header_index + 2
        return table.to_pandas(date_as_object=False), rows, []
    return None, np.empty(0, dtype=np.int64), []


def _has_infinity(table: pa.Table) -> bool:
    return any(pa.types.is_floating(column.type) and bool(pc.any(pc.is_inf(column)).as_py())
               for column in table.columns)


def _first(found: list[object], row: object) -> str:
    """Keep the first ragged row only: one is enough to hand the file to the exact reader."""
    if not found:
        found.append(row)
    return "skip"


def _one_line_per_row(text: bytes, header_index: int, row_count: int) -> bool:
    """False when quoted line breaks (or old Mac line ends) make line numbers differ from row numbers."""
    if b'"' not in text and b"\r" not in text:
        return True  # without quotes or carriage returns every line is exactly one row
    return text.count(b"\n") + (0 if text.endswith(b"\n") else 1) == header_index + 1 + row_count


def exact_csv(file_name: str, text: bytes, separator: str, header_index: int,
              width: int) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """Python's csv module, line by line: exact line numbers for quoted line breaks and ragged rows."""
    reader = csv.reader(io.StringIO(text.decode("utf-8", errors="replace"), newline=""), delimiter=separator)
    records: list[list[str | None]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    previous_line = 0
    try:
        for record in reader:
            start, previous_line = previous_line + 1, reader.line_num
            if reader.line_num <= header_index + 1:
                continue  # title lines and the header itself
            cells = [c if c.strip() else None for c in record]
            if len(cells) > width and any(cells[width:]):
                problems.append(Problem(file=file_name, row=start, reason=(
                    f"the row has {len(record)} cells but the header has {width}")))
                continue
            records.append((cells + [None] * width)[:width])
            rows.append(start)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise refuse(file_name, f"a cell that starts near line {previous_line + 1:,} runs longer than "
                                    f"{size_text(csv.field_size_limit())}: is a quote (\") never closed? "
                                    f"{setting_note('line_bytes')}") from error
        raise refuse(file_name, f"not a readable CSV file near line {previous_line + 1}: {error}") from error
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")
    return frame, np.asarray(rows, dtype=np.int64), problems


# --- Excel ---------------------------------------------------------------------------------------


def read_excel(file_name: str, data: bytes, sheet: str | None = None,
               limits: ReadLimits | None = None) -> SourceTable:
    """The chosen sheet (or the first with data) of an .xlsx workbook, cell values as Excel stores them."""
    limits = limits or ReadLimits()
    check_archive(file_name, data, limits)
    workbook = open_workbook(file_name, data, limits)
    try:
        rows = sheet_rows(file_name, workbook, sheet, limits)
    finally:
        workbook.archive.close()
    table = excel_table(file_name, rows)
    table.sheets = list(workbook.sheets)
    return table


def excel_table(file_name: str, sheet: SheetRows) -> SourceTable:
    """The header found among the sheet's first rows, the rows below it as the table (sheet row numbers kept)."""
    values = sheet.values
    if not values:
        raise refuse(file_name, f"the sheet '{sheet.title}' is empty")
    start = header_index(values[:HEADER_SEARCH_ROWS])
    header = unique_headers(values[start])
    body = values[start + 1:]
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
    numbers = np.asarray(sheet.numbers[start + 1:], dtype=np.int64)
    blank = int(numbers[-1] - sheet.numbers[start]) - len(body) if body else 0
    return SourceTable(file_name=file_name, frame=frame, rows=numbers, kind="xlsx", sheet=sheet.title,
                       header_row=sheet.numbers[start], blank_rows=blank)


# --- Blank rows and totals ----------------------------------------------------------------------


def finish(table: SourceTable) -> SourceTable:
    """Drop blank rows and the totals rows at the bottom, saying what was skipped."""
    frame = table.frame
    if frame.shape[1] == 0:
        raise refuse(table.file_name, "no columns found: is this a table?")
    blank = frame.isna().all(axis=1).to_numpy()
    totals = trailing_totals(frame, blank)
    keep = ~(blank | totals)
    if blank.any() or table.blank_rows:
        table.notes.append(f"Skipped {int(blank.sum()) + table.blank_rows:,} blank row(s).")
    if totals.any():
        lines = ", ".join(str(r) for r in table.rows[totals][:5])
        table.notes.append(f"Skipped the totals row(s) at the end (row {lines}).")
    if not keep.all():
        table.frame = frame.loc[keep].reset_index(drop=True)
        table.rows = table.rows[keep]
    return table


def trailing_totals(frame: pd.DataFrame, blank: np.ndarray) -> np.ndarray:
    """Rows at the bottom (below the last data row) whose first filled cell says Total, Sum, Gesamt…"""
    totals = np.zeros(len(frame), dtype=bool)
    for position in range(len(frame) - 1, max(len(frame) - 20, 0) - 1, -1):
        if blank[position]:
            continue
        first = next((v for v in frame.iloc[position].tolist() if v is not None and not pd.isna(v)), None)
        if not (isinstance(first, str) and TOTALS.match(first)):
            break
        totals[position] = True
    return totals
