"""History of changes: every write of the company — who, when, what — for its advisors, CEO and CMO."""

from __future__ import annotations

import streamlit as st

from components.people_view import audit_frame
from db import service
from db.access import Permission
from flows.frame import page_header
from reports.safe_text import csv_bytes

page = page_header("History of changes")
scope = page.scope
st.title("History of changes")
if not any(scope.can(p) for p in (Permission.ADMINISTER, Permission.SIGN_CEO, Permission.SIGN_CMO)):
    st.info("The history of changes is for the company's advisors, CEO and CMO.", icon=":material/lock:")
    st.stop()
frame = audit_frame(service.audit_trail(scope))
st.caption("Every change to this company's data, agreement, review and settings. 'Signed in: no' marks what was "
           "done while sign-in was off: the name was typed, not verified.")
st.download_button("Download as CSV", csv_bytes(frame), file_name=f"changes-{scope.workspace_id}.csv",
                   mime="text/csv", icon=":material/download:")
st.dataframe(frame, hide_index=True, width="stretch")
