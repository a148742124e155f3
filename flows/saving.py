"""Saving from a page: one write through the seam, one transaction, and an answer a person can act on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from components.text import plain
from db import service
from db.access import Permission, Scope
from db.engine import WriteBusy
from flows.rerun import forget_reads
from metrics.refusal import Refused

log = logging.getLogger(__name__)
APOLOGY = "Sorry, that could not be saved and nothing was changed. Try again; if it persists, check the server log."
T = TypeVar("T")


def refusal_text(error: Refused) -> str:
    """A refusal as the page shows it: every problem on a line of its own when there are several."""
    problems = getattr(error, "problems", None)
    if problems and all(isinstance(p, str) for p in problems):
        return "Nothing was saved:\n" + "\n".join(f"- {plain(p[:1].upper() + p[1:])}." for p in problems)
    return plain(str(error))


def attempt(run: Callable[[], T], show: Callable[[Refused], None] | None = None) -> tuple[bool, T | None]:
    """Run a write; (True, its result) when saved. A refusal (a rule, a conflict, a missing right, a busy company)
    is shown as it is; anything else is logged with its detail and met with a short apology. Either way nothing is
    half-saved and no stack trace is shown. ``show`` displays a refusal its own way."""
    try:
        result = run()
    except WriteBusy as busy:
        st.warning(plain(str(busy)), icon=":material/hourglass:")
    except Refused as error:
        if show is not None:
            show(error)
        else:
            st.error(refusal_text(error), icon=":material/block:")
    except Exception:  # noqa: BLE001 - the log keeps the detail; the person sees what to do
        log.exception("a save failed")
        st.error(APOLOGY)
    else:
        forget_reads()  # the rerun's reads of companies and scope may be out of date now
        return True, result
    return False, None


def save(scope: Scope, permission: Permission | None, action: str | None, work: Callable[[Session], object], *,
         typed_name: str = "", detail: dict | None = None) -> bool:
    """One write of the scope's company (role checked, audited); True when it was saved."""
    saved, _ = attempt(lambda: service.write(scope, permission, action, work, typed_name=typed_name, detail=detail))
    return saved
