"""The scorecard and KPI agreement pages in AppTest: the agreement flow, the tables, saving, conflicts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import clock
from components.period_picker import MONTH_KEY
from components.text import plain
from db.engine import engine_for, session_scope
from db.indicators import IndicatorIn, adopt_indicator
from db.ingest import ingest
from db.scorecard import (
    agreement_versions,
    current_agreement,
    leadership_system,
    open_draft,
    save_draft,
    scorecard_for_month,
    sign_agreement,
)
from db.workspaces import WorkspaceIn, create_workspace
from metrics.agreement import Role
from metrics.catalog import Mandate
from metrics.one_view import card_keys
from metrics.people import unverified_name
from metrics.scorecard import KpiTerms
from metrics.status import Rag
from tests.apptest_helpers import demo_workspace_id, open_page

SCORECARD, AGREEMENT = "pages/scorecard.py", "pages/agreement.py"
FOUR = ["new_bookings", "win_rate", "cac", "nps"]


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


@pytest.fixture
def fresh(sqlite_url: str) -> int:
    """A new client with a year of a few figures and nothing agreed."""
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Fresh Co", currency="EUR")).id
    rows = [(f"2025-{m:02d}-01", key, value) for m in range(1, 13)
            for key, value in (("new_bookings", 1000 + 10 * m), ("deals_won", 5), ("deals_lost", 10),
                               ("marketing_spend", 800), ("sales_spend", 400), ("new_customers", 4))]
    frame = pd.DataFrame(rows, columns=["date", "metric", "value"]).astype(str)
    ingest(engine, workspace_id, frame, source_name="Finance ledger", today=dt.date(2026, 1, 1))
    return workspace_id


@pytest.fixture
def seeded(seeded_url: str) -> dict[str, int]:
    return {name: demo_workspace_id(seeded_url, name) for name in ("Northwind Analytics", "Bloom & Brew")}


def button(at: AppTest, label: str):  # noqa: ANN201 - AppTest's Button element
    return next(b for b in at.button if b.label == label)


def test_agreeing_four_kpis_as_ceo_and_cmo(fresh: int, sqlite_url: str) -> None:
    at = open_page(AGREEMENT, fresh)
    assert any("Nothing agreed yet" in text for text in texts(at, "info"))
    prefix = f"agreement_{fresh}_new"

    at.multiselect(key=f"{prefix}_kpis").set_value(
        ["new_bookings", "win_rate", "cac", "nps", "revenue", "nrr", "churn_rate", "ltv"]).run()
    assert any("Seven KPIs is the hard limit" in text and "focus is lost" in text for text in texts(at, "error"))
    assert button(at, "Save as draft v1").disabled

    at.multiselect(key=f"{prefix}_kpis").set_value(FOUR).run()
    assert any("needs an owner" in text for text in texts(at, "error"))
    for key, owner in zip(FOUR, ("Ana Ruiz", "Ana Ruiz", "Ben Ito", "Ben Ito"), strict=True):
        at.text_input(key=f"{prefix}_{key}_owner").set_value(owner)
        at.text_input(key=f"{prefix}_{key}_role").set_value("CMO" if owner == "Ben Ito" else "CRO")
    at.selectbox(key=f"{prefix}_nps_mandate").set_value(Mandate.BRAND)
    at.run()
    assert not texts(at, "error")

    at.selectbox(key=f"{prefix}_fill_kpi").set_value("new_bookings")
    at.selectbox(key=f"{prefix}_fill_method").set_value("Same month last year +x%")
    at.number_input(key=f"{prefix}_fill_pct").set_value(10.0)
    at.selectbox(key=f"{prefix}_fill_from").set_value(dt.date(2026, 1, 1))
    at.selectbox(key=f"{prefix}_fill_to").set_value(dt.date(2026, 12, 1))
    button(at, "Fill").click().run()
    assert any(plain("Filled 12 month(s) of New bookings") in text for text in texts(at, "success"))
    at.selectbox(key=f"{prefix}_fill_kpi").set_value("cac")
    at.selectbox(key=f"{prefix}_fill_method").set_value("Flat")
    at.number_input(key=f"{prefix}_fill_value").set_value(300.0)
    button(at, "Fill").click().run()

    button(at, "Save as draft v1").click().run()
    assert not at.exception, at.exception
    assert any("Draft v1 is waiting for the CEO and CMO" in text for text in texts(at, "info"))
    at.text_input(key="sign_ceo_1").set_value("Maya Chen")
    button(at, "Sign as CEO").click().run()
    assert any("waiting for the CMO's signature" in text for text in texts(at, "info"))
    at.text_input(key="sign_cmo_1").set_value("Ben Ito")
    button(at, "Sign as CMO").click().run()
    assert any(text.startswith("Agreement v1 drives the scorecard") for text in texts(at, "success"))

    with session_scope(engine_for(sqlite_url)) as session:
        agreed = current_agreement(session, fresh)
    assert [k.metric_key for k in agreed.kpis] == FOUR
    assert agreed.kpis[0].targets[dt.date(2026, 3, 1)] == 1130.0  # March 2025: 1030, plus 10%, to 3 figures
    assert sorted(agreed.kpis[2].targets.items())[::11] == [(dt.date(2026, 1, 1), 300.0), (dt.date(2026, 12, 1), 300.0)]
    assert len(agreed.kpis[2].targets) == 12 and agreed.kpis[1].targets == {}  # the range kept from the last fill
    assert [s.name for s in agreed.signatures] == [unverified_name("Maya Chen"),
                                                   unverified_name("Ben Ito")]
    assert any("Both signatures were typed in while sign-in was off" in text for text in texts(at, "warning"))


def test_scorecard_shows_two_separate_tables_with_statuses(seeded: dict[str, int], seeded_url: str) -> None:
    northwind = seeded["Northwind Analytics"]
    at = open_page(SCORECARD, northwind)
    headings = [h.value for h in at.subheader]
    assert headings[:2] == ["Brand (the meaning)", "Growth (the math)"]
    brand, growth = at.dataframe[0].value, at.dataframe[1].value
    assert list(brand["KPI"]) == ["Aided awareness", "Net Promoter Score"]
    assert list(growth["KPI"]) == ["Pipeline created", "New bookings", "Customer acquisition cost",
                                   "Net revenue retention"]
    with session_scope(engine_for(seeded_url)) as session:
        months = sorted({p.month for k in scorecard_for_month(session, northwind, dt.date(2000, 1, 1)).kpis
                         for p in k.trend})
        card = scorecard_for_month(session, northwind, at.session_state[MONTH_KEY])
    assert list(growth["Status"]) == [{"green": "On track", "amber": "At risk", "red": "Off track"}[k.rag]
                                      for k in card.mandate_kpis(Mandate.GROWTH)]
    assert card.kpi("pipeline_created").rag == Rag.RED and months
    assert any("We disagree about this number" in text for text in texts(at, "warning"))
    assert growth["Confidence"].iloc[0] == "CEO 2 · CMO 4 ⚠ we disagree"


def test_commentary_and_votes_are_saved_for_the_month(seeded: dict[str, int], seeded_url: str) -> None:
    bloom = seeded["Bloom & Brew"]
    at = open_page(SCORECARD, bloom)
    month = at.session_state[MONTH_KEY]
    key = f"revenue_{month:%Y%m}"
    at.text_area(key=f"text_{key}").set_value("Gift range launched early")
    at.radio(key=f"cmo_{key}").set_value(2)
    next(b for b in at.button if b.form_id == f"note_{key}").click().run()
    assert not at.exception, at.exception
    with session_scope(engine_for(seeded_url)) as session:
        line = scorecard_for_month(session, bloom, month).kpi("revenue")
        earlier = scorecard_for_month(session, bloom, month.replace(year=month.year - 1)).kpi("revenue")
    assert (line.commentary, line.ceo_confidence, line.cmo_confidence, line.disagree) == (
        "Gift range launched early", 5, 2, True)
    assert line.commentary_author == unverified_name("someone")  # the person, not the KPI's owner
    assert earlier.commentary == "" and earlier.cmo_confidence is None


def test_a_second_saver_sees_a_conflict_and_nothing_is_overwritten(seeded: dict[str, int], seeded_url: str) -> None:
    bloom, engine = seeded["Bloom & Brew"], engine_for(seeded_url)
    at = open_page(AGREEMENT, bloom)
    prefix = f"agreement_{bloom}_1_1"
    at.text_input(key=f"{prefix}_revenue_owner").set_value("Somebody Else").run()
    with session_scope(engine) as session:  # meanwhile, someone else saves draft v2
        mine = current_agreement(session, bloom).kpis
        save_draft(session, bloom, [mine[0].model_copy(update={"owner_name": "First Saver"}), *mine[1:]],
                   based_on=(1, 1))
    button(at, "Save as draft v2").click().run()
    assert any("Someone else saved Draft v2 while you were editing" in text for text in texts(at, "error"))
    with session_scope(engine) as session:
        draft = open_draft(session, bloom)
        assert (draft.number, draft.edit, draft.kpis[0].owner_name) == (2, 1, "First Saver")
        assert [k.owner_name for k in draft.kpis if k.metric_key == "revenue"] == ["Lukas Brandt"]


def test_a_new_draft_leaves_the_scorecard_on_the_agreed_version(seeded: dict[str, int], seeded_url: str) -> None:
    bloom, engine = seeded["Bloom & Brew"], engine_for(seeded_url)
    with session_scope(engine) as session:
        kpis = current_agreement(session, bloom).kpis
        draft = save_draft(session, bloom, [*kpis[:4], KpiTerms(metric_key="aided_awareness", mandate=Mandate.BRAND,
                                                                 owner_name="Sofia Marchetti")], based_on=(1, 1))
        sign_agreement(session, bloom, 2, draft.edit, Role.CMO, "Sofia Marchetti")
    at = open_page(SCORECARD, bloom)
    assert any("Draft v2 is waiting for signatures" in c.value for c in at.caption)
    assert "Decision confidence" in list(at.dataframe[0].value["KPI"])
    history = open_page(AGREEMENT, bloom)
    assert any("Added Aided awareness" in m.value for m in history.markdown)
    with session_scope(engine) as session:
        assert len(agreement_versions(session, bloom)) == 2


def test_one_view_cards_of_agreed_kpis_show_target_and_status(seeded: dict[str, int], seeded_url: str) -> None:
    northwind = seeded["Northwind Analytics"]
    at = open_page("pages/one_view.py", northwind)
    with session_scope(engine_for(seeded_url)) as session:
        card = scorecard_for_month(session, northwind, at.session_state[MONTH_KEY])
    shown = " ".join(m.value for m in at.markdown)
    assert f"Target: ${card.kpi('new_bookings').target / 1000:.0f}K" in shown
    on_cards = [k for k in card.kpis if k.key in card_keys()]  # each also leads the page in the agreed row
    assert shown.count('data-testid="rag-badge"') == len(on_cards) + len(card.kpis) >= 4 + 3
    assert shown.count(">Off track<") == sum(k.rag == Rag.RED for k in on_cards + card.kpis) >= 1


def test_adopted_indicator_is_offered_as_evidence(seeded: dict[str, int], seeded_url: str) -> None:
    bloom = seeded["Bloom & Brew"]
    with session_scope(engine_for(seeded_url)) as session:
        adopt_indicator(session, bloom, IndicatorIn(outcome_key="new_customers", predictor_key="mqls", lag_months=2,
                                                    adopted_by="Sofia", evidence={"r": 0.61, "n": 30}),
                        now=dt.datetime(2026, 5, 4, tzinfo=dt.UTC))
    at = open_page(AGREEMENT, bloom)
    choice = at.selectbox(key=f"agreement_{bloom}_1_1_new_customers_evidence")
    assert choice.options[1] == "MQLs predicts New customers 2 months ahead (r = 0.61, 30 points); adopted 04 May 2026."


def labelled(widgets, start: str):  # noqa: ANN001, ANN201 - AppTest element lists
    return next(w for w in widgets if w.label.startswith(start))


def test_leadership_system_answers_are_saved_from_the_page(fresh: int, sqlite_url: str) -> None:
    at = open_page(SCORECARD, fresh)
    assert any("No KPI set is agreed yet" in text for text in texts(at, "info"))
    labelled(at.text_input, "Who owns the meaning").set_value("Ana Ruiz (CMO)")
    labelled(at.text_input, "Who owns the math").set_value("Ben Ito (VP Growth)")
    labelled(at.selectbox, "Which mandate").set_value(Mandate.GROWTH)
    labelled(at.text_area, "Do we need to hire").set_value("Outsource growth for a year.")
    next(b for b in at.button if b.label == "Save answers").click().run()
    assert not at.exception, at.exception
    with session_scope(engine_for(sqlite_url)) as session:
        saved = leadership_system(session, fresh)
    assert (saved.meaning_owner, saved.math_owner, saved.priority_mandate, saved.build_answer, saved.version) == (
        "Ana Ruiz (CMO)", "Ben Ito (VP Growth)", Mandate.GROWTH, "Outsource growth for a year.", 1)
    assert saved.answered_on == clock.today()
    assert any(m.value == "**Ana Ruiz \\(CMO\\)**" for m in at.markdown)


def test_share_safe_hides_currency_amounts_but_keeps_status_and_percentages(seeded: dict[str, int]) -> None:
    at = open_page(SCORECARD, seeded["Bloom & Brew"], share_safe=True)
    growth = at.dataframe[1].value.set_index("KPI")
    assert (growth.loc["Revenue", "Actual"], growth.loc["Revenue", "Variance"]) == ("•••", "•••")
    assert growth.loc["Revenue", "Variance %"].endswith("%") and growth.loc["Revenue", "Status"] == "On track"
    assert growth.loc["Customer churn", "Actual"].endswith("%")  # rates are not amounts: still shown
