"""The agreement, the scorecard around it, and the leadership system: read and save, safely.

Every save names what the person started from (a version's number and edit count, or a row's
version); when someone else saved first, ``EditConflict`` is raised and nothing is written.
``scorecard_for_month`` is the one read the scorecard page, the One View and the exports share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

import clock
from db import queries
from db.models import Observation
from db.scorecard_models import (
    AgreementKpiRow,
    AgreementSignatureRow,
    AgreementVersionRow,
    ConfidenceVoteRow,
    KpiCommentaryRow,
    KpiTargetRow,
    LeadershipSystemRow,
)
from db.sources import sources_of_record
from metrics.agreement import (
    AgreementError,
    AgreementVersion,
    LeadershipSystem,
    Role,
    Signature,
    kpi_problems,
    revise,
    sign,
)
from metrics.catalog import STANDARD_CATALOG, Aggregation, Band, Catalog, Direction, Mandate, Metric, MetricClass, Unit
from metrics.coverage import is_complete, point_coverage
from metrics.periods import Month, add_months, months_between
from metrics.refusal import Refused
from metrics.scorecard import (
    RECONCILIATION_THRESHOLD,
    Commentary,
    KpiFigures,
    KpiTerms,
    Scorecard,
    SignatureLine,
    Votes,
    kpi_line,
    reconcile_sources,
)
from metrics.series import MonthlyData, monthly_values

COMMENTARY_LIMIT = 2000


class EditConflict(Refused):
    """Someone else saved first. Nothing was written; the message says what to do."""


def _now() -> dt.datetime:
    return clock.now()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive times; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _flush(session: Session, message: str) -> None:
    """Write now; a concurrent save detected by the database becomes a plain conflict."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise EditConflict(message) from error


# --- agreement versions -----------------------------------------------------------------------


def _to_terms(row: AgreementKpiRow) -> KpiTerms:
    return KpiTerms(metric_key=row.metric_key, mandate=Mandate(row.mandate), owner_name=row.owner_name,
                    owner_role=row.owner_role, green_at=row.green_at, amber_at=row.amber_at,
                    rationale=row.rationale, evidence=row.evidence, source_of_record=row.source_of_record,
                    targets={t.month: t.value for t in row.targets})


def _to_version(row: AgreementVersionRow) -> AgreementVersion:
    return AgreementVersion(
        number=row.number, edit=row.edit, created_at=_aware(row.created_at), created_by=row.created_by,
        kpis=[_to_terms(k) for k in row.kpis],
        signatures=[Signature(role=Role(s.role), name=s.name, signed_at=_aware(s.signed_at)) for s in row.signatures],
    )


def _kpi_rows(kpis: Sequence[KpiTerms]) -> list[AgreementKpiRow]:
    return [
        AgreementKpiRow(position=i, metric_key=k.metric_key, mandate=k.mandate.value, owner_name=k.owner_name,
                        owner_role=k.owner_role, green_at=k.green_at, amber_at=k.amber_at, rationale=k.rationale,
                        evidence=k.evidence, source_of_record=k.source_of_record,
                        targets=[KpiTargetRow(month=m, value=v) for m, v in sorted(k.targets.items())])
        for i, k in enumerate(kpis)
    ]


def _version_rows(session: Session, workspace_id: int) -> list[AgreementVersionRow]:
    query = (select(AgreementVersionRow).where(AgreementVersionRow.workspace_id == workspace_id)
             .options(selectinload(AgreementVersionRow.kpis).selectinload(AgreementKpiRow.targets),
                      selectinload(AgreementVersionRow.signatures))
             .order_by(AgreementVersionRow.number))
    return list(session.scalars(query))


def agreement_versions(session: Session, workspace_id: int) -> list[AgreementVersion]:
    """Every version, oldest first: the history."""
    return [_to_version(row) for row in _version_rows(session, workspace_id)]


def current_agreement(session: Session, workspace_id: int) -> AgreementVersion | None:
    """The newest version both leaders signed: the one that drives the scorecard."""
    agreed = [v for v in agreement_versions(session, workspace_id) if v.agreed]
    return agreed[-1] if agreed else None


def open_draft(session: Session, workspace_id: int) -> AgreementVersion | None:
    """The version awaiting signatures, if any (there is at most one, always the newest)."""
    versions = agreement_versions(session, workspace_id)
    return versions[-1] if versions and not versions[-1].agreed else None


def _latest_row(session: Session, workspace_id: int) -> AgreementVersionRow | None:
    query = (select(AgreementVersionRow).where(AgreementVersionRow.workspace_id == workspace_id)
             .order_by(AgreementVersionRow.number.desc()).limit(1))
    return session.scalar(query)


def _check_base(latest: AgreementVersionRow | None, based_on: tuple[int, int] | None) -> None:
    """The saver must have started from the newest version as it is now."""
    now = (latest.number, latest.edit) if latest is not None else None
    if now == based_on:
        return
    if latest is None:
        raise EditConflict("The agreement you were editing no longer exists. Reload to start again.")
    state = "Agreement" if latest.agreed_at is not None else "Draft"
    raise EditConflict(f"Someone else saved {state} v{latest.number} while you were editing. Your changes were "
                       "not saved and nothing was overwritten: reload to see theirs, then make your change again.")


def save_draft(session: Session, workspace_id: int, kpis: Sequence[KpiTerms], *,
               based_on: tuple[int, int] | None, by: str = "", catalog: Catalog = STANDARD_CATALOG,
               now: dt.datetime | None = None) -> AgreementVersion:
    """Save a KPI set as the open draft. ``based_on`` is (number, edit) of the version the person
    started from, None for the very first. An agreed version is never changed: this starts the next draft."""
    problems = kpi_problems(kpis, catalog)
    if problems:
        raise AgreementError(" ".join(problems))
    now = now or _now()
    latest = _latest_row(session, workspace_id)
    _check_base(latest, based_on)
    if latest is not None and latest.agreed_at is None:
        return _update_draft(session, latest, kpis, now)
    current = _to_version(latest) if latest is not None else None
    draft = revise(current, kpis, at=now, by=by)
    row = AgreementVersionRow(workspace_id=workspace_id, number=draft.number, edit=draft.edit, created_at=now,
                              created_by=by, updated_at=now, kpis=_kpi_rows(kpis))
    session.add(row)
    _flush(session, f"Someone else started draft v{draft.number} at the same moment. Nothing was saved: "
                    "reload to see it.")
    return _to_version(row)


def _update_draft(session: Session, row: AgreementVersionRow, kpis: Sequence[KpiTerms],
                  now: dt.datetime) -> AgreementVersion:
    """Replace a draft's KPIs; its signatures are withdrawn because the content changed."""
    conflict = (f"Someone else saved draft v{row.number} at the same moment. Nothing was saved: reload to see "
                "their version.")
    row.edit, row.updated_at = row.edit + 1, now  # the version check runs on this UPDATE, first
    _flush(session, conflict)
    row.kpis.clear()
    row.signatures.clear()
    _flush(session, conflict)
    row.kpis.extend(_kpi_rows(kpis))
    _flush(session, conflict)
    return _to_version(row)


def sign_agreement(session: Session, workspace_id: int, number: int, edit: int, role: Role, name: str, *,
                   catalog: Catalog = STANDARD_CATALOG, now: dt.datetime | None = None) -> AgreementVersion:
    """Sign draft ``number`` as it was at ``edit``. When both have signed, it becomes the agreement."""
    now = now or _now()
    row = session.scalar(select(AgreementVersionRow).where(AgreementVersionRow.workspace_id == workspace_id,
                                                           AgreementVersionRow.number == number))
    if row is None:
        raise EditConflict(f"Version {number} no longer exists. Reload to see the current agreement.")
    if row.agreed_at is None and row.edit != edit:
        raise EditConflict(f"Draft v{number} changed after you opened it. Nothing was signed: reload, read it "
                           "again, then sign.")
    signed = sign(_to_version(row), role, name, now, catalog)
    added = signed.signatures[-1]
    row.signatures.append(AgreementSignatureRow(role=added.role.value, name=added.name, signed_at=now))
    row.updated_at = now
    if signed.agreed:
        row.agreed_at = now
    _flush(session, f"Draft v{number} was changed or signed by someone else at the same moment. Nothing was "
                    "signed: reload and sign again.")
    return _to_version(row)


def discard_draft(session: Session, workspace_id: int, number: int, edit: int) -> None:
    """Throw away the open draft; the agreed version stays as it is."""
    row = session.scalar(select(AgreementVersionRow).where(AgreementVersionRow.workspace_id == workspace_id,
                                                           AgreementVersionRow.number == number))
    if row is None or row.agreed_at is not None:
        raise AgreementError(f"v{number} is not an open draft, so there is nothing to discard.")
    if row.edit != edit:
        raise EditConflict(f"Draft v{number} changed after you opened it. Nothing was discarded: reload first.")
    session.delete(row)
    _flush(session, f"Draft v{number} changed at the same moment. Nothing was discarded: reload first.")


# --- commentary and confidence votes ----------------------------------------------------------


def commentary_for(session: Session, workspace_id: int, keys: Iterable[str],
                   months: Iterable[Month]) -> dict[tuple[str, Month], Commentary]:
    query = select(KpiCommentaryRow).where(KpiCommentaryRow.workspace_id == workspace_id,
                                           KpiCommentaryRow.metric_key.in_(sorted(set(keys))),
                                           KpiCommentaryRow.month.in_(sorted(set(months))))
    return {(r.metric_key, r.month): Commentary(text=r.text, author=r.author, version=r.row_version)
            for r in session.scalars(query)}


def save_commentary(session: Session, workspace_id: int, metric_key: str, month: Month, text: str, *,
                    author: str = "", expected_version: int | None, now: dt.datetime | None = None) -> int:
    """Save what is being done to improve a KPI this month; returns the new version.

    ``expected_version`` is the version the person read (None if there was none yet).
    """
    text = text.strip()
    if len(text) > COMMENTARY_LIMIT:
        raise AgreementError(f"Keep the commentary under {COMMENTARY_LIMIT} characters (it has {len(text)}).")
    conflict = ("Someone else saved this commentary while you were writing. Yours was not saved and theirs "
                "was kept: reload to read it, then add to it.")
    row = session.scalar(select(KpiCommentaryRow).where(KpiCommentaryRow.workspace_id == workspace_id,
                                                        KpiCommentaryRow.metric_key == metric_key,
                                                        KpiCommentaryRow.month == month))
    if (row.row_version if row is not None else None) != expected_version:
        raise EditConflict(conflict)
    if row is None:
        row = KpiCommentaryRow(workspace_id=workspace_id, metric_key=metric_key, month=month, text=text,
                               author=author, updated_at=now or _now())
        session.add(row)
    else:
        row.text, row.author, row.updated_at = text, author, now or _now()
    _flush(session, conflict)
    return row.row_version


def votes_for(session: Session, workspace_id: int, keys: Iterable[str],
              months: Iterable[Month]) -> dict[tuple[str, Month], Votes]:
    query = select(ConfidenceVoteRow).where(ConfidenceVoteRow.workspace_id == workspace_id,
                                            ConfidenceVoteRow.metric_key.in_(sorted(set(keys))),
                                            ConfidenceVoteRow.month.in_(sorted(set(months))))
    votes: dict[tuple[str, Month], Votes] = {}
    for row in session.scalars(query):
        current = votes.get((row.metric_key, row.month), Votes())
        votes[(row.metric_key, row.month)] = current.model_copy(update={row.role: row.score})
    return votes


ANY_VOTE = object()  # a caller that read no vote: no check of what was there


def cast_vote(session: Session, workspace_id: int, metric_key: str, month: Month, role: Role,
              score: int | None, *, voter: str = "", now: dt.datetime | None = None,
              expected: int | None | object = ANY_VOTE) -> None:
    """Record how far the CEO or the CMO trusts this number this month (1-5); None withdraws the vote.

    ``expected`` is the vote the person saw: when it has changed since (someone else voted), nothing is saved.
    """
    if score is not None and not 1 <= score <= 5:
        raise AgreementError("Confidence is a whole number from 1 (do not trust it) to 5 (fully trust it).")
    row = session.scalar(select(ConfidenceVoteRow).where(
        ConfidenceVoteRow.workspace_id == workspace_id, ConfidenceVoteRow.metric_key == metric_key,
        ConfidenceVoteRow.month == month, ConfidenceVoteRow.role == role.value))
    current = row.score if row is not None else None
    if expected is not ANY_VOTE and current != expected:
        shown = "withdrawn" if current is None else f"changed to {current}"
        raise EditConflict(f"The {role.value.upper()}'s vote was {shown} by {row.voter if row else 'someone'} while "
                           "you were voting. Yours was not saved: look at theirs, then vote again.")
    if score is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ConfidenceVoteRow(workspace_id=workspace_id, metric_key=metric_key, month=month,
                                      role=role.value, score=score, voter=voter, updated_at=now or _now()))
    else:
        row.score, row.voter, row.updated_at = score, voter, now or _now()
    _flush(session, "This vote was recorded by someone else at the same moment. Reload and vote again.")


# --- the leadership system --------------------------------------------------------------------


def leadership_system(session: Session, workspace_id: int) -> LeadershipSystem:
    """The workspace's recorded answers (empty until someone saves them)."""
    row = session.scalar(select(LeadershipSystemRow).where(LeadershipSystemRow.workspace_id == workspace_id))
    if row is None:
        return LeadershipSystem()
    return LeadershipSystem(
        meaning_owner=row.meaning_owner, math_owner=row.math_owner,
        priority_mandate=Mandate(row.priority_mandate) if row.priority_mandate else None,
        split_answer=row.split_answer, priority_answer=row.priority_answer, build_answer=row.build_answer,
        answered_on=row.answered_on, answered_by=row.answered_by, version=row.row_version)


def save_leadership_system(session: Session, workspace_id: int, answers: LeadershipSystem, *,
                           now: dt.datetime | None = None) -> LeadershipSystem:
    """Save the answers; ``answers.version`` must be the version the person read (None for the first)."""
    conflict = ("Someone else saved the leadership system while you were editing. Your answers were not saved: "
                "reload to read theirs.")
    row = session.scalar(select(LeadershipSystemRow).where(LeadershipSystemRow.workspace_id == workspace_id))
    if (row.row_version if row is not None else None) != answers.version:
        raise EditConflict(conflict)
    values = answers.model_dump(exclude={"version"})
    values["priority_mandate"] = answers.priority_mandate.value if answers.priority_mandate else ""
    if row is None:
        row = LeadershipSystemRow(workspace_id=workspace_id, updated_at=now or _now(), **values)
        session.add(row)
    else:
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_at = now or _now()
    _flush(session, conflict)
    return leadership_system(session, workspace_id)


# --- reconciliation and the scorecard ---------------------------------------------------------


def values_by_source(session: Session, workspace_id: int, keys: Iterable[str], month: Month,
                     catalog: Catalog = STANDARD_CATALOG) -> dict[str, dict[str, float]]:
    """Per metric, each source's own value for the month (weighted metrics as that source's weighted mean)."""
    query = (
        select(Observation.metric_key, Observation.source_name, func.sum(Observation.value),
               func.sum(Observation.value * Observation.weight), func.sum(Observation.weight))
        .where(Observation.workspace_id == workspace_id, queries.ACTIVE, Observation.month == month,
               Observation.metric_key.in_(sorted(set(keys))))
        .group_by(Observation.metric_key, Observation.source_name)
    )
    values: dict[str, dict[str, float]] = {}
    for key, source, total, weighted, weight in session.execute(query):
        metric = catalog.get(key)
        weighted_mean = metric is not None and metric.aggregation == Aggregation.WEIGHTED_AVERAGE and weight
        values.setdefault(key, {})[source] = weighted / weight if weighted_mean else total
    return values


def _metric_for(catalog: Catalog, terms: KpiTerms) -> Metric:
    """The KPI's metric; a placeholder when the workspace no longer defines it, so the line shows 'no data'."""
    return catalog.get(terms.metric_key) or Metric(
        key=terms.metric_key, label=terms.metric_key, description="This metric is no longer defined.",
        unit=Unit.COUNT, metric_class=MetricClass.OUTCOME, mandate=terms.mandate, direction=Direction.UP,
        band=Band.PNL)


def _actual_months(version: AgreementVersion, month: Month) -> list[Month]:
    """The months whose actuals the scorecard needs: the 12-month trend and every month since the first target."""
    first_targets = [min(k.targets) for k in version.kpis if k.targets]
    start = min([add_months(month, -11), *first_targets])
    return months_between(min(start, month), month)


def kpi_coverage(catalog: Catalog, key: str, data: MonthlyData, months: list[Month]) -> dict[Month, float]:
    """The months whose figures for ``key`` (or its inputs) cover only part of the month, with their share."""
    inputs = catalog.needed_base_keys([key]) if key in catalog else set()
    shares = {m: point_coverage(inputs, data, m) for m in months}
    return {m: share for m, share in shares.items() if share is not None and not is_complete(share)}


def scorecard_for_month(session: Session, workspace_id: int, month: Month, *,
                        catalog: Catalog = STANDARD_CATALOG, version: int | None = None,
                        reconciliation_threshold: float = RECONCILIATION_THRESHOLD) -> Scorecard:
    """The agreed scorecard for ``month``: the newest agreement (or version ``version``), each KPI with
    actual, target, variance, status, streak, 12-month trend, commentary, votes and reconciliation.

    Pure data (a pydantic model): pages render it, the One View takes targets and statuses from it,
    reviews freeze it and board packs print it.
    """
    versions = agreement_versions(session, workspace_id)
    agreed = [v for v in versions if v.agreed and (version is None or v.number == version)]
    pending = versions[-1].title if versions and not versions[-1].agreed else ""
    if not agreed:
        return Scorecard(workspace_id=workspace_id, month=month, pending_draft=pending)
    chosen = agreed[-1]
    keys = [k.metric_key for k in chosen.kpis]
    known = [k for k in keys if k in catalog]
    data = queries.monthly_data(session, workspace_id, catalog.needed_base_keys(known), catalog)
    months = _actual_months(chosen, month)
    notes, votes = commentary_for(session, workspace_id, keys, [month]), votes_for(session, workspace_id, keys, [month])
    sources = values_by_source(session, workspace_id, [k for k in known if not catalog[k].derived], month, catalog)
    records = sources_of_record(session, workspace_id)  # the workspace's choice is the reference, if it made one
    lines = []
    for terms in chosen.kpis:
        metric = _metric_for(catalog, terms)
        actuals = monthly_values(catalog, terms.metric_key, data, months) if terms.metric_key in catalog else {}
        figures = KpiFigures(actuals=actuals, targets=terms.targets,
                             coverage=kpi_coverage(catalog, terms.metric_key, data, months))
        record = records[terms.metric_key].source_name if terms.metric_key in records else terms.source_of_record
        check = reconcile_sources(sources.get(terms.metric_key, {}), record, reconciliation_threshold)
        lines.append(kpi_line(terms, metric, figures, month, notes.get((terms.metric_key, month)),
                              votes.get((terms.metric_key, month)), check))
    return Scorecard(
        workspace_id=workspace_id, month=month, agreement=chosen.title, agreement_number=chosen.number,
        agreed_at=chosen.agreed_at, pending_draft=pending if pending and version is None else "", kpis=lines,
        signatures=[SignatureLine(role=s.role.value, name=s.name, signed_at=s.signed_at) for s in chosen.signatures],
    )
