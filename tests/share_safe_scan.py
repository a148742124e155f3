"""What share-safe must never send: the company's amounts of money, and how to find them in what is sent.

The amounts come straight from the database (``db.queries.monthly_data`` and the scorecard's targets), for the
month shown and the 12 before. The scanners look at what the server sends, whatever the element: numbers in
plotly figures and Arrow tables (to the cent, and rounded to units), text in every locale's thousands format,
currency symbols next to digits, and the amounts' exact binary doubles in raw bytes (an Arrow column of
float64 carries them so). Shared by the AppTest scans and the Chromium scan.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from db.engine import engine_for, session_scope
from db.imports import workspace_catalog
from db.queries import monthly_data
from db.scorecard import scorecard_for_month
from db.workspaces import workspace_by_name
from metrics.catalog import Unit
from metrics.periods import add_months
from metrics.series import monthly_values

MONEY_NEXT_TO_DIGITS = re.compile(r"[$€£¥₹]\s?-?\d|\d\s?[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|INR)\s?-?\d"
                                  r"|\d\s?(?:USD|EUR|GBP|CHF|INR)\b")
CENT = 0.005
UNITS_FROM = 1_000  # below, a whole number is as likely a chart's height or a count as an amount
PLAIN_UNITS_FROM = 10_000  # below, "2026" is a year before it is an amount


@dataclass(frozen=True)
class Amounts:
    """The company's currency amounts for a stretch of months: stored, computed and targeted."""

    company: str
    values: tuple[float, ...]

    def matching(self, number: float) -> float | None:
        """The amount ``number`` gives away: equal to the cent, or (from 1,000) the amount rounded to units."""
        for amount in self.values:
            if abs(number - amount) < CENT:
                return amount
            if abs(amount) >= UNITS_FROM and float(number).is_integer() and number == round(amount):
                return amount
        return None

    def text_forms(self) -> dict[str, float]:
        """How each amount would read in text: to the cent and rounded, grouped the ways locales group."""
        forms: dict[str, float] = {}
        for amount in self.values:
            if abs(amount) >= 100:
                cents = f"{abs(amount):,.2f}"
                for form in (cents, cents.replace(",", ""), _swap(cents), cents.replace(",", " ").replace(".", ",")):
                    forms[form] = amount
            if abs(amount) >= UNITS_FROM:
                units = f"{round(abs(amount)):,}"
                for form in (units, units.replace(",", "."), units.replace(",", " "), units.replace(",", "\u202f"),
                             units.replace(",", "'")):
                    forms[form] = amount
            if abs(amount) >= PLAIN_UNITS_FROM:
                forms[str(round(abs(amount)))] = amount
        return forms


def _swap(grouped: str) -> str:
    """1,234.56 -> 1.234,56 (German, Italian, Spanish style)."""
    return grouped.replace(",", "\0").replace(".", ",").replace("\0", ".")


def company_amounts(url: str, company: str, month: dt.date, months_before: int = 12) -> Amounts:
    """Every currency amount the database holds for ``company`` from ``months_before`` before ``month`` to it:
    stored metrics, metrics computed from them (CAC, LTV …) and the agreed KPIs' targets and actuals."""
    months = [add_months(month, -back) for back in range(months_before, -1, -1)]
    found: set[float] = set()
    with session_scope(engine_for(url)) as session:
        workspace_id = workspace_by_name(session, company).id
        catalog = workspace_catalog(session, workspace_id)
        data = monthly_data(session, workspace_id, catalog=catalog)
        for metric in catalog:
            if metric.unit != Unit.CURRENCY:
                continue
            found |= {p.value for m, p in data.get(metric.key, {}).items() if m in months and p.value is not None}
            if all(k in data for k in metric.inputs if k != "months"):
                found |= {v for v in monthly_values(catalog, metric.key, data, months).values() if v is not None}
        for shown in months:
            card = scorecard_for_month(session, workspace_id, shown, catalog=catalog)
            for line in card.kpis:
                if line.unit == Unit.CURRENCY:
                    found |= {v for v in (line.actual, line.target, line.variance) if v is not None}
    return Amounts(company, tuple(sorted(v for v in found if v != 0)))


# --- scanners ---------------------------------------------------------------------------------------


def leaks_in_text(text: str, amounts: Amounts, where: str = "text") -> list[str]:
    """A currency sign next to digits, or an amount written out in any common grouping."""
    found = [f"{where}: {m.group(0)!r}" for m in MONEY_NEXT_TO_DIGITS.finditer(text)]
    for form, amount in amounts.text_forms().items():  # a whole word: "1465807" inside a hash is not an amount
        if form in text and re.search(rf"(?<![\w.,]){re.escape(form)}(?!\w)", text):
            found.append(f"{where}: {form!r} is {amount}")
    return found


def leaks_in_number(number: object, amounts: Amounts, where: str) -> list[str]:
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return []
    amount = amounts.matching(float(number))
    return [] if amount is None else [f"{where}: {number!r} is {amount}"]


def leaks_in_json(value: object, amounts: Amounts, where: str) -> list[str]:
    """Every number and string of a JSON value (a plotly figure: its data and its layout)."""
    if isinstance(value, dict) and isinstance(value.get("bdata"), str) and "dtype" in value:
        return leaks_in_json(_typed_array(value), amounts, where)  # plotly's base64 typed array
    if isinstance(value, dict):
        return [leak for key, item in value.items() for leak in leaks_in_json(item, amounts, f"{where}.{key}")]
    if isinstance(value, list):
        return [leak for item in value for leak in leaks_in_json(item, amounts, where)]
    if isinstance(value, str):
        return leaks_in_text(value, amounts, where)
    return leaks_in_number(value, amounts, where)


def _typed_array(value: dict) -> list[float]:
    """The numbers of a plotly typed array ({"dtype": "f8", "bdata": base64}) as a list."""
    return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()


def arrow_table(blob: bytes) -> pa.Table | None:
    """The Arrow table in ``blob`` (a dataframe as Streamlit sends it), or None when it is not one."""
    try:
        return pa.ipc.open_stream(pa.py_buffer(blob)).read_all()
    except (pa.ArrowException, OSError, ValueError):
        return None


def leaks_in_arrow(table: pa.Table, amounts: Amounts, where: str) -> list[str]:
    """Every cell and column name of a table, nested lists (a sparkline column) included."""
    leaks = leaks_in_text(" | ".join(table.column_names), amounts, f"{where} columns")
    for name in table.column_names:
        for cell in table.column(name).to_pylist():
            leaks += leaks_in_json(_jsonable(cell), amounts, f"{where}[{name}]")
    return leaks


def _jsonable(cell: object) -> object:
    if isinstance(cell, (list, dict, str, int, float)) or cell is None:
        return cell
    return str(cell)  # dates and the like: read as text


def leaks_in_bytes(blob: bytes, amounts: Amounts, where: str) -> list[str]:
    """An Arrow table cell by cell; any other bytes for the amounts' binary doubles and their text."""
    table = arrow_table(blob)
    if table is not None:
        return leaks_in_arrow(table, amounts, where)
    leaks = [f"{where}: the double of {a}" for a in amounts.values if struct.pack("<d", a) in blob]
    return leaks + leaks_in_text(blob.decode("utf-8", "replace"), amounts, where)


def leaks_in_string(value: str, amounts: Amounts, where: str) -> list[str]:
    """A string field: a plotly figure's JSON is read as JSON, anything else as text."""
    if value[:1] in "{[":
        try:
            return leaks_in_json(json.loads(value), amounts, where)
        except ValueError:
            pass
    return leaks_in_text(value, amounts, where)


def leaks_in_proto(message: Message, amounts: Amounts, where: str = "") -> list[str]:
    """Every field of a message Streamlit sends (an element, a delta, a ForwardMsg), however deep."""
    leaks: list[str] = []
    for field, value in message.ListFields():
        here = f"{where}.{field.name}" if where else field.name
        for item in _items(field, value):
            leaks += _leaks_in_field(field, item, amounts, here)
    return leaks


def _items(field: FieldDescriptor, value: object) -> Iterable[object]:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        return list(value.values())  # type: ignore[attr-defined]
    return list(value) if field.is_repeated else [value]  # type: ignore[call-overload]


def _leaks_in_field(field: FieldDescriptor, item: object, amounts: Amounts, where: str) -> list[str]:
    if isinstance(item, Message):
        return leaks_in_proto(item, amounts, where)
    if isinstance(item, bytes):
        return leaks_in_bytes(item, amounts, where)
    if isinstance(item, str):
        return leaks_in_string(item, amounts, where)
    return leaks_in_number(item, amounts, where)


def walk(node) -> Iterator:  # noqa: ANN001 - an AppTest node
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def leaks_in_apptest(at, amounts: Amounts) -> list[str]:  # noqa: ANN001 - an AppTest
    """Every element the script sent (main area and sidebar), scanned through its protobuf message."""
    leaks: list[str] = []
    for root in (at.main, at.sidebar):
        for node in walk(root):
            proto = getattr(node, "proto", None)
            if isinstance(proto, Message):
                leaks += leaks_in_proto(proto, amounts, getattr(node, "type", "element"))
    return leaks
