"""Month-by-month reconciliation against a source of record, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.reconciliation import reconcile_month, reconcile_months

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.mark.parametrize(("values", "expected"), [
    # record 100 against the one other source
    ({"Finance": 100.0, "Marketing": 104.0}, ("Marketing", 104.0, 0.04, False)),
    ({"Finance": 100.0, "Marketing": 105.0}, ("Marketing", 105.0, 0.05, False)),  # exactly 5% is not above
    ({"Finance": 100.0, "Marketing": 106.0}, ("Marketing", 106.0, 0.06, True)),
    ({"Finance": 100.0, "Marketing": 93.0}, ("Marketing", 93.0, -0.07, True)),  # under-reporting counts too
    # several others: the one furthest from the record
    ({"Finance": 100.0, "CRM": 103.0, "Marketing": 91.0}, ("Marketing", 91.0, -0.09, True)),
    # a side missing: shown, never flagged
    ({"Marketing": 120.0}, ("Marketing", 120.0, None, False)),
    ({"Finance": 100.0}, ("CRM", None, None, False)),
    # a zero record has no percentage: any difference is flagged
    ({"Finance": 0.0, "Marketing": 5.0}, ("Marketing", 5.0, None, True)),
])
def test_reconcile_month(values: dict[str, float], expected: tuple) -> None:
    check = reconcile_month(values, "Finance", ["CRM", "Marketing"])
    other, other_value, pct, flagged = expected
    assert check.source == "Finance" and check.value == values.get("Finance")
    assert (check.other_source, check.other_value, check.flagged) == (other, other_value, flagged)
    assert check.variance_pct == (None if pct is None else pytest.approx(pct))


def test_reconcile_months_keeps_months_with_any_report_in_order() -> None:
    values = {"Finance": {JAN: 200.0, FEB: 100.0}, "Marketing": {FEB: 110.0, MAR: 90.0}}
    checks = reconcile_months(values, "Finance", [JAN, FEB, MAR, dt.date(2026, 4, 1)], threshold=0.08)
    assert [(c.month, c.check.value, c.check.other_value, c.check.flagged) for c in checks] == [
        (JAN, 200.0, None, False), (FEB, 100.0, 110.0, True), (MAR, None, 90.0, False)]


def test_reconcile_months_needs_another_source() -> None:
    assert reconcile_months({"Finance": {JAN: 1.0}}, "Finance", [JAN]) == []
    assert reconcile_months({}, "Finance", [JAN]) == []
