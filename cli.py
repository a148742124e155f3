"""Alignboard from the command line: `python cli.py <command>`.

Each command is one entry in COMMANDS: name -> (help, add_arguments, handler). A handler receives the
parsed arguments and returns the exit code; raise CommandError for a plain message and exit code 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

import cli_data
import cli_deliver
import cli_import
import cli_member
import cli_portfolio
import cli_source
import cli_workspace
from reports import board_pack_cli
from settings import get_settings

log = logging.getLogger("alignboard.cli")


class CommandError(Exception):
    """A problem the person at the terminal can act on; shown as a plain message."""


AddArguments = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace], int]


def no_arguments(_parser: argparse.ArgumentParser) -> None:
    """For commands that take no options."""


def open_database() -> Engine:
    """The configured database, migrated; a plain message if it cannot be opened."""
    from db.engine import engine_for

    url = get_settings().database_url
    try:
        return engine_for(url)
    except Exception as error:
        raise CommandError(f"could not open the database at {_shown_url(url)}: {_first_line(error)}") from error


def _shown_url(url: str) -> str:
    """The database URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL holds no password we could hide reliably
        return "ALIGNBOARD_DATABASE_URL (not a valid URL)"


def workspace_named(session, name: str):  # noqa: ANN001, ANN201 - a Session in, a Workspace out
    """The company called ``name``; a plain message naming the companies there are when there is none."""
    from db.workspaces import list_workspaces, workspace_by_name

    workspace = workspace_by_name(session, name)
    if workspace is None:
        names = ", ".join(w.name for w in list_workspaces(session)) or "none yet"
        raise CommandError(f"no workspace called '{name}' (workspaces: {names})")
    return workspace


def seed(_args: argparse.Namespace) -> int:
    from sample_data.seed import ensure_sample_data

    created = ensure_sample_data(open_database())
    for name in created:
        print(f"Created demo company: {name}")
    if not created:
        print("The demo companies are already there; nothing to do.")
    return 0


def workspaces_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="also list archived companies, marked (archived)")


def workspaces(args: argparse.Namespace) -> int:
    from db.engine import session_scope
    from db.workspaces import company_list

    with session_scope(open_database()) as session:
        for company in company_list(session, include_archived=args.all):
            print(company["name"] + (" (archived)" if company["archived_at"] else ""))
    return 0


COMMANDS: dict[str, tuple[str, AddArguments, Handler]] = {
    "seed": ("Create the demo companies with three years of sample figures (skips those present).",
             no_arguments, seed),
    "workspaces": ("List the client companies, one per line (archived ones with --all).", workspaces_arguments,
                   workspaces),
    "workspace": ("Create, rename, archive, unarchive or delete a client company.", cli_workspace.add_arguments,
                  cli_workspace.run),
    "import": ("Import a CSV or Excel file into a workspace (exit 2 and every problem listed when rejected).",
               cli_import.add_arguments, cli_import.run),
    "imports": ("List a workspace's imports, newest first.", cli_data.add_imports_arguments, cli_data.imports),
    "undo": ("Take an import out and bring back what it had replaced.", cli_data.add_undo_arguments, cli_data.undo),
    "figures": ("Print a workspace's monthly figures as CSV: month,metric,segment,value,coverage.",
                cli_data.add_figures_arguments, cli_data.figures),
    "member": ("Add, list or remove the people who may see a company, with their roles.", cli_member.add_arguments,
               cli_member.run),
    "source": ("Add, list or run a company's SQL sources (read-only queries against another database).",
               cli_source.add_arguments, cli_source.run),
    "portfolio": ("Print every company's month on one table (CSV with --csv): KPIs, review, meetings, attention.",
                  cli_portfolio.add_arguments, cli_portfolio.run),
    "board-pack": ("Write a month's board pack as PowerPoint (and PDF with --pdf); DRAFT unless the month is closed.",
                   board_pack_cli.add_arguments, board_pack_cli.run),
    "deliver": ("Refresh SQL sources, raise alerts and send the mail that is due (run it from cron or a timer).",
                cli_deliver.add_arguments, cli_deliver.run),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python cli.py", description="Alignboard command line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (help_text, add_arguments, handler) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        add_arguments(command)
        command.set_defaults(handler=handler)
    return parser


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors end as a one-line message on stderr and a non-zero exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CommandError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - never a traceback at the terminal; the log keeps the detail
        log.debug("command failed", exc_info=True)
        print(f"Error: {_first_line(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
