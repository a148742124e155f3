"""`python cli.py import FILE --workspace NAME [--preset NAME] [--dry-run]`: the same checks as the Data page.

Exit codes: 0 imported (or dry run passed), 2 the file was rejected (every problem listed), 1 anything else.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

REJECTED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="CSV or Excel (.xlsx) file")
    parser.add_argument("--workspace", required=True, help="client company (workspace) name")
    parser.add_argument("--preset", help="saved mapping of the workspace to use (else the suggested mapping)")
    parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    parser.add_argument("--source", help="source name (re-importing the same source replaces its values)")
    parser.add_argument("--sheet", help="Excel sheet to read (default: the first with data)")
    parser.add_argument("--by", default=None, help="who is importing (default: the login name)")


def run(args: argparse.Namespace) -> int:
    from cli import CommandError, open_database
    from db.engine import session_scope
    from db.imports import import_table, presets, workspace_catalog
    from db.workspaces import list_workspaces, workspace_by_name
    from importers.reading import read_file
    from metrics.validation import ImportRejected
    from settings import get_settings

    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    engine = open_database()
    with session_scope(engine) as session:
        workspace = workspace_by_name(session, args.workspace)
        if workspace is None:
            names = ", ".join(w.name for w in list_workspaces(session)) or "none yet"
            raise CommandError(f"no workspace called '{args.workspace}' (workspaces: {names})")
        workspace_id, currency = workspace.id, workspace.currency
        catalog, saved = workspace_catalog(session, workspace_id), presets(session, workspace_id)
    try:
        table = read_file(path.name, path.read_bytes(), get_settings().max_upload_mb, args.sheet)
    except ImportRejected as rejected:
        return _rejected(rejected.problems)
    mapping = _mapping(args, table, catalog, saved)
    if args.source:
        mapping.source_name = args.source
    _out(f"Read {path.name}: {table.describe()}, {len(table.frame):,} rows.")
    for note in table.notes:
        _out(f"  {note}")
    _out(f"Layout: {mapping.layout.value}; mapping: {_mapping_text(mapping)}")
    outcome = import_table(engine, workspace_id, table, mapping, created_by=args.by or _login(),
                           dry_run=args.dry_run)
    if not outcome.accepted:
        return _rejected(outcome.problems)
    return _report(outcome, currency, args.dry_run)


def _mapping(args: argparse.Namespace, table, catalog, saved: dict):  # noqa: ANN001, ANN202 - importers types
    """The preset's mapping (new columns get suggestions), or the suggested mapping."""
    from cli import CommandError
    from importers.suggest import apply_preset, suggest

    if not args.preset:
        return suggest(table, catalog)
    if args.preset not in saved:
        names = ", ".join(saved) or "none saved yet"
        raise CommandError(f"no preset called '{args.preset}' in this workspace (presets: {names})")
    mapping, missing = apply_preset(saved[args.preset], table, catalog)
    if missing:
        _out(f"Note: the preset expects columns this file lacks: {', '.join(missing)}")
    return mapping


def _mapping_text(mapping) -> str:  # noqa: ANN001 - an ImportMapping
    parts = []
    for column, choice in mapping.columns.items():
        if choice.role.value == "ignore":
            continue
        parts.append(f"{column} → {choice.metric or choice.role.value}")
    return "; ".join(parts) or "nothing mapped"


def _report(outcome, currency: str, dry_run: bool) -> int:  # noqa: ANN001 - an ImportOutcome
    from importers.summary import change_lines

    result, conversion = outcome.result, outcome.conversion
    lines = change_lines(list(result.changes), outcome.catalog, currency)
    changed = [line for line in lines if line.kind != "same"]
    verb = "Dry run, nothing written: would import" if dry_run else "Imported"
    _out(f"{verb} {conversion.rows_read:,} rows ({conversion.grain.value if conversion.grain else 'no'} grain, "
         f"{conversion.periods_text()}) as source '{outcome.source_name}'.")
    if not dry_run:
        _out(f"Import #{result.batch_id}; {result.replaced} earlier value(s) of this source replaced.")
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
