"""The command line does all of it: map columns, choose what a second source is, list and undo imports, and
print the figures the pages show."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

import cli
from db.engine import session_scope
from db.imports import import_history

WEEKS = pd.date_range("2026-06-01", "2026-08-31", freq="7D")  # Mondays; the last week reaches 6 Sep


@pytest.fixture
def weekly(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"Week starting": WEEKS.strftime("%Y-%m-%d"),
                          "Spend TV": rng.integers(100, 900, len(WEEKS)),
                          "Spend Search": rng.integers(100, 900, len(WEEKS)),
                          "Sales": rng.integers(5_000, 9_000, len(WEEKS))})
    path = tmp_path / "weekly mix.csv"
    frame.to_csv(path, index=False)
    return path, frame


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_month(frame: pd.DataFrame, column: str) -> dict[str, float]:
    """Each week's value spread over its seven days, summed by calendar month: the test's own arithmetic."""
    days = pd.DataFrame({"day": pd.to_datetime(frame["Week starting"]).repeat(7).to_numpy()
                         + np.tile(np.arange(7), len(frame)) * np.timedelta64(1, "D"),
                         "value": frame[column].repeat(7).to_numpy() / 7})
    return days.groupby(days["day"].dt.strftime("%Y-%m"))["value"].sum().to_dict()


def figures(capsys: pytest.CaptureFixture, *extra: str) -> list[dict[str, str]]:
    code, out, err = run(capsys, "figures", "--workspace", "Test Co", *extra)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "month,metric,segment,value,coverage"
    return list(csv.DictReader(io.StringIO(out)))


def test_columns_mapped_on_the_command_line_into_one_metric_by_channel(
        capsys: pytest.CaptureFixture, weekly: tuple[Path, pd.DataFrame], engine: Engine, workspace_id: int) -> None:
    path, frame = weekly
    code, out, err = run(capsys, "import", str(path), "--workspace", "Test Co", "--date", "Week starting",
                         "--map", "Spend TV=marketing_spend:tv", "--map", "Spend Search=marketing_spend:search",
                         "--map", "Sales=revenue", "--by", "Dana")
    assert (code, err) == (0, ""), err
    assert "Partial month: Marketing spend, Sep 2026 (partial: 6 of 30 days)" in out
    rows = figures(capsys, "--metric", "marketing_spend")
    tv, search = by_month(frame, "Spend TV"), by_month(frame, "Spend Search")
    totals = {r["month"]: float(r["value"]) for r in rows if r["segment"] == ""}
    assert totals == pytest.approx({m: tv[m] + search[m] for m in tv})
    channels = {(r["month"], r["segment"]): float(r["value"]) for r in rows if r["segment"]}
    assert channels[("2026-07", "tv")] == pytest.approx(tv["2026-07"])
    assert channels[("2026-07", "search")] == pytest.approx(search["2026-07"])
    coverage = {r["month"]: float(r["coverage"]) for r in rows if r["segment"] == ""}
    assert coverage == {"2026-06": 1.0, "2026-07": 1.0, "2026-08": 1.0, "2026-09": pytest.approx(6 / 30)}


def test_figures_for_one_month_include_computed_metrics(capsys: pytest.CaptureFixture, tmp_path: Path,
                                                        engine: Engine, workspace_id: int) -> None:
    path = tmp_path / "ads.csv"
    path.write_text("Month,Impressions,Clicks\n2026-09,10000,250\n2026-10,20000,300\n")
    assert run(capsys, "import", str(path), "--workspace", "Test Co")[0] == 0
    rows = figures(capsys, "--month", "2026-10")
    assert {r["metric"]: float(r["value"]) for r in rows} == {"impressions": 20000, "clicks": 300,
                                                               "ctr": pytest.approx(0.015)}
    assert {r["month"] for r in rows} == {"2026-10"} and {r["coverage"] for r in rows} == {"1"}


def test_a_second_source_is_refused_until_the_command_says_what_it_is(
        capsys: pytest.CaptureFixture, tmp_path: Path, engine: Engine, workspace_id: int) -> None:
    finance, shop = tmp_path / "finance.csv", tmp_path / "shop.csv"
    finance.write_text("Month,Revenue\n2026-09,1000\n2026-10,1100\n")
    shop.write_text("Month,Revenue\n2026-10,50\n")
    assert run(capsys, "import", str(finance), "--workspace", "Test Co")[0] == 0
    code, _, err = run(capsys, "import", str(shop), "--workspace", "Test Co")
    assert code == 2
    assert "Revenue for Oct 2026 already comes from finance.csv" in err
    assert "--replace, --as-comparison or --as-segment" in err
    code, out, _ = run(capsys, "import", str(shop), "--workspace", "Test Co", "--dry-run")
    assert code == 0 and "Importing needs a choice" in out
    assert run(capsys, "import", str(shop), "--workspace", "Test Co", "--as-segment")[0] == 0
    assert {r["month"]: float(r["value"]) for r in figures(capsys, "--metric", "revenue")
            if r["segment"] == ""} == {"2026-09": 1000, "2026-10": 1150}


def test_a_copy_under_another_name_is_caught_and_replace_does_not_double(
        capsys: pytest.CaptureFixture, tmp_path: Path, engine: Engine, workspace_id: int) -> None:
    original, copy = tmp_path / "report.csv", tmp_path / "report (1).csv"
    original.write_text("Month,Revenue\n2026-09,1000\n")
    copy.write_bytes(original.read_bytes())
    assert run(capsys, "import", str(original), "--workspace", "Test Co")[0] == 0
    code, _, err = run(capsys, "import", str(copy), "--workspace", "Test Co", "--source", "Other")
    assert code == 2 and "identical to report.csv imported on" in err
    assert run(capsys, "import", str(copy), "--workspace", "Test Co", "--source", "Other", "--replace")[0] == 0
    assert [float(r["value"]) for r in figures(capsys, "--metric", "revenue")] == [1000.0]


def test_imports_are_listed_and_undone_from_the_command_line(capsys: pytest.CaptureFixture, tmp_path: Path,
                                                             engine: Engine, workspace_id: int) -> None:
    path = tmp_path / "finance.csv"
    path.write_text("Month,Revenue\n2026-09,1000\n")
    assert run(capsys, "import", str(path), "--workspace", "Test Co", "--by", "Dana")[0] == 0
    with session_scope(engine) as session:
        [entry] = import_history(session, workspace_id)
    code, out, _ = run(capsys, "imports", "--workspace", "Test Co")
    assert code == 0 and out.startswith(f"#{entry.batch_id}\tactive\t") and "\tDana\t" in out
    assert "finance.csv" in out and "Sep 2026 – Sep 2026" in out
    code, out, _ = run(capsys, "undo", str(entry.batch_id))
    assert code == 0 and f"Import #{entry.batch_id} of Test Co undone" in out
    assert figures(capsys) == []
    code, _, err = run(capsys, "undo", str(entry.batch_id))
    assert code == 1 and "not an active import" in err
    assert run(capsys, "undo", "999")[2].strip() == "Error: there is no import #999"


def test_a_bad_map_names_what_can_be_mapped(capsys: pytest.CaptureFixture, tmp_path: Path, engine: Engine,
                                            workspace_id: int) -> None:
    path = tmp_path / "finance.csv"
    path.write_text("Month,Revenue\n2026-09,1000\n")
    code, _, err = run(capsys, "import", str(path), "--workspace", "Test Co", "--map", "Revenue=ctr")
    assert code == 1 and "'ctr' is computed from other metrics" in err
    code, _, err = run(capsys, "import", str(path), "--workspace", "Test Co", "--map", "Takings=revenue")
    assert code == 1 and "the file has no column 'Takings' (columns: Month, Revenue)" in err
