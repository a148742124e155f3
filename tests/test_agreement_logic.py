"""The sign-off state machine and the readable diff, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.agreement import (
    AgreementError,
    AgreementVersion,
    Role,
    diff,
    kpi_problems,
    kpi_warnings,
    revise,
    sign,
)
from metrics.catalog import STANDARD_CATALOG, Mandate
from metrics.scorecard import KpiTerms

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def m(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def kpi(key: str, mandate: Mandate = Mandate.GROWTH, owner: str = "Dana Ortiz", **extra: object) -> KpiTerms:
    return KpiTerms(metric_key=key, mandate=mandate, owner_name=owner, owner_role="CMO", **extra)


FOUR = [kpi("pipeline_created"), kpi("new_bookings"), kpi("cac"), kpi("nps", Mandate.BRAND)]


def agreed_v1() -> AgreementVersion:
    draft = revise(None, FOUR, at=AT, by="Dana")
    return sign(sign(draft, Role.CEO, "Maya Chen", AT, STANDARD_CATALOG), Role.CMO, "Dana Ortiz", AT, STANDARD_CATALOG)


def test_draft_then_one_signature_then_agreed() -> None:
    draft = revise(None, FOUR, at=AT)
    assert (draft.number, draft.agreed, draft.title, draft.awaiting) == (1, False, "Draft v1", [Role.CEO, Role.CMO])
    half = sign(draft, Role.CMO, "  Dana   Ortiz ", AT, STANDARD_CATALOG)
    assert (half.agreed, half.title, half.awaiting) == (False, "Draft v1", [Role.CEO])
    assert half.signature(Role.CMO).name == "Dana Ortiz"
    done = sign(half, Role.CEO, "Maya Chen", AT + dt.timedelta(hours=2), STANDARD_CATALOG)
    assert (done.agreed, done.title, done.awaiting) == (True, "Agreement v1", [])
    assert done.agreed_at == AT + dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("version", "role", "name", "message"),
    [
        (lambda: agreed_v1(), Role.CEO, "Maya", "already signed by both"),
        (lambda: sign(revise(None, FOUR, at=AT), Role.CEO, "Maya", AT, STANDARD_CATALOG), Role.CEO, "Maya",
         "The CEO has already signed"),
        (lambda: revise(None, FOUR, at=AT), Role.CMO, "   ", "Type the CMO's name"),
        (lambda: revise(None, FOUR[:2], at=AT), Role.CEO, "Maya", "at least 3"),
    ],
)
def test_signing_is_refused_when_the_rules_say_no(version, role: Role, name: str, message: str) -> None:
    with pytest.raises(AgreementError, match=message):
        sign(version(), role, name, AT, STANDARD_CATALOG)


def test_changing_an_agreement_starts_the_next_draft_and_leaves_it_alone() -> None:
    agreed = agreed_v1()
    changed = [*FOUR[:3], kpi("nps", Mandate.BRAND, owner="Sam Lee")]
    draft = revise(agreed, changed, at=AT, by="Sam")
    assert (draft.number, draft.agreed, draft.signatures, draft.edit) == (2, False, [], 1)
    assert agreed.kpis[3].owner_name == "Dana Ortiz" and agreed.agreed


def test_changing_a_draft_withdraws_its_signatures() -> None:
    half = sign(revise(None, FOUR, at=AT), Role.CEO, "Maya Chen", AT, STANDARD_CATALOG)
    again = revise(half, FOUR[:3] + [kpi("aided_awareness", Mandate.BRAND)], at=AT)
    assert (again.number, again.edit, again.signatures) == (1, 2, [])


@pytest.mark.parametrize(
    ("kpis", "expected"),
    [
        (FOUR, []),
        ([*FOUR, kpi("cac")], ["Customer acquisition cost is chosen twice."]),
        ([*FOUR[:3], kpi("nps", Mandate.BRAND, owner=" ")], ["Net Promoter Score needs an owner"]),
        ([*FOUR, kpi("marketing_spend")], ["Marketing spend has no good direction"]),
        ([*FOUR, kpi("made_up")], ["'made_up' is not a metric"]),
        ([kpi(k) for k in ("revenue", "new_bookings", "cac", "nps", "nrr", "grr", "churn_rate", "win_rate")],
         ["8 KPIs chosen. Seven KPIs is the hard limit"]),
    ],
)
def test_kpi_problems(kpis: list[KpiTerms], expected: list[str]) -> None:
    problems = kpi_problems(kpis, STANDARD_CATALOG)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)


def test_kpi_warnings_name_the_missing_targets_and_a_wide_set() -> None:
    months = [m(2026, 1), m(2026, 2), m(2026, 3)]
    six = [kpi(k, targets={m(2026, 1): 1.0, m(2026, 2): 1.0, m(2026, 3): 1.0})
           for k in ("revenue", "new_bookings", "cac", "nrr", "grr")] + [kpi("nps", Mandate.BRAND)]
    warnings = kpi_warnings(six, STANDARD_CATALOG, months)
    assert warnings[0].startswith("6 KPIs: allowed, but more than 5")
    assert warnings[1] == ("Net Promoter Score has no target for 3 of 3 months; those months show 'no data' "
                           "instead of a status.")


def test_diff_reads_like_a_list_of_changes() -> None:
    old = [kpi("pipeline_created", targets={m(2026, 1): 400_000, m(2026, 2): 410_000}),
           kpi("cac"), kpi("nps", Mandate.BRAND)]
    new = [kpi("pipeline_created", targets={m(2026, 1): 420_000, m(2026, 2): 410_000, m(2026, 3): 430_000}),
           kpi("cac", green_at=0.95, owner="Sam Lee"), kpi("aided_awareness", Mandate.BRAND, rationale="Reach")]
    lines = diff(old, new, STANDARD_CATALOG, currency="EUR")
    assert lines == [
        "Added Aided awareness — Brand (the meaning), owner Dana Ortiz (CMO).",
        "Removed Net Promoter Score — Brand (the meaning), owner Dana Ortiz (CMO).",
        "Pipeline created: targets changed for 2 months: Jan 2026 €400K → €420K; Mar 2026 (none) → €430K.",
        "Customer acquisition cost: owner “Dana Ortiz” → “Sam Lee”.",
        "Customer acquisition cost: on track at 100% of target → 95% of target.",
    ]
    assert diff(new, new, STANDARD_CATALOG) == ["No changes."]


def test_diff_shortens_long_target_changes() -> None:
    old = [kpi("revenue", targets={m(2026, i): 100.0 for i in range(1, 13)})]
    new = [kpi("revenue", targets={m(2026, i): 110.0 for i in range(1, 13)})]
    (line,) = diff(old, new, STANDARD_CATALOG)
    assert line.startswith("Revenue: targets changed for 12 months: Jan 2026 $100 → $110;")
    assert line.endswith("and 9 more.")
