"""`python cli.py portfolio --month YYYY-MM [--csv]`: every client company's month on one table.

An operator's tool: it reads every company of the database (archived ones aside), with no sign-in, as the
other commands do. The rows are the Portfolio page's (metrics.portfolio), most attention first.
"""

from __future__ import annotations

import argparse
import csv
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="the month to show")
    parser.add_argument("--csv", action="store_true",
                        help="CSV instead of the fixed-width table (header: see the README)")


def run(args: argparse.Namespace) -> int:
    """Print the portfolio of every company for the month: a fixed-width table, or CSV with --csv."""
    import clock
    from cli import CommandError, open_database
    from db.engine import session_scope
    from db.portfolio import read_portfolio
    from db.workspaces import list_workspaces
    from metrics.periods import month_label, parse_month
    from metrics.portfolio import CSV_COLUMNS, arranged, csv_cells, fixed_width
    from reports.safe_text import safe_value

    try:
        month = parse_month(args.month)
    except ValueError as error:
        raise CommandError(f"--month wants YYYY-MM, not '{args.month}'") from error
    engine = open_database()
    with session_scope(engine) as session:
        ids = [w.id for w in list_workspaces(session)]
    rows = arranged(read_portfolio(engine, ids, month, clock.today()))
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows([safe_value(cell) for cell in csv_cells(row)] for row in rows)
        return 0
    if not rows:
        sys.stdout.write("No client companies yet.\n")
        return 0
    sys.stdout.write(f"Portfolio · {month_label(month)} · {len(rows)} companies, most attention first\n\n")
    sys.stdout.write(fixed_width(rows) + "\n")
    return 0
