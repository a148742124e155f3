"""Sources of record in AppTest: the scorecard reconciles the demo's two reports; the Data page chooses."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.period_picker import MONTH_KEY
from db.engine import engine_for, session_scope
from db.ingest import ingest
from db.overlaps import OverlapChoice
from db.queries import monthly_data
from db.sources import record_reconciliations, sources_of_record
from db.workspaces import WorkspaceIn, create_workspace
from metrics.formatting import MASK
from metrics.people import unverified_name
from metrics.periods import month_label
from sample_data.seed import SAMPLE_SOURCE
from sample_data.sources import ATTRIBUTION_SOURCE
from tests.apptest_helpers import demo_workspace_id, open_page

SOURCED = "marketing_sourced_revenue"
COLUMNS = ["Month", "Source of record", "Its value", "Other source", "Other value", "Variance", "Check"]


def reconciled_months(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns) == COLUMNS)


@pytest.fixture
def northwind(seeded_url: str) -> int:
    return demo_workspace_id(seeded_url, "Northwind Analytics")


def test_the_scorecard_reconciles_marketing_against_the_source_of_record(northwind: int, seeded_url: str) -> None:
    at = open_page("pages/scorecard.py", northwind)
    month = at.session_state[MONTH_KEY]
    with session_scope(engine_for(seeded_url)) as session:
        [expected] = record_reconciliations(session, northwind, month)
    table = reconciled_months(at)
    assert len(table) == 12 and table["Month"].iloc[0] == month_label(month)  # newest first
    assert set(table["Source of record"]) == {SAMPLE_SOURCE} and set(table["Other source"]) == {ATTRIBUTION_SOURCE}
    latest = expected.months[-1].check
    assert table.iloc[0]["Variance"] == f"{latest.variance_pct * 100:+.1f}%" == "+8.3%"
    assert table.iloc[0]["Check"] == "Above 5%: reconcile"
    flagged = len(expected.flagged_months)
    assert (table["Check"] == "Above 5%: reconcile").sum() == flagged >= 2
    assert any(f"{flagged} of the last 12 months above 5%" in m.value and "source of record" in m.value
               for m in at.markdown)

    next(n for n in at.number_input if n.label.startswith("Flag differences")).set_value(9.0).run()
    assert not at.exception, at.exception
    assert (reconciled_months(at)["Check"] == "Within tolerance").all()  # 2-9%: nothing above 9%


def test_share_safe_hides_the_amounts_but_keeps_the_variance(northwind: int) -> None:
    at = open_page("pages/scorecard.py", northwind, share_safe=True)
    table = reconciled_months(at)
    assert set(table["Its value"]) == {MASK} and set(table["Other value"]) == {MASK}
    assert table.iloc[0]["Variance"] == "+8.3%" and table.iloc[0]["Check"] == "Above 5%: reconcile"


@pytest.fixture
def two_reports(sqlite_url: str) -> int:
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Acme", currency="USD")).id
    for source, value in (("Finance ledger", 100.0), ("Marketing attribution report", 107.0)):
        frame = pd.DataFrame({"date": ["2026-01-01"], "metric": [SOURCED], "value": [str(value)]})
        ingest(engine, workspace_id, frame, source_name=source, today=dt.date(2026, 11, 1),
               overlap=OverlapChoice.SEGMENT)  # two reports added up until a source of record is chosen
    return workspace_id


def sourced(sqlite_url: str, workspace_id: int) -> float:
    with session_scope(engine_for(sqlite_url)) as session:
        return monthly_data(session, workspace_id, [SOURCED])[SOURCED][dt.date(2026, 1, 1)].value


def test_choosing_and_clearing_the_source_of_record_on_the_data_page(two_reports: int, sqlite_url: str) -> None:
    at = open_page("pages/data.py", two_reports)
    choices = next(d.value for d in at.dataframe if "What counts" in d.value.columns)
    assert choices.to_dict("records") == [{"Metric": "Marketing-sourced revenue",
                                           "Sources": "Finance ledger, Marketing attribution report",
                                           "What counts": "Add up every source", "Chosen by": ""}]
    assert sourced(sqlite_url, two_reports) == 207.0
    at.text_input(key="_person_name_widget").set_value("Dana")
    at.selectbox(key=f"record_source_{two_reports}_{SOURCED}").set_value("Finance ledger").run()
    at.button(key=f"record_save_{two_reports}").click().run()
    assert not at.exception, at.exception
    assert any("only 'Finance ledger' counts now" in s.value for s in at.success)
    assert sourced(sqlite_url, two_reports) == 100.0
    with session_scope(engine_for(sqlite_url)) as session:
        assert sources_of_record(session, two_reports)[SOURCED].set_by == unverified_name("Dana")
    choices = next(d.value for d in at.dataframe if "What counts" in d.value.columns)
    assert choices["What counts"].tolist() == ["Finance ledger"]
    assert choices["Chosen by"][0].startswith(f"{unverified_name('Dana')}, ")

    at.selectbox(key=f"record_source_{two_reports}_{SOURCED}").select_index(0).run()
    at.button(key=f"record_save_{two_reports}").click().run()
    assert any("every source is added up again" in s.value for s in at.success)
    assert sourced(sqlite_url, two_reports) == 207.0
