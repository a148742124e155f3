"""`python cli.py import FILE --workspace NAME ...`: the same checks as the Data page, and every choice it offers.

Exit codes: 0 imported (or dry run passed), 2 the file was rejected (every problem listed, then the file's
columns and what Alignboard would map them to), 1 anything else.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.imports import ImportOutcome
    from importers.mapping import ImportMapping
    from importers.reading import SourceTable
    from metrics.catalog import Catalog

REJECTED = 2
LAYOUTS = {"wide": "wide", "long": "long", "ad": "ad_platform", "crm": "crm"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="CSV or Excel (.xlsx) file")
    parser.add_argument("--workspace", required=True, help="client company (workspace) name")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), help="how the file is laid out (default: detected)")
    parser.add_argument("--date", metavar="COL", help="the column holding the dates (CRM: the created date)")
    parser.add_argument("--map", action="append", default=[], metavar="COL=METRIC[:SEGMENT]",
                        help="map a column to a metric key (several columns may feed one metric, each as its own "
                             "segment), or to a role: ignore, date, segment, detail, stage, amount, created_date, "
                             "close_date, lead_source, deal_id, metric_name, value, unit, weight")
    parser.add_argument("--segment", action="append", default=[], metavar="COL",
                        help="a column whose values are kept apart as segments (channel, region)")
    parser.add_argument("--skip-undated", action="store_true",
                        help="skip rows that cannot be placed in time (no date) instead of refusing the file")
    parser.add_argument("--whole-file-month", metavar="YYYY-MM", help="an undated export: every row is this month")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="how to read dates such as 02/11/2024")
    parser.add_argument("--preset", help="saved mapping of the workspace to use (else the suggested mapping)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--replace", action="store_true",
                        help="where another source (or an identical import) already has these months, replace it")
    choice.add_argument("--as-comparison", action="store_true",
                        help="keep this file as a comparison source: reconciled against the other, never added")
    choice.add_argument("--as-segment", action="store_true",
                        help="add this file as another part of the total (another platform, channel or region)")
    parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    parser.add_argument("--source", help="source name (re-importing the same source replaces its values)")
    parser.add_argument("--sheet", help="Excel sheet to read (default: the first with data)")
    parser.add_argument("--by", default=None, help="who is importing (default: the login name)")


def run(args: argparse.Namespace) -> int:
    from cli import CommandError, open_database, workspace_named
    from db.engine import session_scope
    from db.imports import import_table, presets, workspace_catalog
    from importers.reading import read_file
    from metrics.validation import ImportRejected
    from settings import get_settings

    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    limit = get_settings().max_upload_mb
    if path.stat().st_size > limit * 1024 * 1024:  # refused before a byte is read into memory
        raise CommandError(f"{path.name} is {path.stat().st_size / 1024 / 1024:,.0f} MB: files above {limit} MB "
                           "are refused (ALIGNBOARD_MAX_UPLOAD_MB)")
    engine = open_database()
    with session_scope(engine) as session:
        workspace = workspace_named(session, args.workspace)
        workspace_id, currency = workspace.id, workspace.currency
        catalog, saved = workspace_catalog(session, workspace_id), presets(session, workspace_id)
    try:
        table = read_file(path.name, path.read_bytes(), limit, args.sheet)
    except ImportRejected as rejected:
        return _rejected(rejected.problems)
    mapping = _mapping(args, table, catalog, saved)
    _out(f"Read {path.name}: {table.describe()}, {len(table.frame):,} rows.")
    for note in table.notes:
        _out(f"  {note}")
    _out(f"Layout: {mapping.layout.value}; mapping: {_mapping_text(mapping, catalog)}")
    outcome = import_table(engine, workspace_id, table, mapping, created_by=args.by or _login(),
                           dry_run=args.dry_run, **overlap_choices(args))
    if not outcome.accepted:
        code = _rejected(outcome.problems)
        if outcome.needs_choice:
            sys.stderr.write("Run again with --replace, --as-comparison or --as-segment to say what to do.\n")
        else:
            _explain_columns(table, catalog)
        return code
    return _report(outcome, currency, args.dry_run, table.notes)


def overlap_choices(args: argparse.Namespace) -> dict:
    """What --replace, --as-comparison and --as-segment ask for, as the import's keyword arguments."""
    from db.overlaps import OverlapChoice

    if args.replace:
        return {"overlap": OverlapChoice.REPLACE, "replace_identical": True}
    if args.as_comparison:
        return {"overlap": OverlapChoice.COMPARE}
    if args.as_segment:
        return {"overlap": OverlapChoice.SEGMENT}
    return {}


def _mapping(args: argparse.Namespace, table: SourceTable, catalog: Catalog, saved: dict) -> ImportMapping:
    """The preset's or the suggested mapping, with the command line's choices laid on top."""
    from cli import CommandError
    from importers.mapping import Layout
    from importers.suggest import apply_preset, suggest

    layout = Layout(LAYOUTS[args.layout]) if args.layout else None
    if args.preset:
        if args.preset not in saved:
            names = ", ".join(saved) or "none saved yet"
            raise CommandError(f"no preset called '{args.preset}' in this workspace (presets: {names})")
        mapping, missing = apply_preset(saved[args.preset], table, catalog)
        if missing:
            _out(f"Note: the preset expects columns this file lacks: {', '.join(missing)}")
    else:
        mapping = suggest(table, catalog, layout)
    _apply_options(args, mapping, table, catalog)
    return mapping


def _apply_options(args: argparse.Namespace, mapping: ImportMapping, table: SourceTable, catalog: Catalog) -> None:
    from cli import CommandError
    from importers.cells import DateOrder
    from importers.mapping import ColumnChoice, Layout, Role
    from metrics.periods import parse_month

    columns = set(table.columns)
    if args.date:
        date_role = Role.CREATED_DATE if mapping.layout == Layout.CRM else Role.DATE
        for column, choice in mapping.columns.items():
            if choice.role == date_role:
                mapping.columns[column] = ColumnChoice()
        _set(mapping, args.date, ColumnChoice(role=date_role), columns)
    for column in args.segment:
        _set(mapping, column, ColumnChoice(role=Role.SEGMENT), columns)
    for item in args.map:
        column, choice = _map_item(item, catalog)
        _set(mapping, column, choice, columns)
    mapping.skip_undated = mapping.skip_undated or args.skip_undated
    if args.date_order:
        mapping.date_order = DateOrder(args.date_order)
    if args.whole_file_month:
        try:
            mapping.whole_file_month = parse_month(args.whole_file_month)
        except ValueError as error:
            raise CommandError(f"--whole-file-month wants YYYY-MM, not '{args.whole_file_month}'") from error
    if args.source:
        mapping.source_name = args.source


def _set(mapping: ImportMapping, column: str, choice: object, columns: set[str]) -> None:
    from cli import CommandError

    if column not in columns:
        raise CommandError(f"the file has no column '{column}' (columns: {', '.join(sorted(columns))})")
    mapping.columns[column] = choice


def _map_item(item: str, catalog: Catalog):  # noqa: ANN202 - (column, ColumnChoice)
    """'Spend TV=marketing_spend:tv' -> ('Spend TV', metric marketing_spend in segment tv); 'X=ignore' -> role."""
    from cli import CommandError
    from importers.mapping import ColumnChoice, Role

    column, equals, target = item.rpartition("=")
    if not equals or not column.strip() or not target.strip():
        raise CommandError(f"--map wants COL=METRIC[:SEGMENT], not '{item}'")
    key, _, segment = target.strip().partition(":")
    if key in {role.value for role in Role} and key != Role.METRIC.value:
        return column.strip(), ColumnChoice(role=Role(key))
    metric = catalog.get(key)
    if metric is None or metric.derived:
        why = "is computed from other metrics" if metric is not None else "is not a metric of this workspace"
        keys = ", ".join(m.key for m in catalog if not m.derived)
        raise CommandError(f"--map {item}: '{key}' {why} (metrics you can map: {keys})")
    return column.strip(), ColumnChoice(role=Role.METRIC, metric=key, segment=segment.strip())


def _mapping_text(mapping: ImportMapping, catalog: Catalog) -> str:
    parts = []
    for column, choice in mapping.columns.items():
        if choice.role.value == "ignore":
            continue
        target = catalog[choice.metric].label if choice.metric in catalog else (choice.metric or choice.role.value)
        parts.append(f"{column} → {target}" + (f" ({choice.segment})" if choice.segment else ""))
    return "; ".join(parts) or "nothing mapped"


def _explain_columns(table: SourceTable, catalog: Catalog) -> None:
    """What the file holds and what Alignboard would make of each column, so the next try can use --map."""
    from importers.suggest import suggest

    sys.stderr.write(f"Columns in {table.file_name} and what Alignboard suggests:\n")
    for column, choice in suggest(table, catalog).columns.items():
        sys.stderr.write(f"  {column}: {_suggestion_text(choice, catalog)}\n")
    sys.stderr.write("Map columns with --map COL=METRIC[:SEGMENT] (or --map COL=ignore), dates with --date COL.\n")


def _suggestion_text(choice: object, catalog: Catalog) -> str:
    from importers.mapping import Role

    sure = f" (confidence {choice.confidence:.2f})" if choice.confidence is not None else ""
    note = f" — {choice.note}" if choice.note else ""
    if choice.role == Role.METRIC and choice.metric:
        label = catalog[choice.metric].label if choice.metric in catalog else choice.metric
        segment = f", segment {choice.segment}" if choice.segment else ""
        return f"{label} [{choice.metric}{segment}]{sure}{note}"
    if choice.role == Role.IGNORE:
        return f"not mapped{sure}{note}"
    return f"{choice.role.value}{sure}{note}"


def _report(outcome: ImportOutcome, currency: str, dry_run: bool, shown: list[str]) -> int:
    from importers.summary import change_lines
    from metrics.coverage import partial_label
    from metrics.periods import month_label

    result, conversion = outcome.result, outcome.conversion
    lines = change_lines(list(result.changes), outcome.catalog, currency)
    changed = [line for line in lines if line.kind != "same"]
    verb = "Dry run, nothing written: would import" if dry_run else "Imported"
    _out(f"{verb} {conversion.rows_read:,} rows ({conversion.grain.value if conversion.grain else 'no'} grain, "
         f"{conversion.periods_text()}) as source '{outcome.source_name}'.")
    for note in [n for n in conversion.notes if n not in shown] + conversion.skipped_notes:
        _out(f"  {note}")  # how the dates were read, rows skipped by choice
    if not dry_run:
        _out(f"Import #{result.batch_id}; {result.replaced} earlier value(s) of this source replaced.")
    for key, month, share in result.partial:
        label = outcome.catalog[key].label if key in outcome.catalog else key
        _out(f"  Partial month: {label}, {month_label(month)} ({partial_label(month, share)})")
    if dry_run and outcome.needs_choice:
        _out("Importing needs a choice: run again with --replace, --as-comparison or --as-segment.")
        for sentence in ([outcome.identical.sentence()] if outcome.identical else []) + [
                o.sentence() for o in outcome.overlaps]:
            _out(f"  {sentence}.")
    _out(f"{len(changed)} of {len(lines)} monthly value(s) change:")
    for line in changed[:200]:
        _out(f"  {line}")
    return 0


def _rejected(problems: list) -> int:
    sys.stderr.write(f"Rejected: {len(problems)} problem(s); nothing was imported.\n")
    for problem in problems:
        sys.stderr.write(f"  {problem}\n")
    return REJECTED


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
