"""Alignboard's server: ``streamlit run serve.py`` serves ``app.py`` and readies it before the first visitor.

It is the same app as ``streamlit run app.py``; this start-up hook loads the modules every page needs and
starts migrating the database while the server starts, so the first page opens as quickly as later ones.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from flows.startup import warm_start

log = logging.getLogger("alignboard")


@asynccontextmanager
async def ready_before_first_visitor(_app: st.App) -> AsyncIterator[None]:
    log.info("Alignboard ready in %.1f s", warm_start())
    yield


app = st.App("app.py", lifespan=ready_before_first_visitor)
