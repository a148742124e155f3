"""Client companies in the database, on SQLite and PostgreSQL: create, rename, archive, logo, delete, recorded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select

from db.access_models import DataVersion, Membership
from db.audit import events
from db.base import Base
from db.delivery_models import AlertEvent, Delivery, DeliverySetting, MailPreference, ScheduledRefresh
from db.engine import session_scope
from db.import_models import CustomMetric, ImportPreset, SqlSource
from db.indicator_models import DriverOverride, LeadingIndicator
from db.layout import TilePlacementRow
from db.meeting_models import MeetingCadence
from db.models import AuditEvent, ImportBatch, MonthTotal, Observation, PartSource, Workspace
from db.review_models import ActionItem, Review, ReviewEvent, ReviewNote
from db.scorecard_models import (
    AgreementKpiRow,
    AgreementSignatureRow,
    AgreementVersionRow,
    ConfidenceVoteRow,
    KpiCommentaryRow,
    KpiTargetRow,
    LeadershipSystemRow,
)
from db.source_models import SourceOfRecordRow
from db.workspaces import (
    KEPT_ON_DELETE,
    archive_company,
    company_list,
    company_logo,
    company_rows,
    company_tables,
    create_company,
    delete_company,
    find_company,
    list_workspaces,
    rename_company,
    set_logo,
    unarchive_company,
)
from metrics.company import BOOKKEEPING, ROW_LABELS, CompanyRefused, checked_company
from metrics.logo import prepared_logo
from sample_data.seed import seed_on_first_start

WHEN = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
MONTH = dt.date(2026, 10, 1)


def add(engine: Engine, name: str, actor: str = "Dana", **fields: object) -> int:
    with session_scope(engine) as session:
        return create_company(session, checked_company(name, **fields), actor=actor).id


def png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f4e79").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_new_company_is_stored_with_its_details_and_recorded(engine: Engine) -> None:
    workspace_id = add(engine, "  Acme   Analytics ", currency="eur", fiscal_year_start_month=4, color="#A1B2C3")
    with session_scope(engine) as session:
        stored = session.get(Workspace, workspace_id)
        assert (stored.name, stored.currency, stored.fiscal_year_start_month, stored.color, stored.slug) == (
            "Acme Analytics", "EUR", 4, "#a1b2c3", "acme-analytics")
        assert stored.archived_at is None and stored.is_demo is False and stored.logo is None
        [created] = events(session, workspace_id)
    assert (created.action, created.actor, created.workspace_name, created.verified) == (
        "company.created", "Dana", "Acme Analytics", False)
    assert created.detail == {"currency": "EUR", "fiscal_year_start_month": 4, "color": "#a1b2c3", "logo": False,
                              "demo": False}


@pytest.mark.parametrize("first, second", [("Acme Ltd", "acme ltd"), ("Acme Ltd", "ACME  LTD"),
                                           ("Ökoland GmbH", "ökoland gmbh"), ("Acme Ltd", "Acme Ltd")])
def test_a_name_taken_whatever_its_case_is_refused(engine: Engine, first: str, second: str) -> None:
    add(engine, first)
    with pytest.raises(CompanyRefused) as refused:
        add(engine, second)
    assert str(refused.value) == f"a company called '{first}' already exists; choose another name"
    with session_scope(engine) as session:
        assert [w.name for w in list_workspaces(session)] == [first]
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1  # the refusal left no trace


def test_a_name_taken_by_an_archived_company_says_so(engine: Engine) -> None:
    workspace_id = add(engine, "Acme")
    with session_scope(engine) as session:
        archive_company(session, workspace_id, actor="Dana")
    with pytest.raises(CompanyRefused, match=r"^a company called 'Acme' already exists \(archived: un-archive it"):
        add(engine, "ACME")


def test_slugs_stay_unique_for_names_that_differ_only_in_punctuation(engine: Engine) -> None:
    first, second = add(engine, "Bloom & Brew"), add(engine, "Bloom Brew")
    with session_scope(engine) as session:
        assert [session.get(Workspace, i).slug for i in (first, second)] == ["bloom-brew", "bloom-brew-2"]


def test_rename_keeps_the_data_and_refuses_a_taken_name(engine: Engine) -> None:
    acme, other = add(engine, "Acme"), add(engine, "Other Co")
    with session_scope(engine) as session:
        rename_company(session, acme, " Acme  Group ", actor="Sam")
    with session_scope(engine) as session:
        rename_company(session, acme, "ACME GROUP", actor="Sam")  # its own name in capitals is no clash
    with pytest.raises(CompanyRefused, match="^a company called 'Other Co' already exists"), \
            session_scope(engine) as session:
        rename_company(session, acme, "other co", actor="Sam")
    for wrong, message in (("", "the company needs a name"), ("ACME GROUP", "the company is already called")):
        with pytest.raises(CompanyRefused, match=f"^{message}"), session_scope(engine) as session:
            rename_company(session, acme, wrong, actor="Sam")
    with session_scope(engine) as session:
        assert session.get(Workspace, acme).name == "ACME GROUP"
        assert session.get(Workspace, acme).slug == "acme"  # addresses keep working after a rename
        assert session.get(Workspace, other).name == "Other Co"
        renames = [e.detail for e in events(session, acme) if e.action == "company.renamed"]
    assert renames == [{"from": "Acme Group", "to": "ACME GROUP"}, {"from": "Acme", "to": "Acme Group"}]


def test_archived_companies_leave_the_list_and_come_back(engine: Engine) -> None:
    acme, bloom = add(engine, "Acme"), add(engine, "bloom")
    with session_scope(engine) as session:
        archive_company(session, acme, actor="Dana")
    with session_scope(engine) as session:
        assert [w.name for w in list_workspaces(session)] == ["bloom"]
        assert [c["name"] for c in company_list(session)] == ["bloom"]
        listed = company_list(session, include_archived=True)
        assert [c["name"] for c in listed] == ["Acme", "bloom"]  # by name, whatever the letter case
        assert listed[0]["archived_at"] is not None and listed[1]["archived_at"] is None
        assert find_company(session, "acme").id == acme  # still found by name, for un-archiving
        with pytest.raises(CompanyRefused, match="^Acme is already archived$"):
            archive_company(session, acme, actor="Dana")
    with session_scope(engine) as session:
        unarchive_company(session, acme, actor="Lee")
        with pytest.raises(CompanyRefused, match="^bloom is not archived$"):
            unarchive_company(session, bloom, actor="Lee")
    with session_scope(engine) as session:
        assert [c["name"] for c in company_list(session)] == ["Acme", "bloom"]
        assert [(e.action, e.actor) for e in events(session, acme)] == [
            ("company.unarchived", "Lee"), ("company.archived", "Dana"), ("company.created", "Dana")]


def test_a_logo_is_stored_scaled_shown_in_the_list_and_removable(engine: Engine) -> None:
    with session_scope(engine) as session:
        details = checked_company("Acme", logo=png((1024, 256)), logo_name="acme.png")
        acme = create_company(session, details, actor="Dana").id
    with session_scope(engine) as session:
        logo = company_logo(session, acme)
        assert logo.mime == "image/png"
        assert Image.open(io.BytesIO(logo.data)).size == (512, 128)
        assert company_list(session)[0]["has_logo"] is True
        set_logo(session, acme, None, actor="Dana")
    with session_scope(engine) as session:
        assert company_logo(session, acme) is None and company_list(session)[0]["has_logo"] is False
        set_logo(session, acme, prepared_logo(png((64, 64))), actor="Dana")
    with session_scope(engine) as session:
        assert company_logo(session, acme).data == png((64, 64))
        assert [e.action for e in events(session, acme)][:2] == ["company.logo_changed", "company.logo_removed"]


def fill_every_table(session, workspace_id: int, tag: str) -> dict[str, set[tuple]]:  # noqa: ANN001 - a Session
    """Rows of this company in every table (one or more each); returns the primary keys added, by table."""
    first = ImportBatch(workspace_id=workspace_id, source_name=f"{tag} ledger", row_count=2)
    second = ImportBatch(workspace_id=workspace_id, source_name=f"{tag} ledger", row_count=1)
    review = Review(workspace_id=workspace_id, month=MONTH, status="closed", closed_by="Dana")
    version = AgreementVersionRow(workspace_id=workspace_id, number=1, created_at=WHEN, updated_at=WHEN)
    session.add_all([first, second, review, version])
    session.flush()
    kpi = AgreementKpiRow(version_id=version.id, position=0, metric_key="revenue", mandate="growth")
    session.add(kpi)
    session.flush()
    old = Observation(workspace_id=workspace_id, metric_key="revenue", month=MONTH, value=1.0, source_name="x",
                      batch_id=first.id, superseded_by=second.id)
    rows = [
        old,
        Observation(workspace_id=workspace_id, metric_key="revenue", month=MONTH, value=2.0, source_name="x",
                    batch_id=second.id),
        Observation(workspace_id=workspace_id, metric_key="mqls", month=MONTH, value=3.0, source_name="x",
                    batch_id=first.id),
        MonthTotal(workspace_id=workspace_id, metric_key="revenue", month=MONTH, value=2.0, weighted=2.0, weight=1.0),
        ImportPreset(workspace_id=workspace_id, name="monthly", mapping={}),
        CustomMetric(workspace_id=workspace_id, key="own", definition={}),
        SqlSource(workspace_id=workspace_id, name="warehouse", url="sqlite://", query="SELECT 1"),
        DriverOverride(workspace_id=workspace_id, output_key="mqls", outcome_keys=["revenue"]),
        LeadingIndicator(workspace_id=workspace_id, outcome_key="revenue", predictor_key="mqls", lag_months=2,
                         evidence={}, adopted_by="Dana", adopted_at=WHEN),
        ReviewEvent(review_id=review.id, kind="closed", at=WHEN, by="Dana"),
        ReviewNote(review_id=review.id, item_key="kpi:revenue", kind="note", text="ok", created_at=WHEN),
        ActionItem(workspace_id=workspace_id, title="Fix the funnel", created_month=MONTH),
        KpiTargetRow(kpi_id=kpi.id, month=MONTH, value=10.0),
        AgreementSignatureRow(version_id=version.id, role="ceo", name="Chris", signed_at=WHEN),
        KpiCommentaryRow(workspace_id=workspace_id, metric_key="revenue", month=MONTH, text="on it", updated_at=WHEN),
        ConfidenceVoteRow(workspace_id=workspace_id, metric_key="revenue", month=MONTH, role="cmo", score=4,
                          updated_at=WHEN),
        LeadershipSystemRow(workspace_id=workspace_id, updated_at=WHEN),
        SourceOfRecordRow(workspace_id=workspace_id, metric_key="revenue", source_name="x"),
        PartSource(workspace_id=workspace_id, metric_key="mqls", source_name="x"),
        Membership(workspace_id=workspace_id, email=f"{tag.lower()}@example.com", role="ceo", invited_at=WHEN),
        DataVersion(workspace_id=workspace_id, version=3),
        MeetingCadence(workspace_id=workspace_id, weekday=2, week=1),
        Delivery(workspace_id=workspace_id, recipient=f"{tag.lower()}@example.com", kind="alerts", period=MONTH,
                 status="sent", claimed_at=WHEN),
        MailPreference(workspace_id=workspace_id, email=f"{tag.lower()}@example.com", alerts=False),
        DeliverySetting(workspace_id=workspace_id, share_safe=True),
        AlertEvent(workspace_id=workspace_id, key="kpi:revenue", raised=True, kind="kpi_off_track", at=WHEN,
                   day=MONTH),
        TilePlacementRow(workspace_id=workspace_id, metric_key="revenue", position=1, pinned=True),
    ]
    session.add_all(rows)
    session.flush()
    source = next(row for row in rows if isinstance(row, SqlSource))
    rows.append(ScheduledRefresh(source_id=source.id, day=MONTH, workspace_id=workspace_id, status="done"))
    session.add(rows[-1])
    session.flush()
    added: dict[str, set[tuple]] = {}
    for row in [first, second, review, version, kpi, *rows]:
        table = row.__table__
        added.setdefault(table.name, set()).add(tuple(getattr(row, c.key) for c in table.primary_key.columns))
    return added


def every_row(engine: Engine) -> dict[str, set[tuple]]:
    """The primary keys of every row of every table."""
    with session_scope(engine) as session:
        return {table.name: set(session.execute(select(*table.primary_key.columns)).tuples())
                for table in Base.metadata.sorted_tables}


def test_the_fill_covers_every_table_that_belongs_to_a_company(engine: Engine) -> None:
    """A new table must either go with its company (a cascading foreign key) or be named as kept."""
    acme = add(engine, "Acme")
    with session_scope(engine) as session:
        filled = fill_every_table(session, acme, "acme")
    every_table = {table.name for table in Base.metadata.sorted_tables}
    assert set(filled) == {table.name for table in company_tables()} == every_table - KEPT_ON_DELETE


def test_every_table_of_a_company_is_named_in_words_for_the_deletion_summary() -> None:
    unnamed = {table.name for table in company_tables()} - BOOKKEEPING - set(ROW_LABELS)
    assert unnamed == set()


def test_delete_removes_exactly_that_companys_rows_and_records_it(engine: Engine) -> None:
    acme, other = add(engine, "Acme"), add(engine, "Other Co")
    with session_scope(engine) as session:
        acme_rows = fill_every_table(session, acme, "acme")
        other_rows = fill_every_table(session, other, "other")
    before = every_row(engine)
    expected_counts = {table: len(keys) for table, keys in acme_rows.items()}
    with session_scope(engine) as session:
        assert company_rows(session, acme) == expected_counts
        assert company_rows(session, other) == {table: len(keys) for table, keys in other_rows.items()}

    with session_scope(engine) as session:
        removed = delete_company(session, acme, typed_name="Acme", actor="Dana")
    assert removed == expected_counts
    after = every_row(engine)
    for table, keys in before.items():
        if table == "audit_event":
            assert keys < after[table] and len(after[table]) == len(keys) + 1
        elif table == "workspace":
            assert after[table] == keys - {(acme,)}
        else:
            assert after[table] == keys - acme_rows[table], table
            assert other_rows[table] <= after[table], table  # the other company's rows are all still there
    with session_scope(engine) as session:
        assert session.get(Workspace, acme) is None
        assert company_rows(session, other) == {table: len(keys) for table, keys in other_rows.items()}
        [deleted, created] = events(session, acme)
    assert (deleted.action, deleted.actor, deleted.workspace_name) == ("company.deleted", "Dana", "Acme")
    assert deleted.detail == {"rows": expected_counts, "archived": False, "demo": False}
    assert created.action == "company.created"


def test_delete_needs_the_name_typed_exactly_and_otherwise_changes_nothing(engine: Engine) -> None:
    acme = add(engine, "Acme Ltd")
    with session_scope(engine) as session:
        fill_every_table(session, acme, "acme")
    before = every_row(engine)
    for typed in ("", "acme ltd", "Acme"):
        with pytest.raises(CompanyRefused, match=r"^type the company's name, Acme Ltd, exactly to delete it$"), \
                session_scope(engine) as session:
            delete_company(session, acme, typed_name=typed, actor="Dana")
    assert every_row(engine) == before


def test_a_deleted_companys_id_is_never_given_to_a_new_company(engine: Engine) -> None:
    acme = add(engine, "Acme")
    newest = add(engine, "Newest")
    with session_scope(engine) as session:
        delete_company(session, newest, typed_name="Newest", actor="Dana")
    later = add(engine, "Later")
    assert later not in (acme, newest)
    with session_scope(engine) as session:
        assert [e.action for e in events(session, later)] == ["company.created"]  # not Newest's history


def test_after_every_company_is_deleted_a_restart_does_not_bring_back_the_demo(engine: Engine) -> None:
    acme = add(engine, "Acme")
    with session_scope(engine) as session:
        delete_company(session, acme, typed_name="Acme", actor="Dana")
    assert seed_on_first_start(engine) == []
    with session_scope(engine) as session:
        assert list_workspaces(session, include_archived=True) == []
