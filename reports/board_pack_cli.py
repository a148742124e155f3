"""`python cli.py board-pack --workspace NAME --month YYYY-MM --out FILE.pptx [--pdf]`.

Built from the month's closed review when there is one; otherwise from live figures, marked DRAFT.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", required=True, help="client company (workspace) name")
    parser.add_argument("--month", required=True, help="month under review, YYYY-MM")
    parser.add_argument("--out", required=True, type=Path, help="PowerPoint file to write (.pptx)")
    parser.add_argument("--pdf", action="store_true", help="also write the PDF beside it (needs LibreOffice)")
    parser.add_argument("--share-safe", action="store_true", help="hide absolute currency figures")


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def _month(text: str) -> dt.date:
    from cli import CommandError
    from metrics.periods import parse_month

    try:
        return parse_month(text)
    except ValueError:
        raise CommandError(f"--month must look like 2026-09, not '{text}'") from None


def run(args: argparse.Namespace) -> int:
    from cli import CommandError, open_database
    from db.engine import session_scope
    from db.review import live_snapshot, review_state
    from db.workspaces import list_workspaces, workspace_by_name
    from metrics.review import share_safe
    from reports.board_pack import build_board_pack
    from reports.pdf import PdfUnavailable, pptx_to_pdf

    month, out = _month(args.month), args.out
    if out.suffix.lower() != ".pptx":
        raise CommandError(f"--out must end in .pptx, not '{out.name}'")
    if not out.parent.is_dir():
        raise CommandError(f"no such folder: {out.parent}")
    with session_scope(open_database()) as session:
        workspace = workspace_by_name(session, args.workspace)
        if workspace is None:
            names = ", ".join(w.name for w in list_workspaces(session)) or "none yet"
            raise CommandError(f"no workspace called '{args.workspace}' (workspaces: {names})")
        frozen = review_state(session, workspace.id, month).snapshot
        snapshot = frozen or live_snapshot(session, workspace.id, month)
    if args.share_safe:
        snapshot = share_safe(snapshot)
    deck = build_board_pack(snapshot, draft=frozen is None)
    out.write_bytes(deck)
    kind = "closed review" if frozen else "live figures, marked DRAFT"
    _out(f"Wrote {out} ({kind}).")
    if args.pdf:
        try:
            pdf = out.with_suffix(".pdf")
            pdf.write_bytes(pptx_to_pdf(deck))
        except PdfUnavailable as missing:
            raise CommandError(str(missing)) from None
        _out(f"Wrote {pdf}.")
    return 0
