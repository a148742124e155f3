"""How the portfolio scales with companies: 100 companies of 36 months each, on SQLite and on PostgreSQL.

    python -m bench.portfolio_bench                  # 100 companies; PostgreSQL too when a URL is given
    python -m bench.portfolio_bench --postgresql postgresql+psycopg://user:password@127.0.0.1:5432/db
    python -m bench.portfolio_bench --companies 10   # a quick look

Each company is a ``sample_data.generator`` profile varied by seed (B2B SaaS or consumer subscription, a
vanity push in its last 0, 3 or 6 months), its generated figures rolled up to months by the importer's own
roll-up and written with ``db.ingest.ingest`` (``--daily`` writes the raw daily rows instead: slower to build,
the same month totals). Each then gets a signed agreement of five KPIs with targets around its own actuals,
the month's confidence votes, actions (some overdue), a closed review, a cadence and a SQL source for some.

Timed:

* ``portfolio``: what the page reads through ``service`` (``portfolio_coverage`` for the month picker, then
  ``portfolio``), nothing cached, best of seven (goal: at most 1 s), with the median and the CPU time;
* ``cached``: the rows answered from the cache;
* ``fresh_eng``: ``db.portfolio.read_portfolio`` on a new engine and connection;
* ``one_view`` of the same company in a database of 2 companies and of all of them, cold
  (``bench.run.one_view_cards``, median of 15, alternating): the ratio's goal is at most 1.2.

The PostgreSQL URL names a server and a role that may create databases: the benchmark works in a database of
its own, dropped at the end. Prints the figures and saves them to bench/results/portfolio.txt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import clock
from bench.run import one_view_cards
from db import service
from db.access import SINGLE_USER
from db.engine import engine_for, session_scope
from db.import_models import SqlSource
from db.ingest import ingest
from db.meetings import save_cadence
from db.portfolio import read_portfolio
from db.queries import monthly_data
from db.review import ActionIn, add_action, close_month
from db.scorecard import cast_vote, save_draft, sign_agreement
from db.workspaces import WorkspaceIn, create_workspace
from metrics.agreement import Role
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.meetings import Cadence
from metrics.periods import Month, add_months
from metrics.rollup import monthly_rollup
from metrics.scorecard import KpiTerms
from metrics.series import monthly_values
from sample_data.generator import DEFAULT_SEED, CompanyProfile, generate, last_complete_month

RESULTS = Path(__file__).resolve().parent / "results"
PORTFOLIO_GOAL_SECONDS = 1.0
ONE_VIEW_GOAL_RATIO = 1.2
KINDS = ("b2b_saas", "consumer_subscription")
KPIS = {
    "b2b_saas": (("pipeline_created", Mandate.GROWTH), ("new_bookings", Mandate.GROWTH), ("cac", Mandate.GROWTH),
                 ("nrr", Mandate.GROWTH), ("nps", Mandate.BRAND)),
    "consumer_subscription": (("new_customers", Mandate.GROWTH), ("churn_rate", Mandate.GROWTH),
                              ("revenue", Mandate.GROWTH), ("nps", Mandate.BRAND),
                              ("decision_confidence", Mandate.BRAND)),
}


# --- The companies ------------------------------------------------------------------------------------


def profile(index: int) -> CompanyProfile:
    """The ``index``-th company: its kind and vanity push vary with it."""
    return CompanyProfile(name=f"Client {index + 1:03d}", currency=("USD", "EUR", "GBP")[index % 3],
                          color="#1f4e79", fiscal_year_start_month=1 + index % 12, kind=KINDS[index % 2],
                          vanity_months=(0, 3, 6)[index % 3], story="A benchmark company.")


def monthly_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The generated rows rolled up to months by the importer's own roll-up, as long rows dated the 1st."""
    rolled = monthly_rollup(frame, STANDARD_CATALOG)
    return pd.DataFrame({"date": pd.to_datetime(rolled["month"]), "metric": rolled["metric_key"],
                         "value": rolled["value"], "segment": rolled["segment"], "weight": rolled["weight"]})


def _targets(data: dict, key: str, months: list[Month], rng: np.random.Generator) -> dict[Month, float]:
    """Targets around the company's own actuals: some KPIs on track, some at risk, some off track."""
    level = rng.uniform(0.85, 1.2)
    actuals = monthly_values(STANDARD_CATALOG, key, data, months)
    return {m: round(v * level * rng.uniform(0.97, 1.03), 4) for m, v in actuals.items() if v}


def _agree(session, workspace_id: int, kind: str, rng: np.random.Generator) -> Month:  # noqa: ANN001 - a Session
    """A signed agreement of five KPIs and the newest month's confidence votes; returns the newest month."""
    data = monthly_data(session, workspace_id)
    months = sorted({m for points in data.values() for m in points})
    kpis = [KpiTerms(metric_key=key, mandate=mandate, owner_name="Owner", owner_role="CMO",
                     targets=_targets(data, key, months, rng)) for key, mandate in KPIS[kind]]
    draft = save_draft(session, workspace_id, kpis, based_on=None, by="bench")
    sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, "CEO")
    sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, "CMO")
    for key, _mandate in KPIS[kind]:
        for role in (Role.CEO, Role.CMO):
            cast_vote(session, workspace_id, key, months[-1], role, int(rng.integers(1, 6)), voter=role.value)
    return months[-1]


def _review_life(engine, workspace_id: int, index: int, latest: Month) -> None:  # noqa: ANN001 - an Engine
    """Actions agreed last month (one late), last month's review closed for half, a cadence and a SQL source for
    some."""
    before = add_months(latest, -1)
    with session_scope(engine) as session:
        for days, title in ((5, "Call the largest lost prospects"), (40, "Rebuild the sourced-revenue report")):
            add_action(session, workspace_id, before, ActionIn(title=title, owner="CMO",
                                                               due=add_months(before, 1) + dt.timedelta(days=days)))
        if index % 3 == 0:
            save_cadence(session, workspace_id, Cadence(weekday=index % 5, week=(1, 2, 3, -1)[index % 4]))
        if index % 10 == 0:
            session.add(SqlSource(workspace_id=workspace_id, name="Finance warehouse", url="", masked_url="",
                                  query="SELECT 1", refreshed_at=clock.now() - dt.timedelta(days=40)))
    if index % 2 == 0:
        with session_scope(engine) as session:
            close_month(session, workspace_id, before, "Bench CEO")


def add_company(url: str, index: int, daily: bool, end: Month) -> int:
    """Create the ``index``-th company with its figures, agreement and review; returns its id."""
    engine = engine_for(url)
    company = profile(index)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name=company.name, currency=company.currency)).id
    frame = generate(company, end, seed=DEFAULT_SEED + index)
    ingest(engine, workspace_id, frame if daily else monthly_rows(frame), source_name="bench")
    with session_scope(engine) as session:
        latest = _agree(session, workspace_id, company.kind, np.random.default_rng(index))
    _review_life(engine, workspace_id, index, latest)
    return workspace_id


# --- The databases --------------------------------------------------------------------------------------


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A throw-away PostgreSQL database on the server of ``admin_url``, dropped afterwards."""
    name = f"alignboard_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        engine_for.cache_clear()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def using_database(url: str) -> Iterator[None]:
    """Point the app's settings (what ``service`` reads) at ``url`` for a while."""
    before = os.environ.get("ALIGNBOARD_DATABASE_URL")
    os.environ["ALIGNBOARD_DATABASE_URL"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ALIGNBOARD_DATABASE_URL", None)
        else:
            os.environ["ALIGNBOARD_DATABASE_URL"] = before


# --- Timing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Repeated runs of one read: the best and the median wall time, and the median CPU time of this process."""

    best: float
    median: float
    cpu: float


def timed(run: Callable[[], object], repeats: int = 7) -> Timing:
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(min(walls), statistics.median(walls), statistics.median(cpus))


@dataclass(frozen=True)
class EngineResult:
    engine: str
    companies: int
    build_seconds: float
    portfolio: Timing
    portfolio_cached: Timing
    portfolio_fresh_engine: Timing
    one_view_small: float
    one_view_big: float

    @property
    def ratio(self) -> float:
        return self.one_view_big / self.one_view_small


def _portfolio_timings(url: str, ids: list[int], month: Month, today: dt.date) -> tuple[Timing, Timing, Timing]:
    """The page's two reads (the months for the picker, then the rows) with nothing cached; the same from the
    cache; the rows on a new engine."""
    with using_database(url):
        def uncached() -> None:
            service._company_coverage.clear()  # noqa: SLF001 - the benchmark times the reads behind the cache
            service._portfolio.clear()  # noqa: SLF001
            service.portfolio_coverage(SINGLE_USER, single_user=True)
            assert len(service.portfolio(SINGLE_USER, month, today, single_user=True)) == len(ids)

        cold = timed(uncached)
        cached = timed(lambda: service.portfolio(SINGLE_USER, month, today, single_user=True))

    def fresh_engine() -> None:
        engine = create_engine(url)
        try:
            read_portfolio(engine, ids, month, today)
        finally:
            engine.dispose()
    return cold, cached, timed(fresh_engine, 5)


def _one_view_timings(small: tuple[str, int], big: tuple[str, int], repeats: int = 15) -> tuple[float, float]:
    """The same company's cold One View in the small and the big database, alternating so noise hits both."""
    small_times, big_times = [], []
    for _ in range(repeats):
        for (url, workspace_id), times in ((small, small_times), (big, big_times)):
            start = time.perf_counter()
            one_view_cards(url, workspace_id)
            times.append(time.perf_counter() - start)
    return statistics.median(small_times), statistics.median(big_times)


def bench_engine(name: str, big_url: str, small_url: str, companies: int, daily: bool) -> EngineResult:
    """Fill the big database with ``companies`` companies and the small one with the first two; time them."""
    end, today = last_complete_month(), clock.today()
    start = time.perf_counter()
    ids = [add_company(big_url, i, daily, end) for i in range(companies)]
    build = time.perf_counter() - start
    small_ids = [add_company(small_url, i, daily, end) for i in range(2)]
    portfolio, cached, fresh = _portfolio_timings(big_url, ids, end, today)
    one_small, one_big = _one_view_timings((small_url, small_ids[0]), (big_url, ids[0]))
    return EngineResult(name, companies, build, portfolio, cached, fresh, one_small, one_big)


# --- Report ---------------------------------------------------------------------------------------------


def report(results: list[EngineResult], daily: bool) -> str:
    companies = results[0].companies if results else 0
    rows = "daily rows" if daily else "monthly rows"
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    lines = [f"Alignboard portfolio benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {companies} companies x 36 "
             f"months ({rows}), load average {load} on {os.cpu_count()} cores", "",
             f"{'seconds':<11} {'build':>7} {'portfolio':>10} {'median':>7} {'cpu':>6} {'cached':>7} "
             f"{'fresh_eng':>10} {'one_view_2':>11} {f'one_view_{companies}':>13} {'ratio':>6}"]
    for r in results:
        cold, cached, fresh = r.portfolio, r.portfolio_cached, r.portfolio_fresh_engine
        lines.append(f"{r.engine:<11} {r.build_seconds:>7.1f} {cold.best:>10.3f} {cold.median:>7.3f} {cold.cpu:>6.3f} "
                     f"{cached.median:>7.3f} {fresh.best:>10.3f} {r.one_view_small:>11.4f} {r.one_view_big:>13.4f} "
                     f"{r.ratio:>5.2f}x")
    lines += ["", "portfolio: the page's reads through service (the months for the picker, then every company's row),",
              "nothing cached, best of 7 (the machine's noise only ever adds time), with the median and this process's",
              "CPU time (on SQLite the whole work; PostgreSQL's server works apart); cached: the rows from the cache;",
              "fresh_eng: db.portfolio.read_portfolio on a new engine, best of 5; one_view_N: a cold One View load of",
              "the same company in a database of N companies, median of 15, alternating.", ""]
    for r in results:
        lines.append(f"{r.engine}: portfolio of {r.companies} companies {r.portfolio.best:.3f} s (goal <= "
                     f"{PORTFOLIO_GOAL_SECONDS} s) {_verdict(r.portfolio.best <= PORTFOLIO_GOAL_SECONDS)}; One View "
                     f"with {r.companies} / with 2 companies {r.ratio:.2f}x (goal <= {ONE_VIEW_GOAL_RATIO}x) "
                     f"{_verdict(r.ratio <= ONE_VIEW_GOAL_RATIO)}")
    return "\n".join(lines) + "\n"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100, help="how many companies (default 100)")
    parser.add_argument("--postgresql", metavar="URL", default=os.environ.get("ALIGNBOARD_BENCH_POSTGRESQL_URL"),
                        help="a PostgreSQL server to run on as well (or ALIGNBOARD_BENCH_POSTGRESQL_URL)")
    parser.add_argument("--daily", action="store_true", help="write the generated daily rows (slower to build)")
    return parser.parse_args(argv)


def run(companies: int, postgresql: str | None, daily: bool, folder: Path) -> str:
    results = [bench_engine("sqlite", f"sqlite:///{folder / 'big.db'}", f"sqlite:///{folder / 'small.db'}",
                            companies, daily)]
    if postgresql:
        with postgres_database(postgresql) as big, postgres_database(postgresql) as small:
            results.append(bench_engine("postgresql", big, small, companies, daily))
    return report(results, daily)


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    with tempfile.TemporaryDirectory(prefix="alignboard-portfolio-bench-") as folder:
        text_report = run(args.companies, args.postgresql, args.daily, Path(folder))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "portfolio.txt").write_text(text_report)
    print(text_report)  # noqa: T201 - the benchmark's report


if __name__ == "__main__":
    main()
