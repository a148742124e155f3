"""Board-pack PDFs converted in the background, so the PDF is ready moments after someone asks for it.

LibreOffice takes a few seconds per deck. The board pack page hands each deck it builds to ``start``;
one worker thread converts the decks in turn (LibreOffice is heavy: never two at once) and keeps the
latest results by the deck's content hash. When the button is clicked, ``fetch`` returns the finished
PDF, or waits for the conversion already under way. The worker keeps one LibreOffice profile for the
life of the process, which spares LibreOffice setting one up for every deck.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import logging
import shutil
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from reports.pdf import PdfUnavailable, pptx_to_pdf

log = logging.getLogger(__name__)

KEEP = 8  # finished PDFs kept; a deck is about 100 KB as PDF
VOLATILE = ("docProps/core.xml",)  # inside a chart's workbook: the time it was written, not its content

Converter = Callable[[bytes], bytes]


def deck_hash(pptx: bytes) -> str:
    """A hash of what a deck contains: the same slides give the same hash, whenever they were built (zip
    timestamps and the chart workbooks' creation times are left out)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(pptx)) as deck:
        for name in sorted(deck.namelist()):
            digest.update(name.encode())
            data = deck.read(name)
            digest.update(_workbook_hash(data) if name.endswith(".xlsx") else data)
    return digest.hexdigest()


def _workbook_hash(xlsx: bytes) -> bytes:
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        for name in sorted(set(book.namelist()) - set(VOLATILE)):
            digest.update(name.encode() + book.read(name))
    return digest.digest()


class BackgroundPdf:
    """Conversions queued one at a time on a worker thread, results kept by deck hash (the last KEEP)."""

    def __init__(self, convert: Converter | None = None, keep: int = KEEP) -> None:
        self._convert = convert or self._libreoffice
        self._keep = keep
        self._jobs: OrderedDict[str, Future[bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alignboard-pdf")
        self._profile: Path | None = None

    def start(self, pptx: bytes, replacing: str | None = None) -> str:
        """Queue the deck's conversion unless it is done or under way; returns its hash. A conversion of
        ``replacing`` (the deck this one replaces on someone's screen) that has not begun is dropped."""
        key = deck_hash(pptx)
        with self._lock:
            if replacing and replacing != key and (old := self._jobs.get(replacing)) and old.cancel():
                del self._jobs[replacing]
            self._job(key, pptx, retry_failed=False)
        return key

    def ready(self, key: str) -> bool:
        """True when the deck's PDF is converted (or its conversion failed: ``fetch`` then says why)."""
        with self._lock:
            job = self._jobs.get(key)
        return job is not None and job.done()

    def fetch(self, pptx: bytes, timeout: float = 120) -> bytes:
        """The deck's PDF: at once when converted, else after the conversion under way (started now if
        none is). A conversion that had failed is tried again. Raises PdfUnavailable with what to do."""
        with self._lock:
            job = self._job(deck_hash(pptx), pptx, retry_failed=True)
        try:
            return job.result(timeout=timeout)
        except FutureTimeout:
            raise PdfUnavailable(f"The PDF is still being made after {timeout:.0f} s; try again in a moment.") from None

    def _job(self, key: str, pptx: bytes, retry_failed: bool) -> Future[bytes]:
        """The deck's conversion, queued when there is none (or, with ``retry_failed``, when it failed). Lock held."""
        job = self._jobs.get(key)
        if job is None or (retry_failed and job.done() and job.exception() is not None):
            job = self._jobs[key] = self._pool.submit(self._convert, pptx)
        self._jobs.move_to_end(key)
        self._forget_oldest()
        return job

    def _forget_oldest(self) -> None:
        finished = [key for key, job in self._jobs.items() if job.done()]
        for key in finished[:max(0, len(finished) - self._keep)]:
            del self._jobs[key]

    def _libreoffice(self, pptx: bytes) -> bytes:
        """Convert with the worker's own profile (only this thread uses it); a failed run takes its profile
        with it, in case LibreOffice left it locked."""
        if self._profile is None:
            self._profile = Path(tempfile.mkdtemp(prefix="alignboard-libreoffice-"))
            atexit.register(shutil.rmtree, self._profile, True)
        try:
            return pptx_to_pdf(pptx, profile=self._profile)
        except PdfUnavailable:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None
            raise


@functools.cache
def background_pdf() -> BackgroundPdf:
    """The process's one converter, shared by every session (results are found only by the deck's hash)."""
    return BackgroundPdf()
