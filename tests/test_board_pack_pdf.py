"""The PDF converted in the background: one conversion per deck content, queued one at a time, ready when
the button is clicked; the page starts it as soon as it builds the deck."""

from __future__ import annotations

import threading
import time

import pytest

from reports.board_pack import build_board_pack
from reports.pdf import PdfUnavailable, pdf_available
from reports.pdf_worker import BackgroundPdf, background_pdf, deck_hash
from tests.apptest_helpers import demo_workspace_id, open_page
from tests.review_samples import snapshot


class FakeLibreOffice:
    """Records what it converts; holds each conversion until released, so queued jobs can be seen."""

    def __init__(self, hold: bool = False, fail_first: bool = False) -> None:
        self.converted: list[bytes] = []
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.fail_first = fail_first

    def __call__(self, pptx: bytes) -> bytes:
        self.release.wait(10)
        self.converted.append(pptx)
        if self.fail_first and len(self.converted) == 1:
            raise PdfUnavailable("LibreOffice could not convert the deck to PDF; the PowerPoint file is still fine.")
        return b"%PDF " + pptx[:4]


@pytest.fixture(scope="module")
def decks() -> tuple[bytes, bytes]:
    return build_board_pack(snapshot(kpi_count=2), draft=False), build_board_pack(snapshot(kpi_count=3), draft=False)


def test_the_same_slides_give_the_same_hash_whenever_they_were_built(decks) -> None:
    time.sleep(1.1)  # the charts' workbooks record the second they were written
    again = build_board_pack(snapshot(kpi_count=2), draft=False)
    assert again != decks[0]
    assert deck_hash(again) == deck_hash(decks[0])
    assert deck_hash(decks[1]) != deck_hash(decks[0])


def test_a_deck_is_converted_once_however_often_the_page_shows_it(decks) -> None:
    office = FakeLibreOffice()
    pdfs = BackgroundPdf(convert=office)
    key = pdfs.start(decks[0])
    assert pdfs.start(decks[0]) == key
    assert pdfs.fetch(decks[0], timeout=10) == b"%PDF PK\x03\x04"
    assert pdfs.ready(key) and pdfs.fetch(decks[0], timeout=10) == b"%PDF PK\x03\x04"
    assert len(office.converted) == 1


def test_a_new_deck_drops_the_one_it_replaces_if_it_has_not_begun(decks) -> None:
    office = FakeLibreOffice(hold=True)
    pdfs = BackgroundPdf(convert=office)
    running = pdfs.start(build_board_pack(snapshot(kpi_count=1), draft=False))  # the worker is busy with this one
    queued = pdfs.start(decks[0])
    newest = pdfs.start(decks[1], replacing=queued)
    office.release.set()
    assert pdfs.fetch(decks[1], timeout=10).startswith(b"%PDF")
    assert len(office.converted) == 2 and decks[0] not in office.converted
    assert pdfs.ready(running) and pdfs.ready(newest) and not pdfs.ready(queued)


def test_a_failed_conversion_says_so_and_is_tried_again_on_the_next_click(decks) -> None:
    pdfs = BackgroundPdf(convert=FakeLibreOffice(fail_first=True))
    with pytest.raises(PdfUnavailable, match="could not convert"):
        pdfs.fetch(decks[0], timeout=10)
    assert pdfs.fetch(decks[0], timeout=10).startswith(b"%PDF")


def test_only_the_latest_results_are_kept(decks) -> None:
    pdfs = BackgroundPdf(convert=FakeLibreOffice(), keep=1)
    first = pdfs.start(decks[0])
    pdfs.fetch(decks[0], timeout=10)
    pdfs.fetch(decks[1], timeout=10)
    pdfs.start(decks[1])
    assert not pdfs.ready(first)


def test_a_conversion_that_takes_too_long_says_to_try_again(decks) -> None:
    office = FakeLibreOffice(hold=True)
    with pytest.raises(PdfUnavailable, match="still being made"):
        BackgroundPdf(convert=office).fetch(decks[0], timeout=0.2)
    office.release.set()


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed (apt-get install libreoffice-impress)")
def test_the_page_starts_converting_when_it_builds_the_deck_and_the_click_gets_it(seeded_url) -> None:
    at = open_page("pages/board_pack.py", demo_workspace_id(seeded_url), timeout=180)
    key = at.session_state["board_pack_deck"]
    deadline = time.monotonic() + 170
    while not background_pdf().ready(key) and time.monotonic() < deadline:  # nobody has clicked yet
        time.sleep(0.2)
    assert background_pdf().ready(key)
    clicked = time.perf_counter()
    next(b for b in at.button if b.label == "Prepare the PDF").click().run()
    waited = time.perf_counter() - clicked
    assert not at.exception and not at.error
    assert "Download PDF" in [b.label for b in at.get("download_button")]
    assert waited < 10  # two reruns of the page in AppTest; the conversion itself was already done
