"""The rules behind the mail, worked out by hand: when a pre-read and a final pack are due, who receives what,
and which alerts are news."""

from __future__ import annotations

import datetime as dt

import pytest

from db.access import Member, Role
from db.delivery import MailChoices, MailKind, recipients
from metrics.alerts import (
    AlertKind,
    SourceAge,
    changes,
    import_failure,
    is_late,
    kpi_observations,
    source_observations,
)
from metrics.catalog import Mandate, Unit
from metrics.delivery import final_packs_due, next_review, pre_read_due
from metrics.meetings import Cadence
from metrics.scorecard import KpiLine
from metrics.status import Rag

D = dt.date
OCT, NOV = D(2026, 10, 1), D(2026, 11, 1)
SECOND_TUESDAY = Cadence(weekday=1, week=2, pre_read_days=3)  # Dec 2026: Tue 8, so the pre-read goes on Sat 5


@pytest.mark.parametrize(("today", "closed", "expected"), [
    (D(2026, 12, 4), (), None),  # the day before the pre-read day
    (D(2026, 12, 5), (), (NOV, D(2026, 12, 8))),  # three days before the meeting: November's pre-read
    (D(2026, 12, 8), (), (NOV, D(2026, 12, 8))),  # a run missed on the 5th still sends it on the meeting day
    (D(2026, 12, 9), (), None),  # after the meeting the next one is January's: not due yet
    (D(2026, 12, 6), (NOV,), None),  # November already closed: its final pack goes out instead
])
def test_the_pre_read_is_due_from_its_day_until_the_meeting(today: dt.date, closed: tuple,
                                                            expected: tuple | None) -> None:
    due = pre_read_due(SECOND_TUESDAY, today, closed)
    assert (due.month, due.meeting) == expected if expected else due is None


def test_a_meeting_moved_by_hand_moves_its_pre_read() -> None:
    moved = Cadence(pre_read_days=2, next_override=D(2026, 11, 18))
    assert next_review(moved, D(2026, 11, 16)).month == OCT
    assert pre_read_due(moved, D(2026, 11, 15), ()) is None
    assert pre_read_due(moved, D(2026, 11, 16), ()).meeting == D(2026, 11, 18)


@pytest.mark.parametrize(("closed_on", "today", "due"), [
    (D(2026, 11, 18), D(2026, 11, 18), True),  # closed today
    (D(2026, 11, 18), D(2026, 12, 1), True),  # 13 days later
    (D(2026, 11, 18), D(2026, 12, 2), False),  # 14 days later: an old close, no pack
    (D(2026, 11, 18), D(2026, 11, 17), False),  # a run "as of" a day before the close
])
def test_a_final_pack_goes_to_a_month_closed_in_the_last_two_weeks(closed_on: dt.date, today: dt.date,
                                                                   due: bool) -> None:
    assert final_packs_due([(OCT, closed_on)], today) == ([OCT] if due else [])


def member(role: Role) -> Member:
    return Member(f"{role.value}@x.test", role, "test", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None)


@pytest.mark.parametrize(("kind", "roles"), [
    (MailKind.PRE_READ, {Role.CEO, Role.CMO, Role.ADVISOR, Role.CONTRIBUTOR}),  # the draft: not the board
    (MailKind.FINAL_PACK, {Role.CEO, Role.CMO, Role.ADVISOR, Role.BOARD}),
    (MailKind.ALERTS, {Role.CEO, Role.CMO, Role.ADVISOR}),
])
def test_who_receives_what(kind: MailKind, roles: set[Role]) -> None:
    assert {r.role for r in recipients([member(role) for role in Role], {}, kind)} == roles


def test_a_kind_turned_off_is_not_sent_and_the_others_still_are() -> None:
    choices = {"ceo@x.test": MailChoices(alerts=False)}
    people = [member(Role.CEO), member(Role.CMO)]
    assert [r.email for r in recipients(people, choices, MailKind.ALERTS)] == ["cmo@x.test"]
    assert [r.email for r in recipients(people, choices, MailKind.PRE_READ)] == ["ceo@x.test", "cmo@x.test"]
    assert [r.votes for r in recipients([member(Role.CEO), member(Role.ADVISOR)], {}, MailKind.PRE_READ)] == [
        False, True]  # advisor@ first by address; only the CEO (and CMO) vote


# --- Alerts: news is a change ---------------------------------------------------------------------


def kpi(key: str, rag: Rag, actual: float = 80.0, target: float = 100.0, unit: Unit = Unit.CURRENCY) -> KpiLine:
    return KpiLine(key=key, label=key.title(), mandate=Mandate.GROWTH, unit=unit, owner_name="Dana", owner_role="CEO",
                   actual=actual, target=target, pct_of_target=actual / target, rag=rag, streak=2)


@pytest.mark.parametrize(("rag", "raised_before", "new", "cleared"), [
    (Rag.RED, set(), ["kpi:revenue"], []),  # turns off track: alert
    (Rag.RED, {"kpi:revenue"}, [], []),  # stays off track: already alerted
    (Rag.GREEN, {"kpi:revenue"}, [], ["kpi:revenue"]),  # recovered: cleared, so a later red alerts again
    (Rag.AMBER, set(), [], []),  # at risk is not off track
    (Rag.NO_DATA, {"kpi:revenue"}, [], []),  # no figures yet says nothing: it stays as alerted
    (Rag.PARTIAL, {"kpi:revenue"}, [], []),
])
def test_a_kpi_is_alerted_when_it_turns_off_track(rag: Rag, raised_before: set[str], new: list[str],
                                                  cleared: list[str]) -> None:
    observed = kpi_observations([kpi("revenue", rag)], OCT, "EUR", raised_before)
    raised, gone = changes(observed, raised_before)
    assert ([c.key for c in raised], gone) == (new, cleared)


def test_a_kpi_taken_off_the_agreement_clears_its_alert() -> None:
    observed = kpi_observations([kpi("mqls", Rag.GREEN, unit=Unit.COUNT)], OCT, "EUR", {"kpi:revenue"})
    assert changes(observed, {"kpi:revenue"}) == ([], ["kpi:revenue"])


def test_an_off_track_alert_has_its_numbers_and_hides_amounts_when_share_safe() -> None:
    [condition] = changes(kpi_observations([kpi("revenue", Rag.RED, 1_234_567, 1_500_000)], OCT, "EUR", set()),
                          set())[0]
    assert condition.title == "Off track: Revenue"
    assert condition.text == ("€1.23M against a target of €1.5M in Oct 2026 (82% of target); 2 month(s) at this "
                              "status. Owner: Dana (CEO).")
    assert condition.safe_text == ("••• against a target of ••• in Oct 2026 (82% of target); 2 month(s) at this "
                                   "status. Owner: Dana (CEO).")


@pytest.mark.parametrize(("refreshed", "late"), [
    (D(2026, 10, 16), False),  # 31 days ago: a month, not more
    (D(2026, 10, 15), True),  # 32 days ago
    (None, True),  # never refreshed since it was added on 1 Oct
])
def test_a_sql_source_is_late_after_more_than_a_month(refreshed: dt.date | None, late: bool) -> None:
    source = SourceAge(id=7, name="Warehouse", added=D(2026, 10, 1), refreshed=refreshed)
    assert is_late(source, D(2026, 11, 16)) is late
    observed = source_observations([source], D(2026, 11, 16), set())
    assert (observed["late:7"] is not None) is late


def test_a_deleted_source_clears_its_late_alert() -> None:
    assert changes(source_observations([], D(2026, 11, 16), {"late:7"}), {"late:7"}) == ([], ["late:7"])


def test_an_import_failure_names_the_file_and_keeps_cells_out_of_share_safe_mail() -> None:
    failure = import_failure("import:1", "finance.csv", "Finance", "Dana",
                             ["row 4, column 'Revenue': '€12,000 or so' is not a number", "row 9: no date", "a", "b"])
    assert failure.kind == AlertKind.IMPORT_FAILED and failure.title == "Import failed: finance.csv"
    assert failure.text.startswith("4 problems stopped the import of finance.csv (source 'Finance') by Dana;")
    assert failure.text.endswith("row 9: no date; a; …")
    assert "12,000" not in failure.safe_text and "Data page" in failure.safe_text
