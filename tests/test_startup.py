"""The server's start-up warm-up and the settings it reads: what a first visitor would otherwise wait for."""

from __future__ import annotations

import sys

import pytest

import settings
from flows.startup import STREAMLIT_ON_FIRST_RUN, app_scripts, imported_modules


def test_the_imports_of_a_script_are_found_wherever_they_are() -> None:
    source = "import os\nfrom db import service\nfrom . import near\n\ndef f():\n    import plotly.graph_objects\n"
    assert imported_modules(source) == ["os", "db", "plotly.graph_objects"]  # relative imports are left out


def test_every_page_script_is_warmed() -> None:
    names = [path.name for path in app_scripts()]
    assert names[0] == "app.py" and "one_view.py" in names and "scorecard.py" in names


def test_the_warm_up_list_names_modules_that_exist() -> None:
    for name in STREAMLIT_ON_FIRST_RUN:
        __import__(name)
        assert name in sys.modules


def test_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", "sqlite:///first.db")
    first = settings.get_settings()
    assert settings.get_settings() is first  # read once while nothing changes
    monkeypatch.setenv("ALIGNBOARD_DATABASE_URL", "sqlite:///second.db")
    assert settings.get_settings().database_url == "sqlite:///second.db"
    (tmp_path / ".env").write_text("ALIGNBOARD_MAX_UPLOAD_MB=7\n")
    assert settings.get_settings().max_upload_mb == 7  # a new .env is read too
