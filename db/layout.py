"""The company's arrangement of its One View tiles: which are pinned, which hidden, in which order.

One row per metric the company placed; a metric without a row keeps its standard place. Saving replaces the
company's rows at once, so a layout is never half old and half new.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from db.base import Base
from metrics.one_view import TileLayout, TilePlacement


class TilePlacementRow(Base):
    """Where one metric's tile goes on one company's One View."""

    __tablename__ = "tile_placement"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    metric_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)


def tile_layout(session: Session, workspace_id: int) -> TileLayout:
    """The company's saved layout (empty: every tile in its standard place)."""
    rows = session.scalars(select(TilePlacementRow).where(TilePlacementRow.workspace_id == workspace_id)
                           .order_by(TilePlacementRow.position, TilePlacementRow.metric_key))
    return TileLayout(placements=tuple(TilePlacement.model_validate(row, from_attributes=True) for row in rows))


def save_tile_layout(session: Session, workspace_id: int, layout: TileLayout) -> int:
    """Replace the company's layout with ``layout`` (an empty one restores the standard); returns the tiles placed."""
    session.execute(delete(TilePlacementRow).where(TilePlacementRow.workspace_id == workspace_id))
    session.add_all(TilePlacementRow(workspace_id=workspace_id, **placement.model_dump())
                    for placement in layout.placements)
    session.flush()
    return len(layout.placements)
