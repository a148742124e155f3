"""Reading what the portfolio's rows need, for many companies at once: about a dozen queries, however many
companies there are (one per kind of figure, each for every company), instead of a dozen per company.

A session from ``portfolio_session`` is bound to a set of companies as ``db.tenancy`` binds one: every SELECT,
UPDATE and DELETE on a table with a ``workspace_id`` gets ``workspace_id IN (those companies)`` (``id IN`` on
the company table itself), so no query here can reach a company the caller did not name, whatever it asks
for. Rows are then grouped by company and each company's row is computed from its own figures alone
(``metrics.portfolio``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event, func, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from db.access_models import DataVersion
from db.engine import session_scope
from db.import_models import CustomMetric, SqlSource
from db.indicator_models import DriverOverride
from db.meeting_models import MeetingCadence
from db.models import ImportBatch, MonthTotal, Workspace
from db.review_models import ActionItem, Review
from db.scorecard_models import (
    AgreementKpiRow,
    AgreementSignatureRow,
    AgreementVersionRow,
    ConfidenceVoteRow,
    KpiTargetRow,
)
from db.tenancy import tenant_classes
from importers.mapping import NewMetric, with_new_metrics
from metrics.agreement import Role
from metrics.catalog import STANDARD_CATALOG, Aggregation, Catalog, Mandate
from metrics.drivers import effective_drivers
from metrics.meetings import Cadence
from metrics.periods import Month
from metrics.portfolio import (
    CompanyFigures,
    PortfolioRow,
    ReviewMark,
    SqlSourceMark,
    metrics_read,
    months_read,
    portfolio_row,
)
from metrics.review import Action, ActionStatus
from metrics.scorecard import KpiTerms, Votes
from metrics.series import MonthPoint

COMPANIES_KEY = "alignboard_companies"
Coverage = dict[int, dict[Month, float]]  # company -> month -> the least any metric covers
ACTIVE_IMPORT = "active"  # an import not undone


# --- A session bound to several companies ------------------------------------------------------------


@contextmanager
def portfolio_session(engine: Engine, workspace_ids: Iterable[int]) -> Iterator[Session]:
    """A read session that sees the rows of ``workspace_ids`` and of no other company."""
    with session_scope(engine) as session:
        session.info[COMPANIES_KEY] = tuple(sorted(set(workspace_ids)))
        yield session


def companies_of(session: Session) -> tuple[int, ...]:
    """The companies a portfolio session is bound to (a plain or unbound session: none)."""
    return session.info.get(COMPANIES_KEY, ())


@event.listens_for(Session, "do_orm_execute")
def _only_these_companies(state: ORMExecuteState) -> None:
    if COMPANIES_KEY not in state.session.info or not (state.is_select or state.is_update or state.is_delete):
        return
    ids = companies_of(state.session)
    state.statement = state.statement.options(*(with_loader_criteria(cls, _criterion(column, ids),
                                                                     include_aliases=True)
                                                for cls, column in tenant_classes()))


def _criterion(column: str, ids: tuple[int, ...]):  # noqa: ANN202 - a criteria callable
    """As db.tenancy's: one lambda per column name, the ids bound as an expanding parameter."""
    if column == "id":
        return lambda cls: cls.id.in_(ids)
    return lambda cls: cls.workspace_id.in_(ids)


# --- Each kind of figure, for every company of the session --------------------------------------------


def data_versions(session: Session) -> dict[int, int]:
    """Each company's data version (0 before its first write): what a cached portfolio depends on."""
    found = dict(session.execute(select(DataVersion.workspace_id, DataVersion.version)).tuples().all())
    return {workspace_id: found.get(workspace_id, 0) for workspace_id in companies_of(session)}


def catalogs(session: Session) -> dict[int, Catalog]:
    """The standard metrics plus each company's own."""
    own: dict[int, list[NewMetric]] = defaultdict(list)
    for workspace_id, definition in session.execute(select(CustomMetric.workspace_id, CustomMetric.definition)
                                                    .order_by(CustomMetric.id)):
        own[workspace_id].append(NewMetric.model_validate(definition))
    return {w: with_new_metrics(STANDARD_CATALOG, own[w]) if own[w] else STANDARD_CATALOG
            for w in companies_of(session)}


def month_coverage(session: Session) -> Coverage:
    """Each company's months with figures and the least any of its metrics covers (as db.queries.month_coverage)."""
    coverage: Coverage = {w: {} for w in companies_of(session)}
    query = (select(MonthTotal.workspace_id, MonthTotal.month, func.min(MonthTotal.coverage))
             .group_by(MonthTotal.workspace_id, MonthTotal.month).order_by(MonthTotal.month))
    for workspace_id, month, share in session.execute(query):
        coverage[workspace_id][month] = float(share)
    return coverage


def month_totals(session: Session, months: list[Month], keys: Iterable[str],
                 catalogs_by_company: dict[int, Catalog]) -> dict[int, dict[str, dict[Month, MonthPoint]]]:
    """The month totals of ``keys`` in ``months``, per company; weighted metrics as their weighted mean
    (as db.queries.monthly_data)."""
    data: dict[int, dict[str, dict[Month, MonthPoint]]] = {w: defaultdict(dict) for w in companies_of(session)}
    weighted_keys = {w: {m.key for m in catalog if m.aggregation == Aggregation.WEIGHTED_AVERAGE}
                     for w, catalog in catalogs_by_company.items()}
    query = (select(MonthTotal.workspace_id, MonthTotal.metric_key, MonthTotal.month, MonthTotal.value,
                    MonthTotal.weighted, MonthTotal.weight, MonthTotal.coverage)
             .where(MonthTotal.month.in_(months), MonthTotal.metric_key.in_(sorted(set(keys)))))
    for workspace_id, key, month, total, weighted, weight, coverage in session.execute(query).tuples():
        if weight and key in weighted_keys[workspace_id]:
            data[workspace_id][key][month] = MonthPoint(weighted / weight, weight, coverage)
        else:
            data[workspace_id][key][month] = MonthPoint(total, coverage=coverage)
    return {w: dict(points) for w, points in data.items()}


def driver_lines(session: Session) -> dict[int, dict[str, tuple[str, ...]]]:
    """The driver-map lines each company changed (as db.indicators.driver_overrides)."""
    lines: dict[int, dict[str, tuple[str, ...]]] = {w: {} for w in companies_of(session)}
    for row in session.scalars(select(DriverOverride)):
        lines[row.workspace_id][row.output_key] = tuple(row.outcome_keys)
    return lines


def _signed_versions(session: Session) -> dict[int, int]:
    """Each company's newest version both leaders signed (company -> version id)."""
    signed = (select(AgreementVersionRow.workspace_id, AgreementVersionRow.number, AgreementVersionRow.id)
              .join(AgreementSignatureRow, AgreementSignatureRow.version_id == AgreementVersionRow.id)
              .group_by(AgreementVersionRow.workspace_id, AgreementVersionRow.number, AgreementVersionRow.id)
              .having(func.count(func.distinct(AgreementSignatureRow.role)) >= len(Role)))
    newest: dict[int, tuple[int, int]] = {}
    for workspace_id, number, version_id in session.execute(signed):
        if workspace_id not in newest or number > newest[workspace_id][0]:
            newest[workspace_id] = (number, version_id)
    return {w: version_id for w, (_number, version_id) in newest.items()}


def agreed_kpis(session: Session, months: list[Month]) -> dict[int, list[KpiTerms]]:
    """Each company's signed agreement (the newest both leaders signed): its KPIs in order, with the targets of
    ``months`` only. A company without one has an empty list."""
    versions = _signed_versions(session)
    kpis: dict[int, list[KpiTerms]] = {w: [] for w in companies_of(session)}
    if not versions:
        return kpis
    company_of_version = {v: w for w, v in versions.items()}
    rows = list(session.scalars(select(AgreementKpiRow).join(AgreementVersionRow)
                                .where(AgreementKpiRow.version_id.in_(list(versions.values())))
                                .order_by(AgreementKpiRow.version_id, AgreementKpiRow.position)))
    targets: dict[int, dict[Month, float]] = defaultdict(dict)
    target_query = (select(KpiTargetRow.kpi_id, KpiTargetRow.month, KpiTargetRow.value)
                    .join(AgreementKpiRow).join(AgreementVersionRow)
                    .where(AgreementKpiRow.version_id.in_(list(versions.values())), KpiTargetRow.month.in_(months)))
    for kpi_id, month, value in session.execute(target_query):
        targets[kpi_id][month] = value
    for row in rows:
        kpis[company_of_version[row.version_id]].append(KpiTerms(
            metric_key=row.metric_key, mandate=Mandate(row.mandate), owner_name=row.owner_name,
            owner_role=row.owner_role, green_at=row.green_at, amber_at=row.amber_at, targets=targets[row.id]))
    return kpis


def month_votes(session: Session, month: Month) -> dict[int, dict[str, Votes]]:
    """The CEO's and the CMO's confidence votes of ``month``, per company and KPI."""
    votes: dict[int, dict[str, Votes]] = {w: {} for w in companies_of(session)}
    query = select(ConfidenceVoteRow.workspace_id, ConfidenceVoteRow.metric_key, ConfidenceVoteRow.role,
                   ConfidenceVoteRow.score).where(ConfidenceVoteRow.month == month)
    for workspace_id, key, role, score in session.execute(query):
        current = votes[workspace_id].get(key, Votes())
        votes[workspace_id][key] = current.model_copy(update={role: score})
    return votes


def month_reviews(session: Session, month: Month) -> dict[int, ReviewMark]:
    """Each company's review of ``month``, where one was started."""
    query = select(Review.workspace_id, Review.status, Review.closed_at).where(Review.month == month)
    return {w: ReviewMark(closed=status == "closed", closed_at=closed_at)
            for w, status, closed_at in session.execute(query)}


def month_actions(session: Session, month: Month) -> dict[int, list[Action]]:
    """The actions a review of ``month`` shows: agreed by then, and still open or closed in it or later."""
    actions: dict[int, list[Action]] = {w: [] for w in companies_of(session)}
    query = (select(ActionItem).where(ActionItem.created_month <= month,
                                      or_(ActionItem.status == ActionStatus.OPEN.value,
                                          ActionItem.closed_month >= month))
             .order_by(ActionItem.id))
    for row in session.scalars(query):
        actions[row.workspace_id].append(Action(
            id=row.id, title=row.title, owner=row.owner, due=row.due_date, status=ActionStatus(row.status),
            kpi_key=row.kpi_key, created_month=row.created_month, closed_month=row.closed_month))
    return actions


def cadences(session: Session) -> dict[int, Cadence]:
    """Each company's review cadence (the second Tuesday until it sets its own; as db.meetings.cadence)."""
    found = {row.workspace_id: Cadence(weekday=row.weekday, week=row.week, pre_read_days=row.pre_read_days,
                                       next_override=row.next_override)
             for row in session.scalars(select(MeetingCadence))}
    return {w: found.get(w, Cadence()) for w in companies_of(session)}


def last_imports(session: Session) -> dict[int, dt.datetime]:
    """When each company last imported anything that still counts (undone imports do not)."""
    query = (select(ImportBatch.workspace_id, func.max(ImportBatch.created_at))
             .where(ImportBatch.status == ACTIVE_IMPORT).group_by(ImportBatch.workspace_id))
    return {w: _aware(at) for w, at in session.execute(query) if at is not None}


def sql_source_marks(session: Session) -> dict[int, list[SqlSourceMark]]:
    """Each company's SQL sources: name, when added, when last refreshed (never the URL)."""
    marks: dict[int, list[SqlSourceMark]] = {w: [] for w in companies_of(session)}
    query = select(SqlSource.workspace_id, SqlSource.name, SqlSource.created_at, SqlSource.refreshed_at)
    for workspace_id, name, added, refreshed in session.execute(query):
        marks[workspace_id].append(SqlSourceMark(name=name, added_at=_aware(added),
                                                 refreshed_at=_aware(refreshed) if refreshed else None))
    return marks


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive times; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# --- The rows -----------------------------------------------------------------------------------------


def company_figures(session: Session, month: Month, coverage: Coverage | None = None) -> dict[int, CompanyFigures]:
    """What each company's row needs for ``month``, read for all the session's companies at once. ``coverage``:
    ``month_coverage`` already read (the month picker needs it too), else it is read here."""
    months, catalog_of = months_read(month), catalogs(session)
    kpis, lines = agreed_kpis(session, months), driver_lines(session)
    drivers = {w: effective_drivers(catalog, lines[w]) for w, catalog in catalog_of.items()}
    keys = set().union(*(metrics_read(catalog_of[w], kpis[w], drivers[w]) for w in catalog_of))
    data, coverage = month_totals(session, months, keys, catalog_of), coverage or month_coverage(session)
    votes, reviews, actions = month_votes(session, month), month_reviews(session, month), month_actions(session, month)
    meets, imported, sources = cadences(session), last_imports(session), sql_source_marks(session)
    return {w: CompanyFigures(
        workspace_id=w, name=name, is_demo=is_demo, month=month, catalog=catalog_of[w], drivers=drivers[w],
        data=data[w], coverage=coverage.get(w, {}), cadence=meets[w], kpis=kpis[w], votes=votes[w],
        review=reviews.get(w), actions=actions[w], last_import_at=imported.get(w), sql_sources=sources[w],
    ) for w, name, is_demo in session.execute(select(Workspace.id, Workspace.name, Workspace.is_demo)).tuples()}


def portfolio_rows(session: Session, month: Month, today: dt.date,
                   coverage: Coverage | None = None) -> list[PortfolioRow]:
    """One row per company of the session for ``month``, in name order."""
    rows = [portfolio_row(figures, today) for figures in company_figures(session, month, coverage).values()]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.workspace_id))


def read_portfolio(engine: Engine, workspace_ids: Iterable[int], month: Month, today: dt.date,
                   coverage: Coverage | None = None) -> list[PortfolioRow]:
    """The rows of ``workspace_ids`` for ``month``, in one read session bound to those companies."""
    with portfolio_session(engine, workspace_ids) as session:
        return portfolio_rows(session, month, today, coverage)
