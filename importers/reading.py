"""Files to tables: encoding and separator sniffing, the header row, blank rows and trailing totals rows.

Every row keeps its line number in the original file so a problem can say exactly where it is.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from metrics.validation import ImportRejected, Problem

SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_BYTES = 256 * 1024
SNIFF_LINES = 60
HEADER_SEARCH_ROWS = 30
DICTIONARY_LIMIT = 65_536  # text columns with fewer distinct values per block arrive as categories
TOTALS = re.compile(r"^\s*(grand\s+total|totals?|sum|summe|gesamt\w*|totaal|totale|totaux|suma)\b", re.IGNORECASE)
EXCEL_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


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

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

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


def refuse(file_name: str, reason: str) -> ImportRejected:
    return ImportRejected([Problem(file=file_name, reason=reason)])


def check_size(file_name: str, size: int, max_mb: int) -> None:
    """Refuse files above the configured limit before reading them."""
    if size > max_mb * 1024 * 1024:
        raise refuse(file_name, f"the file is {size / 1024 / 1024:,.1f} MB; imports accept files up to {max_mb} MB "
                                "(setting ALIGNBOARD_MAX_UPLOAD_MB)")


def read_file(file_name: str, data: bytes, max_mb: int = 200, sheet: str | None = None,
              decimal: str | None = None) -> SourceTable:
    """Read a CSV or Excel file's bytes into a table; raises ImportRejected when it cannot be read at all.

    ``decimal`` ("." or ",") overrides the decimal mark guessed from a CSV's separator.
    """
    check_size(file_name, len(data), max_mb)
    if not data or data.isspace():
        raise refuse(file_name, "the file is empty")
    if data.startswith(OLD_EXCEL_MAGIC):
        raise refuse(file_name, "this is an old Excel (.xls) file: save it as .xlsx or CSV and import that")
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: digest while parsing
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        if data.startswith(EXCEL_MAGIC):
            table = read_excel(file_name, data, sheet)
        else:
            table = read_csv(file_name, data, decimal if decimal in (".", ",") else None)
        table.digest = digest.result()
    return finish(table)


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
        return "UTF-8 with BOM", data[len(codecs.BOM_UTF8):]
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


# --- CSV -----------------------------------------------------------------------------------------


def read_csv(file_name: str, data: bytes, decimal: str | None = None) -> SourceTable:
    """A CSV (or tab-separated) file; ``decimal`` overrides the decimal mark its separator suggests."""
    encoding, text = decode(data)
    if b"\x00" in text:
        text = text.replace(b"\x00", b"")  # NUL bytes only come from broken or hostile files
    lines = sample_lines(text)
    separator = sniff_separator(lines)
    header_index = header_line(lines, separator)
    header = unique_headers(next(csv.reader([lines[header_index]], delimiter=separator), []))
    decimal = decimal or ("," if separator == ";" else ".")
    frame, rows, problems = fast_csv(text, separator, header_index, len(header), decimal)
    if frame is None:
        frame, rows, problems = exact_csv(file_name, text, separator, header_index, len(header))
    frame.columns = header
    return SourceTable(file_name=file_name, frame=frame, rows=rows, kind="csv", encoding=encoding,
                       separator=separator, header_row=header_index + 1, decimal_hint=decimal, problems=problems)


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
    """Blank headers get a position name, repeated ones a number, so every column can be told apart."""
    seen: dict[str, int] = {}
    result = []
    for position, raw in enumerate(names, start=1):
        name = str(raw).replace("\ufeff", "").strip() if raw is not None else ""
        name = name or f"Column {position}"
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


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
                                                  invalid_row_handler=lambda row, found=invalid: found.append(row)
                                                  or "skip"),
                convert_options=pa_csv.ConvertOptions(
                    column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=True,
                    decimal_point=decimal, auto_dict_encode=True, auto_dict_max_cardinality=DICTIONARY_LIMIT),
            )
        except (pa.ArrowException, ValueError, OverflowError):
            continue  # a column typed from the first block failed later on: read everything as text
        if invalid or not _one_line_per_row(text, header_index, table.num_rows):
            break
        rows = np.arange(table.num_rows, dtype=np.int64) + header_index + 2
        return table.to_pandas(date_as_object=False), rows, []
    return None, np.empty(0, dtype=np.int64), []


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
        raise refuse(file_name, f"not a readable CSV file near line {previous_line + 1}: {error}") from error
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="str")
    return frame, np.asarray(rows, dtype=np.int64), problems


# --- Excel ---------------------------------------------------------------------------------------


def read_excel(file_name: str, data: bytes, sheet: str | None = None) -> SourceTable:
    """The chosen sheet (or the first with data) of an .xlsx workbook, cell values as Excel stores them."""
    import openpyxl  # imported here: only Excel files need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise refuse(file_name, "not a readable Excel (.xlsx) file") from error
    try:
        worksheet = pick_sheet(file_name, workbook, sheet)
        rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
        sheets = list(workbook.sheetnames)
    except ImportRejected:
        raise
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as error:
        raise refuse(file_name, "the Excel file is damaged and cannot be read") from error
    finally:
        workbook.close()
    table = excel_table(file_name, worksheet.title, rows)
    table.sheets = sheets
    return table


def pick_sheet(file_name: str, workbook, sheet: str | None):  # noqa: ANN001, ANN201 - openpyxl objects
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            raise refuse(file_name, f"there is no sheet called '{sheet}' (sheets: {', '.join(workbook.sheetnames)})")
        return workbook[sheet]
    for worksheet in workbook.worksheets:
        if worksheet.max_row and worksheet.max_row > 1:
            return worksheet
    return workbook.worksheets[0]


def excel_table(file_name: str, sheet: str, rows: list[list]) -> SourceTable:
    cleaned = [[None if isinstance(c, str) and not c.strip() else c for c in r] for r in rows]
    if not any(any(c is not None for c in r) for r in cleaned):
        raise refuse(file_name, f"the sheet '{sheet}' is empty")
    start = header_index(cleaned[:HEADER_SEARCH_ROWS])
    width = max(len(r) for r in cleaned)
    while width > 1 and all(len(r) < width or r[width - 1] is None for r in cleaned):
        width -= 1
    header = unique_headers((cleaned[start] + [None] * width)[:width])
    body = [(r + [None] * width)[:width] for r in cleaned[start + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
    rows_numbers = np.arange(len(body), dtype=np.int64) + start + 2
    return SourceTable(file_name=file_name, frame=frame, rows=rows_numbers, kind="xlsx", sheet=sheet,
                       header_row=start + 1)


# --- Blank rows and totals ----------------------------------------------------------------------


def finish(table: SourceTable) -> SourceTable:
    """Drop blank rows and the totals rows at the bottom, saying what was skipped."""
    frame = table.frame
    if frame.shape[1] == 0:
        raise refuse(table.file_name, "no columns found: is this a table?")
    blank = frame.isna().all(axis=1).to_numpy()
    totals = trailing_totals(frame, blank)
    keep = ~(blank | totals)
    if blank.any():
        table.notes.append(f"Skipped {int(blank.sum()):,} blank row(s).")
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
