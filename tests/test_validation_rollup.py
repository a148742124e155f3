"""Import checks (every problem, with where and why) and the monthly roll-up rules."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from metrics.catalog import STANDARD_CATALOG
from metrics.rollup import ROLLUP_COLUMNS, monthly_rollup
from metrics.validation import ImportRejected, Problem, validate_long

TODAY = dt.date(2025, 6, 30)
FILE = "upload.csv"


def csv(text: str) -> pd.DataFrame:
    """Read a CSV the way an upload is read: the header is line 1, data starts on line 2."""
    return pd.read_csv(io.StringIO(text.strip() + "\n"))


def check(text: str) -> list[Problem]:
    return validate_long(csv(text), STANDARD_CATALOG, FILE, today=TODAY)


def where(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


@pytest.mark.parametrize(
    ("bad_line", "column", "reason"),
    [
        ("2025-13-01,clicks,search,10", "date", "not a date"),
        ("yesterday,clicks,search,10", "date", "not a date"),
        (",clicks,search,10", "date", "not a date"),
        ("2025-07-01,clicks,search,10", "date", "after today"),
        ("2025-01-05,ctr,search,0.1", "metric", "computed from other metrics"),
        ("2025-01-05,clickz,search,3", "metric", "unknown metric 'clickz'"),
        ("2025-01-05,,search,3", "metric", "unknown metric '(blank)'"),
        ("2025-01-05,clicks,search,ten", "value", "not a number"),
        ("2025-01-05,clicks,search,", "value", "not a number"),
        ("2025-01-05,clicks,search,inf", "value", "not a number"),
        ("2025-01-05,clicks,search,-3", "value", "cannot be negative"),
        ("2025-01-04,clicks,search,7", "date, metric, segment", "duplicates an earlier row"),
    ],
)
def test_each_problem_names_file_line_and_column(bad_line: str, column: str, reason: str) -> None:
    text = f"""
date,metric,segment,value
2025-01-04,clicks,search,10
2025-01-04,clicks,social,4
{bad_line}
2025-01-06,impressions,search,100
"""
    problems = check(text)
    assert where(problems) == [(FILE, 4, column)]  # header is line 1, the bad row is the third data row
    assert reason in problems[0].reason
    assert str(problems[0]).startswith(f"{FILE}, row 4, column '{column}': ")


def test_negative_values_are_fine_where_the_metric_allows_them() -> None:
    assert check("date,metric,value\n2025-01-31,gross_profit,-500\n2025-01-31,nps,-12") == []


def test_every_problem_is_collected_at_once() -> None:
    text = """
date,metric,segment,value
2025-01-05,clicks,search,10
2025-13-01,clicks,search,10
2099-01-01,clicks,search,10
2025-01-05,ctr,search,0.1
2025-01-05,clickz,search,3
2025-01-06,clicks,search,ten
2025-01-07,clicks,search,-3
2025-01-05,clicks,search,11
"""
    problems = check(text)
    assert sorted(where(problems), key=lambda w: w[1] or 0) == [
        (FILE, 3, "date"),
        (FILE, 4, "date"),
        (FILE, 5, "metric"),
        (FILE, 6, "metric"),
        (FILE, 7, "value"),
        (FILE, 8, "value"),
        (FILE, 9, "date, metric, segment"),
    ]
    error = ImportRejected(problems)
    assert error.problems == problems
    assert str(error).startswith(f"7 problem(s): {FILE}, row ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,value\n2025-01-01,3", [(FILE, None, "metric")]),
        ("metric\nclicks", [(FILE, None, "date"), (FILE, None, "value")]),
        ("date,metric,value", [(FILE, None, None)]),
    ],
)
def test_missing_columns_and_empty_files(text: str, expected: list[tuple]) -> None:
    frame = pd.read_csv(io.StringIO(text + "\n"))
    assert where(validate_long(frame, STANDARD_CATALOG, FILE, today=TODAY)) == expected


@pytest.mark.parametrize(("weight", "ok"), [("25", True), ("0", False), ("-1", False), ("many", False), ("", False)])
def test_weight_must_be_positive(weight: str, ok: bool) -> None:
    problems = check(f"date,metric,value,weight\n2025-01-31,nps,40,10\n2025-02-28,nps,30,{weight}")
    assert where(problems) == ([] if ok else [(FILE, 3, "weight")])


def test_blank_weight_is_fine_only_where_nothing_is_weighted() -> None:
    problems = check("date,metric,value,weight\n2025-01-31,clicks,40,\n2025-01-31,nps,30,\n2025-01-31,sessions,9,-2")
    assert where(problems) == [(FILE, 3, "weight"), (FILE, 4, "weight")]


def test_a_row_column_gives_the_line_numbers() -> None:
    # Readers that reshape a file (a wide sheet into long rows) keep each value's original line.
    frame = pd.DataFrame({"date": ["2025-01-31", "2025-01-31"], "metric": ["clicks", "impressions"],
                          "value": ["5", "x"], "row": [7, 7]})
    assert where(validate_long(frame, STANDARD_CATALOG, "wide.xlsx", today=TODAY)) == [("wide.xlsx", 7, "value")]


# --- Roll-up ---------------------------------------------------------------------------------------

ROLLUP_INPUT = """
date,metric,segment,value,weight
2025-01-31,clicks,search,10,
2025-01-01,clicks,search,5,
2025-01-15,clicks,social,7,
2025-02-03,clicks,search,1,
2025-01-20,customers,,120,
2025-01-02,customers,,100,
2025-01-31,customers,,130,
2025-02-14,customers,,131,
2025-01-20,mrr_start,,900,
2025-01-01,mrr_start,,800,
2025-01-31,mrr_start,,950,
2025-01-05,nps,,50,10
2025-01-25,nps,,20,30
2025-02-01,nps,,-10,5
"""


def rolled(text: str) -> list[tuple]:
    result = monthly_rollup(csv(text), STANDARD_CATALOG)
    assert list(result.columns) == ROLLUP_COLUMNS
    return [(r.metric_key, r.month, r.segment, r.value, r.weight) for r in result.itertuples()]


def test_rollup_rules_against_hand_computed_months() -> None:
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    assert rolled(ROLLUP_INPUT) == [
        ("clicks", jan, "search", 15.0, 1.0),  # sum of 10 and 5
        ("clicks", jan, "social", 7.0, 1.0),  # segments kept apart
        ("clicks", feb, "search", 1.0, 1.0),
        ("customers", jan, "", 130.0, 1.0),  # last: the 31st, whatever the row order
        ("customers", feb, "", 131.0, 1.0),
        ("mrr_start", jan, "", 800.0, 1.0),  # first: the 1st
        ("nps", jan, "", pytest.approx((50 * 10 + 20 * 30) / 40), 40.0),  # 27.5 on 40 responses
        ("nps", feb, "", -10.0, 5.0),
    ]


def test_weighted_average_without_weights_counts_each_row_once() -> None:
    jan = dt.date(2025, 1, 1)
    text = "date,metric,value\n2025-01-05,nps,50\n2025-01-25,nps,20\n2025-01-28,aided_awareness,0.3"
    assert rolled(text) == [
        ("aided_awareness", jan, "", pytest.approx(0.3), 1.0),
        ("nps", jan, "", pytest.approx(35.0), 2.0),
    ]


def test_rollup_without_segment_column_uses_blank_segment() -> None:
    jan = dt.date(2025, 1, 1)
    assert rolled("date,metric,value\n2025-01-05,revenue,100\n2025-01-06,revenue,50") == [
        ("revenue", jan, "", 150.0, 1.0),
    ]
