"""The fault run: hostile files, concurrent imports and killed imports lose, double and tear nothing.

    python -m bench.faults            # every hostile file, 10 concurrent pairs and 5 kills per database
    python -m bench.faults --quick    # the small files, 3 pairs and 2 kills: about a minute or two

It prints, and saves to ``bench/results/faults.txt``:

- hostile files: files tried, unhandled exceptions (a raw error, or the reader's own "fault on our side"),
  partial writes (a refused import or a dry run that changed any table's row count, or an accepted one that
  did not add exactly one import) and figures stored that are not finite;
- concurrent same-source imports, on SQLite and (when ALIGNBOARD_TEST_DATABASE_URL is set) PostgreSQL: two
  threads import two versions of one source at once; doubled batches are active batches beyond one per
  source and metric-month, totals off are month totals that differ from a recomputation from the stored
  figures, and mixed results are sources whose figures are neither one version nor the other;
- imports killed with SIGKILL at a random moment, on both databases: partial batches left (an active import
  whose figures are not all there) and totals off;
- the time and peak memory (a subprocess's RSS, from getrusage) of the worst hostile files: the CPU seconds of
  their import, which a busy machine does not change, and the wall seconds beside them.

Goals: every count zero; the worst file under 5 CPU seconds and 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, func, select, text

import clock
import db.all_models  # noqa: F401 - every table, so every table is counted
from bench.hostile import HostileFile, corpus, forced_mapping
from db.base import Base
from db.engine import WriteBusy, engine_for, session_scope
from db.imports import import_table
from db.models import ImportBatch, MonthTotal, Observation
from db.workspaces import WorkspaceIn, create_workspace
from importers.problems import ReadFailure
from importers.reading import read_file
from importers.suggest import suggest
from metrics.catalog import STANDARD_CATALOG
from metrics.validation import ImportRejected

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ENV = "ALIGNBOARD_TEST_DATABASE_URL"
TODAY = dt.date(2026, 11, 16)
FILE_SECONDS = 60  # CPU seconds: a file still being read after this is counted as a fault (it would hang a page)
GOAL_SECONDS, GOAL_MB = 5.0, 500.0
KILL_ROWS = 150_000  # the file a killed import is importing: large enough to be killed mid-way
TOLERANCE = 1e-6


# --- Counting ------------------------------------------------------------------------------------


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows of every table of the schema."""
    tables = Base.metadata.sorted_tables
    counts = select(*[select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables])
    with engine.connect() as connection:  # one statement, so the counts are of one moment
        return dict(connection.execute(counts).one()._mapping)


# An accepted import writes these and nothing else (data_version: the first write of a new company starts its counter).
TABLES_AN_IMPORT_WRITES = frozenset({"import_batch", "observation", "metric_month_total", "custom_metric",
                                     "data_version"})


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after if after[name] != before.get(name)}


def non_finite_figures(engine: Engine) -> int:
    """Stored figures and month totals that are NaN or infinite (no page may ever show one)."""
    with session_scope(engine) as session:
        values = [*session.scalars(select(Observation.value)), *session.scalars(select(MonthTotal.value))]
    return int((~np.isfinite(np.asarray(values, dtype=float))).sum())


def totals_off(engine: Engine, workspace_id: int) -> int:
    """Month totals that differ from the sum of the current figures (no sources of record here)."""
    with session_scope(engine) as session:
        figures = session.execute(select(Observation.metric_key, Observation.month, Observation.value).where(
            Observation.workspace_id == workspace_id, Observation.superseded_by.is_(None))).all()
        totals = session.execute(select(MonthTotal.metric_key, MonthTotal.month, MonthTotal.value).where(
            MonthTotal.workspace_id == workspace_id)).all()
    expected: dict[tuple[str, dt.date], float] = {}
    for key, month, value in figures:
        expected[(key, month)] = expected.get((key, month), 0.0) + value
    stored = {(key, month): value for key, month, value in totals}
    keys = set(expected) | set(stored)
    return sum(1 for k in keys if k not in expected or k not in stored
               or abs(expected[k] - stored[k]) > TOLERANCE * max(1.0, abs(expected[k])))


def doubled_batches(engine: Engine, workspace_id: int) -> int:
    """Active batches beyond one per source and metric-month."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Observation.source_name, Observation.metric_key, Observation.month,
                   func.count(func.distinct(Observation.batch_id)))
            .where(Observation.workspace_id == workspace_id, Observation.superseded_by.is_(None))
            .group_by(Observation.source_name, Observation.metric_key, Observation.month)).all()
    return sum(batches - 1 for *_, batches in rows if batches > 1)


def partial_batches(engine: Engine, workspace_id: int, expected: int) -> int:
    """Active imports whose figures are not all there (each should hold ``expected`` figures)."""
    with session_scope(engine) as session:
        held = dict(session.execute(
            select(ImportBatch.id, func.count(Observation.id)).outerjoin(Observation,
                                                                         Observation.batch_id == ImportBatch.id)
            .where(ImportBatch.workspace_id == workspace_id, ImportBatch.status == "active")
            .group_by(ImportBatch.id)).all())
    return sum(1 for count in held.values() if count != expected)


def new_workspace(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        return create_workspace(session, WorkspaceIn(name=name[:120], currency="USD")).id


# --- Hostile files -------------------------------------------------------------------------------


@dataclass
class FileRun:
    """What trying the hostile files found."""

    tried: int = 0
    unhandled: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    non_finite: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def slowest(self, count: int) -> list[str]:
        return sorted(self.seconds, key=self.seconds.get, reverse=True)[:count]


def worst_candidates(files: list[HostileFile], run: FileRun, count: int) -> list[HostileFile]:
    """The slowest files of the run and the largest (the most a file can make the reader hold)."""
    largest = [f.name for f in sorted(files, key=lambda f: -len(f.data))[:count]]
    chosen = set(run.slowest(count)) | set(largest)
    return [f for f in files if f.name in chosen]


class TooSlow(BaseException):
    """Not an Exception: no handler on the way may take it for the file's fault and carry on."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop a file that takes more than ``seconds`` of CPU (only where signals can: the main thread). CPU, not
    the clock: a machine busy with other work must not make a file look slow."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signal: int, _frame: object) -> None:
        raise TooSlow(f"still running after {seconds} CPU seconds")

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def try_file(engine: Engine, file: HostileFile, run: FileRun) -> None:
    """The whole path for one file, with the suggested mapping and with every column forced into a figure."""
    run.tried += 1
    start = time.perf_counter()
    try:
        with time_limit(FILE_SECONDS):
            _import_every_way(engine, file, run)
    except TooSlow as slow:
        run.unhandled.append(f"{file.name}: {slow}")
    except ReadFailure as failure:
        run.unhandled.append(f"{file.name}: the reader's own fault ({failure.__cause__!r})"[:300])
    except Exception as error:  # noqa: BLE001 - exactly what the run counts
        run.unhandled.append(f"{file.name}: {type(error).__name__}: {error}"[:300])
    run.seconds[file.name] = time.perf_counter() - start


def _import_every_way(engine: Engine, file: HostileFile, run: FileRun) -> None:
    try:
        table = read_file(file.name, file.data, max_mb=500)
    except ReadFailure:
        raise
    except ImportRejected as refused:
        if not refused.problems or not all(p.reason for p in refused.problems):
            run.unhandled.append(f"{file.name}: refused without a reason")
        return
    for label, mapping in (("suggested", suggest(table, STANDARD_CATALOG)), ("forced", forced_mapping(table.columns))):
        mapping.source_name = f"{label} {file.name}"
        workspace_id = new_workspace(engine, f"{label} {file.name} {uuid.uuid4().hex[:6]}")  # no other source
        for dry_run in (True, False):
            before = table_counts(engine)
            outcome = import_table(engine, workspace_id, table, mapping, created_by="faults", dry_run=dry_run,
                                   today=TODAY)
            difference = changed(before, table_counts(engine))
            wrote_once = set(difference) <= TABLES_AN_IMPORT_WRITES \
                and difference.get("import_batch") == 1 and difference.get("observation", 0) > 0
            if outcome.accepted and not dry_run and not wrote_once:
                run.partial.append(f"{file.name} ({label}): accepted, but the tables changed by {difference}")
            elif (dry_run or not outcome.accepted) and difference:
                run.partial.append(f"{file.name} ({label}, {'dry run' if dry_run else 'refused'}): {difference}")
            if not outcome.accepted and not all(str(p) for p in outcome.problems):
                run.unhandled.append(f"{file.name} ({label}): refused without a reason")


def run_files(engine: Engine, files: list[HostileFile]) -> FileRun:
    run = FileRun()
    for file in files:
        try_file(engine, file, run)
    run.non_finite = non_finite_figures(engine)
    return run


# --- Concurrent imports of one source ------------------------------------------------------------


@dataclass
class PairRun:
    pairs: int = 0
    doubled: int = 0
    totals_off: int = 0
    mixed: int = 0
    busy: int = 0  # imports told to try again (the other held the lock too long): not a fault
    errors: list[str] = field(default_factory=list)


def version(pair: int, which: int) -> tuple[HostileFile, pd.DataFrame]:
    """One version of a source: daily revenue and clicks, the second version's figures different."""
    frame = pd.DataFrame({"Date": pd.date_range("2026-01-01", periods=200, freq="D").strftime("%Y-%m-%d"),
                          "Revenue": np.arange(200) * (which + 1) + pair, "Clicks": np.arange(200) + 10 * which})
    return HostileFile(f"pair_{pair}_v{which}.csv", frame.to_csv(index=False).encode(), "a version"), frame


def monthly(frame: pd.DataFrame) -> dict[tuple[str, dt.date], float]:
    months = pd.to_datetime(frame["Date"]).dt.to_period("M").dt.to_timestamp().dt.date
    sums = frame.assign(month=months).groupby("month")[["Revenue", "Clicks"]].sum()
    return {(key, month): float(sums.loc[month, column]) for month in sums.index
            for key, column in (("revenue", "Revenue"), ("clicks", "Clicks"))}


def run_pairs(engine: Engine, pairs: int) -> PairRun:
    """``pairs`` times, two threads import two versions of one source at the same moment."""
    run = PairRun()
    for pair in range(pairs):
        workspace_id = new_workspace(engine, f"pair {pair} {uuid.uuid4().hex[:6]}")  # no other source
        versions = [version(pair, which) for which in (0, 1)]
        if pair:  # the source already has figures: the pair replaces them
            _import_version(engine, workspace_id, pair, versions[0][0], run)
        gate = threading.Barrier(2)
        threads = [threading.Thread(target=_import_version, args=(engine, workspace_id, pair, file, run, gate))
                   for file, _frame in versions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.pairs += 1
        stored = _stored(engine, workspace_id, f"pair {pair}")
        if stored not in [monthly(frame) for _file, frame in versions]:
            run.mixed += 1
        run.doubled += doubled_batches(engine, workspace_id)
        run.totals_off += totals_off(engine, workspace_id)
    return run


def _import_version(engine: Engine, workspace_id: int, pair: int, file: HostileFile, run: PairRun,
                    gate: threading.Barrier | None = None) -> None:
    try:
        table = read_file(file.name, file.data)
        mapping = suggest(table, STANDARD_CATALOG)
        mapping.source_name = f"pair {pair}"
        if gate is not None:
            gate.wait()
        outcome = import_table(engine, workspace_id, table, mapping, created_by="faults", today=TODAY)
        if not outcome.accepted:
            run.errors.append(f"{file.name}: {outcome.problems[:1]}")
    except WriteBusy:
        run.busy += 1
    except Exception as error:  # noqa: BLE001 - counted
        run.errors.append(f"{file.name}: {type(error).__name__}: {error}"[:300])


def _stored(engine: Engine, workspace_id: int, source: str) -> dict[tuple[str, dt.date], float]:
    with session_scope(engine) as session:
        rows = session.execute(select(Observation.metric_key, Observation.month, func.sum(Observation.value))
                               .where(Observation.workspace_id == workspace_id, Observation.source_name == source,
                                      Observation.superseded_by.is_(None))
                               .group_by(Observation.metric_key, Observation.month)).all()
    return {(key, month): float(value) for key, month, value in rows}


# --- Killed imports ------------------------------------------------------------------------------


@dataclass
class KillRun:
    rounds: int = 0
    killed_mid_way: int = 0  # killed before the child finished (the rest finished first)
    partial: int = 0
    totals_off: int = 0
    errors: list[str] = field(default_factory=list)


def big_file(folder: Path, rows: int = KILL_ROWS) -> Path:
    path = folder / f"kill_{rows}.csv"
    if not path.exists():
        days = pd.date_range("2024-01-01", "2026-10-31", freq="D").strftime("%Y-%m-%d").to_numpy()
        index = np.arange(rows)
        channel = np.char.add("Channel ", (index // len(days)).astype(str))  # kept apart: many figures to write
        pd.DataFrame({"Date": days[index % len(days)], "Channel": channel, "Impressions": index % 977,
                      "Clicks": index % 31, "Cost": np.round((index % 101) * 1.5, 2)}).to_csv(path, index=False)
    return path


def child_command(url: str, workspace_id: int, path: Path) -> list[str]:
    return [sys.executable, "-m", "bench.faults", "--child-import", url, str(workspace_id), str(path)]


def child_import(url: str, workspace_id: int, path: Path) -> None:
    """What a killed child does: import the big file (the parent kills it at a random moment)."""
    engine = engine_for(url)
    table = read_file(path.name, path.read_bytes())
    mapping = suggest(table, STANDARD_CATALOG)
    mapping.source_name = "killed"
    outcome = import_table(engine, workspace_id, table, mapping, created_by="faults", today=TODAY,
                           progress=_say_when_writing)
    sys.stdout.write(f"accepted={outcome.accepted} {outcome.problems[:1]}\n")


def _say_when_writing(_share: float, step: str) -> None:
    if step == "Writing":
        sys.stdout.write("writing\n")
        sys.stdout.flush()


def run_kills(url: str, rounds: int, folder: Path, seed: int = 3, rows: int = KILL_ROWS) -> KillRun:
    """Import the big file in a subprocess and kill it with SIGKILL after a random delay, ``rounds`` times."""
    rng = random.Random(seed)
    engine = engine_for(url)
    workspace_id = new_workspace(engine, f"kills {uuid.uuid4().hex[:6]}")
    path = big_file(folder, rows)
    writing, output = _until_writing(url, workspace_id, path)  # one import to the end: how long it writes
    if "accepted=True" not in output:
        return KillRun(errors=[f"the import to kill does not import: {output[-500:]}"])
    expected = _figures_of(engine, workspace_id)
    run = KillRun()
    for _ in range(rounds):
        child = subprocess.Popen(child_command(url, workspace_id, path), stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, cwd=ROOT, text=True)
        for line in child.stdout:  # from the moment it starts writing, a random moment of its writing
            if line.startswith("writing"):
                time.sleep(rng.uniform(0.0, 1.1) * writing)
                break
        if child.poll() is None:
            run.killed_mid_way += 1
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        run.rounds += 1
    run.partial = partial_batches(engine, workspace_id, expected)
    run.totals_off = totals_off(engine, workspace_id)
    return run


def _until_writing(url: str, workspace_id: int, path: Path) -> tuple[float, str]:
    """Import the file to the end: how long it spends writing (from "writing" to its end), and what it said."""
    child = subprocess.Popen(child_command(url, workspace_id, path), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, cwd=ROOT, text=True)
    lines, started = [], None
    for line in child.stdout:
        lines.append(line)
        if line.startswith("writing"):
            started = time.perf_counter()
    child.wait()
    child.stdout.close()
    return time.perf_counter() - (started or time.perf_counter()), "".join(lines)


def _figures_of(engine: Engine, workspace_id: int) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Observation)
                              .where(Observation.workspace_id == workspace_id)) or 0


# --- The worst file, in a subprocess -------------------------------------------------------------

MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "  # its one child
           "use = resource.getrusage(resource.RUSAGE_CHILDREN); print(use.ru_maxrss, use.ru_utime + use.ru_stime)")


@dataclass(frozen=True)
class Measured:
    name: str
    seconds: float  # CPU seconds of the import itself: what the file costs, however busy the machine is
    peak_mb: float
    wall_seconds: float = 0.0


def measure(file: HostileFile, folder: Path) -> Measured:
    """A person's import of the file in a fresh process: its time (inside it) and its peak RSS (from getrusage)."""
    path = folder / file.name
    path.write_bytes(file.data)
    report = folder / f"{file.name}.seconds"
    url = f"sqlite:///{folder / (file.name + '.db')}"
    worker = [sys.executable, "-m", "bench.faults", "--child-file", url, str(path), str(report)]
    result = subprocess.run([sys.executable, "-c", MEASURE, *worker], capture_output=True, text=True, cwd=ROOT)
    if result.returncode or not report.exists():
        return Measured(file.name, float("inf"), float("inf"))  # counted as missed: it failed
    wall, cpu = (float(t) for t in report.read_text().split())
    return Measured(file.name, cpu, int(result.stdout.split()[0]) / 1024, wall)


def child_file(url: str, path: Path, report: Path) -> None:
    """What a person's import of the file costs: read, suggest, preview (a dry run), import."""
    engine = engine_for(url)  # migrated before the clock starts: every import opens a migrated database
    workspace_id = new_workspace(engine, "measured")
    data = path.read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        table = read_file(path.name, data, max_mb=500)
    except ImportRejected:
        pass
    else:
        mapping = suggest(table, STANDARD_CATALOG)
        for dry_run in (True, False):
            import_table(engine, workspace_id, table, mapping, created_by="faults", dry_run=dry_run, today=TODAY)
    report.write_text(f"{time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


# --- The run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    files: list[HostileFile]
    pairs: int
    kills: int
    measured: int  # how many of the slowest (and of the largest) files are measured in a subprocess


def plan(quick: bool) -> Plan:
    return Plan(corpus(quick), pairs=3 if quick else 10, kills=2 if quick else 5, measured=2 if quick else 4)


def engines(folder: Path) -> dict[str, str]:
    urls = {"sqlite": f"sqlite:///{folder / 'faults.db'}"}
    if os.environ.get(PG_ENV):
        urls["postgresql"] = fresh_postgres(os.environ[PG_ENV])
    return urls


def fresh_postgres(admin_url: str) -> str:
    """A database of its own for the run (dropped at the end by ``drop_postgres``)."""
    name = f"alignboard_faults_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin.url.set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin_url: str, url: str) -> None:
    engine_for.cache_clear()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{create_engine(url).url.database}" WITH (FORCE)'))
    admin.dispose()


def run(quick: bool, folder: Path) -> str:
    chosen = plan(quick)
    lines = [f"Alignboard fault run{' (quick)' if quick else ''}, {clock.now():%Y-%m-%d %H:%M} UTC", ""]
    urls = engines(folder)
    counts: list[int] = []
    try:
        files = run_files(engine_for(urls["sqlite"]), chosen.files)
        counts += [len(files.unhandled), len(files.partial), files.non_finite]
        lines += file_lines(files)
        for name, url in urls.items():
            pairs = run_pairs(engine_for(url), chosen.pairs)
            kills = run_kills(url, chosen.kills, folder)
            counts += [pairs.doubled, pairs.totals_off, pairs.mixed, len(pairs.errors), kills.partial,
                       kills.totals_off, len(kills.errors)]
            lines += pair_lines(name, pairs) + kill_lines(name, kills)
        worst = [measure(f, folder) for f in worst_candidates(chosen.files, files, chosen.measured)]
        lines += worst_lines(worst)
        met = not any(counts) and all(m.seconds < GOAL_SECONDS and m.peak_mb < GOAL_MB for m in worst)
        lines += ["", f"Goals (every count zero; worst file < {GOAL_SECONDS:.0f} s CPU and < {GOAL_MB:.0f} MB): "
                      f"{'met' if met else 'MISSED'}"]
    finally:
        if "postgresql" in urls:
            drop_postgres(os.environ[PG_ENV], urls["postgresql"])
    return "\n".join(lines) + "\n"


def file_lines(files: FileRun) -> list[str]:
    lines = ["Hostile files (read, suggested, converted, imported as a dry run and for real; SQLite)",
             f"  files tried                  {files.tried:>6,}",
             f"  unhandled exceptions         {len(files.unhandled):>6,}",
             f"  partial writes               {len(files.partial):>6,}",
             f"  figures stored not finite    {files.non_finite:>6,}"]
    return lines + [f"    {line}" for line in [*files.unhandled, *files.partial][:20]] + [""]


def pair_lines(name: str, pairs: PairRun) -> list[str]:
    lines = [f"Concurrent same-source imports, {name}: {pairs.pairs} pairs",
             f"  doubled batches              {pairs.doubled:>6,}",
             f"  totals off a recomputation   {pairs.totals_off:>6,}",
             f"  mixed results                {pairs.mixed:>6,}",
             f"  imports failed               {len(pairs.errors):>6,}   (told to try again: {pairs.busy})"]
    return lines + [f"    {line}" for line in pairs.errors[:5]] + [""]


def kill_lines(name: str, kills: KillRun) -> list[str]:
    lines = [f"Imports killed with SIGKILL, {name}: {kills.rounds} rounds ({kills.killed_mid_way} mid-way)",
             f"  partial batches left         {kills.partial:>6,}",
             f"  totals off a recomputation   {kills.totals_off:>6,}"]
    return lines + [f"    {line}" for line in kills.errors[:5]] + [""]


def worst_lines(worst: list[Measured]) -> list[str]:
    load = os.getloadavg()[0]
    lines = ["Worst hostile files (each in a fresh process: read, suggest, preview, import; CPU seconds of the import,",
             f"wall seconds with the machine's load average at {load:.1f} on {os.cpu_count()} cores, peak RSS)"]
    for m in sorted(worst, key=lambda m: -m.seconds):
        lines.append(f"  {m.name:<28} {m.seconds:>6.2f} s CPU  {m.wall_seconds:>6.2f} s wall  {m.peak_mb:>7.1f} MB")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small files and fewer rounds")
    parser.add_argument("--child-import", nargs=3, metavar=("URL", "WORKSPACE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-file", nargs=3, metavar=("URL", "FILE", "REPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        child_import(args.child_import[0], int(args.child_import[1]), Path(args.child_import[2]))
        return
    if args.child_file:
        child_file(args.child_file[0], Path(args.child_file[1]), Path(args.child_file[2]))
        return
    with tempfile.TemporaryDirectory(prefix="alignboard-faults-") as folder:
        report = run(args.quick, Path(folder))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "faults.txt").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
