"""Start-up: the sign-in form comes first, the database and the rest load behind it while the user types."""

from __future__ import annotations

import subprocess
import sys
import threading

from operator_tui.services.database import Database, DatabaseError
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.operator import OperatorHome
from tests.tui.pilots import settle, sign_in


def test_the_sign_in_form_needs_no_database_layer() -> None:
    """What the launcher imports before the form is drawn: Textual and the sign-in screen, no service, no table."""
    probe = (
        "import sys, operator_tui.cli.launch, operator_tui.tui.app\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic', 'yaml', 'operator_tui.services.database',"
        " 'operator_tui.core.playbook', 'operator_tui.tui.screens.operator')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


async def test_a_sign_in_typed_before_the_database_is_open_waits_for_it(db: Database) -> None:
    release = threading.Event()

    def slow_open() -> Database:
        release.wait(10)
        return db

    app = OperatorTuiApp(slow_open)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"op01", "enter", *"1111", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)  # still waiting for the database, the typing kept
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, OperatorHome)
        assert app.actor is not None and app.actor.login == "op01"


async def test_a_database_that_cannot_be_opened_ends_the_app_with_the_reason() -> None:
    def refused() -> Database:
        raise DatabaseError("/nowhere/x.db does not exist: create it with `operator-tui init`")

    app = OperatorTuiApp(refused)
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
    assert app.return_code == 1
    assert app.launch_error == "/nowhere/x.db does not exist: create it with `operator-tui init`"


def test_a_wrong_db_path_is_refused_before_the_app_starts(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from operator_tui.cli import launch

    started: list[OperatorTuiApp] = []
    monkeypatch.setattr(OperatorTuiApp, "run", lambda self, *args, **kwargs: started.append(self))
    runner = CliRunner()
    missing = runner.invoke(launch.tui_only, ["--db", str(tmp_path / "none.db")], terminal_width=200)
    folder = runner.invoke(launch.tui_only, ["--db", str(tmp_path)], terminal_width=200)
    assert (missing.exit_code, folder.exit_code) == (1, 1) and started == []
    assert "none.db does not exist: create it with `operator-tui init`" in missing.output
    assert "is a directory, not a database file" in folder.output
