"""``operator-tui serve`` without a browser: what it refuses before serving, and the command each session runs."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from operator_tui.cli import serve_command
from operator_tui.cli.app import app

runner = CliRunner()


def test_a_missing_database_is_refused_before_serving(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "nowhere.db"), "--port", "1"])
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "nowhere.db").exists()  # and no empty file left behind


def test_a_file_that_is_not_a_database_of_ours_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = runner.invoke(app, ["serve", "--db", str(empty), "--port", "1"])
    assert result.exit_code == 1 and "not an operator-tui database yet" in result.output


def test_an_unknown_language_is_refused() -> None:
    result = runner.invoke(app, ["serve", "--lang", "de"], terminal_width=200)
    assert result.exit_code == 2 and "unknown language 'de': use en or ru" in result.output


def test_help_warns_about_sessions_and_tls() -> None:
    result = runner.invoke(app, ["serve", "--help"], terminal_width=200)
    assert "login of its own" in result.output and "TLS" in result.output


def test_each_session_runs_this_app_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "a center" / "calls.db"
    argv = shlex.split(serve_command.app_command(path, "ru"))
    assert argv == [sys.executable, "-m", "operator_tui", "--lang", "ru", "--db", str(path.resolve())]


def test_without_lang_each_session_takes_the_servers_locale() -> None:
    assert shlex.split(serve_command.app_command(None, None)) == [sys.executable, "-m", "operator_tui"]


def test_a_url_reaches_the_sessions_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPERATOR_TUI_DB", "other.db")
    # setenv, not delenv: pytest restores only what it recorded, and delenv records nothing for an unset variable
    # (the URL set below would leak into the next tests of this process).
    monkeypatch.setenv("OPERATOR_TUI_URL", "placeholder")
    url = "postgresql+psycopg://calls:secret@db.example/calls"
    serve_command.app_environment(None, url)
    assert "secret" not in serve_command.app_command(None, "en")
    assert os.environ["OPERATOR_TUI_URL"] == url and "OPERATOR_TUI_DB" not in os.environ
