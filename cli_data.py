"""`python cli.py imports | undo | figures`: a company's import history, taking an import out, and its figures
as CSV for automation (the same numbers the pages show)."""

from __future__ import annotations

import argparse
import csv
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from metrics.catalog import Catalog
    from metrics.series import MonthlyData

FIGURES_HEADER = ["month", "metric", "segment", "value", "coverage"]


def add_imports_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", required=True, help="client company (workspace) name")


def imports(args: argparse.Namespace) -> int:
    """One line per import, newest first: id, status, when, who, source, file, rows, months, digest."""
    from cli import open_database, workspace_named
    from db.engine import session_scope
    from db.imports import import_history
    from metrics.periods import month_label

    with session_scope(open_database()) as session:
        history = import_history(session, workspace_named(session, args.workspace).id)
    if not history:
        print("No imports yet.")
    for entry in history:
        months = (f"{month_label(entry.period_start)} – {month_label(entry.period_end)}"
                  if entry.period_start and entry.period_end else "no months")
        print(f"#{entry.batch_id}\t{entry.status}\t{entry.created_at:%Y-%m-%d %H:%M}\t{entry.created_by}\t"
              f"{entry.source_name}\t{entry.file_name}\t{entry.rows} rows\t{months}\tsha256 {entry.file_digest[:12]}")
    return 0


def add_undo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("batch_id", type=int, help="the import's number, as `imports` lists it")


def undo(args: argparse.Namespace) -> int:
    """Take an import out and bring back what it had replaced."""
    from cli import CommandError, open_database
    from db.engine import session_scope
    from db.imports import undo_import
    from db.models import ImportBatch, Workspace

    engine = open_database()
    with session_scope(engine) as session:
        found = session.get(ImportBatch, args.batch_id)
        workspace = session.get(Workspace, found.workspace_id) if found else None
    if found is None or workspace is None:
        raise CommandError(f"there is no import #{args.batch_id}")
    try:
        undo_import(engine, workspace.id, args.batch_id)
    except ValueError as error:
        raise CommandError(str(error)) from error
    print(f"Import #{args.batch_id} of {workspace.name} undone: its values are out and what it replaced is back.")
    return 0


def add_figures_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", required=True, help="client company (workspace) name")
    parser.add_argument("--metric", action="append", default=[], metavar="KEY",
                        help="a metric key (repeat for several; default: every metric with figures)")
    parser.add_argument("--month", metavar="YYYY-MM", help="one month (default: every month with figures)")


def figures(args: argparse.Namespace) -> int:
    """CSV: month,metric,segment,value,coverage; segment empty for the total, coverage 1 for a whole month."""
    from cli import CommandError, open_database, workspace_named
    from db.engine import session_scope
    from db.imports import workspace_catalog
    from db.queries import monthly_data, segment_month_totals
    from metrics.periods import parse_month

    with session_scope(open_database()) as session:
        workspace_id = workspace_named(session, args.workspace).id
        catalog = workspace_catalog(session, workspace_id)
        data = monthly_data(session, workspace_id, catalog=catalog)
        unknown = [k for k in args.metric if k not in catalog]
        if unknown:
            raise CommandError(f"unknown metric {', '.join(unknown)} (metrics: {', '.join(m.key for m in catalog)})")
        keys = args.metric or figure_keys(catalog, data)
        segments = segment_month_totals(session, workspace_id, [k for k in keys if not catalog[k].derived])
    try:
        month = parse_month(args.month) if args.month else None
    except ValueError as error:
        raise CommandError(f"--month wants YYYY-MM, not '{args.month}'") from error
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(FIGURES_HEADER)
    writer.writerows(figure_rows(catalog, data, segments, keys, month))
    return 0


def figure_keys(catalog: Catalog, data: MonthlyData) -> list[str]:
    """Every stored metric with figures, then every computed one that has a value somewhere, in catalog order."""
    from metrics.one_view import is_tracked

    return [m.key for m in catalog if is_tracked(catalog, m.key, data)]


def figure_rows(catalog: Catalog, data: MonthlyData, segments: dict, keys: list[str], month: object) -> list[list]:
    from metrics.coverage import point_coverage
    from metrics.series import period_value

    months = sorted({m for points in data.values() for m in points})
    rows = []
    for m in [month] if month else months:
        for key in keys:
            value = period_value(catalog, key, data, [m])
            if value is None:
                continue
            share = point_coverage(catalog.needed_base_keys([key]), data, m)
            rows.append([f"{m:%Y-%m}", key, "", _number(value), _number(share if share is not None else 1.0)])
            for segment, total in sorted(segments.get(key, {}).get(m, {}).items()):
                rows.append([f"{m:%Y-%m}", key, segment, _number(total), _number(data[key][m].coverage)])
    return rows


def _number(value: float) -> str:
    """Full precision, no exponent for ordinary figures: 1234567.89, 0.25, 1."""
    return f"{value:.10g}" if abs(value) < 1e15 else repr(value)
