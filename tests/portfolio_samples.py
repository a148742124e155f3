"""A third client beside the demo companies, for the portfolio's tests: figures worked out by hand.

Harbour Tools (EUR) has monthly figures for May to October 2026 and a daily feed of revenue for 1-15 November
(a partial month on the pinned day, 16 Nov 2026). Its agreement: revenue, target 100 in September, October
and November; pipeline, target 100 in September and October; NPS, which it never imported, target 40 in
October.

=========  =======  ========  ===========  ====================================================
month      revenue  pipeline  impressions  statuses (revenue, pipeline, NPS)
=========  =======  ========  ===========  ====================================================
Sep 2026   95       92        120          at risk (95 >= 90), at risk (92 >= 90), no target
Oct 2026   110      80        120          on track, off track (80 < 90), no data
Nov 2026   60 (15 of 30 days)  -  -        partial month, no target, no target
=========  =======  ========  ===========  ====================================================

Impressions grew 20% over Aug-Oct against May-Jul while pipeline fell (262 against 300), but Harbour's driver
map says impressions drive revenue only, which rose 1.7% (305 against 300): no vanity trap in October. The CEO
trusts October's revenue 5, the CMO 2 (a gap of 3); both trust pipeline 3. An action of October is due 3 Nov
(overdue on 16 Nov), another on 1 Dec. September's review is closed; October's was closed and reopened. The
review meets on the last Thursday, moved this time to Wed 2 Dec 2026. Its SQL source last ran 40 days ago.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

import clock
from db.engine import session_scope
from db.import_models import SqlSource
from db.indicators import save_driver_map
from db.ingest import ingest
from db.meetings import save_cadence
from db.review import ActionIn, add_action, close_month, reopen_month
from db.scorecard import cast_vote, save_draft, sign_agreement
from db.workspaces import WorkspaceIn, create_workspace
from metrics.agreement import Role
from metrics.catalog import Mandate
from metrics.drivers import DEFAULT_DRIVERS
from metrics.meetings import Cadence
from metrics.scorecard import KpiTerms

HARBOUR = "Harbour Tools"
D = dt.date
MAY, JUN, JUL, AUG, SEP, OCT, NOV = (D(2026, m, 1) for m in range(5, 12))
MONTHLY = {  # month: (revenue, pipeline, impressions)
    MAY: (100, 100, 100), JUN: (100, 100, 100), JUL: (100, 100, 100), AUG: (100, 90, 120), SEP: (95, 92, 120),
    OCT: (110, 80, 120),
}
SOURCE = "Finance warehouse"


def monthly_frame() -> pd.DataFrame:
    rows = [(f"{month:%Y-%m-%d}", metric, value) for month, values in MONTHLY.items()
            for metric, value in zip(("revenue", "pipeline_created", "impressions"), values, strict=True)]
    return pd.DataFrame(rows, columns=["date", "metric", "value"])


def daily_revenue() -> pd.DataFrame:
    """4 a day from 1 to 15 November: 60 in all, half the month."""
    return pd.DataFrame({"date": [f"2026-11-{day:02d}" for day in range(1, 16)], "metric": "revenue", "value": 4.0})


def add_harbour(engine: Engine) -> int:
    """Harbour Tools with everything the module docstring describes; returns its id."""
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name=HARBOUR, currency="EUR")).id
    ingest(engine, workspace_id, monthly_frame(), source_name="finance.csv")
    ingest(engine, workspace_id, daily_revenue(), source_name="daily feed")
    with session_scope(engine) as session:
        kpis = [KpiTerms(metric_key="revenue", mandate=Mandate.GROWTH, owner_name="Ceo",
                         targets=dict.fromkeys((SEP, OCT, NOV), 100.0)),
                KpiTerms(metric_key="pipeline_created", mandate=Mandate.GROWTH, owner_name="Cmo",
                         targets=dict.fromkeys((SEP, OCT), 100.0)),
                KpiTerms(metric_key="nps", mandate=Mandate.BRAND, owner_name="Cmo", targets={OCT: 40.0})]
        draft = save_draft(session, workspace_id, kpis, based_on=None, by="test")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CEO, "Ceo")
        sign_agreement(session, workspace_id, draft.number, draft.edit, Role.CMO, "Cmo")
        for key, ceo, cmo in (("revenue", 5, 2), ("pipeline_created", 3, 3)):
            cast_vote(session, workspace_id, key, OCT, Role.CEO, ceo, voter="Ceo")
            cast_vote(session, workspace_id, key, OCT, Role.CMO, cmo, voter="Cmo")
        save_driver_map(session, workspace_id, {**DEFAULT_DRIVERS, "impressions": ("revenue",)})
        for title, due in (("Call the lost prospects", D(2026, 11, 3)), ("Rebuild the report", D(2026, 12, 1))):
            add_action(session, workspace_id, OCT, ActionIn(title=title, due=due))
        save_cadence(session, workspace_id, Cadence(weekday=3, week=-1, next_override=D(2026, 12, 2)))
        session.add(SqlSource(workspace_id=workspace_id, name=SOURCE, url="", masked_url="", query="SELECT 1",
                              refreshed_at=clock.now() - dt.timedelta(days=40)))
    for month in (SEP, OCT):
        with session_scope(engine) as session:
            close_month(session, workspace_id, month, "Ceo")
    with session_scope(engine) as session:
        reopen_month(session, workspace_id, OCT, "Ceo", "The pipeline figures were corrected")
    return workspace_id
