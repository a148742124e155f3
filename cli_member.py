"""`python cli.py member add|list|remove --workspace W ...`: who may see a company, and in which role.

Access starts the first time the person signs in with that address. Each change is recorded in the company's
history under ``--by`` (the login name by default).
"""

from __future__ import annotations

import argparse
import sys

from cli_workspace import default_actor

ROLES = ("ceo", "cmo", "advisor", "contributor", "board")


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    add = actions.add_parser("add", help="invite a person (or change their role)")
    add.add_argument("--email", required=True, help="the address they sign in with")
    add.add_argument("--role", required=True, choices=ROLES, help="their role in the company")
    listing = actions.add_parser("list", help="the company's members and roles, one per line")
    remove = actions.add_parser("remove", help="take a person's access away")
    remove.add_argument("--email", required=True, help="their address")
    for action in (add, listing, remove):
        action.add_argument("--workspace", required=True, help="client company (workspace) name")
        action.add_argument("--by", default=default_actor(), help="who is asking, for the company's history")


def run(args: argparse.Namespace) -> int:
    from cli import CommandError, open_database, workspace_named
    from db import access, audit
    from db.engine import session_scope, write_scope
    from metrics.refusal import Refused

    engine = open_database()
    with session_scope(engine) as session:
        workspace = workspace_named(session, args.workspace)
        workspace_id, name = workspace.id, workspace.name
    if args.action == "list":
        with session_scope(engine, workspace_id) as session:
            for member in access.members(session, workspace_id):
                seen = f"{member.first_seen_at:%Y-%m-%d}" if member.first_seen_at else "not yet signed in"
                _out(f"{member.email}\t{member.role.value}\t{seen}")
        return 0
    try:
        with write_scope(engine, workspace_id) as session:
            if args.action == "add":
                member = access.add_member(session, workspace_id, args.email, access.Role(args.role),
                                           invited_by=args.by)
                detail, said = {"email": member.email, "role": member.role.value}, \
                    f"{member.email} is {access.ROLE_TITLES[member.role]} of {name}."
            elif access.remove_member(session, workspace_id, args.email):
                detail, said = {"email": args.email.strip().lower()}, f"{args.email.strip()} no longer sees {name}."
            else:
                raise Refused(f"{args.email.strip()} is not a member of {name}.")
            audit.record(session, f"member.{'added' if args.action == 'add' else 'removed'}",
                         workspace_id=workspace_id, workspace_name=name, actor=args.by, detail=detail)
    except Refused as refused:
        raise CommandError(str(refused)) from refused
    _out(said)
    return 0
