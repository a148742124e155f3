"""Hostile files for the fault run and the tests: what testers sent, and variants generated from a seed.

Each file is bytes with a name and a line on what is wrong with it. Builders make one kind each; ``corpus``
gathers the named files and a few hundred mutated ones (truncated, bit-flipped, parts swapped for garbage).
"""

from __future__ import annotations

import codecs
import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import openpyxl

from importers.mapping import ColumnChoice, ImportMapping, Layout, Role

SHEET_PART = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DAY = "2026-0{month}-{day:02d}"


@dataclass
class HostileFile:
    """A file's name, what is hostile about it, and its bytes (built when first asked for: some are large)."""

    name: str
    make: Callable[[], bytes] | bytes
    about: str
    large: bool = False  # slow to build or over a few MB: left out of the quick run and the tests

    @cached_property
    def data(self) -> bytes:
        return self.make() if callable(self.make) else self.make


# --- CSV -----------------------------------------------------------------------------------------


def daily_csv(rows: int = 40, columns: tuple[str, ...] = ("Revenue", "Clicks"), separator: str = ",") -> bytes:
    """A plain, valid daily file: the seed of the mutated variants."""
    lines = [separator.join(("Date", *columns))]
    for i in range(rows):
        day = DAY.format(month=1 + i // 28 % 9, day=1 + i % 28)
        lines.append(separator.join((day, *(str(100 + 7 * i + j) for j in range(len(columns))))))
    return ("\n".join(lines) + "\n").encode()


def wide_csv(columns: int, rows: int = 5) -> bytes:
    """A table ``columns`` wide (the 10,000-column file took 100 s to read, suggest and convert)."""
    header = ",".join(["Date", *(f"Metric {i}" for i in range(columns - 1))])
    body = [",".join([DAY.format(month=1, day=1 + r % 28), *(str(r + i) for i in range(columns - 1))])
            for r in range(rows)]
    return ("\n".join([header, *body]) + "\n").encode()


def csv_files() -> list[HostileFile]:
    one_day = b"Date,Revenue\n2026-01-01,"
    return [
        HostileFile("columns_10000.csv", lambda: wide_csv(10_000), "10,000 columns (119 KB)"),
        HostileFile("columns_501.csv", lambda: wide_csv(501), "one column above the limit"),
        HostileFile("columns_500.csv", lambda: wide_csv(500, rows=400), "500 columns: read, suggested, converted"),
        HostileFile("cells_21m.csv", lambda: b"Date,Revenue\n" + b"2026-01-01,1\n" * 10_500_001,
                    "21 million cells in two columns", large=True),
        HostileFile("line_2mb.csv", lambda: b"Date,Note\n2026-01-01," + b"x" * 2 * 1024 * 1024 + b"\n",
                    "a 2 MB line", large=True),
        HostileFile("no_line_ends.csv", lambda: b"a," * 700_000, "1.4 MB without a line end", large=True),
        HostileFile("field_200kb.csv", lambda: b'Date,Revenue,Note\n2026-01-01,5,"' + b"x" * 200_000 + b'"\n',
                    "a quoted cell of 200 KB (Python's csv stops at 128 KB)"),
        HostileFile("field_200kb_plain.csv", lambda: b"Date,Revenue,Note\n2026-01-01,5," + b"x" * 200_000 + b"\n",
                    "an unquoted cell of 200 KB"),
        HostileFile("field_over_lines.csv",
                    lambda: b'Date,Note\n2026-01-01,"' + (b"y" * 1000 + b"\n") * 1500 + b'"\n',
                    "a quoted cell running over 1,500 lines, 1.5 MB", large=True),
        HostileFile("unclosed_quote.csv", lambda: b'Date,Revenue\n2026-01-01,"5\n2026-01-02,6\n',
                    "a quote never closed"),
        HostileFile("revenue_twice.csv", lambda: b"Date,Revenue,Revenue (2),revenue,Revenue\n2026-01-01,1,2,3,4\n",
                    "headers Revenue, Revenue (2), revenue and Revenue again"),
        HostileFile("revenue_numbered.csv",
                    lambda: b"Date,Revenue,Revenue,Revenue (2),Revenue (3)\n2026-01-01,1,2,3,4\n",
                    "a repeated header whose number the file already uses"),
        HostileFile("blank_headers.csv", lambda: b"Date,,Column 2,,\n2026-01-01,1,2,3,4\n",
                    "blank headers beside 'Column 2'"),
        HostileFile("huge_twice.csv", lambda: one_day + b"1.5e308\n2026-01-02,1.5e308\n",
                    "two rows of 1.5e308 (their sum is infinite)"),
        HostileFile("one_1e309.csv", lambda: one_day + b"1e309\n", "a single cell of 1e309"),
        HostileFile("inf_text.csv", lambda: one_day + b"inf\n2026-01-02,-inf\n2026-01-03,nan\n2026-01-04,Infinity\n",
                    "inf, -inf, nan and Infinity as text"),
        HostileFile("beyond_1e15.csv", lambda: one_day + b"2e15\n", "a figure beyond any real one"),
        HostileFile("crm_open_only.csv", lambda: b"Opportunity ID,Stage,Amount,Created Date,Close Date\n"
                    b"1,Prospecting,100,2026-01-05,\n2,Negotiation,200,2026-02-05,\n",
                    "a CRM export of open deals only"),
        HostileFile("crm_open_no_created.csv", lambda: b"Stage,Amount,Close Date\nProspecting,100,\nQualified,200,\n",
                    "open deals only and no created date"),
        HostileFile("nul_bytes.csv", lambda: b"Date,Rev\x00enue\n2026-01-01,5\x00\n\x00\x00\n", "NUL bytes"),
        HostileFile("double_bom.csv", lambda: codecs.BOM_UTF8 * 2 + one_day + b"5\n", "two byte-order marks"),
        HostileFile("utf16_no_bom.csv", lambda: "Date,Revenue\n2026-01-01,5\n".encode("utf-16-le"),
                    "UTF-16 without BOM"),
        HostileFile("utf16_odd.csv",
                    lambda: codecs.BOM_UTF16_LE + "Date,Revenue\n2026-01-01,5\n".encode("utf-16-le")[:-1],
                    "UTF-16 cut in the middle of a character"),
        HostileFile("bad_utf8.csv", lambda: b"Date,Umsatz \xe2\x82\nRevenue\xff\xfe\n2026-01-01,5\n", "broken UTF-8"),
        HostileFile("only_separators.csv", lambda: b",,,,\n" * 50_000, "50,000 lines of commas"),
        HostileFile("only_newlines.csv", lambda: b"\n" * 30_000_000 + b"Date,Revenue\n", "30 million empty lines",
                    large=True),
        HostileFile("only_header.csv", lambda: b"Date,Revenue\n", "a header and nothing else"),
        HostileFile("control_chars.csv", lambda: b"Date,Re\x1bvenue\r\r\n2026-01-01,\x075\r\n", "control characters"),
        HostileFile("old_mac.csv", lambda: b"Date,Revenue\r2026-01-01,5\r2026-01-02,6\r", "carriage returns only"),
        HostileFile("formula.csv", lambda: one_day + b"=1+1\n2026-01-02,@SUM(A1)\n", "spreadsheet formulas"),
    ]


# --- XLSX ----------------------------------------------------------------------------------------


def workbook(rows: list[list[object]], far_cell: str | None = None) -> bytes:
    """A real workbook written by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SMALL_BOOK_ROWS: list[list[object]] = [["Date", "Revenue"], ["2026-01-01", 5], ["2026-01-02", 6]]


def with_part(data: bytes, name: str, content: bytes | None, level: int = 6) -> bytes:
    """The workbook with one part replaced (``content``), or removed (None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        if content is not None:  # dated like the others, so the same content makes the same bytes
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED, compresslevel=level)
    return buffer.getvalue()


def sheet_xml(rows: str, dimension: str | None = "A1:B3", before: str = "") -> bytes:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{ref}{before}<sheetData>{rows}</sheetData></worksheet>'.encode()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, value: str, kind: str = "n") -> str:
    return f'<c r="{ref}" t="{kind}"><v>{value}</v></c>'


HEADER_ROW = f'<row r="1">{text_cell("A1", "Date")}{text_cell("B1", "Revenue")}</row>'


def data_rows(values: list[str], first: int = 2, kind: str = "n") -> str:
    return "".join(f'<row r="{first + i}">{text_cell(f"A{first + i}", DAY.format(month=1, day=1 + i % 28))}'
                   f'{number_cell(f"B{first + i}", v, kind)}</row>' for i, v in enumerate(values))


def sheet_book(rows: str, dimension: str | None = "A1:B3", before: str = "", level: int = 6) -> bytes:
    return with_part(workbook(SMALL_BOOK_ROWS), SHEET_PART, sheet_xml(rows, dimension, before), level)


def empty_rows(count: int, first: int = 4, styled: bool = True) -> str:
    cell = '<c r="A{n}" s="0"/>' if styled else ""
    return "".join(f'<row r="{n}" spans="1:2">{cell.format(n=n)}</row>' for n in range(first, first + count))


def lying_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s unpacked size rewritten in its local header and its directory entry."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at:at + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def bomb_part(megabytes: int) -> bytes:
    """Rows of nothing that compress about a thousand times."""
    return sheet_xml(HEADER_ROW + "<row/>" * (megabytes * 1024 * 1024 // 6), dimension=None)


def many_parts(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for i in range(count):
            target.writestr(f"junk/{i}.xml", b"")
    return buffer.getvalue()


def billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{MAIN}"><sheetData>'
            f'{HEADER_ROW}<row r="2">{text_cell("A2", "&a9;")}</row></sheetData></worksheet>').encode()


def small_book() -> bytes:
    return workbook(SMALL_BOOK_ROWS)


def far_book(dimension: bytes | None = None) -> bytes:
    """A workbook with a cell at XFD1048576; ``dimension`` replaces the size it declares (b"": none)."""
    far = workbook(SMALL_BOOK_ROWS, far_cell="XFD1048576")
    if dimension is None:
        return far
    xml = zipfile.ZipFile(io.BytesIO(far)).read(SHEET_PART)
    return with_part(far, SHEET_PART, xml.replace(b'<dimension ref="A1:XFD1048576"/>', dimension))


def one_row(cells: str, dimension: str | None = "A1:B3") -> bytes:
    """The small workbook with a second row of ``cells`` (cell XML)."""
    return sheet_book(HEADER_ROW + f'<row r="2">{cells}</row>', dimension=dimension)


def values(*numbers: str, kind: str = "n") -> bytes:
    return sheet_book(HEADER_ROW + data_rows(list(numbers), kind=kind))


def broken(part: str, content: bytes | None) -> Callable[[], bytes]:
    return lambda: with_part(small_book(), part, content)


def xlsx_files() -> list[HostileFile]:
    two = HEADER_ROW + data_rows(["5", "6"])
    deep = "<x>" * 100_000 + "</x>" * 100_000
    return [
        HostileFile("far_cell.xlsx", far_book, "one cell at XFD1048576 (1.5 KB; read to 7.5 GB before)"),
        HostileFile("far_cell_undeclared.xlsx", lambda: far_book(b""), "the same cell, no declared size"),
        HostileFile("far_cell_lying.xlsx", lambda: far_book(b'<dimension ref="A1:B3"/>'),
                    "the same cell, a declared size of A1:B3"),
        HostileFile("empty_rows_2m.xlsx", lambda: sheet_book(two + empty_rows(2_000_000), None, level=9),
                    "2 million empty rows (5 MB; over 120 s before)", large=True),
        HostileFile("empty_rows_within.xlsx", lambda: sheet_book(
            two + empty_rows(600_000) + data_rows(["7"], first=600_004), None, level=9),
            "600,000 empty rows between data rows", large=True),
        HostileFile("rows_beyond_limit.xlsx", lambda: sheet_book(HEADER_ROW + data_rows(["5"], first=1_000_001), None),
                    "a value on row 1,000,001"),
        HostileFile("columns_501.xlsx", lambda: one_row(number_cell("SG2", "1"), None), "a value in column 501"),
        HostileFile("declares_huge.xlsx", lambda: sheet_book(two, dimension="A1:ZZ999999"),
                    "declares 999,999 rows × 702 columns"),
        HostileFile("zip_bomb_ratio.xlsx", lambda: with_part(small_book(), SHEET_PART, bomb_part(60), level=9),
                    "a 60 MB sheet packed a thousand times smaller", large=True),
        HostileFile("zip_bomb_declared.xlsx", lambda: lying_size(small_book(), SHEET_PART, 4_000_000_000),
                    "a part that says it unpacks to 4 GB"),
        HostileFile("zip_lying_small.xlsx", lambda: lying_size(with_part(small_book(), SHEET_PART, sheet_xml(
            HEADER_ROW + data_rows([str(i) for i in range(2000)]))), SHEET_PART, 200), "a part that says 200 bytes"),
        HostileFile("zip_many_parts.xlsx", lambda: many_parts(20_000), "20,000 parts", large=True),
        HostileFile("truncated.xlsx", lambda: far_book()[:2500], "cut in half"),
        HostileFile("not_a_zip.xlsx", lambda: b"PK\x03\x04" + bytes(range(256)) * 20, "zip magic, then noise"),
        HostileFile("broken_sheet_xml.xlsx", broken(SHEET_PART, b"<worksheet><sheetData><row><c>"),
                    "the sheet's XML stops halfway"),
        HostileFile("broken_workbook_xml.xlsx", broken("xl/workbook.xml", b"<workbook><sheets"),
                    "the workbook part is not XML"),
        HostileFile("broken_styles.xlsx", broken("xl/styles.xml", b"\xff\xfe<styleSheet"), "broken styles"),
        HostileFile("no_sheet_part.xlsx", broken(SHEET_PART, None), "its sheet part is missing"),
        HostileFile("no_content_types.xlsx", broken("[Content_Types].xml", None), "no content types"),
        HostileFile("billion_laughs.xlsx", lambda: with_part(small_book(), SHEET_PART, billion_laughs()),
                    "XML entity expansion"),
        HostileFile("deep_nesting.xlsx", lambda: one_row(f'<c r="A2">{deep}</c>'), "100,000 nested elements"),
        HostileFile("cell_5mb.xlsx", lambda: one_row(text_cell("A2", "x" * 5_000_000)), "a cell of 5 MB of text",
                    large=True),
        HostileFile("shared_string_missing.xlsx", lambda: one_row('<c r="A2" t="s"><v>99</v></c>'
                                                                  '<c r="B2" t="s"><v>-1</v></c>'),
                    "cells pointing at shared texts that do not exist"),
        HostileFile("rows_backwards.xlsx",
                    lambda: sheet_book(HEADER_ROW + data_rows(["5"], first=3) + data_rows(["6"])),
                    "row 3 before row 2"),
        HostileFile("bad_reference.xlsx", lambda: one_row('<c r="ZZZZ2"><v>1</v></c>'), "a reference beyond columns"),
        HostileFile("xlsx_numbers.xlsx", lambda: values("nan", "inf", "-1e309", "1e309", "NaN", "1.5e308", "1.5e308",
                                                        "0x1F", "9" * 400), "numbers Excel never writes"),
        HostileFile("xlsx_bad_bool.xlsx", lambda: values("maybe", kind="b"), "a boolean 'maybe'"),
        HostileFile("xlsx_bad_date.xlsx", lambda: values("2026-13-45T99:00", kind="d"), "an ISO date that is none"),
        HostileFile("xlsx_collisions.xlsx", lambda: workbook([["Date", "Revenue", "Revenue (2)", "revenue", "Revenue"],
                                                              ["2026-01-01", 1, 2, 3, 4]]), "header collisions"),
    ]


# --- Variants ------------------------------------------------------------------------------------


def mutations(rng: random.Random) -> list[Callable[[bytes], bytes]]:
    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)

    def cut(data: bytes) -> bytes:
        return data[:rng.randrange(1, len(data))]

    def splice(data: bytes) -> bytes:
        at = rng.randrange(len(data))
        return data[:at] + rng.choice([b"\x00", b'"', b"\r", b"\xef\xbb\xbf", b",,,,", b"1e309", b"\n\n\n",
                                       b"\xff\xfe", b"<", b"&a;", b"PK\x03\x04"]) * rng.randint(1, 50) + data[at:]

    def noise(data: bytes) -> bytes:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))

    return [flip, cut, splice, noise]


def variants(count: int, seed: int = 5) -> list[HostileFile]:
    """``count`` mutated copies of valid CSV and Excel files, and of Excel files with one part mutated."""
    rng = random.Random(seed)
    seeds = [("daily.csv", daily_csv()), ("semicolon.csv", daily_csv(separator=";")),
             ("book.xlsx", workbook([["Date", "Revenue", "Clicks"],
                                     *[[DAY.format(month=1, day=1 + i), 100 + i, 7 * i] for i in range(20)]]))]
    change = mutations(rng)
    files = []
    for index in range(count):
        name, data = seeds[index % len(seeds)]
        mutate = rng.choice(change)
        if name.endswith(".xlsx") and rng.random() < 0.5:
            files.append(HostileFile(f"{index:03d}_part_{name}", mutated_part(data, mutate, rng),
                                     f"{mutate.__name__} of one part"))
            continue
        files.append(HostileFile(f"{index:03d}_{mutate.__name__}_{name}", mutate(data), mutate.__name__))
    return files


def mutated_part(data: bytes, mutate: Callable[[bytes], bytes], rng: random.Random) -> bytes:
    """The workbook, re-zipped, with one of its parts mutated (so the zip is fine and the XML is not)."""
    parts = zipfile.ZipFile(io.BytesIO(data)).namelist()
    name = rng.choice(parts)
    return with_part(data, name, mutate(zipfile.ZipFile(io.BytesIO(data)).read(name)))


def corpus(quick: bool = False, seed: int = 5) -> list[HostileFile]:
    """The named hostile files and generated variants (fewer, and no large files, with ``quick``)."""
    named = [f for f in [*csv_files(), *xlsx_files()] if not (quick and f.large)]
    return [*named, *variants(40 if quick else 300, seed)]


FORCED_METRICS = ("revenue", "marketing_spend", "impressions", "clicks", "sessions", "mqls", "new_bookings",
                  "pipeline_created", "engagements", "sqls")


def forced_mapping(columns: list[str]) -> ImportMapping:
    """Every column taken for a figure (the first for the date), whatever the suggestion thinks of it: so the
    cell checks meet every hostile value, not only those in columns that look like figures."""
    choices = {columns[0]: ColumnChoice(role=Role.DATE)} if columns else {}
    for position, column in enumerate(columns[1:]):
        if position < len(FORCED_METRICS):
            choices[column] = ColumnChoice(role=Role.METRIC, metric=FORCED_METRICS[position])
        else:  # more columns than metrics: channels of one metric
            choices[column] = ColumnChoice(role=Role.METRIC, metric="content_published", segment=f"part {position}")
    return ImportMapping(layout=Layout.WIDE, columns=choices, source_name="forced")
