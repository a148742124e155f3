"""How long `python cli.py deliver --dry-run` takes for many companies (goal: 100 companies in at most 10 s).

Each company gets the demo figures (36 months of every metric), a signed agreement with targets, commentary and
votes, two closed reviews and five members, so every step of a run has real work: the scorecard and vanity traps
of each company are checked for alerts, and everyone's mail due is worked out. Run:

    python -m bench.deliver_bench [--companies 100] [--database-url URL]

Without a URL the companies go into a temporary SQLite file. It prints the in-process time of the dry run
(median of three), its CPU time, and the wall time of the command itself (Python start-up and imports
included), and saves them to bench/results/deliver.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from db import schedule
from db.access import Role, add_member
from db.engine import engine_for, session_scope
from db.ingest import ingest
from db.queries import monthly_data
from db.workspaces import WorkspaceIn, create_workspace, workspace_by_name
from metrics.catalog import STANDARD_CATALOG
from sample_data.generator import DEMO_COMPANIES, CompanyProfile
from sample_data.reviews import seed_reviews
from sample_data.scorecard import seed_scorecard
from sample_data.seed import ensure_sample_data
from settings import PROJECT_ROOT

GOAL_SECONDS = 10.0
TODAY = dt.date(2026, 11, 16)
RESULTS = Path(__file__).resolve().parent / "results" / "deliver.txt"


def monthly_rows(url: str, profile: CompanyProfile) -> pd.DataFrame:
    """A demo company's monthly figures (base metrics), as one long table to import elsewhere."""
    with session_scope(engine_for(url)) as session:
        data = monthly_data(session, workspace_by_name(session, profile.name).id)
    base = set(STANDARD_CATALOG.base_keys())
    rows = [(str(month), key, point.value) for key, points in data.items() if key in base
            for month, point in points.items()]
    return pd.DataFrame(rows, columns=["date", "metric", "value"])


def add_companies(url: str, count: int) -> None:
    """``count`` companies, alternately shaped like each demo company."""
    engine = engine_for(url)
    ensure_sample_data(engine, end_month=dt.date(2026, 10, 1))
    shapes = [(profile, monthly_rows(url, profile)) for profile in DEMO_COMPANIES]
    for number in range(1, count - len(shapes) + 1):
        profile, rows = shapes[number % len(shapes)]
        with session_scope(engine) as session:
            workspace_id = create_workspace(session, WorkspaceIn(name=f"Client {number:03d}",
                                                                 currency=profile.currency)).id
        ingest(engine, workspace_id, rows, source_name="Finance export", today=TODAY)
        seed_scorecard(engine, workspace_id, profile)
        seed_reviews(engine, workspace_id, profile)
        with session_scope(engine) as session:
            for role in Role:
                add_member(session, workspace_id, f"{role.value}@client{number:03d}.test", role, invited_by="bench")
    with session_scope(engine) as session:
        for profile in DEMO_COMPANIES:  # the demo companies too, so every company has members
            workspace_id = workspace_by_name(session, profile.name).id
            for role in Role:
                add_member(session, workspace_id, f"{role.value}@{workspace_id}.demo.test", role, invited_by="bench")


def timed_dry_run(url: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, lines said) of one in-process dry run."""
    wall, cpu = time.perf_counter(), time.process_time()
    report = schedule.run(engine_for(url), TODAY, dry_run=True, server=None)
    return time.perf_counter() - wall, time.process_time() - cpu, len(report.lines)


def command_seconds(url: str) -> float:
    """The wall time of `python cli.py deliver --dry-run`, start-up included."""
    env = {**os.environ, "ALIGNBOARD_DATABASE_URL": url, "ALIGNBOARD_TODAY": TODAY.isoformat()}
    start = time.perf_counter()
    subprocess.run([sys.executable, "cli.py", "deliver", "--dry-run"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def report(count: int, runs: list[tuple[float, float, int]], command: float) -> str:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    verdict = "met" if command <= GOAL_SECONDS else "MISSED"
    return "\n".join([
        f"deliver --dry-run for {count} companies ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})",
        f"  in-process dry run (median of {len(runs)}): {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
        f"{runs[0][2]} lines",
        f"  per company: {wall / count * 1000:6.1f} ms",
        f"  the command (start-up included): {command:6.2f} s; goal <= {GOAL_SECONDS:.0f} s: {verdict}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--database-url", help="an empty database to fill (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="alignboard-deliver-bench-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["ALIGNBOARD_TODAY"] = TODAY.isoformat()
        start = time.perf_counter()
        add_companies(url, args.companies)
        sys.stdout.write(f"{args.companies} companies ready in {time.perf_counter() - start:.0f} s\n")
        runs = [timed_dry_run(url) for _ in range(3)]
        text = report(args.companies, runs, command_seconds(url))
    sys.stdout.write(text + "\n")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
