"""`python cli.py deliver [--dry-run] [--today YYYY-MM-DD]`: the scheduled work, run by a cron job or a timer.

For every company: refresh its mapped SQL sources (once a day), raise the alerts that are news, send the mail
that is due. Safe to run as often as you like, and from several servers at once: each message is sent once.
Exit code 0 when everything due went out (or the dry run passed), 1 when something failed (each on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="say what would be sent to whom; write nothing")
    parser.add_argument("--today", help="run as on this day, YYYY-MM-DD (default: today)")


def _today(text: str | None) -> dt.date:
    import clock
    from cli import CommandError

    if not text:
        return clock.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must look like 2026-11-16, not '{text}'") from None


def run(args: argparse.Namespace) -> int:
    from cli import open_database
    from db.schedule import run as run_schedule
    from reports.smtp import MailNotConfigured, mail_server
    from settings import get_settings

    today, engine, settings = _today(args.today), open_database(), get_settings()
    try:
        server = mail_server(settings)
    except MailNotConfigured as missing:
        server = None
        if not args.dry_run:
            sys.stderr.write(f"{missing} Sources are refreshed and alerts recorded; mail waits.\n")
    if not settings.app_url.strip():
        sys.stderr.write("ALIGNBOARD_APP_URL is not set: mail carries no links to the app.\n")
    report = run_schedule(engine, today, dry_run=args.dry_run, server=server, app_url=settings.app_url)
    for line in report.lines:
        sys.stdout.write(line + "\n")
    for problem in report.problems:
        sys.stderr.write(problem + "\n")
    if report.dry_run:
        sys.stdout.write(f"Dry run for {today:%d %b %Y}: nothing was sent or written.\n")
    else:
        sys.stdout.write(f"{report.sent} message{'s' if report.sent != 1 else ''} sent.\n")
    return 1 if report.problems else 0
