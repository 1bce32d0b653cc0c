"""The entry point: a command line of only database and language options opens the TUI without the other
commands' imports; anything else goes to the full command line. The console benchmark runs the real app."""

import json
import subprocess
import sys

import pytest

from operator_tui.cli.launch import opens_tui


@pytest.mark.parametrize(
    "args",
    [[], ["--db", "x.db"], ["--db=x.db"], ["--url", "sqlite:///x", "--lang", "ru"], ["--lang=en", "--db", "a"]],
)
def test_database_and_language_options_open_the_tui(args):
    assert opens_tui(args)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["init"], ["--db", "x.db", "report"], ["--db"], ["--dbx", "a"], ["-h"]],
)
def test_anything_else_goes_to_the_full_command_line(args):
    assert not opens_tui(args)


def test_the_tui_path_does_not_import_the_other_commands():
    code = (
        "import sys; import operator_tui.cli.launch, operator_tui.cli.run_command, operator_tui.tui.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('faker', 'alembic') "
        "or m.startswith('operator_tui.cli.') and m.endswith('_commands')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_version_and_help_still_work():
    out = subprocess.run([sys.executable, "-m", "operator_tui", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("operator-tui ")
    out = subprocess.run([sys.executable, "-m", "operator_tui", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "bench" in out.stdout


def test_bench_ui_drives_the_app_on_a_terminal(tmp_path):
    command = ["bench", "ui", "--customers", "300", "--rounds", "2", "--folder", str(tmp_path), "--json"]
    out = subprocess.run(
        [sys.executable, "-m", "operator_tui", *command],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["customers"] == 300 and figures["rounds"] == 2
    assert 0 < figures["sign_in_shown_s"] < figures["startup_s"]
    assert figures["startup_typed_ahead_s"] > 0
    assert figures["next_ms"] > 0 and figures["rss_mb"] > 10
