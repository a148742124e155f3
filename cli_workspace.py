"""`python cli.py workspace create|rename|archive|unarchive|delete`: client companies from the command line.

Each action is recorded in the audit trail under ``--by`` (the login name by default, marked as typed at the
command line: nobody is signed in there).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

Action = Callable[[Session, argparse.Namespace], str]


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def default_actor() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no login name in some containers
        return "command line"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    create = actions.add_parser("create", help="add a client company")
    create.add_argument("name", help="the company's name (1-120 characters, unique)")
    create.add_argument("--currency", default="USD", help="ISO 4217 code, e.g. EUR (default USD)")
    create.add_argument("--fiscal-year-start", default="1", help="month the fiscal year starts, 1-12 (default 1)")
    create.add_argument("--colour", "--color", dest="colour", default="#1f4e79", help="brand colour, #RRGGBB")
    create.add_argument("--logo", type=Path, help="PNG or JPEG of at most 1 MB")
    rename = actions.add_parser("rename", help="give a company a new name")
    rename.add_argument("old", help="the company's name now")
    rename.add_argument("new", help="its new name")
    for name, help_text in (("archive", "hide a company from the company list; its data is kept"),
                            ("unarchive", "bring an archived company back to the company list")):
        actions.add_parser(name, help=help_text).add_argument("name", help="the company's name")
    remove = actions.add_parser("delete", help="delete a company and all its data (needs --yes)")
    remove.add_argument("name", help="the company's name")
    remove.add_argument("--yes", action="store_true", help="really delete; without it, say what would go")
    for action in actions.choices.values():
        action.add_argument("--by", default=default_actor(), help="who is asking, for the audit trail")


def run(args: argparse.Namespace) -> int:
    """Run the action in one transaction; a refusal (a taken name, a wrong colour) changes nothing."""
    from cli import CommandError, open_database
    from db.engine import session_scope
    from metrics.company import CompanyRefused

    action = ACTIONS[args.action]
    try:
        with session_scope(open_database()) as session:
            message = action(session, args)
    except CompanyRefused as refused:
        raise CommandError(str(refused)) from None
    _out(message)
    return 0


def _company(session: Session, name: str):  # noqa: ANN202 - db.models.Workspace
    from cli import CommandError
    from db.workspaces import find_company, list_workspaces

    workspace = find_company(session, name)
    if workspace is None:
        names = ", ".join(w.name for w in list_workspaces(session, include_archived=True)) or "none yet"
        raise CommandError(f"no company called '{name}' (companies: {names})")
    return workspace


def _fiscal_start(text: str) -> int:
    from cli import CommandError

    try:
        return int(text)
    except ValueError:
        raise CommandError(f"--fiscal-year-start must be a month number from 1 to 12, not '{text}'") from None


def _logo_bytes(path: Path | None) -> bytes | None:
    from cli import CommandError

    if path is None:
        return None
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    return path.read_bytes()


def create(session: Session, args: argparse.Namespace) -> str:
    from db.workspaces import create_company
    from metrics.company import checked_company, month_name

    details = checked_company(args.name, args.currency, _fiscal_start(args.fiscal_year_start), args.colour,
                              logo=_logo_bytes(args.logo), logo_name=args.logo.name if args.logo else "the logo")
    workspace = create_company(session, details, actor=args.by)
    logo = ", with its logo" if details.logo else ""
    return (f"Created {workspace.name} ({workspace.currency}, fiscal year from "
            f"{month_name(workspace.fiscal_year_start_month)}, colour {workspace.color}{logo}).")


def rename(session: Session, args: argparse.Namespace) -> str:
    from db.workspaces import rename_company

    workspace = _company(session, args.old)
    old_name = workspace.name
    rename_company(session, workspace.id, args.new, actor=args.by)
    return f"Renamed {old_name} to {workspace.name}."


def archive(session: Session, args: argparse.Namespace) -> str:
    from db.workspaces import archive_company

    workspace = _company(session, args.name)
    archive_company(session, workspace.id, actor=args.by)
    return f"Archived {workspace.name}: it is off the company list; its data is kept."


def unarchive(session: Session, args: argparse.Namespace) -> str:
    from db.workspaces import unarchive_company

    workspace = _company(session, args.name)
    unarchive_company(session, workspace.id, actor=args.by)
    return f"{workspace.name} is back on the company list."


def delete(session: Session, args: argparse.Namespace) -> str:
    from cli import CommandError
    from db.workspaces import company_rows, delete_company
    from metrics.company import deletion_summary

    workspace = _company(session, args.name)
    name = workspace.name
    if not args.yes:
        raise CommandError(f"deleting {name} would remove {deletion_summary(company_rows(session, workspace.id))}; "
                           f"nothing was deleted (add --yes to delete it)")
    rows = delete_company(session, workspace.id, typed_name=name, actor=args.by)
    return f"Deleted {name} and all its data ({deletion_summary(rows)})."


ACTIONS: dict[str, Action] = {"create": create, "rename": rename, "archive": archive, "unarchive": unarchive,
                              "delete": delete}
