"""Board pack: the month's review as a 16:9 PowerPoint (and PDF), from the closed snapshot or live as DRAFT."""

from __future__ import annotations

import streamlit as st

import clock
from components.period_picker import month_picker
from components.presentation import share_safe_on
from components.text import plain
from db import service
from flows.frame import page_header
from metrics.periods import month_label
from metrics.review import share_safe
from reports.board_pack import build_board_pack, deck_file_name, slide_titles
from reports.pdf import PdfUnavailable, pdf_available
from reports.pdf_worker import background_pdf
from reports.workbook import review_workbook

PDF_KEY = "board_pack_pdf"  # the hash of the deck whose PDF this person asked for
LAST_DECK = "board_pack_deck"  # the hash of the deck last shown, whose conversion a new one replaces

page = page_header("Board pack", needs_months="Import data to build a board pack.")
scope, ws, months = page.scope, page.workspace_id, page.months

month = month_picker(months, "Month", service.month_coverage(scope))
state = service.review_state(scope, month)
draft = not state.closed
snapshot = state.snapshot or service.live_review(scope, month, clock.today())
st.title(f"Board pack · {month_label(month)}")
if draft:
    st.warning(f"{month_label(month)} is not closed, so the deck is built from live figures and every slide is "
               "marked DRAFT. Close the month on the review page for the final pack.", icon=":material/draft:")
else:
    st.success(f"Built from the closed review (closed by {plain(state.closed_by)} on {state.closed_at:%d %b %Y}): "
               "the figures are exactly those reviewed.", icon=":material/lock:")

if share_safe_on():  # the whole app is share-safe: so are the deck, the PDF and the workbook
    safe = True
    st.caption("Share-safe is on: the deck, the PDF and the workbook hide absolute currency figures.")
else:
    safe = st.toggle("Share-safe deck (hide absolute currency figures)", value=False)
if safe:
    snapshot = share_safe(snapshot)
deck = build_board_pack(snapshot, draft=draft, logo=page.logo)
titles = slide_titles(deck)

left, right, sheet = st.columns(3)
left.download_button("Download PowerPoint", deck, file_name=deck_file_name(snapshot, draft), type="primary",
                     mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     icon=":material/slideshow:", width="stretch")
if not pdf_available():
    right.info("PDF needs LibreOffice (Debian package libreoffice-impress). The PowerPoint file works without it.")
else:  # converted in the background from now on, so the PDF is ready soon after the click
    pdfs = background_pdf()
    key = st.session_state[LAST_DECK] = pdfs.start(deck, replacing=st.session_state.get(LAST_DECK))
    if st.session_state.get(PDF_KEY) == key:
        try:
            with st.spinner("Converting with LibreOffice…"):
                pdf = pdfs.fetch(deck)
            right.download_button("Download PDF", pdf, mime="application/pdf", icon=":material/picture_as_pdf:",
                                  file_name=deck_file_name(snapshot, draft, "pdf"), width="stretch")
        except PdfUnavailable as error:
            st.session_state.pop(PDF_KEY, None)
            right.error(str(error))
    elif right.button("Prepare the PDF", icon=":material/picture_as_pdf:", width="stretch"):
        st.session_state[PDF_KEY] = key
        st.rerun()
sheet.download_button("Download the figures (Excel)", review_workbook(snapshot), icon=":material/table:",
                      file_name=deck_file_name(snapshot, draft, "xlsx"), width="stretch",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(f"{len(titles)} slides", divider="gray")
st.markdown("\n".join(f"{number}. {plain(title)}" for number, title in enumerate(titles, start=1)))
