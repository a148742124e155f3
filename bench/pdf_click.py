"""How long "Prepare the PDF" keeps someone waiting: from the click to the PDF ready to download.

    python -m bench.pdf_click                  # Northwind's board pack, clicks after 0, 2 and 5 s on the page
    python -m bench.pdf_click --reading 0 10   # other times between the page opening and the click

"Converted on click" is how the page used to work: the click started LibreOffice and waited for it.
"Converted in the background" is how it works now: the conversion starts when the page builds the deck,
and the click only waits for what is left of it. Each figure is the median over ``--repeats`` decks (the
board packs of the newest months), each converted once, on a server that has made a PDF before.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from db.engine import engine_for, session_scope
from db.queries import months_with_data
from db.review import live_snapshot
from db.workspaces import workspace_by_name
from reports.board_pack import build_board_pack
from reports.pdf import pdf_available, pptx_to_pdf
from reports.pdf_worker import BackgroundPdf
from sample_data.seed import ensure_sample_data

GOAL_SECONDS = 2.0


def demo_decks(folder: Path, count: int, company: str = "Northwind Analytics") -> list[bytes]:
    """The demo company's board packs of its newest ``count`` months, from a freshly seeded database."""
    engine = engine_for(f"sqlite:///{folder / 'bench.db'}")
    ensure_sample_data(engine)
    with session_scope(engine) as session:
        workspace = workspace_by_name(session, company)
        months = months_with_data(session, workspace.id)[-count:]
        snapshots = [live_snapshot(session, workspace.id, month) for month in months]
    return [build_board_pack(snapshot, draft=True) for snapshot in snapshots]


def median_of(decks: list[bytes], run: Callable[[bytes], float]) -> float:
    return statistics.median(run(deck) for deck in decks)


def click_then_convert(deck: bytes) -> float:
    started = time.perf_counter()
    pptx_to_pdf(deck)
    return time.perf_counter() - started


def converted_in_background(pdfs: BackgroundPdf, deck: bytes, reading: float) -> float:
    """The page builds the deck (and starts converting), the person reads for ``reading`` seconds and clicks."""
    pdfs.start(deck)
    time.sleep(reading)
    clicked = time.perf_counter()
    pdfs.fetch(deck)
    return time.perf_counter() - clicked


def _row(label: str, seconds: float) -> str:
    verdict = "within" if seconds <= GOAL_SECONDS else "over"
    return f"{label:<48} {seconds:6.2f} s   ({verdict} the {GOAL_SECONDS:.0f} s goal)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reading", type=float, nargs="+", default=[0.0, 2.0, 5.0],
                        help="seconds between the page opening and the click")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if not pdf_available():
        sys.stderr.write("LibreOffice is not installed (apt-get install libreoffice-impress): nothing to time.\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="alignboard-bench-") as folder:
        decks = demo_decks(Path(folder), 1 + args.repeats * (1 + len(args.reading)))
        warm_up, decks = decks[0], decks[1:]
        lines = [_row("Converted on click (before)", median_of(decks[:args.repeats], click_then_convert))]
        pdfs = BackgroundPdf()
        pdfs.fetch(warm_up)  # a server that has made a PDF before: LibreOffice's profile is set up
        for index, reading in enumerate(args.reading, start=1):
            batch = decks[index * args.repeats:(index + 1) * args.repeats]
            seconds = median_of(batch, lambda deck, r=reading: converted_in_background(pdfs, deck, r))
            lines.append(_row(f"Converted in the background, click after {reading:g} s", seconds))
    sys.stdout.write("Click on 'Prepare the PDF' to the PDF ready to download\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
