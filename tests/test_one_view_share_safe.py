"""Share-safe on the One View sends nothing to hide: no number that reaches the browser — sparkline data, the
index chart's figure, the agreed trends, any text — equals an amount of money the company's figures hold for
the month or the twelve before, to the cent or rounded to the unit. With share-safe off the same scan finds them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from components.presentation import PRESENT_KEY, SAFE_KEY
from db import queries
from db.engine import engine_for, session_scope
from db.imports import workspace_catalog
from metrics.catalog import Unit
from metrics.periods import add_months
from metrics.series import period_value
from tests.apptest_helpers import (
    demo_workspace_id,
    keyed_blocks,
    metrics_in,
    open_page,
    sparkline_in,
    vega_rows,
    vega_spec,
)

PAGE = "pages/one_view.py"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?([KMB])?")
SCALE = {"K": 1e3, "M": 1e6, "B": 1e9}
# Rounded to the unit, an amount below 1,000 (Bloom & Brew's €12 order value, its €123 CAC) is indistinguishable
# from the page's own small numbers — "12 months", an index of 123, "122% of target" — so those amounts are
# compared to the cent only; every larger amount is compared to the cent and to the unit.
MEANINGFUL_UNITS = 1000


def money_amounts(url: str, workspace_id: int, month: dt.date) -> set[float]:
    """Every currency amount of the month and the 12 before: stored figures and computed ones (CAC, LTV…)."""
    with session_scope(engine_for(url)) as session:
        catalog = workspace_catalog(session, workspace_id)
        data = queries.monthly_data(session, workspace_id, catalog=catalog)
    months = [add_months(month, -i) for i in range(13)]
    amounts = {point.value for metric in catalog if metric.unit == Unit.CURRENCY
               for m, point in data.get(metric.key, {}).items() if m in months}
    amounts |= {period_value(catalog, metric.key, data, [m]) for metric in catalog if metric.unit == Unit.CURRENCY
                for m in months}
    return {a for a in amounts if a}


def text_numbers(text: str) -> Iterator[float]:
    for match in NUMBER.finditer(text.replace("\\", "")):
        number = float(match.group(0).rstrip("KMB").replace(",", ""))
        yield number * SCALE[match.group(1)] if match.group(1) else number


def json_numbers(value: object) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        yield from text_numbers(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_numbers(item)


def walk(node) -> Iterator:  # noqa: ANN001 - an AppTest node
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def sent_numbers(at: AppTest) -> list[float]:
    """Every number the page sends: metrics (value, delta, tooltip, sparkline data), figures, texts, tables."""
    found: list[float] = []
    for node in walk(at.main):
        proto = getattr(node, "proto", None)
        if node.type == "metric":
            found += [n for text in (proto.body, proto.delta, proto.help, proto.label) for n in text_numbers(text)]
        elif node.type == "plotly_chart":
            found += list(json_numbers(json.loads(proto.spec)))
        elif node.type == "vega_lite_chart":  # the spec and the rows sent beside it
            found += list(json_numbers(vega_spec(node))) + list(json_numbers(vega_rows(node)))
        elif node.type in ("arrow_data_frame", "dataframe"):
            found += [n for v in node.value.to_numpy().ravel() for n in json_numbers(v if not hasattr(v, "item")
                                                                                  else v.item())]
        else:
            for attribute in ("value", "body", "label", "help"):
                text = getattr(node, attribute, None)
                if isinstance(text, str):
                    found += list(text_numbers(text))
    return found


def leaked(numbers: list[float], amounts: set[float]) -> list[tuple[float, float]]:
    """(number, amount) pairs where a sent number equals an amount to the cent, or rounded to the unit."""
    cents = {round(a, 2): a for a in amounts}
    units = {round(a): a for a in amounts}
    return [(n, cents.get(round(n, 2), units.get(n))) for n in numbers
            if round(n, 2) in cents or (float(n).is_integer() and abs(n) >= MEANINGFUL_UNITS and n in units)]


@pytest.mark.parametrize("name", ["Northwind Analytics", "Bloom & Brew"])
@pytest.mark.parametrize("which", ["latest", "earlier"])
def test_share_safe_sends_no_amount_of_money(seeded_url: str, name: str, which: str) -> None:
    workspace_id = demo_workspace_id(seeded_url, name)
    at = open_page(PAGE, workspace_id, timeout=90, **{SAFE_KEY: True, PRESENT_KEY: True})
    month = at.session_state["review_month"]
    if which == "earlier":
        month = add_months(month, -7)
        at.selectbox(key="_review_month_widget").set_value(month).run()
    numbers = sent_numbers(at)
    assert len(numbers) > 300  # the scan sees the tiles' data, not an empty page
    assert leaked(numbers, money_amounts(seeded_url, workspace_id, month)) == []
    revenue = next(m for m in metrics_in(keyed_blocks(at, "band_pnl")[0]) if m.label == "Revenue")
    assert revenue.value == "•••" and sparkline_in(keyed_blocks(at, "tile_kpi_revenue_")[0])[0] == 100  # indexed


def test_without_share_safe_the_same_scan_finds_the_amounts(seeded_url: str) -> None:
    workspace_id = demo_workspace_id(seeded_url)
    at = open_page(PAGE, workspace_id, timeout=90, **{SAFE_KEY: False})
    found = leaked(sent_numbers(at), money_amounts(seeded_url, workspace_id, at.session_state["review_month"]))
    assert len(found) >= 12  # at least a sparkline's worth: revenue to the unit, month by month
