"""The demo companies' second report of one number: marketing's attribution of marketing-sourced revenue.

Marketing's attribution report credits marketing with a little more than finance books: 2-5% for
most of the history, and up to 9% in recent months as multi-touch campaigns grow. Finance's figure
is made the source of record, so the One View counts it once and the scorecard reconciles the two.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from db.engine import session_scope
from db.ingest import ingest
from db.overlaps import OverlapChoice
from db.queries import monthly_data
from db.sources import metric_sources
from metrics.periods import Month
from sample_data.generator import CompanyProfile

SOURCED = "marketing_sourced_revenue"
ATTRIBUTION_SOURCE = "Marketing attribution report"
RECENT_OVERCLAIM = (0.041, 0.058, 0.036, 0.067, 0.052)  # five months before the latest, in a company's order
LATEST_OVERCLAIM = 0.083


def overclaim(months: int, name: str) -> np.ndarray:
    """How far above finance the report is each month, as a fraction: 2-4.8% for most of the history,
    3.6-8.3% in the last six months, the latest always above the 5% reconciliation threshold."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    shares = np.round(rng.uniform(0.02, 0.048, months), 3)
    recent = np.append(rng.permutation(RECENT_OVERCLAIM), LATEST_OVERCLAIM)[-months:]
    shares[months - len(recent):] = recent
    return shares


def attribution_report(booked: dict[Month, float], name: str) -> pd.DataFrame:
    """Long rows (date, metric, value) of the attribution report for the months finance booked."""
    months = sorted(booked)
    claimed = np.array([booked[m] for m in months]) * (1 + overclaim(len(months), name))
    return pd.DataFrame({"date": [m.isoformat() for m in months], "metric": SOURCED,
                         "value": [f"{v:.2f}" for v in claimed]})


def seed_sources_of_record(engine: Engine, workspace_id: int, profile: CompanyProfile) -> None:
    """Import the attribution report beside finance's figures and make finance the source of record."""
    with session_scope(engine) as session:
        booked = {m: p.value for m, p in monthly_data(session, workspace_id, [SOURCED]).get(SOURCED, {}).items()}
        finance = metric_sources(session, workspace_id).get(SOURCED, [])
    if not booked or len(finance) != 1:
        return
    ingest(engine, workspace_id, attribution_report(booked, profile.name), source_name=ATTRIBUTION_SOURCE,
           file_name=f"{profile.name} attribution report.csv", created_by="Alignboard",
           overlap=OverlapChoice.COMPARE)  # finance becomes the source of record: compared, never added
