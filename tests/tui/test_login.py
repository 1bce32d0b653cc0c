"""Signing in and out with real keys: each role reaches its home; refusals stay on the sign-in screen."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from operator_tui.services import auth
from operator_tui.services.database import DatabaseError
from operator_tui.tui.app import UNEXPECTED, OperatorTuiApp
from operator_tui.tui.screens.admin import AdminHome
from operator_tui.tui.screens.home import HomeScreen
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.supervisor import SupervisorHome
from tests.tui.pilots import Notes, retry_pin, settle, sign_in, text, type_ahead, value


@pytest.mark.parametrize(
    ("login", "pin", "home", "name"),
    [
        ("op01", "1111", OperatorHome, "Operator 1"),
        ("sup01", "2222", SupervisorHome, "Svetlana Supervisor"),
        ("admin", "0000", AdminHome, "Admin"),
    ],
)
async def test_each_role_reaches_its_home(
    app: OperatorTuiApp, login: str, pin: str, home: type[HomeScreen], name: str
) -> None:
    async with app.run_test() as pilot:
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, login, pin)
        assert type(app.screen) is home
        assert app.actor is not None and app.actor.login == login
        signed_in = text(pilot, "#signed-in")
        assert name in signed_in and f"({login})" in signed_in and app.actor.role.value in signed_in


async def test_user_name_is_case_and_space_insensitive(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, " OP01", "1111")
        assert isinstance(app.screen, OperatorHome)


async def test_wrong_pin_shows_the_message_and_clears_the_pin(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "9999")
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert text(pilot, "#login-message") == auth.WRONG
        assert value(pilot, "#login-user") == "op01"
        assert value(pilot, "#login-pin") == ""
        assert app.focused is app.screen.query_one("#login-pin", Input)
        # The next try needs only the PIN.
        await retry_pin(pilot, "1111")
        assert isinstance(app.screen, OperatorHome)


async def test_unknown_user_gets_the_same_message(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "nobody", "1111")
        assert isinstance(app.screen, LoginScreen)
        assert text(pilot, "#login-message") == auth.WRONG
        assert value(pilot, "#login-user") == "nobody"
        assert value(pilot, "#login-pin") == ""


async def test_ten_wrong_pins_lock_the_account(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await sign_in(pilot, "op02", "9999")
        for _ in range(9):
            await retry_pin(pilot, "9999")
        assert "locked until" in text(pilot, "#login-message")
        # Even the right PIN is refused now.
        await retry_pin(pilot, "1111")
        assert isinstance(app.screen, LoginScreen)
        assert "locked until" in text(pilot, "#login-message")


async def test_enter_moves_to_the_empty_field(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        user = app.screen.query_one("#login-user", Input)
        pin = app.screen.query_one("#login-pin", Input)
        assert app.focused is user
        await pilot.press("enter")  # the PIN is empty: on to it
        assert app.focused is pin
        await pilot.press("enter")  # the user name is empty: back to it
        assert app.focused is user
        await pilot.press(*"op01", "enter")
        assert app.focused is pin
        await pilot.press("shift+tab", "ctrl+u", "tab", *"1111", "enter")  # PIN but no user
        await settle(pilot)
        assert app.focused is user
        assert isinstance(app.screen, LoginScreen)


async def test_pin_field_takes_digits_only(app: OperatorTuiApp) -> None:
    async with app.run_test() as pilot:
        await pilot.press(*"op01", "enter", *"12ab34")
        assert value(pilot, "#login-pin") == "1234"
        assert app.screen.query_one("#login-pin", Input).password


async def test_an_unexpected_failure_is_a_short_notification(
    app: OperatorTuiApp, notes: Notes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom: internal details")

    login = auth.login
    monkeypatch.setattr(auth, "login", broken)
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        assert isinstance(app.screen, LoginScreen)
        assert [(n.message, n.severity) for n in notes] == [(UNEXPECTED, "error")]
        assert "boom" not in notes.text()
        # The screen is ready for another try, with what was typed still there: Enter again.
        assert not app.screen.query_one("#login-message").display
        monkeypatch.setattr(auth, "login", login)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorHome)


async def test_a_service_error_shows_its_own_message(
    app: OperatorTuiApp, notes: Notes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise DatabaseError("the database is busy; try again in a moment")

    monkeypatch.setattr(auth, "login", unavailable)
    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        assert isinstance(app.screen, LoginScreen)
        assert [n.message for n in notes] == ["The database is busy; try again in a moment"]


async def test_typing_ahead_lands_in_the_right_fields(app: OperatorTuiApp) -> None:
    """``op01⏎1111⏎`` typed faster than the screen updates still signs in: no key goes to the wrong field."""
    async with app.run_test() as pilot:
        await type_ahead(pilot, "op01⏎1111⏎")
        assert isinstance(app.screen, OperatorHome)


async def test_a_tab_typed_ahead_moves_to_the_pin_first(app: OperatorTuiApp) -> None:
    """``op01⇥1111⏎`` in one burst: the PIN went into the user field (op011111) until Tab was a priority key."""
    async with app.run_test() as pilot:
        await type_ahead(pilot, "op01⇥1111⏎")
        assert isinstance(app.screen, OperatorHome)
        assert app.actor is not None and app.actor.login == "op01"


async def test_enters_typed_before_the_app_started_work_too(app: OperatorTuiApp) -> None:
    """Typed while the app was starting, each Enter arrives as a line feed (ctrl+j): it was op011111 in the user
    field and nobody signed in, one launch in two, for a quick typist."""
    async with app.run_test() as pilot:
        await type_ahead(pilot, "op01↵1111↵")
        assert isinstance(app.screen, OperatorHome)
        assert app.actor is not None and app.actor.login == "op01"


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+l"])
async def test_quitting_or_logging_out_shows_the_operator_offline(app: OperatorTuiApp, key: str) -> None:
    """Not only after the board's three minutes of silence: at once."""
    from operator_tui.services import board
    from tests.conftest import actor

    def state() -> str:
        view = board.board(app.db, actor(app.db, "sup01"))
        return next(o.state for o in view.operators if o.login == "op01")

    async with app.run_test() as pilot:
        await sign_in(pilot, "op01", "1111")
        assert state() == "ready"
        await pilot.press(key)
        await settle(pilot)
        assert state() == "offline"
