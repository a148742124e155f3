"""The data version of a company: one number, raised by every write, read once per rerun.

Caches are keyed by (database, company, version): after a write from this process, another process (the
command line, a scheduled job, a second app server) or another person's session, the next rerun reads a new
version and so fresh figures; nothing has to be cleared, and nothing stale can be served.
"""

from __future__ import annotations

from sqlalchemy import insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

import clock
from db.access_models import DataVersion
from db.models import Workspace


def raise_version(session: Session, workspace_id: int) -> None:
    """One more than before, in the writing transaction (a company deleted in it gets none)."""
    now = clock.now()
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        done = session.execute(update(DataVersion).where(DataVersion.workspace_id == workspace_id)
                               .values(version=DataVersion.version + 1, changed_at=now))
        if not done.rowcount:
            session.execute(insert(DataVersion).values(workspace_id=workspace_id, version=1, changed_at=now))
        return
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    first = select(Workspace.id, literal(1), literal(now)).where(Workspace.id == workspace_id)
    statement = insert_for(DataVersion).from_select(["workspace_id", "version", "changed_at"], first)
    session.execute(statement.on_conflict_do_update(
        index_elements=["workspace_id"], set_={"version": DataVersion.version + 1, "changed_at": now}))


def data_version(session: Session, workspace_id: int) -> int:
    """The company's version now (0 before its first write)."""
    return session.scalar(select(DataVersion.version).where(DataVersion.workspace_id == workspace_id)) or 0
