"""`python cli.py source add | list | run`: SQL sources for automation, with the Data page's checks.

Exit codes: 0 done (or the dry run passed); 2 the query's result was rejected, every problem listed on stderr;
1 a refusal (the URL, the query, the connection, the source's role, the limits), its reason on stderr.
Each change is recorded in the company's history under ``--by`` (the login name by default).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from cli_import import overlap_choices
from cli_workspace import default_actor

if TYPE_CHECKING:
    from db.imports import ImportOutcome
    from importers.mapping import ImportMapping
    from metrics.catalog import Catalog

REJECTED = 2


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    add = actions.add_parser("add", help="store a SQL source for a company (its URL encrypted, never shown again)")
    add.add_argument("--name", required=True, help="the source's name (its imports are source 'SQL: NAME')")
    url = add.add_mutually_exclusive_group(required=True)
    url.add_argument("--url", help="the database URL; other users of this machine can see a command's arguments "
                                   "while it runs, so prefer --url-env")
    url.add_argument("--url-env", metavar="VARIABLE", help="read the database URL from this environment variable")
    add.add_argument("--query", required=True, help="one SELECT, ideally already summed per day or month")
    actions.add_parser("list", help="the company's SQL sources, URLs masked")
    run = actions.add_parser("run", help="run a source's query and import its result (saved or suggested mapping)")
    run.add_argument("--name", required=True, help="the source's name, as `source list` shows it")
    run.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    choice = run.add_mutually_exclusive_group()
    choice.add_argument("--replace", action="store_true", help="where another source has these months, replace it")
    choice.add_argument("--as-comparison", action="store_true",
                        help="keep this source as a comparison: reconciled against the other, never added")
    choice.add_argument("--as-segment", action="store_true", help="add it as another part of the total")
    for action in actions.choices.values():
        action.add_argument("--workspace", required=True, help="client company (workspace) name")
        action.add_argument("--by", default=default_actor(), help="who is asking, for the history")


def run(args: argparse.Namespace) -> int:
    from cli import CommandError
    from db.sql_sources import SqlSourceError

    try:
        return ACTIONS[args.action](args)
    except SqlSourceError as error:
        raise CommandError(str(error)) from None


def add(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from cli import CommandError, open_database, workspace_named
    from db.engine import session_scope, write_scope
    from db.sql_sources import SqlSourceIn, add_sql_source, masked_url

    url = args.url if args.url is not None else os.environ.get(args.url_env, "")
    if not url.strip():
        raise CommandError(f"the environment variable {args.url_env} is not set (or empty)")
    try:
        data = SqlSourceIn(name=args.name, url=url, query=args.query)
    except ValidationError as error:
        raise CommandError("; ".join(f"--{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}"
                                     for e in error.errors())) from None
    engine = open_database()
    with session_scope(engine) as session:
        workspace = workspace_named(session, args.workspace)
    with write_scope(engine, workspace.id) as session:
        # Sign-in has no roles yet: whoever may run commands on this machine counts as an advisor.
        add_sql_source(session, workspace.id, data, actor=args.by, can_manage_sources=True)
    _out(f"SQL source '{data.name}' added to {workspace.name}: {masked_url(data.url)}")
    return 0


def list_sources(args: argparse.Namespace) -> int:
    """One line per source: name, masked URL, whether its mapping is saved, when it was last refreshed."""
    from cli import open_database, workspace_named
    from db.engine import session_scope
    from db.sql_sources import sql_sources

    with session_scope(open_database()) as session:
        sources = sql_sources(session, workspace_named(session, args.workspace).id)
    if not sources:
        _out("No SQL sources yet.")
    for source in sources:
        refreshed = f"{source.refreshed_at:%Y-%m-%d %H:%M}" if source.refreshed_at else "never"
        mapped = "mapping saved" if source.mapping else "no saved mapping"
        _out(f"{source.name}\t{source.masked_url}\t{mapped}\tlast refreshed {refreshed}")
    return 0


def run_source(args: argparse.Namespace) -> int:
    from cli import CommandError, open_database, workspace_named
    from db.engine import session_scope
    from db.imports import workspace_catalog
    from db.sql_sources import fetch_sql_source, import_sql_result, sql_source_named, sql_sources
    from importers.suggest import suggest

    engine = open_database()
    with session_scope(engine) as session:
        workspace = workspace_named(session, args.workspace)
        source = sql_source_named(session, workspace.id, args.name)
        names = ", ".join(s.name for s in sql_sources(session, workspace.id)) or "none yet"
        catalog = workspace_catalog(session, workspace.id)
    if source is None:
        raise CommandError(f"no SQL source called '{args.name}' in {workspace.name} (sources: {names})")
    table = fetch_sql_source(engine, workspace.id, source.id)
    _out(f"Ran the query of '{source.name}': {len(table.frame):,} rows.")
    mapping = source.mapping
    if mapping is None:
        mapping = suggest(table, catalog)
        _out("No saved mapping: using the suggested one (save one on the Data page to fix it).")
    _out(f"Mapping: {_mapping_text(mapping, catalog)}")
    outcome = import_sql_result(engine, workspace.id, source.id, table, mapping, created_by=args.by,
                                dry_run=args.dry_run, **overlap_choices(args))
    if not outcome.accepted:
        sys.stderr.write(f"Rejected: {len(outcome.problems)} problem(s); nothing was imported.\n")
        for problem in outcome.problems:
            sys.stderr.write(f"  {problem}\n")
        if outcome.needs_choice:
            sys.stderr.write("Another source already has these months: run again with --replace, --as-comparison "
                             "or --as-segment to say what to do.\n")
        return REJECTED
    return _report(outcome, workspace.currency, args.dry_run)


def _mapping_text(mapping: ImportMapping, catalog: Catalog) -> str:
    parts = [f"{column} → {catalog[c.metric].label if c.metric in catalog else c.metric or c.role.value}"
             for column, c in mapping.columns.items() if c.role.value != "ignore"]
    return "; ".join(parts) or "nothing mapped"


def _report(outcome: ImportOutcome, currency: str, dry_run: bool) -> int:
    from importers.summary import change_lines

    result, conversion = outcome.result, outcome.conversion
    lines = change_lines(list(result.changes), outcome.catalog, currency)
    changed = [line for line in lines if line.kind != "same"]
    verb = "Dry run, nothing written: would import" if dry_run else "Imported"
    _out(f"{verb} {conversion.rows_read:,} rows ({conversion.periods_text()}) as source '{outcome.source_name}'.")
    if not dry_run:
        _out(f"Import #{result.batch_id}; {result.replaced} earlier value(s) of this source replaced.")
    if dry_run and outcome.needs_choice:
        _out("Importing needs a choice: run again with --replace, --as-comparison or --as-segment.")
    _out(f"{len(changed)} of {len(lines)} monthly value(s) change:")
    for line in changed[:200]:
        _out(f"  {line}")
    return 0


ACTIONS = {"add": add, "list": list_sources, "run": run_source}
