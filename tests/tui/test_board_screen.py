"""The live board: states set through the service show up, rows change in place, reads never pile up."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from operator_tui.services import board, operators
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.screens.board import BoardScreen
from operator_tui.tui.widgets.board_tables import DepthTable, OperatorsTable
from tests.conftest import actor
from tests.tui.pilots import Notes, record_notifications, settle
from tests.tui.reports_data import NOW, a_floor, on_top, reports_app


@pytest.fixture
def floor(db: Database) -> Database:
    return a_floor(db)


def cells(app: OperatorTuiApp, login: str) -> dict[str, str]:
    table = app.screen.query_one(OperatorsTable)
    return {
        str(column.key.value): str(cell)
        for column, cell in zip(table.ordered_columns, table.get_row(login), strict=True)
    }


def logins(app: OperatorTuiApp) -> list[str]:
    table = app.screen.query_one(OperatorsTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


async def open_board(pilot: Pilot[Any], login: str = "sup01") -> BoardScreen:
    await on_top(login, lambda app: BoardScreen(app.db, app.actor))(pilot)  # type: ignore[arg-type]
    return next(screen for screen in pilot.app.screen_stack if isinstance(screen, BoardScreen))


async def test_states_reasons_time_in_state_and_queue_depth(floor: Database) -> None:
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        op01, op02 = cells(app, "op01"), cells(app, "op02")
        assert (op01["state"], op01["reason"], op01["since"], op01["team"]) == ("● Paused", "Break", "5:00", "Team A")
        assert (op02["state"], op02["since"], op02["strategy"]) == ("● On call", "1:30", "Retention NPS survey")
        states = str(screen.query_one("#board-states", Static).visual)
        assert "Paused 1" in states and "On call 1" in states and "Ready 0" in states
        depth = screen.query_one(DepthTable)
        assert [str(c) for c in depth.get_row("First contact")] == ["First contact", "2", "0", "0"]
        assert "Callbacks due" in str(screen.query_one("#board-work", Static).visual)
        assert "read at 12:00:00" in str(screen.query_one(OperatorsTable).border_subtitle)  # the app's zone


async def test_a_refresh_changes_the_rows_in_place(floor: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        table = screen.query_one(OperatorsTable)
        table.move_cursor(row=1)
        rebuilt: list[str] = []
        monkeypatch.setattr(table, "clear", lambda *a, **k: rebuilt.append("clear"))
        monkeypatch.setattr(table, "add_row", lambda *a, **k: rebuilt.append("add"))
        operators.set_state(floor, actor(floor, "op01"), "ready", now=NOW)
        await pilot.press("r")
        await settle(pilot)
        assert (cells(app, "op01")["state"], cells(app, "op01")["reason"], cells(app, "op01")["since"]) == (
            "● Ready",
            "",
            "0:00",
        )
        assert rebuilt == [] and logins(app) == ["op01", "op02"] and table.cursor_row == 1
        assert "Ready 1" in str(screen.query_one("#board-states", Static).visual)


async def test_time_in_state_ticks_with_the_clock(floor: Database) -> None:
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        assert isinstance(app.clock, FrozenClock)
        app.clock.advance(seconds=65)
        screen.tick()
        await pilot.pause()
        assert cells(app, "op01")["since"] == "6:05" and cells(app, "op02")["since"] == "2:35"


async def test_reads_by_itself_and_never_two_at_once(floor: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BoardScreen, "REFRESH_S", 0.05)
    read = board.board
    running, most, calls = [0], [0], [0]
    lock = threading.Lock()

    def slow(*args: Any, **kwargs: Any) -> board.Board:
        with lock:
            running[0] += 1
            calls[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)
            return read(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(board, "board", slow)
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        operators.set_state(floor, actor(floor, "op02"), "wrap-up", strategy_id="retention-nps", now=NOW)
        for _ in range(5):
            await pilot.press("r")  # while a read is under way: no second one
        await pilot.pause(0.6)
        assert cells(app, "op02")["state"] == "● Wrap-up"
        assert calls[0] >= 3 and most[0] == 1


async def test_sort_by_state_then_back_by_team(floor: Database) -> None:
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        assert logins(app) == ["op01", "op02"]
        await pilot.press("s")
        assert logins(app) == ["op02", "op01"]  # on call before paused
        assert "by state" in str(screen.query_one(OperatorsTable).border_title)
        await pilot.press("s")
        assert logins(app) == ["op01", "op02"]


async def test_an_operator_is_told_no_once_and_escape_goes_back(floor: Database) -> None:
    app = reports_app(floor)
    notes: Notes = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot, "op01")
        assert [note.title for note in notes] == ["Not done"]
        assert "supervisor" in notes[0].message
        assert screen.next_read is not None  # tried again later, not at once
        under = app.screen_stack[-2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under


async def test_a_supervisor_unlocks_a_locked_out_operator_from_the_board(floor: Database) -> None:
    from operator_tui.core.pins import MAX_FAILED_PINS
    from operator_tui.services import auth
    from operator_tui.services.errors import AuthFailed

    for _ in range(MAX_FAILED_PINS):
        with pytest.raises(AuthFailed):
            auth.login(floor, "op02", "9999", now=NOW)
    app = reports_app(floor)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        assert logins(app) == ["op01", "op02"]
        await pilot.press("u")
        await settle(pilot)
        assert "op01 is not locked out." in notes.text()
        await pilot.press("down", "u")
        await settle(pilot)
        assert "Unlock: Unlocked op02." in notes.text()
    assert auth.login(floor, "op02", "1111", now=NOW).login == "op02"


async def test_at_80_columns_every_column_stays_in_sight_and_resizing_keeps_the_cursor(floor: Database) -> None:
    app = reports_app(floor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        table = screen.query_one(OperatorsTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no scrolling sideways
        assert cells(app, "op02")["strategy"] == "Retention…"  # cut where it gives way, with an ellipsis
        table.move_cursor(row=1)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert cells(app, "op02")["strategy"] == "Retention NPS survey"
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == logins(app)[1]


async def test_t_shows_the_supervisors_own_team_and_the_floor_again(floor: Database) -> None:
    from operator_tui.services import accounts

    accounts.set_team(floor, actor(floor, "admin"), "op02", "Team B")
    app = reports_app(floor)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_board(pilot)
        assert logins(app) == ["op01", "op02"]  # the floor first
        await pilot.press("t")
        await settle(pilot)
        assert logins(app) == ["op01"] and "Team A" in str(screen.query_one(OperatorsTable).border_title)
        await pilot.press("t")
        await settle(pilot)
        assert logins(app) == ["op01", "op02"]


async def test_the_states_stay_on_one_line_at_80_columns(floor: Database) -> None:
    """Six states with two-digit counts: closer together rather than wrapped under the first."""
    from operator_tui.core.roles import Role
    from operator_tui.services import accounts, auth, operators
    from operator_tui.services.context import SYSTEM

    for n in range(3, 23):
        login = f"op{n:02}"
        accounts.create_user(floor, SYSTEM, login_name=login, full_name=login, role=Role.OPERATOR, pin="2468")
        operators.set_state(floor, auth.login(floor, login, "2468"), "ready", now=NOW)
    app = reports_app(floor)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        await settle(pilot)
        states = screen.query_one("#board-states", Static)
        assert "Ready 20" in str(states.visual)
        assert states.visual.cell_length <= states.content_region.width  # type: ignore[union-attr]
