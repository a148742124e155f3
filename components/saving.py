"""Saving from a page: one write, one transaction, and an answer a person can act on."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from db.engine import WriteBusy, get_engine, write_scope

log = logging.getLogger(__name__)
APOLOGY = "Sorry, that could not be saved and nothing was changed. Try again; if it persists, check the server log."


def save_in_one_transaction(work: Callable[[Session], object], *, refusals: tuple[type[Exception], ...] = (),
                            describe: Callable[[Exception], str] = str) -> bool:
    """Run ``work`` in its own transaction; True when saved.

    A refusal (the user's error: a rule, a conflict) is shown as it is; anything else is logged with its
    detail and met with a short apology. Either way nothing is half-saved and no stack trace is shown.
    """
    try:
        with write_scope(get_engine(), st.session_state.get("workspace_id")) as session:
            work(session)
    except WriteBusy as busy:
        st.warning(str(busy), icon=":material/hourglass:")
        return False
    except refusals as error:
        st.error(describe(error), icon=":material/block:")
        return False
    except Exception:  # noqa: BLE001 - the log keeps the detail; the person sees what to do
        log.exception("a save failed")
        st.error(APOLOGY)
        return False
    return True
