"""The one seam between the pages and the data: every read and write takes the caller's scope.

Reads are cached by (database, company, data version): the version is read once per rerun when the scope is
opened, and every write raises it in its own transaction (db.engine.write_scope), so a write from anywhere
— this session, another person's, the command line, a second app server — shows on the next rerun, and no
stale entry can be served. Each read runs in a session bound to the scope's company (db.tenancy), so it cannot
see another company's rows whatever it asks for.

Writes go through ``write``: the role is checked, the company's lock held, the change and its audit record
committed together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from db import access, audit, imports, indicators, queries, review, scorecard, sources, workspaces
from db.access import Identity, Permission, Scope
from db.delivery import record_import_failure
from db.engine import engine_for, session_scope, write_scope
from db.overlaps import OverlapChoice
from db.versions import raise_version
from importers.mapping import ImportMapping, with_new_metrics
from importers.reading import SourceTable
from metrics.agreement import LeadershipSystem
from metrics.catalog import STANDARD_CATALOG, Catalog
from metrics.logo import Logo
from metrics.review import ReviewSnapshot
from metrics.scorecard import Scorecard
from metrics.series import MonthlyData
from settings import get_settings

T = TypeVar("T")
_READS: dict[str, Callable[..., Any]] = {}


def database_url() -> str:
    return get_settings().database_url


# --- Reads ----------------------------------------------------------------------------------------


def _read(read: Callable[..., T], scope: Scope, *args: object) -> T:
    """``read(session, workspace_id, *args)`` in a session of the scope's company, cached by its data version."""
    name = f"{read.__module__}.{read.__qualname__}"
    _READS[name] = read
    return _cached(name, scope.cache_key, args)


@st.cache_data(show_spinner=False, max_entries=1024, ttl=3600)
def _cached(name: str, key: tuple[str, int, int], args: tuple) -> Any:  # noqa: ANN401 - whatever the read returns
    url, workspace_id, _version = key
    with session_scope(engine_for(url), workspace_id) as session:
        return _READS[name](session, workspace_id, *args)


def monthly_data(scope: Scope) -> MonthlyData:
    """Every metric's monthly point of the company (month totals; sources of record honoured)."""
    return _read(_monthly_data, scope)


def _monthly_data(session: Session, workspace_id: int) -> MonthlyData:
    return queries.monthly_data(session, workspace_id, catalog=imports.workspace_catalog(session, workspace_id))


def months_with_data(scope: Scope) -> list[dt.date]:
    return _read(queries.months_with_data, scope)


def month_coverage(scope: Scope) -> dict[dt.date, float]:
    return _read(queries.month_coverage, scope)


def sources_for_month(scope: Scope, keys: tuple[str, ...], month: dt.date) -> list[queries.SourceBatch]:
    return _read(queries.sources_for_month, scope, keys, month)


def catalog(scope: Scope) -> Catalog:
    """The standard metrics plus the company's own."""
    return with_new_metrics(STANDARD_CATALOG, custom_metrics(scope))


def custom_metrics(scope: Scope) -> list:
    return _read(imports.custom_metrics, scope)


def driver_overrides(scope: Scope) -> dict[str, tuple[str, ...]]:
    return _read(indicators.driver_overrides, scope)


def adopted_indicators(scope: Scope) -> list:
    return _read(indicators.adopted_indicators, scope)


def review_state(scope: Scope, month: dt.date) -> review.ReviewState:
    return _read(review.review_state, scope, month)


def live_review(scope: Scope, month: dt.date, today: dt.date) -> ReviewSnapshot:
    return _read(review.live_snapshot, scope, month, today)


def scorecard_for(scope: Scope, month: dt.date) -> Scorecard:
    return _read(_scorecard, scope, month)


def _scorecard(session: Session, workspace_id: int, month: dt.date) -> Scorecard:
    return scorecard.scorecard_for_month(session, workspace_id, month,
                                         catalog=imports.workspace_catalog(session, workspace_id))


def agreement_versions(scope: Scope) -> list:
    return _read(scorecard.agreement_versions, scope)


def leadership_system(scope: Scope) -> LeadershipSystem:
    return _read(scorecard.leadership_system, scope)


def import_history(scope: Scope) -> list[imports.HistoryEntry]:
    return _read(imports.import_history, scope)


def import_presets(scope: Scope) -> dict[str, ImportMapping]:
    return _read(imports.presets, scope)


def data_health(scope: Scope, today: dt.date) -> list:
    return _read(imports.data_health, scope, today)


def metric_sources(scope: Scope) -> dict[str, list[str]]:
    return _read(sources.metric_sources, scope)


def sources_of_record(scope: Scope) -> dict:
    return _read(sources.sources_of_record, scope)


def record_reconciliations(scope: Scope, month: dt.date) -> list:
    return _read(_reconciliations, scope, month)


def _reconciliations(session: Session, workspace_id: int, month: dt.date) -> list:
    return sources.record_reconciliations(session, workspace_id, month,
                                          catalog=imports.workspace_catalog(session, workspace_id))


def logo(scope: Scope) -> Logo | None:
    return _read(workspaces.company_logo, scope)


def audit_trail(scope: Scope) -> list[audit.AuditEntry]:
    """Every recorded write of the company, newest first: for its advisor, CEO and CMO."""
    if not (scope.can(Permission.ADMINISTER) or scope.can(Permission.SIGN_CEO) or scope.can(Permission.SIGN_CMO)):
        scope.require(Permission.ADMINISTER)
    return _read(audit.events, scope)


def members(scope: Scope) -> list[access.Member]:
    return _read(access.members, scope)


# --- The company directory (who sees which company) ------------------------------------------------


def visible_companies(identity: Identity, *, single_user: bool, include_archived: bool = False) -> list[dict]:
    """The companies this person may open, as plain dicts; read fresh each rerun (one small query), so a company
    added, archived or shared from elsewhere shows at once."""
    with session_scope(engine_for(database_url())) as session:
        allowed = access.visible_company_ids(session, identity, single_user=single_user)
        listed = workspaces.company_list(session, include_archived=include_archived)
    return [c for c in listed if allowed is None or c["id"] in allowed]


def open_scope(identity: Identity, workspace_id: int, *, single_user: bool) -> Scope:
    """The scope for this person in the company (NoAccess when they are not a member)."""
    url = database_url()
    with session_scope(engine_for(url)) as session:
        return access.open_scope(session, identity, workspace_id, url, single_user=single_user)


def note_sign_in(identity: Identity) -> None:
    with session_scope(engine_for(database_url())) as session:
        access.note_first_sign_in(session, identity)


def may_create_companies(identity: Identity, *, single_user: bool) -> bool:
    return single_user or access.is_admin(identity)


# --- Writes ---------------------------------------------------------------------------------------


def write(scope: Scope, permission: Permission | None, action: str | None, work: Callable[[Session], T], *,
          typed_name: str = "", detail: dict | None = None) -> T:
    """Run ``work`` as one write of the scope's company: role checked, lock held, audit record (``action``;
    None when ``work`` records its own) committed with it. Raises the refusals of ``work`` unchanged."""
    if permission is not None:
        scope.require(permission)
    with write_scope(engine_for(scope.url), scope.workspace_id) as session:
        result = work(session)
        if action:
            audit.record(session, action, workspace_id=scope.workspace_id, workspace_name=scope.workspace_name,
                         actor=scope.named(typed_name), verified=scope.identity.verified, detail=detail)
    return result


def write_directory(identity: Identity, *, single_user: bool, work: Callable[[Session], T]) -> T:
    """A write about companies themselves (adding one): for administrators, or the single user."""
    if not may_create_companies(identity, single_user=single_user):
        raise access.NotAllowed("Only an administrator can add a company (ALIGNBOARD_ADMIN_EMAILS).")
    with write_scope(engine_for(database_url()), None) as session:
        return work(session)


def import_file(scope: Scope, table: SourceTable, mapping: ImportMapping, *, typed_name: str = "",
                dry_run: bool = False, progress: imports.Progress = imports.no_progress,
                overlap: OverlapChoice = OverlapChoice.ASK, replace_identical: bool = False) -> imports.ImportOutcome:
    """Check and import a table for the scope's company (a dry run writes nothing), recorded under the person."""
    scope.require(Permission.IMPORT)
    outcome = imports.import_table(engine_for(scope.url), scope.workspace_id, table, mapping,
                                   created_by=scope.named(typed_name), dry_run=dry_run, progress=progress,
                                   overlap=overlap, replace_identical=replace_identical)
    record_import_failure(engine_for(scope.url), scope.workspace_id, table.file_name, outcome,
                          by=scope.named(typed_name), dry_run=dry_run)
    if outcome.accepted and not dry_run:
        write(scope, None, "import", lambda _session: None, typed_name=typed_name,
              detail={"batch": outcome.result.batch_id, "file": table.file_name, "rows": outcome.result.rows_read})
    return outcome


def undo_import(scope: Scope, batch_id: int, *, typed_name: str = "") -> None:
    scope.require(Permission.IMPORT)
    imports.undo_import(engine_for(scope.url), scope.workspace_id, batch_id)
    write(scope, None, "import.undone", lambda _session: None, typed_name=typed_name, detail={"batch": batch_id})


def sql_sources(scope: Scope) -> list:
    """The company's SQL sources, URLs masked (db.sql_sources.SqlSourceView)."""
    from db import sql_sources as sources_module

    return _read(sources_module.sql_sources, scope)


def administered_companies(identity: Identity, *, single_user: bool, include_archived: bool = False) -> list[dict]:
    """The companies this person administers (advisor, admin, or the single user), as plain dicts."""
    listed = visible_companies(identity, single_user=single_user, include_archived=include_archived)
    if single_user or access.is_admin(identity):
        return listed
    with session_scope(engine_for(database_url())) as session:
        return [c for c in listed if access.Role.ADVISOR in access.roles_in(session, identity, c["id"],
                                                                             single_user=False)]


def company_scope(identity: Identity, workspace_id: int, *, single_user: bool) -> Scope:
    """The person's scope in a company they administer (NotAllowed otherwise)."""
    scope = open_scope(identity, workspace_id, single_user=single_user)
    scope.require(Permission.ADMINISTER)
    return scope


def write_company(scope: Scope, work: Callable[[Session], T]) -> T:
    """A change to the company itself (rename, logo, archive, delete): by its administrator, in a session that
    sees every company, so a new name is checked against all of them; the change records itself."""
    scope.require(Permission.ADMINISTER)
    with write_scope(engine_for(scope.url), None) as session:
        result = work(session)
        raise_version(session, scope.workspace_id)  # its caches (history, logo) follow; nothing after a deletion
        return result


def company_rows(scope: Scope) -> dict[str, int]:
    """How many rows of each table the company has (what a deletion would take)."""
    scope.require(Permission.ADMINISTER)
    with session_scope(engine_for(scope.url)) as session:
        return workspaces.company_rows(session, scope.workspace_id)


# --- What pages run inside ``write`` (each takes the scope's session first) --------------------------

from db.indicators import IndicatorIn, adopt_indicator, drop_indicator, save_driver_map  # noqa: E402
from db.review import add_action, add_note, close_month, reopen_month, set_action_status  # noqa: E402
from db.scorecard import (  # noqa: E402
    cast_vote,
    discard_draft,
    save_commentary,
    save_draft,
    save_leadership_system,
    sign_agreement,
)
from db.workspaces import archive_company, delete_company, rename_company, set_logo, unarchive_company  # noqa: E402

add_member, remove_member = access.add_member, access.remove_member

WRITES = (add_member, remove_member, IndicatorIn, adopt_indicator, drop_indicator, save_driver_map, add_action,
          add_note, close_month, reopen_month, set_action_status, cast_vote, discard_draft, save_commentary, save_draft,
          save_leadership_system, sign_agreement, archive_company, delete_company, rename_company, set_logo,
          unarchive_company)


# --- The One View's tile layout (pinned, hidden and ordered tiles, per company) ---------------------

from db import layout  # noqa: E402
from db.layout import save_tile_layout  # noqa: E402, F401 - run inside ``write``, as the writes above
from metrics.one_view import TileLayout  # noqa: E402


def tile_layout(scope: Scope) -> TileLayout:
    """How the company arranged its One View tiles (empty: the standard arrangement)."""
    return _read(layout.tile_layout, scope)


# --- The portfolio (every company a person may open, one row each) and the review's meeting dates -------

from db import meetings  # noqa: E402
from db import portfolio as portfolio_reads  # noqa: E402
from db.meetings import save_cadence  # noqa: E402, F401 - a write pages run inside ``write``
from metrics.meetings import Cadence  # noqa: E402
from metrics.periods import Month  # noqa: E402
from metrics.portfolio import PortfolioRow, portfolio_months  # noqa: E402


def may_see_portfolio(identity: Identity, *, single_user: bool, visible: list[dict] | None = None) -> bool:
    """The portfolio is for people with several companies: administrators, anyone who may open two or more, and
    the single user of an install with two or more. A member of one company never sees it. ``visible``: the
    companies ``visible_companies`` gave this rerun, when the caller has them."""
    if access.is_admin(identity):
        return True
    return len(visible if visible is not None else visible_companies(identity, single_user=single_user)) >= 2


def _portfolio_versions(identity: Identity, single_user: bool) -> tuple[tuple[int, int], ...]:
    """(company, data version) of every company the person may open; NoAccess when the portfolio is not theirs."""
    ids = [c["id"] for c in visible_companies(identity, single_user=single_user)]
    if not (access.is_admin(identity) or len(ids) >= 2):
        raise access.NoAccess("The portfolio shows several companies side by side, and you may open only one.")
    with portfolio_reads.portfolio_session(engine_for(database_url()), ids) as session:
        return tuple(sorted(portfolio_reads.data_versions(session).items()))


def portfolio(identity: Identity, month: Month, today: dt.date, *, single_user: bool) -> list[PortfolioRow]:
    """One row per company the person may open, for ``month`` (metrics.portfolio.PortfolioRow), in name order.
    Read for all of them at once in a session bound to exactly those companies; cached by their data versions,
    so a write to any of them shows on the next rerun."""
    return _portfolio(database_url(), _portfolio_versions(identity, single_user), month, today)


def portfolio_coverage(identity: Identity, *, single_user: bool) -> dict[Month, float]:
    """Every month any of the person's companies has figures for, with the best coverage among them (for the
    month picker: a month is marked partial only when no company has it whole)."""
    return portfolio_months(_company_coverage(database_url(), _portfolio_versions(identity, single_user)))


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _portfolio(url: str, versions: tuple[tuple[int, int], ...], month: Month, today: dt.date) -> list[PortfolioRow]:
    return portfolio_reads.read_portfolio(engine_for(url), [w for w, _ in versions], month, today,
                                          coverage=_company_coverage(url, versions))


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _company_coverage(url: str, versions: tuple[tuple[int, int], ...]) -> dict[int, dict[Month, float]]:
    """Each company's months and their coverage: read once per data version for the picker and the rows."""
    with portfolio_reads.portfolio_session(engine_for(url), [w for w, _ in versions]) as session:
        return portfolio_reads.month_coverage(session)


def meeting_cadence(scope: Scope) -> Cadence:
    """When the company's review meets (the second Tuesday until it sets its own) and any meeting moved."""
    return _read(meetings.cadence, scope)


# --- Mail (the Members page's switches and "Send the pre-read now") --------------------------------

from db import delivery, schedule  # noqa: E402
from db.delivery import MailChoices, save_mail_choices, set_share_safe_mail  # noqa: E402, F401 - run inside ``write``
from metrics.delivery import ReviewDate, next_review  # noqa: E402
from reports.smtp import MailServer  # noqa: E402


def mail_choices(scope: Scope) -> dict[str, MailChoices]:
    """Each member's mail choices by address (a member without a row receives every kind their role gets)."""
    return _read(delivery.mail_choices, scope)


def share_safe_mail(scope: Scope) -> bool:
    return _read(delivery.share_safe_mail, scope)


def coming_review(scope: Scope, today: dt.date) -> ReviewDate:
    """The next review meeting of the company, by its cadence."""
    return next_review(_read(meetings.cadence, scope), today)


def send_pre_read_now(scope: Scope, server: MailServer, today: dt.date) -> schedule.Report:
    """The next review's pre-read, sent now by an advisor to whoever does not have it yet."""
    scope.require(Permission.ADMINISTER)
    return schedule.send_pre_read_now(engine_for(scope.url), scope.workspace_id, today, server=server,
                                      app_url=get_settings().app_url)
