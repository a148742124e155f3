"""A company pins, hides and orders its One View tiles: saved per company through the seam (role checked,
recorded), read back after a reload, and never seen by another company."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db import service
from db.access import Identity, NotAllowed, Permission, Role, add_member
from db.audit import events
from db.engine import session_scope
from db.workspaces import WorkspaceIn, create_workspace
from metrics.catalog import Band
from metrics.one_view import BAND_METRICS, DEFAULT_LAYOUT, TileLayout, TilePlacement
from tests.apptest_helpers import demo_workspace_id, keyed_blocks, metrics_in, open_page

PAGE = "pages/one_view.py"
PINNED_CAC = TileLayout(placements=(TilePlacement(metric_key="cac", position=1, pinned=True),
                                    TilePlacement(metric_key="revenue", position=2, hidden=True)))


def scope_of(workspace_id: int, *, email: str = "", role: Role | None = None):  # noqa: ANN201 - a Scope
    """The single user's scope, or a signed-in member's with ``role``."""
    if role is None:
        return service.open_scope(Identity(), workspace_id, single_user=True)
    with session_scope(service.engine_for(service.database_url())) as session:
        add_member(session, workspace_id, email, role, invited_by="test")
    return service.open_scope(Identity(email=email, name=email, verified=True), workspace_id, single_user=False)


def save(scope, layout: TileLayout) -> int:  # noqa: ANN001 - a Scope
    return service.write(scope, Permission.PLAN, "layout.saved",
                         lambda session: service.save_tile_layout(session, scope.workspace_id, layout))


@pytest.fixture
def two_companies(engine: Engine, workspace_id: int) -> tuple[int, int]:
    with session_scope(engine) as session:
        other = create_workspace(session, WorkspaceIn(name="Other Co", currency="USD")).id
    return workspace_id, other


def test_a_layout_is_the_companys_own_and_a_new_one_replaces_it(two_companies: tuple[int, int]) -> None:
    mine, other = two_companies
    assert service.tile_layout(scope_of(mine)) == DEFAULT_LAYOUT
    assert save(scope_of(mine), PINNED_CAC) == 2
    assert service.tile_layout(scope_of(mine)) == PINNED_CAC  # a fresh scope: what a reload reads
    assert service.tile_layout(scope_of(other)) == DEFAULT_LAYOUT
    just_nps = TileLayout(placements=(TilePlacement(metric_key="nps", position=1, hidden=True),))
    save(scope_of(other), just_nps)
    save(scope_of(mine), TileLayout(placements=(TilePlacement(metric_key="clicks", position=1, pinned=True),)))
    assert [p.metric_key for p in service.tile_layout(scope_of(mine)).placements] == ["clicks"]
    assert service.tile_layout(scope_of(other)) == just_nps
    save(scope_of(mine), DEFAULT_LAYOUT)  # the standard arrangement again
    assert service.tile_layout(scope_of(mine)) == DEFAULT_LAYOUT
    with session_scope(service.engine_for(service.database_url())) as session:
        recorded = [e for e in events(session, mine) if e.action == "layout.saved"]
    assert len(recorded) == 3


@pytest.mark.parametrize(("role", "allowed"), [(Role.CEO, True), (Role.CMO, True), (Role.ADVISOR, True),
                                               (Role.CONTRIBUTOR, False), (Role.BOARD, False)])
def test_who_may_arrange_the_tiles(workspace_id: int, role: Role, allowed: bool) -> None:
    scope = scope_of(workspace_id, email=f"{role.value}@example.com", role=role)
    if allowed:
        save(scope, PINNED_CAC)
        assert service.tile_layout(scope_of(workspace_id)) == PINNED_CAC
    else:
        with pytest.raises(NotAllowed):
            save(scope, PINNED_CAC)
        assert service.tile_layout(scope_of(workspace_id)) == DEFAULT_LAYOUT


# --- On the page ------------------------------------------------------------------------------------


def band_labels(at, band: Band) -> list[str]:  # noqa: ANN001 - an AppTest
    (block,) = keyed_blocks(at, f"band_{band.value}")
    return [m.label for m in metrics_in(block)]


def open_arrange(at, workspace_id: int) -> None:  # noqa: ANN001 - an AppTest
    """Open the "Arrange tiles" expander (its table is built only while it is open)."""
    at.session_state[f"arrange_{workspace_id}_open"] = True
    at.run()


def edit_and_save(at, workspace_id: int, edits: dict[int, dict]) -> None:  # noqa: ANN001 - an AppTest
    """What a person does in "Arrange tiles": open it, change cells of the table, then Save arrangement."""
    open_arrange(at, workspace_id)
    at.session_state[f"arrange_{workspace_id}_editor"] = {
        "edited_rows": {str(i): change for i, change in edits.items()}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key=f"arrange_{workspace_id}_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_pin_hide_and_order_are_saved_applied_and_kept_after_a_reload(seeded_url: str) -> None:
    north, bloom = demo_workspace_id(seeded_url), demo_workspace_id(seeded_url, "Bloom & Brew")
    at = open_page(PAGE, north)
    assert not at.data_editor  # closed: no table is sent
    open_arrange(at, north)
    rows = list(at.data_editor[0].value["metric_key"])
    assert rows[:len(BAND_METRICS[Band.PNL])] == list(BAND_METRICS[Band.PNL])
    # pin CAC, hide Revenue, move Gross margin (3rd) before New bookings (2nd) by giving it position 1
    edit_and_save(at, north, {rows.index("cac"): {"Pinned": True}, rows.index("revenue"): {"Hidden": True},
                              rows.index("gross_margin"): {"Position": 1}})
    expected = ["Customer acquisition cost", "Gross margin", "New bookings", "Net revenue retention",
                "Customer churn", "LTV : CAC", "CAC payback"]
    assert band_labels(at, Band.PNL) == expected
    assert any(c.value.startswith("Hidden\\: Revenue") for c in at.caption)

    again = open_page(PAGE, north)  # a new session: what a reload gets
    assert band_labels(again, Band.PNL) == expected
    open_arrange(again, north)
    assert list(again.data_editor[0].value["Pinned"])[0] and list(again.data_editor[0].value["Tile"])[0] == \
        "Customer acquisition cost"
    other = open_page(PAGE, bloom)
    assert band_labels(other, Band.PNL)[0] == "Revenue" and "Revenue" in band_labels(other, Band.PNL)
    assert not any(c.value.startswith("Hidden") for c in other.caption)

    again.button(key=f"arrange_{north}_reset").click().run()
    assert band_labels(again, Band.PNL)[:2] == ["Revenue", "New bookings"]


def test_a_tile_both_pinned_and_hidden_is_refused_and_nothing_changes(seeded_url: str) -> None:
    north = demo_workspace_id(seeded_url)
    at = open_page(PAGE, north)
    open_arrange(at, north)
    at.session_state[f"arrange_{north}_editor"] = {"edited_rows": {"0": {"Pinned": True, "Hidden": True}},
                                                   "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key=f"arrange_{north}_save").click().run()
    assert not at.exception
    (error,) = at.error
    assert "Row 1 \\(Revenue\\)\\: a tile cannot be pinned and hidden at once" in error.value
    assert band_labels(open_page(PAGE, north), Band.PNL)[0] == "Revenue"


def test_the_arrangement_sits_in_the_editing_container_that_presenting_hides(seeded_url: str) -> None:
    north = demo_workspace_id(seeded_url)
    at = open_page(PAGE, north, presentation_mode=True)
    open_arrange(at, north)
    (block,) = keyed_blocks(at, "edit_arrange_tiles")
    assert [b.label for b in block.get("button")] == ["Save arrangement", "Standard arrangement"]
    assert not [b for b in at.button if b.label == "Save arrangement" and b not in block.get("button")]
