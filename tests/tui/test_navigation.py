"""Keys around the home screens: help, log out, the operator's next key, the command palette, the user keymap."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.supervisor import SupervisorHome
from tests.tui.pilots import Notes, settle, sign_in, text, value


def help_rows(app: OperatorTuiApp) -> dict[str, tuple[str, str, str]]:
    """Binding id -> (keys, description, where) as the help screen lists them."""
    table = app.screen.query_one(DataTable)
    rows = (table.get_row_at(index) for index in range(table.row_count))
    return {str(row[3]): (str(row[0]), str(row[1]), str(row[2])) for row in rows}


async def test_f1_opens_help_and_escape_closes_it(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        assert rows["operator.next"] == ("n", "Next customer", "This screen")
        assert rows["app.help"][0] == "f1"
        assert rows["app.logout"][1:] == ("Log out", "Everywhere")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OperatorHome)


async def test_help_on_the_sign_in_screen_lists_no_log_out(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        assert "app.help" in rows and "app.quit" in rows
        assert "app.logout" not in rows
        await pilot.press("f1")  # F1 again closes it too
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_n_on_an_empty_base_says_the_queue_is_empty(app: OperatorTuiApp, notes: Notes) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        assert "Press n for the next customer" in text(pilot, "#console-main")
        await pilot.press("n")
        await settle(pilot)
        assert notes == []
        assert "The queue is empty." in text(pilot, "#console-main")


async def test_logout_returns_to_an_empty_sign_in(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert value(pilot, "#login-user") == "" and value(pilot, "#login-pin") == ""
        await sign_in(pilot, "sup01", "2222")
        assert isinstance(app.screen, SupervisorHome)


async def test_a_narrow_key_bar_keeps_help_first_and_log_out_last(app: OperatorTuiApp) -> None:
    """At 80 columns not every key fits: the ones that do, "…" for the rest (F1 lists them), and sign-out stays."""
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "op01", "1111")
        bar = text(pilot, "KeyBar").strip()
        assert bar.startswith("f1 Help") and bar.endswith("…  ^l Log out"), bar
        assert len(bar) <= 80 and "n Next customer" in bar


async def test_a_wide_key_bar_leaves_no_key_out(app: OperatorTuiApp) -> None:
    async with app.run_test(size=(160, 24)) as pilot:
        await sign_in(pilot, "op01", "1111")
        bar = text(pilot, "KeyBar")
        assert "…" not in bar and "f My figures" in bar and "^l Log out" in bar


async def test_logout_from_the_command_palette(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "admin", "0000")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"log out")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert len(app.screen_stack) == 2


async def test_help_from_the_command_palette(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"help")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "operator.next" in help_rows(app)


async def test_logout_is_not_offered_before_sign_in(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        bindings = {active.binding.id for active in app.screen.active_bindings.values()}
        assert "app.logout" not in bindings
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_user_keymap_moves_keys(app: OperatorTuiApp, notes: Notes, config_dir: Path) -> None:
    (config_dir / "keymap.yaml").write_text("operator.next: space\napp.help: [f2]\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        assert "Press space for the next customer" in text(pilot, "#console-main")
        await pilot.press("n")
        await settle(pilot)
        assert "Ready." in text(pilot, "#console-main")
        await pilot.press("space")
        await settle(pilot)
        assert "The queue is empty." in text(pilot, "#console-main")
        assert notes == []
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert help_rows(app)["operator.next"][0] == "space"


async def test_a_broken_keymap_is_a_warning_not_a_crash(app: OperatorTuiApp, notes: Notes, config_dir: Path) -> None:
    (config_dir / "keymap.yaml").write_text("operator.next: [space\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert [(note.title, note.severity) for note in notes] == [("Keymap", "warning")]
        assert "not valid YAML" in notes[0].message
        await sign_in(pilot, "op01", "1111")
        assert isinstance(app.screen, OperatorHome)


async def test_a_misspelt_id_is_reported_and_the_rest_applies(
    app: OperatorTuiApp, notes: Notes, config_dir: Path
) -> None:
    (config_dir / "keymap.yaml").write_text("operator.nxt: x\napp.help: f2\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "'operator.nxt' is not a binding id" in notes.text()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
