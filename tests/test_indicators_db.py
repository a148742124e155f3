"""Driver-map overrides and adopted leading indicators, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy import func, inspect, select

from db.engine import session_scope
from db.indicator_models import DriverOverride, LeadingIndicator
from db.indicators import (
    DriverMapRejected,
    IndicatorIn,
    adopt_indicator,
    adopted_indicators,
    driver_overrides,
    drop_indicator,
    save_driver_map,
)
from db.workspaces import WorkspaceIn, create_workspace
from metrics.catalog import STANDARD_CATALOG
from metrics.drivers import DEFAULT_DRIVERS, effective_drivers

EVIDENCE = {"lag": 2, "r": 0.61, "ci_low": 0.33, "ci_high": 0.79, "p_value": 0.0002, "p_adjusted": 0.0014,
            "spearman": 0.55, "spearman_p_adjusted": 0.006, "n": 33, "correction": "Holm", "lags_tested": [0, 1, 2],
            "sample_start": "2023-11-01", "sample_end": "2026-10-01", "sample_months": 36,
            "missing_predictor": ["2024-02-01"], "missing_outcome": []}
ADOPTED_AT = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def _indicator(**changes) -> IndicatorIn:
    fields = {"outcome_key": "pipeline_created", "predictor_key": "impressions", "lag_months": 2,
              "adopted_by": "Dana (CMO)", "evidence": EVIDENCE}
    return IndicatorIn(**{**fields, **changes})


def test_the_migration_creates_both_tables(engine) -> None:
    assert {"driver_override", "leading_indicator"} <= set(inspect(engine).get_table_names())


def test_only_changed_lines_of_the_driver_map_are_stored(engine, workspace_id) -> None:
    new_map = {**DEFAULT_DRIVERS, "clicks": ("new_bookings",), "impressions": ()}
    with session_scope(engine) as session:
        stored = save_driver_map(session, workspace_id, new_map, updated_by="Dana")
    assert stored == {"clicks": ("new_bookings",), "impressions": ()}
    with session_scope(engine) as session:
        overrides = driver_overrides(session, workspace_id)
        assert session.scalar(select(func.count()).select_from(DriverOverride)) == 2
    assert overrides == {"clicks": ("new_bookings",), "impressions": ()}
    mapping = effective_drivers(STANDARD_CATALOG, overrides)
    assert mapping["clicks"] == ("new_bookings",) and "impressions" not in mapping


def test_saving_the_default_map_again_clears_the_overrides(engine, workspace_id) -> None:
    with session_scope(engine) as session:
        save_driver_map(session, workspace_id, {**DEFAULT_DRIVERS, "mqls": ("deals_won",)})
    with session_scope(engine) as session:
        save_driver_map(session, workspace_id, DEFAULT_DRIVERS)
    with session_scope(engine) as session:
        assert driver_overrides(session, workspace_id) == {}


def test_a_wrong_map_is_rejected_and_nothing_changes(engine, workspace_id) -> None:
    with session_scope(engine) as session:
        save_driver_map(session, workspace_id, {**DEFAULT_DRIVERS, "mqls": ("deals_won",)})
    with pytest.raises(DriverMapRejected) as rejected, session_scope(engine) as session:
        save_driver_map(session, workspace_id, {"mqls": ["clicks"], "revenue": []})
    assert rejected.value.problems == ["'clicks' (driven by 'mqls') is not an outcome metric",
                                       "'revenue' is not an output metric"]
    with session_scope(engine) as session:
        assert driver_overrides(session, workspace_id) == {"mqls": ("deals_won",)}


def test_an_adopted_indicator_keeps_its_evidence_who_and_when(engine, workspace_id) -> None:
    with session_scope(engine) as session:
        adopt_indicator(session, workspace_id, _indicator(), now=ADOPTED_AT)
    with session_scope(engine) as session:
        [found] = adopted_indicators(session, workspace_id)
    assert (found.outcome_key, found.predictor_key, found.lag_months) == ("pipeline_created", "impressions", 2)
    assert found.evidence == EVIDENCE
    assert found.adopted_by == "Dana (CMO)"
    assert found.adopted_at.replace(tzinfo=found.adopted_at.tzinfo or dt.UTC) == ADOPTED_AT  # SQLite drops the zone


def test_adopting_the_same_pair_again_replaces_the_evidence(engine, workspace_id) -> None:
    with session_scope(engine) as session:
        adopt_indicator(session, workspace_id, _indicator(), now=ADOPTED_AT)
        adopt_indicator(session, workspace_id, _indicator(lag_months=3, evidence={**EVIDENCE, "lag": 3}),
                        now=ADOPTED_AT + dt.timedelta(days=31))
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(LeadingIndicator)) == 1
        [found] = adopted_indicators(session, workspace_id)
    assert found.lag_months == 3 and found.evidence["lag"] == 3


def test_indicators_stay_in_their_workspace(engine, workspace_id) -> None:
    with session_scope(engine) as session:
        other = create_workspace(session, WorkspaceIn(name="Other Co")).id
        mine = adopt_indicator(session, workspace_id, _indicator(), now=ADOPTED_AT)
    with session_scope(engine) as session:
        assert adopted_indicators(session, other) == []
        assert drop_indicator(session, other, mine.id) is False
    with session_scope(engine) as session:
        assert drop_indicator(session, workspace_id, mine.id) is True
        assert adopted_indicators(session, workspace_id) == []


@pytest.mark.parametrize(("changes", "reason"), [
    ({"outcome_key": "clicks"}, "'clicks' is not an outcome metric"),
    ({"predictor_key": "pipeline_created"}, "'pipeline_created' cannot predict 'pipeline_created'"),
    ({"predictor_key": "nonsense"}, "'nonsense' cannot predict 'pipeline_created'"),
])
def test_impossible_pairs_are_refused(engine, workspace_id, changes, reason) -> None:
    with pytest.raises(ValueError, match=reason), session_scope(engine) as session:
        adopt_indicator(session, workspace_id, _indicator(**changes))


def test_someone_must_adopt_it() -> None:
    with pytest.raises(ValidationError, match="say who adopts the indicator"):
        _indicator(adopted_by="   ")
