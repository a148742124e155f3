"""Hand-made review snapshots shared by the review, board-pack and export tests."""

from __future__ import annotations

import datetime as dt

from metrics.catalog import Band, Direction, Mandate, MetricClass, Unit
from metrics.one_view import IndexLine
from metrics.periods import trailing
from metrics.review import (
    Action,
    ActionView,
    CardFigure,
    KpiSnapshot,
    NoteLine,
    ReviewSnapshot,
    TrendPoint,
    VanityTrapLine,
)
from metrics.status import Rag

MONTH = dt.date(2026, 9, 1)

# key, label, mandate, unit, direction, status, actual, target
KPI_SPECS: list[tuple[str, str, Mandate, Unit, Direction, Rag, float, float]] = [
    ("pipeline_created", "Pipeline created", Mandate.GROWTH, Unit.CURRENCY, Direction.UP, Rag.RED, 80_000, 100_000),
    ("new_bookings", "New bookings", Mandate.GROWTH, Unit.CURRENCY, Direction.UP, Rag.AMBER, 95_000, 100_000),
    ("win_rate", "Win rate", Mandate.GROWTH, Unit.PERCENT, Direction.UP, Rag.GREEN, 0.25, 0.24),
    ("aided_awareness", "Aided awareness", Mandate.BRAND, Unit.PERCENT, Direction.UP, Rag.GREEN, 0.31, 0.30),
    ("nps", "Net Promoter Score", Mandate.BRAND, Unit.SCORE, Direction.UP, Rag.AMBER, 41.0, 45.0),
    ("cac", "Customer acquisition cost", Mandate.GROWTH, Unit.CURRENCY, Direction.DOWN, Rag.GREEN, 900, 1_000),
    ("share_of_voice", "Share of voice", Mandate.BRAND, Unit.PERCENT, Direction.UP, Rag.RED, 0.12, 0.15),
]


def trend(actual: float, target: float) -> list[TrendPoint]:
    """Twelve months: actual and target climbing 1% of the last value a month; the first month has no actual."""
    months = trailing(MONTH, 12)
    return [TrendPoint(month=m, actual=None if i == 0 else actual * (1 - 0.01 * (11 - i)),
                       target=target * (1 - 0.01 * (11 - i))) for i, m in enumerate(months)]


def kpi(spec: tuple[str, str, Mandate, Unit, Direction, Rag, float, float], disagree: bool = False) -> KpiSnapshot:
    key, label, mandate, unit, direction, rag, actual, target = spec
    return KpiSnapshot(key=key, label=label, mandate=mandate, unit=unit, direction=direction,
                       owner="Maria Lopez (CMO)", actual=actual, target=target, variance=actual - target,
                       variance_pct=(actual - target) / abs(target), pct_of_target=actual / target, rag=rag,
                       streak=2, commentary=f"Work on {label.lower()}: moved $40K to webinars.",
                       ceo_confidence=2 if disagree else 4, cmo_confidence=4, disagree=disagree,
                       trend=trend(actual, target))


# label, class, twelve monthly index values (first month = 100; None where the month has no figure)
INDEX_SPECS: list[tuple[str, MetricClass, list[float | None]]] = [
    ("Impressions", MetricClass.OUTPUT, [100, 104, 109, 115, 121, 128, 135, 143, 151, 160, 170, 181]),
    ("Clicks", MetricClass.OUTPUT, [100, 102, 105, None, 112, 116, 121, 126, 131, 137, 143, 150]),
    ("Pipeline created", MetricClass.OUTCOME, [100, 101, 103, 104, 104, 103, 101, 98, 95, 92, 90, 87.5]),
    ("Revenue", MetricClass.OUTCOME, [100, 101, 102, 103, 104, 105, 106, 106.5, 107, 107.5, 108, 108.2]),
]


def index_lines() -> list[IndexLine]:
    months = trailing(MONTH, 12)
    return [IndexLine(key=label.lower().replace(" ", "_"), label=label, metric_class=role, months=months, index=values)
            for label, role, values in INDEX_SPECS]


def action(id_: int, created: dt.date, due: dt.date | None = None, **extra: object) -> Action:
    return Action(id=id_, title=f"Action {id_}", owner="Sam", due=due, created_month=created, **extra)


def snapshot(kpi_count: int = 5, actions: int = 3, closed_by: str = "Dana Kim (CEO)") -> ReviewSnapshot:
    kpis = [kpi(spec, disagree=index == 1) for index, spec in enumerate(KPI_SPECS[:kpi_count])]
    views = [ActionView(action=action(i, dt.date(2026, 7, 1), dt.date(2026, 9, 10 + i)), open_in_month=True,
                        carried_over=True, overdue=i == 1) for i in range(1, actions + 1)]
    return ReviewSnapshot(
        workspace_name="Northwind Analytics", currency="USD", color="#1f4e79", month=MONTH, agreement="Agreement v2",
        kpis=kpis,
        cards=[CardFigure(key="revenue", label="Revenue", unit=Unit.CURRENCY, band=Band.PNL, value=1_200_000,
                          change_month="+3.1%", change_year="+12.0%", good_month=True),
               CardFigure(key="nps", label="Net Promoter Score", unit=Unit.SCORE, band=Band.FEEL, value=41.0,
                          change_month="+1.0 pts", change_year="-2.0 pts", good_month=True)],
        summary=["In Sep 2026, revenue $1.2M (+3.1% vs Aug 2026).",
                 "Impressions +22% over the quarter while pipeline created fell 9%."],
        vanity_traps=[VanityTrapLine(output_label="Impressions", output_growth=0.22, outcome_label="Pipeline created",
                                     outcome_growth=-0.09, reading="Impressions rose 22% while pipeline fell 9%.")],
        index_lines=index_lines(),
        actions=views,
        notes=[NoteLine(item_key="decisions", kind="decision", text="Shift 20% of display budget to webinars")],
        closed_by=closed_by, taken_at=dt.datetime(2026, 10, 6, 9, 30, tzinfo=dt.UTC),
    )
