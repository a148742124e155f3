"""Saving from a page: the user's refusals are shown as they are, our failures as an apology, never a trace."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.text import plain


def _save_script(outcome: str) -> str:
    return f'''
import streamlit as st
from flows.saving import attempt
from metrics.refusal import Refused

def work():
    if {outcome!r} == "refused":
        raise Refused("Only 7 KPIs: focus is lost beyond that.")
    if {outcome!r} == "broken":
        raise RuntimeError("connection reset by peer")
    return 42

st.session_state["saved"] = attempt(work)
'''


def test_a_refusal_is_shown_as_it_is(sqlite_url: str) -> None:
    at = AppTest.from_string(_save_script("refused")).run()
    assert at.session_state["saved"] == (False, None)
    # as typed text is always shown: escaped, so markdown in it is not markdown (components.text.plain)
    assert [e.value for e in at.error] == [plain("Only 7 KPIs: focus is lost beyond that.")]


def test_an_unexpected_failure_gets_an_apology_and_no_detail(sqlite_url: str) -> None:
    at = AppTest.from_string(_save_script("broken")).run()
    assert at.session_state["saved"] == (False, None)
    assert not at.exception
    (message,) = at.error
    assert message.value.startswith("Sorry, that could not be saved") and "connection reset" not in message.value


def test_a_good_write_is_saved(sqlite_url: str) -> None:
    at = AppTest.from_string(_save_script("fine")).run()
    assert at.session_state["saved"] == (True, 42)
    assert not at.error
