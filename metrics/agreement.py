"""The CEO-CMO agreement: which KPIs, signed by both, in numbered versions.

A version is a draft until both the CEO and the CMO have signed it; then it is "Agreement vN".
Changing an agreed version never alters it: the change becomes draft vN+1, which needs both
signatures again, while vN keeps driving the scorecard. Changing a draft withdraws its signatures,
because a signature covers exactly what was on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from metrics.catalog import MANDATE_TITLES, Catalog, Direction, Mandate, Unit
from metrics.formatting import format_value, mask_currency_text
from metrics.periods import month_label
from metrics.refusal import Refused
from metrics.scorecard import KpiTerms, kpi_count_problems, kpi_count_warning


class Role(StrEnum):
    CEO = "ceo"
    CMO = "cmo"


ROLE_TITLES: dict[Role, str] = {Role.CEO: "CEO", Role.CMO: "CMO"}


class AgreementError(Refused):
    """A step the agreement's rules do not allow; the message says why, and nothing was changed."""


class Signature(BaseModel):
    role: Role
    name: str
    signed_at: dt.datetime


class AgreementVersion(BaseModel):
    """One numbered version of the agreed KPI set."""

    number: int = Field(ge=1)
    kpis: list[KpiTerms] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)
    edit: int = 1  # counts saved changes to this version: what a signer saw, what a saver started from
    created_at: dt.datetime | None = None
    created_by: str = ""

    @property
    def agreed(self) -> bool:
        return {s.role for s in self.signatures} >= set(Role)

    @property
    def title(self) -> str:
        return f"Agreement v{self.number}" if self.agreed else f"Draft v{self.number}"

    @property
    def agreed_at(self) -> dt.datetime | None:
        return max(s.signed_at for s in self.signatures) if self.agreed else None

    @property
    def awaiting(self) -> list[Role]:
        signed = {s.role for s in self.signatures}
        return [r for r in Role if r not in signed]

    def signature(self, role: Role) -> Signature | None:
        return next((s for s in self.signatures if s.role == role), None)


def kpi_problems(kpis: Sequence[KpiTerms], catalog: Catalog) -> list[str]:
    """Everything that stops a KPI set from being saved, each in plain words."""
    problems = kpi_count_problems(len(kpis))
    keys = [k.metric_key for k in kpis]
    problems += [f"{_label(catalog, key)} is chosen twice." for key in sorted({k for k in keys if keys.count(k) > 1})]
    for kpi in kpis:
        metric = catalog.get(kpi.metric_key)
        if metric is None:
            problems.append(f"{kpi.metric_key!r} is not a metric this workspace knows.")
        elif metric.direction == Direction.NEUTRAL:
            problems.append(f"{metric.label} has no good direction (more is neither better nor worse), so it "
                            "cannot be on track or off track. Agree on what it should buy instead.")
        if not kpi.owner_name:
            problems.append(f"{_label(catalog, kpi.metric_key)} needs an owner: the person who reports on it.")
    return problems


def kpi_warnings(kpis: Sequence[KpiTerms], catalog: Catalog, months: Sequence[dt.date]) -> list[str]:
    """Allowed but worth a second look: a wide set, months without a target."""
    warnings = [w for w in [kpi_count_warning(len(kpis))] if w]
    for kpi in kpis:
        missing = [m for m in months if m not in kpi.targets]
        if missing:
            warnings.append(f"{_label(catalog, kpi.metric_key)} has no target for {len(missing)} of "
                            f"{len(months)} months; those months show 'no data' instead of a status.")
    return warnings


def revise(current: AgreementVersion | None, kpis: Sequence[KpiTerms], *, at: dt.datetime,
           by: str = "") -> AgreementVersion:
    """The version that saving ``kpis`` produces: v1, an updated draft, or the next draft after an agreement."""
    if current is None:
        return AgreementVersion(number=1, kpis=list(kpis), created_at=at, created_by=by)
    if current.agreed:
        return AgreementVersion(number=current.number + 1, kpis=list(kpis), created_at=at, created_by=by)
    return current.model_copy(update={"kpis": list(kpis), "signatures": [], "edit": current.edit + 1})


def sign(version: AgreementVersion, role: Role, name: str, at: dt.datetime, catalog: Catalog) -> AgreementVersion:
    """Add one leader's signature. Refused for an agreed version, a second signature by the same role,
    a missing name, or a KPI set that breaks the rules."""
    name = " ".join(name.split())
    if version.agreed:
        raise AgreementError(f"{version.title} is already signed by both; change it to start a new draft.")
    if version.signature(role) is not None:
        raise AgreementError(f"The {ROLE_TITLES[role]} has already signed {version.title}.")
    if not name:
        raise AgreementError(f"Type the {ROLE_TITLES[role]}'s name to sign.")
    problems = kpi_problems(version.kpis, catalog)
    if problems:
        raise AgreementError("This draft cannot be signed yet: " + " ".join(problems))
    return version.model_copy(update={"signatures": [*version.signatures, Signature(role=role, name=name,
                                                                                      signed_at=at)]})


# --- a readable diff --------------------------------------------------------------------------


def _label(catalog: Catalog, key: str) -> str:
    metric = catalog.get(key)
    return metric.label if metric else key


def _unit(catalog: Catalog, key: str) -> Unit:
    metric = catalog.get(key)
    return metric.unit if metric else Unit.COUNT


def _describe(kpi: KpiTerms, catalog: Catalog) -> str:
    owner = f"{kpi.owner_name} ({kpi.owner_role})" if kpi.owner_role else kpi.owner_name
    return f"{_label(catalog, kpi.metric_key)} — {MANDATE_TITLES[kpi.mandate]}, owner {owner or 'none'}"


_FIELDS = (("mandate", "mandate"), ("owner_name", "owner"), ("owner_role", "owner's role"),
           ("green_at", "on track at"), ("amber_at", "at risk from"), ("rationale", "rationale"),
           ("evidence", "evidence"), ("source_of_record", "source of record"))


def _shown(field: str, value: object, mask_currency: bool = False) -> str:
    if field in ("green_at", "amber_at"):
        return f"{float(value):.0%} of target"  # type: ignore[arg-type]
    if field == "mandate":
        return MANDATE_TITLES[value]  # type: ignore[index]
    text = mask_currency_text(str(value)) if mask_currency else value
    return f"“{text}”" if value else "(none)"


def _target(value: float | None, unit: Unit, currency: str, mask_currency: bool = False) -> str:
    return "(none)" if value is None else format_value(value, unit, currency, mask_currency)


def _target_changes(old: KpiTerms, new: KpiTerms, unit: Unit, currency: str, shown: int,
                    mask_currency: bool = False) -> list[str]:
    months = sorted(m for m in old.targets.keys() | new.targets.keys() if old.targets.get(m) != new.targets.get(m))
    if not months:
        return []
    parts = [f"{month_label(m)} {_target(old.targets.get(m), unit, currency, mask_currency)} → "
             f"{_target(new.targets.get(m), unit, currency, mask_currency)}" for m in months[:shown]]
    more = f" and {len(months) - shown} more" if len(months) > shown else ""
    return [f"targets changed for {len(months)} month{'s' if len(months) != 1 else ''}: {'; '.join(parts)}{more}"]


def diff(old: Sequence[KpiTerms] | None, new: Sequence[KpiTerms], catalog: Catalog,
         currency: str = "USD", months_shown: int = 3, mask_currency: bool = False) -> list[str]:
    """What changed between two versions, one plain sentence per change; ``mask_currency`` (share-safe)
    masks money in targets and in the quoted texts."""
    before = {k.metric_key: k for k in old or []}
    after = {k.metric_key: k for k in new}
    lines = [f"Added {_describe(k, catalog)}." for key, k in after.items() if key not in before]
    lines += [f"Removed {_describe(k, catalog)}." for key, k in before.items() if key not in after]
    for key in (k for k in after if k in before):
        label, was, now = _label(catalog, key), before[key], after[key]
        changes = [f"{name} {_shown(field, getattr(was, field), mask_currency)} → "
                   f"{_shown(field, getattr(now, field), mask_currency)}"
                   for field, name in _FIELDS if getattr(was, field) != getattr(now, field)]
        changes += _target_changes(was, now, _unit(catalog, key), currency, months_shown, mask_currency)
        lines += [f"{label}: {change}." for change in changes]
    return lines or ["No changes."]


# --- the leadership system --------------------------------------------------------------------

LITMUS_QUESTIONS: tuple[str, str, str] = (
    "Are we expecting one person to be both Chief Brand and Chief Growth without acknowledging the split?",
    "If we had to choose which mandate matters most in the next 18–24 months, brand reputation or revenue "
    "operations, do we know which one it is?",
    "Do we need to hire, outsource, or combine both to build the leadership system required at this stage?",
)


class LeadershipSystem(BaseModel):
    """Who owns the meaning, who owns the math, which mandate leads for the next 18–24 months,
    and the recorded answers to the three litmus questions."""

    meaning_owner: str = Field(default="", max_length=120)
    math_owner: str = Field(default="", max_length=120)
    priority_mandate: Mandate | None = None
    split_answer: str = Field(default="", max_length=2000)
    priority_answer: str = Field(default="", max_length=2000)
    build_answer: str = Field(default="", max_length=2000)
    answered_on: dt.date | None = None
    answered_by: str = Field(default="", max_length=120)
    version: int | None = None  # None until first saved

    @property
    def answers(self) -> tuple[str, str, str]:
        return self.split_answer, self.priority_answer, self.build_answer

    def owner_for(self, mandate: Mandate) -> str:
        return self.meaning_owner if mandate == Mandate.BRAND else self.math_owner


def evidence_text(predictor: str, outcome: str, lag: int, evidence: Mapping[str, object],
                  adopted_on: dt.date) -> str:
    """One line naming the validator's finding a KPI rests on: what predicts what, how strongly, since when."""
    ahead = f"{lag} month{'s' if lag != 1 else ''} ahead"
    r, n = evidence.get("r"), evidence.get("n")
    strength = f" (r = {r:.2f}, {n} points)" if isinstance(r, int | float) and n else ""
    return f"{predictor} predicts {outcome} {ahead}{strength}; adopted {adopted_on:%d %b %Y}."[:300]
