"""Malformed and hostile files: never an unhandled exception, never a partial write (property-based)."""

from __future__ import annotations

import datetime as dt
import io
import string

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from db.engine import engine_for, session_scope
from db.imports import import_table
from db.models import ImportBatch, Observation
from db.workspaces import WorkspaceIn, create_workspace
from importers.convert import convert
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG
from metrics.validation import ImportRejected

TODAY = dt.date(2026, 11, 24)
PROPERTIES = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow],
                      print_blob=True)

HEADERS = ["Date", "Day", "Month", "Week", "Revenue", "Cost (USD)", "Impr.", "Clicks", "Channel", "Campaign",
           "Stage", "Amount", "Close Date", "Created Date", "Lead Source", "metric", "value", "unit", "segment",
           "NPS", "NPS responses", "", "Total", "=cmd|' /C calc'!A0", "Ümsätz €", "a,b", 'q"uote']
NASTY = ["", " ", "0", "-1", "1e400", "NaN", "inf", "-inf", "1,234.5", "1.234,5", "$12", "€12", "12%", "(5)",
         "2026-01-01", "2026-13-45", "01/02/2026", "46082", "2026-W10", "Mar 2026", "9999-12-31", "0001-01-01",
         "Total", "Closed Won", "Closed Lost", "Web", "\x00", "\u202e", "😀", "a" * 300, "=1+1", '"', "\r", "\t",
         "Revenue", "kittens", "%", "USD", "--", "n/a", "1" * 40]
CELL = st.one_of(st.sampled_from(NASTY), st.text(max_size=12),
                 st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True).map(str))


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, int]:
    """One SQLite database with one workspace for all examples (a fresh one per example would be slow)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'alignboard.db'}"
    engine = engine_for(url)
    with session_scope(engine) as session:
        return engine, create_workspace(session, WorkspaceIn(name="Hostile Co", currency="USD")).id


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.count()).select_from(ImportBatch)),
                session.scalar(select(func.count()).select_from(Observation)))


def import_or_reject(engine: Engine, workspace_id: int, name: str, data: bytes) -> None:
    """The whole path; the only outcomes allowed are 'imported once' and 'nothing written'."""
    before = counts(engine)
    try:
        table = read_file(name, data, max_mb=5)
    except ImportRejected as rejected:
        assert rejected.problems and all(p.reason for p in rejected.problems)
        assert counts(engine) == before
        return
    outcome = import_table(engine, workspace_id, table, suggest(table, STANDARD_CATALOG), created_by="prop",
                           today=TODAY)
    after = counts(engine)
    if outcome.accepted:
        assert after[0] == before[0] + 1 and after[1] > 0
    else:
        assert outcome.problems and after == before


@PROPERTIES
@given(data=st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    try:
        table = read_file("blob.csv", data)
    except ImportRejected:
        return
    mapping = suggest(table, STANDARD_CATALOG)
    convert(table, mapping, STANDARD_CATALOG, "USD", TODAY)


@st.composite
def hostile_csv(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(1, 7))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=width + 1), max_size=25))
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        if quote:
            return separator.join('"' + c.replace('"', '""') + '"' for c in cells)
        return separator.join(cells)

    text = "\n".join([line(header), *[line(r) for r in rows]]) + draw(st.sampled_from(["", "\n", "\n\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@PROPERTIES
@given(data=hostile_csv())
def test_hostile_csv_files_import_whole_or_not_at_all(target: tuple[Engine, int], data: bytes) -> None:
    import_or_reject(*target, "hostile.csv", data)


@st.composite
def plausible_csv(draw: st.DrawFn) -> bytes:
    """Mostly right, with a few wrong cells: the files people actually send."""
    days = draw(st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)), min_size=1, max_size=30))
    good = st.integers(0, 10**6).map(str)
    lines = ["Day,Channel,Sessions,Revenue"]
    for day in days:
        sessions, revenue = draw(st.one_of(good, CELL)), draw(st.one_of(good, good, CELL))
        channel = draw(st.sampled_from(["Web", "Email", "", "Web"]))
        lines.append(f"{day:%Y-%m-%d},{channel},{sessions},{revenue}")
    return ("\n".join(lines) + "\n").encode()


@PROPERTIES
@given(data=plausible_csv())
def test_files_with_a_few_bad_cells_import_whole_or_not_at_all(target: tuple[Engine, int], data: bytes) -> None:
    import_or_reject(*target, "sessions.csv", data)


EXCEL_CELL = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), st.floats(-1e12, 1e12),
                       st.sampled_from(NASTY[:26]), st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 1, 1)))


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(HEADERS[:21]), min_size=1, max_size=5),
       rows=st.lists(st.lists(EXCEL_CELL, max_size=5), max_size=12))
def test_hostile_workbooks_import_whole_or_not_at_all(target: tuple[Engine, int], header: list[str],
                                                      rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append([c if not isinstance(c, str) else "".join(ch for ch in c if ch in string.printable) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    import_or_reject(*target, "hostile.xlsx", buffer.getvalue())
