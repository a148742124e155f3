"""Benchmark sections for file imports: a daily ad-platform export, read by pandas alone and imported whole.

The import is what a person gets from the Data page or `python cli.py import`: read (encoding, separator,
header sniffing), suggest a mapping, check every cell, add up per day and platform, validate, roll up to
months and write, into a fresh SQLite file.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd

import clock
from db.engine import engine_for
from db.imports import import_table
from importers.limits import ReadLimits
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG

PLATFORMS = ("Google Ads", "Meta", "LinkedIn")
DAYS = 730
LIMITS = ReadLimits(cells=10**9)  # the 10M-row file is far above an upload's 20 million cells: scale, not safety


def ad_platform_frame(rows: int, seed: int = 11) -> pd.DataFrame:
    """``rows`` daily ad rows over two years: platform, account, campaign, ad group and their figures."""
    rng = np.random.default_rng(seed)
    last_day = clock.today().replace(day=1) - dt.timedelta(days=1)
    days = pd.date_range(end=last_day, periods=DAYS, freq="D").strftime("%Y-%m-%d").to_numpy()
    index = np.arange(rows)
    campaign = (index // DAYS) % 400
    return pd.DataFrame({
        "Day": days[index % DAYS],
        "Platform": np.array(PLATFORMS, dtype=object)[campaign % len(PLATFORMS)],
        "Account": np.where(campaign % 2 == 0, "Main account", "Brand account"),
        "Campaign": np.char.add("Campaign ", (campaign // 2).astype(str)),
        "Ad group": np.char.add("Ad group ", (index // (DAYS * 400)).astype(str)),
        "Impressions": rng.integers(100, 20_000, rows),
        "Clicks": rng.integers(0, 600, rows),
        "Cost": np.round(rng.uniform(1, 400, rows), 2),
        "Conversions": rng.integers(0, 12, rows),
        "Conversion value": np.round(rng.uniform(0, 900, rows), 2),
    })


def ad_platform_csv(folder: Path, rows: int) -> Path:
    path = folder / f"ad_platform_{rows}.csv"
    if not path.exists():
        ad_platform_frame(rows).to_csv(path, index=False)
    return path


def import_file(url: str, workspace_id: int, path: Path) -> None:
    """The whole import, as the Data page runs it after the mapping is confirmed."""
    table = read_file(path.name, path.read_bytes(), max_mb=10_000, limits=LIMITS)
    mapping = suggest(table, STANDARD_CATALOG)
    outcome = import_table(engine_for(url), workspace_id, table, mapping, created_by="bench")
    if not outcome.accepted:
        raise RuntimeError(f"benchmark file rejected: {outcome.problems[:3]}")


def best_of(run, repeats: int) -> float:  # noqa: ANN001 - any callable
    """The fastest of ``repeats`` runs: the machine's noise only ever adds time."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def read_ad_csv(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    """pandas.read_csv of the ad-platform file: the yardstick."""
    path = ad_platform_csv(bench.folder, rows)
    return best_of(lambda: pd.read_csv(path), 3)


def timed_imports(bench, path: Path, name: str) -> float:  # noqa: ANN001 - bench.run.Bench
    """The best of three full imports of ``path``, each into a fresh SQLite file (making the file is not timed)."""
    times = []
    for attempt in range(3):
        url, workspace_id = bench.fresh_database(f"{name}_{attempt}")
        start = time.perf_counter()
        import_file(url, workspace_id, path)
        times.append(time.perf_counter() - start)
    return min(times)


def import_ad_csv(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    """The full import of the same file into a fresh SQLite file (creating the file is not timed)."""
    return timed_imports(bench, ad_platform_csv(bench.folder, rows), f"ad_import_{rows}")


CHANNELS = ("search", "social", "display", "video", "audio")


def channel_frame(rows: int, seed: int = 13) -> pd.DataFrame:
    """``rows`` daily per-ad rows with ids and campaigns, and spend in five columns, one per channel."""
    rng = np.random.default_rng(seed)
    last_day = clock.today().replace(day=1) - dt.timedelta(days=1)
    days = pd.date_range(end=last_day, periods=DAYS, freq="D").strftime("%Y-%m-%d").to_numpy()
    index = np.arange(rows)
    ad = index // DAYS
    frame = pd.DataFrame({
        "date": days[index % DAYS],
        "campaign_id": 1000 + ad // 20,
        "ad_id": 500_000 + ad,
        "campaign_name": np.char.add("Campaign ", (ad // 20).astype(str)),
        "impressions": rng.integers(100, 20_000, rows),
        "clicks": rng.integers(0, 600, rows),
    })
    for channel in CHANNELS:
        frame[f"{channel}_spend"] = np.round(rng.uniform(0, 80, rows), 2)
    return frame


def channel_csv(folder: Path, rows: int) -> Path:
    path = folder / f"channels_{rows}.csv"
    if not path.exists():
        channel_frame(rows).to_csv(path, index=False)
    return path


def read_channel_csv(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    """pandas.read_csv of the per-ad file with five spend columns: the yardstick."""
    path = channel_csv(bench.folder, rows)
    return best_of(lambda: pd.read_csv(path), 3)


def import_channel_csv(bench, rows: int) -> float:  # noqa: ANN001 - bench.run.Bench
    """That file imported with its five spend columns as one metric, one channel each (as suggested)."""
    return timed_imports(bench, channel_csv(bench.folder, rows), f"channel_import_{rows}")
