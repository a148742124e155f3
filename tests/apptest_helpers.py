"""Opening the app in AppTest on a chosen company, month and page, for the page tests."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Metric, Node

from components.period_picker import MONTH_KEY
from db.engine import engine_for, session_scope
from db.workspaces import workspace_by_name

APP = str(Path(__file__).resolve().parents[1] / "app.py")
NORTHWIND = "Northwind Analytics"


def demo_workspace_id(url: str, name: str = NORTHWIND) -> int:
    """The id of a company, found by name, in the database at `url` (the demo companies are seeded by name)."""
    with session_scope(engine_for(url)) as session:
        return workspace_by_name(session, name).id


def open_app(workspace_id: int | None = None, month: dt.date | None = None, *, timeout: float = 60,
             **state: object) -> AppTest:
    """The app's first page, run once, with the company, the shared month and any other session state set first."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if workspace_id is not None:
        at.session_state["workspace_id"] = workspace_id
    if month is not None:
        at.session_state[MONTH_KEY] = month
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def open_page(page: str, workspace_id: int | None = None, month: dt.date | None = None, *, timeout: float = 60,
              **state: object) -> AppTest:
    """`page` (say "pages/review.py") reached through the app's frame, as a person clicking to it; it must not fail."""
    at = open_app(workspace_id, month, timeout=timeout, **state)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def vega_rows(node) -> list[dict]:  # noqa: ANN001 - an AppTest node of a Vega-Lite chart
    """The rows a Vega-Lite chart was sent (Streamlit moves the spec's inline data into an Arrow table)."""
    blob = node.proto.data.data
    return pa.ipc.open_stream(pa.py_buffer(blob)).read_all().to_pylist() if blob else []


def vega_spec(node) -> dict:  # noqa: ANN001 - an AppTest node of a Vega-Lite chart
    return json.loads(node.proto.spec)


def walk(node):  # noqa: ANN001, ANN201 - AppTest nodes
    """Every node under ``node``, itself first."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def node_texts(node) -> list[str]:  # noqa: ANN001 - an AppTest node
    """What a node shows as text: value, label, body, delta, help, options; a table's cells; a chart's spec."""
    kind = getattr(node, "type", "")
    if kind in ("dataframe", "arrow_data_frame"):
        frame = node.value
        return [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    if kind == "plotly_chart":
        return [node.proto.spec]
    if kind == "vega_lite_chart":
        return [node.proto.spec] + [str(v) for row in vega_rows(node) for v in row.values() if v is not None]
    texts = []
    for attribute in ("value", "label", "body", "delta", "help", "placeholder", "options"):
        try:
            found = getattr(node, attribute)
        except Exception:  # noqa: BLE001 - nodes expose different attributes
            continue
        texts += [found] if isinstance(found, str) else [str(o) for o in found] if isinstance(found, list) else []
    return texts


def shown_text(at: AppTest) -> str:
    """Everything a run drew in the page and the sidebar, as one string, markdown and HTML escapes undone."""
    text = " ".join(t for root in (at.main, at.sidebar) for node in walk(root) for t in node_texts(node))
    return html.unescape(text.replace("\\", ""))


def keyed_blocks(at: AppTest | Block, prefix: str) -> list[Block]:
    """The containers made with ``st.container(key=…)`` whose key starts with ``prefix``, in page order (in the
    whole page, or inside one container)."""
    found: list[Block] = []

    def visit(node: Node) -> None:
        if isinstance(node, Block):
            key = block_key(node)
            if key and key.startswith(prefix):
                found.append(node)
            for child in node.children.values():
                visit(child)

    visit(at.main if isinstance(at, AppTest) else at)
    return found


def block_key(block: Block) -> str:
    """The key a container was made with ("" when none): Streamlit ends the block's id with it."""
    block_id = getattr(block.proto, "id", "") if block.proto is not None else ""
    return block_id.rsplit("-", 1)[-1] if block_id.startswith("$$ID-") else ""


def metrics_in(block: Block) -> list[Metric]:
    """Every st.metric inside a container, in order."""
    return list(block.get("metric"))


INDEX_CHART_LINES = re.compile(r'<div data-testid="index-chart"[^>]*?data-lines="([^"]*)"')
SPARKLINE_VALUES = re.compile(r'<svg data-testid="sparkline"[^>]*?data-values="([^"]*)"')


def sparkline_in(block: Block) -> list[float | None] | None:
    """What the sparkline inside a container (a tile) plots, as sent in its SVG; None without one."""
    for node in walk(block):
        body = getattr(node, "value", None) if getattr(node, "type", "") == "markdown" else None
        if isinstance(body, str) and (found := SPARKLINE_VALUES.search(body)):
            return json.loads(html.unescape(found.group(1)))
    return None


def index_charts_in(block: Block) -> list[list[dict]]:
    """The lines of every index chart under ``block`` (metric, group, index per month), as sent in its HTML."""
    found = []
    for node in walk(block):
        body = getattr(node, "value", None) if getattr(node, "type", "") == "markdown" else None
        if isinstance(body, str):
            found += [json.loads(html.unescape(m)) for m in INDEX_CHART_LINES.findall(body)]
    return found
