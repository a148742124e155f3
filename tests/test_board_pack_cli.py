"""`python cli.py board-pack`: closed months give the final deck, open ones a DRAFT, mistakes a plain message."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pptx import Presentation

import cli
from db.engine import engine_for, session_scope
from db.ingest import ingest
from db.review import close_month
from db.workspaces import WorkspaceIn, create_workspace
from reports.pdf import pdf_available
from reports.pptx_parts import DRAFT_NAME

AUG, SEP = dt.date(2026, 8, 1), dt.date(2026, 9, 1)


@pytest.fixture
def company(sqlite_url: str) -> str:
    engine = engine_for(sqlite_url)
    with session_scope(engine) as session:
        workspace_id = create_workspace(session, WorkspaceIn(name="Acme Labs", color="#6a1b9a")).id
    frame = pd.DataFrame({"date": ["2026-08-01", "2026-09-01"], "metric": ["revenue", "revenue"],
                          "value": [100.0, 120.0]})
    ingest(engine, workspace_id, frame, source_name="Finance", today=dt.date(2026, 10, 2))
    with session_scope(engine) as session:
        close_month(session, workspace_id, AUG, "Ada (CEO)")
    return "Acme Labs"


def draft_marks(path) -> int:  # noqa: ANN001 - a Path
    return sum(shape.name == DRAFT_NAME for slide in Presentation(path).slides for shape in slide.shapes)


def test_a_closed_month_gives_the_final_deck(company, tmp_path, capsys) -> None:
    out = tmp_path / "pack.pptx"
    assert cli.main(["board-pack", "--workspace", company, "--month", "2026-08", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out} (closed review).\n"
    assert draft_marks(out) == 0 and len(Presentation(out).slides) == 7


def test_an_open_month_gives_a_draft_on_every_slide(company, tmp_path, capsys) -> None:
    out = tmp_path / "pack.pptx"
    assert cli.main(["board-pack", "--workspace", company, "--month", "2026-09", "--out", str(out)]) == 0
    assert "marked DRAFT" in capsys.readouterr().out
    assert draft_marks(out) == len(Presentation(out).slides) == 7


@pytest.mark.parametrize(("args", "message"), [
    (["--workspace", "Nobody", "--month", "2026-08"], "no workspace called 'Nobody' (workspaces: Acme Labs)"),
    (["--workspace", "Acme Labs", "--month", "Aug 2026"], "--month must look like 2026-09, not 'Aug 2026'"),
])
def test_mistakes_end_with_a_plain_message(company, tmp_path, capsys, args, message) -> None:
    assert cli.main(["board-pack", *args, "--out", str(tmp_path / "pack.pptx")]) == 1
    assert capsys.readouterr().err == f"Error: {message}\n"
    assert not (tmp_path / "pack.pptx").exists()


def test_pdf_without_libreoffice_still_writes_the_deck(company, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("ALIGNBOARD_LIBREOFFICE_PATH", "no-such-libreoffice")
    out = tmp_path / "pack.pptx"
    assert cli.main(["board-pack", "--workspace", company, "--month", "2026-08", "--out", str(out), "--pdf"]) == 1
    assert "libreoffice-impress" in capsys.readouterr().err
    assert out.exists() and not out.with_suffix(".pdf").exists()


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed (apt-get install libreoffice-impress)")
def test_pdf_is_written_beside_the_deck(company, tmp_path) -> None:
    out = tmp_path / "pack.pptx"
    assert cli.main(["board-pack", "--workspace", company, "--month", "2026-08", "--out", str(out), "--pdf"]) == 0
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
