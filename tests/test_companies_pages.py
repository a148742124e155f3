"""The welcome of an empty install and the Companies page, in AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.audit import events
from db.engine import engine_for, session_scope
from db.models import Workspace
from db.workspaces import company_list, create_company, find_company
from metrics.company import checked_company
from metrics.people import unverified_name
from tests.apptest_helpers import open_app, open_page

COMPANIES = "pages/companies.py"


def button(at: AppTest, label: str):  # noqa: ANN201 - an AppTest Button
    return next(b for b in at.button if b.label == label)


def banner(at: AppTest) -> str:
    return next(m.value for m in at.markdown if 'data-testid="client-banner"' in m.value)


def add(url: str, name: str, **fields: object) -> int:
    with session_scope(engine_for(url)) as session:
        return create_company(session, checked_company(name, **fields), actor="Dana").id


def test_an_empty_install_opens_on_the_welcome(sqlite_url: str) -> None:
    at = open_app()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Welcome to Alignboard"]
    assert {"Explore the demo companies", "Add your company"} <= {b.label for b in at.button}
    assert not any("No client company yet" in i.value for i in at.info)


def test_add_your_company_creates_it_and_the_app_opens_on_it(sqlite_url: str) -> None:
    at = open_app()
    at.text_input(key="welcome_company_name").input("  Acme   Analytics ")
    at.selectbox(key="welcome_company_currency").set_value("EUR")
    at.selectbox(key="welcome_company_fiscal").set_value(4)
    at.text_input(key="welcome_company_actor").input("Dana")
    button(at, "Add your company").click().run()
    assert not at.exception, at.exception

    assert "Acme Analytics" in banner(at) and "One view of reality" in banner(at)
    assert [s.value for s in at.success] == [
        "Acme Analytics is added. Bring its numbers in under Data → Bring your own numbers."]
    assert any(i.value.startswith("No figures for Acme Analytics yet.") for i in at.info)
    with session_scope(engine_for(sqlite_url)) as session:
        acme = find_company(session, "Acme Analytics")
        assert (acme.currency, acme.fiscal_year_start_month, at.session_state["workspace_id"]) == ("EUR", 4, acme.id)
        assert [(e.action, e.actor) for e in events(session, acme.id)] == [("company.created", unverified_name("Dana"))]
    assert open_app().selectbox(key="_workspace_id_widget").options == ["Acme Analytics"]  # a new visitor's picker


@pytest.mark.parametrize("name, message", [
    ("", "Nothing was saved:\n- The company needs a name."),
    ("ACME", "Nothing was saved:\n- A company called 'Acme' already exists \\(archived\\: un\\-archive it "
             "instead\\); choose another name."),
])
def test_a_refused_company_says_why_and_nothing_is_saved(sqlite_url: str, name: str, message: str) -> None:
    acme = add(sqlite_url, "Acme")
    button(open_page(COMPANIES, acme), "Archive Acme").click().run()
    at = open_app()
    at.text_input(key="welcome_company_name").input(name)
    button(at, "Add your company").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [message]
    assert [t.value for t in at.title] == ["Welcome to Alignboard"]
    with session_scope(engine_for(sqlite_url)) as session:
        assert [c["name"] for c in company_list(session, include_archived=True)] == ["Acme"]


def test_explore_the_demo_companies_seeds_them_marked_as_demo(sqlite_url: str) -> None:
    at = open_app()
    button(at, "Explore the demo companies").click().run(timeout=180)
    assert not at.exception, at.exception
    assert "Bloom &amp; Brew" in banner(at)  # the first of them in the picker
    picker = open_app().selectbox(key="_workspace_id_widget")
    assert picker.options == ["Bloom & Brew (demo)", "Northwind Analytics (demo)"]
    with session_scope(engine_for(sqlite_url)) as session:
        assert {(c["name"], c["is_demo"]) for c in company_list(session)} == {
            ("Bloom & Brew", True), ("Northwind Analytics", True)}


def test_an_install_with_only_archived_companies_welcomes_and_says_where_they_are(sqlite_url: str) -> None:
    acme = add(sqlite_url, "Acme")
    at = open_page(COMPANIES, acme)
    button(at, "Archive Acme").click().run()
    at = open_app()
    assert [t.value for t in at.title] == ["Welcome to Alignboard"]
    assert [i.value for i in at.info] == [
        "1 archived company is kept with all its data: un-archive it under Settings → Companies."]


def test_the_companies_page_adds_renames_and_records(sqlite_url: str) -> None:
    acme = add(sqlite_url, "Acme")
    at = open_page(COMPANIES, acme)
    assert [t.value for t in at.title] == ["Companies"]
    assert list(at.dataframe[0].value["Company"]) == ["Acme"]
    at.text_input(key="_person_name_widget").input("Sam").run()
    at.text_input(key="companies_add_name").input("Zeta Foods")
    at.selectbox(key="companies_add_currency").set_value("GBP")
    button(at, "Add the company").click().run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["Company"]) == ["Acme", "Zeta Foods"]

    at.selectbox(key="companies_chosen").set_value(acme).run()
    at.text_input(key=f"companies_rename_{acme}_name").input("Zeta foods")
    button(at, "Rename").click().run()
    assert [e.value for e in at.error] == [
        "Nothing was saved:\n- A company called 'Zeta Foods' already exists; choose another name."]
    at.text_input(key=f"companies_rename_{acme}_name").input("Acme Group")
    button(at, "Rename").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Acme is now called Acme Group."]
    assert list(at.dataframe[0].value["Company"]) == ["Acme Group", "Zeta Foods"]
    history = at.dataframe[1].value
    assert list(history["What"]) == ["Renamed", "Created"] and list(history["Who"]) == [unverified_name("Sam"), "Dana"]
    assert history["Details"].iloc[0] == "from Acme to Acme Group"


def test_archive_hides_a_company_until_show_archived_and_unarchive(sqlite_url: str) -> None:
    acme, zeta = add(sqlite_url, "Acme"), add(sqlite_url, "Zeta")
    at = open_page(COMPANIES, acme)
    at.selectbox(key="companies_chosen").set_value(acme).run()
    button(at, "Archive Acme").click().run()
    assert [s.value for s in at.success] == ["Acme is archived. Turn on Show archived to see it."]
    assert list(at.dataframe[0].value["Company"]) == ["Zeta"]
    with session_scope(engine_for(sqlite_url)) as session:
        assert [c["id"] for c in company_list(session)] == [zeta]
        assert session.get(Workspace, acme) is not None  # kept, with its data

    at.toggle(key="companies_show_archived").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table["Company"]) == ["Acme", "Zeta"] and table["Archived"].iloc[0] != ""
    at.selectbox(key="companies_chosen").set_value(acme).run()
    button(at, "Un-archive Acme").click().run()
    assert [s.value for s in at.success] == ["Acme is back on the company list."]
    with session_scope(engine_for(sqlite_url)) as session:
        assert [c["id"] for c in company_list(session)] == [acme, zeta]


def test_a_name_with_markdown_characters_is_shown_literally(sqlite_url: str) -> None:
    at = open_app()
    at.text_input(key="welcome_company_name").input("Cost_Cutters $5 Co")
    button(at, "Add your company").click().run()
    assert [s.value for s in at.success] == [
        "Cost\\_Cutters \\$5 Co is added. Bring its numbers in under Data → Bring your own numbers."]
    assert any(i.value.startswith("No figures for Cost\\_Cutters \\$5 Co yet.") for i in at.info)


def test_delete_needs_a_name_and_the_company_typed(sqlite_url: str) -> None:
    acme, zeta = add(sqlite_url, "Acme"), add(sqlite_url, "Zeta")
    at = open_page(COMPANIES, acme)
    at.selectbox(key="companies_chosen").set_value(acme).run()
    assert any(i.value.startswith("Type your name at the top first") for i in at.info)
    at.text_input(key="_person_name_widget").input("Sam").run()
    assert any(w.value.startswith("Deleting Acme removes it and all its data for good (no figures or other data).")
               for w in at.warning)
    at.text_input(key=f"companies_delete_{acme}_typed").input("acme")
    button(at, "Delete for good").click().run()
    assert [e.value for e in at.error] == ["Type the company's name, Acme, exactly to delete it."]
    at.text_input(key=f"companies_delete_{acme}_typed").input("Acme")
    button(at, "Delete for good").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Acme and all its data are deleted (no figures or other data). The deletion is recorded."]
    assert list(at.dataframe[0].value["Company"]) == ["Zeta"]
    with session_scope(engine_for(sqlite_url)) as session:
        assert [c["id"] for c in company_list(session, include_archived=True)] == [zeta]
        assert [(e.action, e.actor) for e in events(session, acme)][0] == ("company.deleted", unverified_name("Sam"))
