"""Every row belongs to one company: a session opened for a company sees and changes only that company's rows.

The filter is not written query by query (a query that forgets it would leak): a session opened for a company
carries it in ``session.info``, and one ORM event adds ``workspace_id = <the company>`` to every SELECT,
UPDATE and DELETE on a table that has the column (and ``id = <the company>`` on the company table itself).
Queries of tables without the column reach rows through their company's parent rows.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from db.base import Base

COMPANY_KEY = "alignboard_company"


def company_of(session: Session) -> int | None:
    """The company a session was opened for (None: a session of the system itself, such as start-up)."""
    return session.info.get(COMPANY_KEY)


def bind_company(session: Session, workspace_id: int) -> None:
    session.info[COMPANY_KEY] = workspace_id


@cache
def tenant_classes() -> tuple[tuple[type, str], ...]:
    """(mapped class, column) pairs that say which company a row belongs to."""
    import db.all_models  # noqa: F401 - every table registered before the first scoped query

    found = []
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name == "workspace":
            found.append((mapper.class_, "id"))
        elif "workspace_id" in table.columns:
            found.append((mapper.class_, "workspace_id"))
    return tuple(found)


@event.listens_for(Session, "do_orm_execute")
def _only_this_company(state: ORMExecuteState) -> None:
    workspace_id = company_of(state.session)
    if workspace_id is None or not (state.is_select or state.is_update or state.is_delete):
        return
    options = [with_loader_criteria(cls, _criterion(column, workspace_id), include_aliases=True)
               for cls, column in tenant_classes()]
    state.statement = state.statement.options(*options)


def _criterion(column: str, workspace_id: int):  # noqa: ANN202 - a criteria callable
    """One lambda per column name: SQLAlchemy caches the SQL by the lambda's code and binds ``workspace_id``."""
    if column == "id":
        return lambda cls: cls.id == workspace_id
    return lambda cls: cls.workspace_id == workspace_id
