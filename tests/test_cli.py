"""The command line: real subprocesses against a throw-away SQLite file, plus how commands are registered."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALIGNBOARD_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_seed_then_workspaces_lists_the_two_demo_companies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    seeded = run_cli("seed", database_url=url)
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.splitlines() == ["Created demo company: Northwind Analytics",
                                          "Created demo company: Bloom & Brew"]

    again = run_cli("seed", database_url=url)
    assert again.returncode == 0
    assert again.stdout.splitlines() == ["The demo companies are already there; nothing to do."]

    listed = run_cli("workspaces", database_url=url)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["Bloom & Brew", "Northwind Analytics"]


def test_unreachable_database_gives_a_plain_message_and_a_failing_exit_code() -> None:
    result = run_cli("workspaces", database_url="postgresql+psycopg://someone:s3cret@127.0.0.1:1/nowhere")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: could not open the database at postgresql+psycopg://someone:***@")
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unknown_command_shows_usage_without_a_traceback(tmp_path: Path) -> None:
    result = run_cli("no-such-command", database_url=f"sqlite:///{tmp_path / 'cli.db'}")
    assert result.returncode == 2
    assert "usage: python cli.py" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_registered_in_commands_runs_with_its_own_arguments(monkeypatch, capsys) -> None:
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--times", type=int, default=1)

    def hello(args: argparse.Namespace) -> int:
        sys.stdout.write("hello " * args.times + "\n")
        return 3

    monkeypatch.setitem(cli.COMMANDS, "hello", ("Say hello.", add_arguments, hello))
    assert cli.main(["hello", "--times", "2"]) == 3
    assert capsys.readouterr().out == "hello hello \n"


@pytest.mark.parametrize("error, message", [
    (cli.CommandError("the file is empty"), "Error: the file is empty\n"),
    (RuntimeError("disk full\nmore detail that stays out"), "Error: disk full\n"),
])
def test_errors_in_a_command_end_as_one_line_and_exit_code_1(monkeypatch, capsys, error, message) -> None:
    def failing(_args: argparse.Namespace) -> int:
        raise error

    monkeypatch.setitem(cli.COMMANDS, "fail", ("Fail.", cli.no_arguments, failing))
    assert cli.main(["fail"]) == 1
    assert capsys.readouterr().err == message
