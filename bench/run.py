"""How Alignboard scales with raw rows: reading a CSV, importing it, loading the One View.

    python -m bench.run            # 10k and 1M daily rows
    python -m bench.run --quick    # 10k and 100k, under a minute
    python -m bench.run --large    # adds 10M

Each size is a workspace of DAILY long rows (date, metric, segment, value) written to CSV. A section
times one thing for one size and returns seconds; add a benchmark by appending to SECTIONS (and a
goal to GOALS if it has one). Sections run in order, so a later one may use what an earlier one made
(``Bench.workspace`` gives the database the ingest section filled).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine

import clock
from bench import board_pack_bench, import_bench
from db.engine import engine_for, session_scope
from db.ingest import ingest
from db.queries import monthly_data
from db.workspaces import WorkspaceIn, create_workspace
from metrics.catalog import STANDARD_CATALOG, Unit
from metrics.periods import month_start, previous_month, same_month_last_year, trailing
from metrics.series import change, monthly_values, period_value

RESULTS = Path(__file__).resolve().parent / "results"
DAYS = 730  # two years of daily data; larger files add segments (channels, campaigns)
CARD_KEYS = (
    "revenue", "new_bookings", "gross_margin", "nrr", "churn_rate", "cac", "ltv_to_cac", "cac_payback_months",
    "marketing_spend", "impressions", "clicks", "ctr", "mqls", "pipeline_created", "win_rate",
    "marketing_sourced_share", "nps", "decision_confidence", "aided_awareness", "share_of_voice",
)


# --- Data ------------------------------------------------------------------------------------------

def daily_rows(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` daily long rows: every base metric, day by day, segment after segment."""
    keys = STANDARD_CATALOG.base_keys()
    days = min(DAYS, math.ceil(rows / len(keys)))
    last_day = month_start(clock.today()) - dt.timedelta(days=1)
    dates = pd.date_range(end=last_day, periods=days, freq="D").strftime("%Y-%m-%d").to_numpy()
    index = np.arange(rows)
    metric = (index // days) % len(keys)
    segment = index // (days * len(keys))
    segments = [f"campaign_{i}" for i in range(segment[-1] + 1)]
    return pd.DataFrame({
        "date": pd.Categorical.from_codes(index % days, categories=dates),
        "metric": pd.Categorical.from_codes(metric, categories=keys),
        "segment": pd.Categorical.from_codes(segment, categories=segments),
        "value": _values(np.random.default_rng(seed), np.array(keys, dtype=object)[metric]),
    })


def _values(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    """Plausible values: fractions for percentages, -100..100 for NPS, counts and money otherwise."""
    units = {m.key: m.unit for m in STANDARD_CATALOG}
    percent = np.isin(metric, [k for k, u in units.items() if u == Unit.PERCENT])
    values = np.round(rng.uniform(1, 5_000, len(metric)), 2)
    values[percent] = np.round(rng.uniform(0.05, 0.6, percent.sum()), 3)
    values[metric == "nps"] = np.round(rng.uniform(-20, 70, (metric == "nps").sum()), 1)
    return values


# --- Harness ---------------------------------------------------------------------------------------

@dataclass
class Bench:
    """What sections share: the working folder, generated CSVs, and the databases ingest filled."""

    folder: Path
    csv_files: dict[int, Path] = field(default_factory=dict)
    databases: dict[int, tuple[str, int]] = field(default_factory=dict)

    def csv(self, rows: int) -> Path:
        if rows not in self.csv_files:
            path = self.folder / f"daily_{rows}.csv"
            daily_rows(rows).to_csv(path, index=False)
            self.csv_files[rows] = path
        return self.csv_files[rows]

    def fresh_database(self, name: str) -> tuple[str, int]:
        """A new, migrated SQLite file with one workspace: (url, workspace id)."""
        url = f"sqlite:///{self.folder / name}.db"
        with session_scope(engine_for(url)) as session:
            return url, create_workspace(session, WorkspaceIn(name="Bench Co")).id

    def workspace(self, rows: int) -> tuple[str, int]:
        """A database holding the ``rows``-row workspace (ingested on first use)."""
        if rows not in self.databases:
            url, workspace_id = self.fresh_database(f"workspace_{rows}")
            ingest(engine_for(url), workspace_id, pd.read_csv(self.csv(rows)), source_name="bench")
            self.databases[rows] = (url, workspace_id)
        return self.databases[rows]


def timings(run: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def repeats_for(rows: int) -> int:
    return 3 if rows <= 1_000_000 else 1


# --- Sections --------------------------------------------------------------------------------------

def read_csv_only(bench: Bench, rows: int) -> float:
    path = bench.csv(rows)
    return min(timings(lambda: pd.read_csv(path), repeats_for(rows)))


def full_ingest(bench: Bench, rows: int) -> float:
    """Read the CSV and ingest it into a fresh SQLite file (creating the file is not timed)."""
    path, times = bench.csv(rows), []
    for attempt in range(repeats_for(rows)):
        url, workspace_id = bench.fresh_database(f"ingest_{rows}_{attempt}")
        engine = engine_for(url)
        start = time.perf_counter()
        ingest(engine, workspace_id, pd.read_csv(path), source_name="bench", file_name=path.name)
        times.append(time.perf_counter() - start)
        bench.databases.setdefault(rows, (url, workspace_id))
    return min(times)


def one_view_cards(url: str, workspace_id: int) -> int:
    """Cold load: a new connection, every monthly value of the workspace, then each card's figures."""
    engine = create_engine(url)
    try:
        with session_scope(engine) as session:
            data = monthly_data(session, workspace_id)
    finally:
        engine.dispose()
    month = max(max(points) for points in data.values())
    for key in CARD_KEYS:
        metric = STANDARD_CATALOG[key]
        value = period_value(STANDARD_CATALOG, key, data, [month])
        change(metric, value, period_value(STANDARD_CATALOG, key, data, [previous_month(month)]))
        change(metric, value, period_value(STANDARD_CATALOG, key, data, [same_month_last_year(month)]))
        monthly_values(STANDARD_CATALOG, key, data, trailing(month, 12))
    return len(CARD_KEYS)


def one_view_load(bench: Bench, rows: int) -> float:
    url, workspace_id = bench.workspace(rows)
    return statistics.median(timings(lambda: one_view_cards(url, workspace_id), 5))


@dataclass(frozen=True)
class Section:
    name: str
    run: Callable[[Bench, int], float]
    about: str


# read_csv and ingest report the best of 3 (the machine's noise only ever adds time), load the median of 5.
SECTIONS: list[Section] = [
    Section("read_csv", read_csv_only, "pandas.read_csv alone, best of 3"),
    Section("ingest", full_ingest, "read CSV + validate + roll up + write, fresh SQLite file, best of 3"),
    Section("one_view_load", one_view_load, f"cold monthly_data + {len(CARD_KEYS)} cards, median of 5"),
    Section("review_snapshot", board_pack_bench.review_snapshot, "what closing a month reads, 7 KPIs, median of 3"),
    Section("board_pack_pptx", board_pack_bench.board_pack_pptx, "7-KPI board pack .pptx (goal < 2 s), median of 3"),
    Section("board_pack_pdf", board_pack_bench.board_pack_pdf, "that deck to PDF via LibreOffice (nan: not installed)"),
    Section("ad_read_csv", import_bench.read_ad_csv, "pandas.read_csv of a daily ad-platform export, best of 3"),
    Section("ad_import", import_bench.import_ad_csv, "that export imported as on the Data page, best of 3"),
    Section("channel_read_csv", import_bench.read_channel_csv,
            "pandas.read_csv of a daily per-ad export with five spend columns, best of 3"),
    Section("channel_import", import_bench.import_channel_csv,
            "that export imported, five spend columns into one metric by channel, best of 3"),
]


@dataclass(frozen=True)
class Goal:
    """``numerator`` / ``denominator`` should stay at or below ``limit``; each is (section, 'big'|'small')."""

    name: str
    numerator: tuple[str, str]
    denominator: tuple[str, str]
    limit: float


GOALS: list[Goal] = [
    Goal("One View load, big / small workspace", ("one_view_load", "big"), ("one_view_load", "small"), 1.5),
    Goal("ingest / read_csv, big workspace", ("ingest", "big"), ("read_csv", "big"), 3.0),
    Goal("ad-platform import / read_csv, big file", ("ad_import", "big"), ("ad_read_csv", "big"), 3.0),
    Goal("five spend columns by channel / read_csv, big file", ("channel_import", "big"),
         ("channel_read_csv", "big"), 3.0),
]


# --- Report ----------------------------------------------------------------------------------------

def size_label(rows: int) -> str:
    for limit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if rows >= limit and rows % limit == 0:
            return f"{rows // limit}{suffix}"
    return f"{rows:,}"


def table(results: dict[tuple[str, int], float], sizes: list[int]) -> str:
    width = max(len(s.name) for s in SECTIONS)
    lines = [f"{'seconds':<{width}} " + " ".join(f"{size_label(n):>9}" for n in sizes)]
    for section in SECTIONS:
        cells = " ".join(f"{results.get((section.name, n), float('nan')):>9.3f}" for n in sizes)
        lines.append(f"{section.name:<{width}} {cells}   {section.about}")
    return "\n".join(lines)


def goal_lines(results: dict[tuple[str, int], float], sizes: list[int]) -> list[str]:
    pick = {"big": 1_000_000 if 1_000_000 in sizes else max(sizes), "small": min(sizes)}
    lines = []
    for goal in GOALS:
        (top, top_size), (bottom, bottom_size) = goal.numerator, goal.denominator
        ratio = results[(top, pick[top_size])] / results[(bottom, pick[bottom_size])]
        verdict = "met" if ratio <= goal.limit else "MISSED"
        lines.append(f"{goal.name} ({size_label(pick[top_size])} / {size_label(pick[bottom_size])}): "
                     f"{ratio:.2f}x (goal <= {goal.limit}x) {verdict}")
    return lines


def run(sizes: list[int], folder: Path) -> str:
    bench = Bench(folder)
    results: dict[tuple[str, int], float] = {}
    for rows in sizes:
        for section in SECTIONS:
            results[(section.name, rows)] = section.run(bench, rows)
    header = f"Alignboard benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, daily rows over {DAYS} days at most"
    return "\n".join([header, "", table(results, sizes), "", *goal_lines(results, sizes)]) + "\n"


def parse_sizes(argv: list[str] | None = None) -> list[int]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k rows only (under a minute)")
    parser.add_argument("--large", action="store_true", help="add 10M rows (several minutes)")
    args = parser.parse_args(argv)
    if args.quick:
        return [10_000, 100_000]
    return [10_000, 1_000_000] + ([10_000_000] if args.large else [])


def main(argv: list[str] | None = None) -> None:
    sizes = parse_sizes(argv)
    with tempfile.TemporaryDirectory(prefix="alignboard-bench-") as folder:
        report = run(sizes, Path(folder))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.txt").write_text(report)
    print(report)


if __name__ == "__main__":
    main()

