"""Real sign-in in Chromium: each person signs in at a local OpenID provider and sees their own company only.

The demo companies are seeded, the CEO of each is invited to it, and the app runs with sign-in on (``[auth]``
in a temporary secrets file). Every page is walked for each CEO: no name and no figure of the other company
appears, the picker offers no way to it, and signing out brings the sign-in screen back. Someone invited
nowhere sees "No company yet", an administrator sees both companies, an address the provider did not verify
opens nothing, and the scorecard's votes and the agreement's signatures are offered to the right leader only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from db.access import Role, add_member
from db.engine import engine_for, session_scope
from db.queries import monthly_data
from db.scorecard import current_agreement, save_draft
from db.workspaces import find_company
from sample_data.seed import ensure_sample_data
from tests.browser.conftest import StartApp, free_port, shown_as, wait_for_app, wait_until_settled
from tests.browser.oidc import (
    Person,
    Provider,
    auth_secrets,
    expect_sign_in_screen,
    loopback_only,
    running_provider,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

NORTHWIND, BLOOM = "Northwind Analytics", "Bloom & Brew"
LATEST_MONTH = dt.date(2026, 10, 1)  # the demo figures end the month before the pinned today (2026-11-16)
NIA = Person("ceo@northwind.test", "Nia Northcott")
BEA = Person("ceo@bloom.test", "Bea Bloomfield")
CARL = Person("cmo@northwind.test", "Carl Mendes")
NOBODY = Person("nobody@elsewhere.test", "Noor Nowhere")
ADMIN = Person("admin@alignboard.test", "Ada Admin")
UNVERIFIED = Person("unverified@northwind.test", "Una Verified", email_verified=False)
PAGES = {"One view of reality": "One view of reality", "Scorecard": "Scorecard", "KPI agreement": "KPI agreement",
         "Output vs outcome": "Output vs outcome", "Review meeting": "Monthly review", "Board pack": "Board pack",
         "Bring your own numbers": "Data", "Members": "Members", "History of changes": "History of changes",
         "Companies": "Companies"}
"""Each page in the sidebar's list, with the title its banner (or, without a banner, its heading) shows."""
SYMBOLS = {"USD": "$", "EUR": "€"}


@dataclass(frozen=True)
class Company:
    """What would give a company away on a page: its name, id and its latest revenue and bookings as shown."""

    name: str
    id: int
    figures: tuple[str, ...]
    slug: str


@dataclass(frozen=True)
class SignInApp:
    url: str
    provider: Provider
    companies: dict[str, Company]


def money(value: float, currency: str) -> str:
    """An amount as the cards show it: currency symbol, three significant digits, K or M (2464000 -> $2.46M)."""
    for size, suffix in ((1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{SYMBOLS[currency]}{value / size:.3g}{suffix}"
    return f"{SYMBOLS[currency]}{value:,.0f}"


def file_name(title: str) -> str:
    return re.sub(r"\W+", "_", title.lower())


def prepare_database(url: str) -> dict[str, Company]:
    """Seed the demo companies, invite each one's people, open a draft for Northwind's CEO and CMO to sign."""
    engine = engine_for(url)
    ensure_sample_data(engine)
    companies: dict[str, Company] = {}
    with session_scope(engine) as session:
        for name, members in ((NORTHWIND, ((NIA, Role.CEO), (CARL, Role.CMO), (UNVERIFIED, Role.CEO))),
                              (BLOOM, ((BEA, Role.CEO),))):
            workspace = find_company(session, name)
            for person, role in members:
                add_member(session, workspace.id, person.email, role, invited_by="Alignboard tests")
            data = monthly_data(session, workspace.id, keys=("revenue", "new_bookings"))
            figures = tuple(money(data[key][LATEST_MONTH].value, workspace.currency)
                            for key in ("revenue", "new_bookings"))
            companies[name] = Company(name, workspace.id, figures, workspace.slug)
        northwind = companies[NORTHWIND].id
        agreed = current_agreement(session, northwind)
        changed = [agreed.kpis[0].model_copy(update={"rationale": agreed.kpis[0].rationale + " (reviewed)"}),
                   *agreed.kpis[1:]]
        save_draft(session, northwind, changed, based_on=(agreed.number, agreed.edit), by="Alignboard tests")
    return companies


@pytest.fixture(scope="module")
def signed_in_app(start_app: StartApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInApp]:
    folder = tmp_path_factory.mktemp("signin")
    url = f"sqlite:///{folder / 'alignboard.db'}"
    companies = prepare_database(url)
    with running_provider([NIA, BEA, CARL, NOBODY, ADMIN, UNVERIFIED]) as provider:
        port = free_port()
        secrets_file = auth_secrets(folder, port, provider)
        app_url = start_app("--secrets.files", str(secrets_file), port=port, ALIGNBOARD_DATABASE_URL=url,
                            ALIGNBOARD_SEED_SAMPLE_DATA="false", ALIGNBOARD_ADMIN_EMAILS=ADMIN.email)
        yield SignInApp(app_url, provider, companies)


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    loopback_only(context)
    return context


def open_page(page: Page, title: str) -> None:
    """Click a page in the sidebar's list and wait until it has drawn under its banner."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    shown = PAGES[title]
    drawn = page.get_by_test_id("client-banner").or_(page.get_by_role("heading", name=shown, exact=True))
    expect(drawn.first).to_contain_text(shown, timeout=30_000)
    wait_until_settled(page)


def picker_options(page: Page) -> list[str]:
    """The companies the sidebar's picker offers."""
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return [option.strip() for option in options]


def expect_nothing_of(page: Page, other: Company) -> None:
    """Neither the other company's name nor its latest figures anywhere on the page, sidebar included."""
    text = page.locator("body").inner_text()
    for giveaway in (other.name, *other.figures):
        assert giveaway not in text, f"{giveaway!r} shown on {page.url}"


@pytest.mark.parametrize(("person", "own", "other"), [(NIA, NORTHWIND, BLOOM), (BEA, BLOOM, NORTHWIND)])
def test_a_ceo_sees_only_their_own_company_on_every_page(page: Page, signed_in_app: SignInApp, screenshot_dir: Path,
                                                         person: Person, own: str, other: str) -> None:
    app, mine, theirs = signed_in_app, signed_in_app.companies[own], signed_in_app.companies[other]
    page.goto(app.url)
    wait_for_app(page)
    expect_sign_in_screen(page)
    page.screenshot(path=str(screenshot_dir / "signed_out.png"))

    sign_in(page, app.url, app.provider, person.email)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(shown_as(f"Signed in as {person.name} ({person.email}) · CEO"), timeout=30_000)
    expect(sidebar.locator("a[href^='mailto:']")).to_have_count(0)  # the address is text, not a mail link
    expect(page.get_by_test_id("client-banner")).to_contain_text(own)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    for figure in mine.figures:  # the check below would mean nothing if the figures never showed
        expect(main).to_contain_text(figure)
    assert picker_options(page) == [f"{own} (demo)"]
    page.screenshot(path=str(screenshot_dir / "one_view_signed_in.png"))

    for title in PAGES:
        open_page(page, title)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect_nothing_of(page, theirs)
        page.screenshot(path=str(screenshot_dir / f"{file_name(title)}.png"))

    for address in (f"/?client={theirs.slug}", f"/scorecard?client={theirs.slug}", f"/?client={theirs.id}"):
        page.goto(app.url + address)  # a link to the other company: not available, and nothing of it shown
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Company not available")).to_be_visible(timeout=30_000)
        wait_until_settled(page)
        expect_nothing_of(page, theirs)
    page.goto(app.url + f"/?workspace_id={theirs.id}")  # not a parameter the app reads: their own company
    wait_for_app(page)
    expect(page.get_by_test_id("client-banner")).to_contain_text(own, timeout=30_000)
    wait_until_settled(page)
    expect_nothing_of(page, theirs)
    assert picker_options(page) == [f"{own} (demo)"]

    sign_out(page, app.url, app.provider)
    expect_sign_in_screen(page)
    page.goto(app.url)  # and it stays signed out on a reload
    wait_for_app(page)
    expect_sign_in_screen(page)
    expect_nothing_of(page, mine)
    page.screenshot(path=str(screenshot_dir / "signed_out_again.png"))


def test_someone_invited_nowhere_sees_no_company(page: Page, signed_in_app: SignInApp, screenshot_dir: Path) -> None:
    sign_in(page, signed_in_app.url, signed_in_app.provider, NOBODY.email)
    expect(page.get_by_role("heading", name="No company yet")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMain")).to_contain_text(shown_as(f"{NOBODY.name} is not a member of any company yet"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(shown_as(f"Signed in as {NOBODY.name} ({NOBODY.email}) · no company yet"))
    expect(sidebar.get_by_text("Client company")).to_have_count(0)
    for company in signed_in_app.companies.values():
        expect_nothing_of(page, company)
    page.screenshot(path=str(screenshot_dir / "no_company_yet.png"))
    sign_out(page, signed_in_app.url, signed_in_app.provider)
    expect_sign_in_screen(page)


def test_an_administrator_sees_both_companies(page: Page, signed_in_app: SignInApp, screenshot_dir: Path) -> None:
    sign_in(page, signed_in_app.url, signed_in_app.provider, ADMIN.email)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        shown_as(f"Signed in as {ADMIN.name} ({ADMIN.email}) · Advisor"), timeout=30_000)
    assert sorted(picker_options(page)) == [f"{BLOOM} (demo)", f"{NORTHWIND} (demo)"]
    page.screenshot(path=str(screenshot_dir / "admin.png"))


def test_an_address_the_provider_did_not_verify_opens_nothing(page: Page, signed_in_app: SignInApp,
                                                              screenshot_dir: Path) -> None:
    sign_in(page, signed_in_app.url, signed_in_app.provider, UNVERIFIED.email)  # invited as Northwind's CEO
    expect(page.get_by_test_id("stAlert")).to_contain_text(
        shown_as(f"Your sign-in provider has not verified the address {UNVERIFIED.email}"), timeout=30_000)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect_nothing_of(page, signed_in_app.companies[NORTHWIND])
    page.screenshot(path=str(screenshot_dir / "unverified_address.png"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{signed_in_app.provider.url}/**", timeout=30_000)


@pytest.mark.parametrize(("person", "mine", "theirs"), [(NIA, "CEO", "CMO"), (CARL, "CMO", "CEO")])
def test_each_leader_votes_and_signs_only_as_themselves(page: Page, signed_in_app: SignInApp, screenshot_dir: Path,
                                                        person: Person, mine: str, theirs: str) -> None:
    sign_in(page, signed_in_app.url, signed_in_app.provider, person.email)
    open_page(page, "Scorecard")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(f"{mine}'s confidence in this number").first).to_be_visible(timeout=30_000)
    expect(main.get_by_text(f"{theirs}'s confidence in this number")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "scorecard_votes.png"))

    open_page(page, "KPI agreement")
    expect(main.get_by_role("button", name=f"Sign as {mine}")).to_be_visible(timeout=30_000)
    expect(main.get_by_role("button", name=f"Sign as {theirs}")).to_have_count(0)
    expect(main.get_by_text(f"Waiting for the {theirs}'s signature.")).to_be_visible()
    expect(main.get_by_role("textbox", name=f"{mine}'s name")).to_have_count(0)  # the name comes from sign-in
    main.get_by_role("button", name=f"Sign as {mine}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "agreement_signoff.png"))
