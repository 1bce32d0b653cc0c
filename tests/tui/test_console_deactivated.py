"""An operator whose account is deactivated while signed in: the console signs them out at its next heartbeat,
but never in the middle of a call: the call on screen is saved first."""

from __future__ import annotations

import pytest

from operator_tui.services import accounts, cards, operators
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountDeactivated
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.operator import OperatorHome
from tests.conftest import actor
from tests.queue.helpers import MONDAY
from tests.tui.console import SMALL, console_app, nps_customers, signed_in
from tests.tui.pilots import record_notifications, settle


async def _beat(pilot, home: OperatorHome) -> None:
    home._beat()  # what the minute's timer runs
    await settle(pilot)


def test_the_heartbeat_of_a_deactivated_account_is_refused(db: Database) -> None:
    op01 = actor(db, "op01")
    operators.heartbeat(db, op01)
    accounts.set_active(db, actor(db, "admin"), "op01", False)
    with pytest.raises(AccountDeactivated, match="your account was deactivated"):
        operators.heartbeat(db, op01)


async def test_signed_out_at_the_next_beat_between_calls(db: Database) -> None:
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        await signed_in(pilot, "op01")
        home = app.screen
        assert isinstance(home, OperatorHome)
        await _beat(pilot, home)
        assert app.screen is home  # still active: nothing happens
        accounts.set_active(db, actor(db, "admin"), "op01", False)
        await _beat(pilot, home)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        assert "Your account was deactivated, so you are signed out" in notes.text()


async def test_a_call_on_screen_is_finished_and_saved_before_the_sign_out(db: Database) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "op01")
        home = app.screen
        assert isinstance(home, OperatorHome)
        await keys("n")
        assert isinstance(app.screen, CallScreen)
        accounts.set_active(db, actor(db, "admin"), "op01", False)
        await _beat(pilot, home)
        assert isinstance(app.screen, CallScreen)  # the call goes on
        await keys("enter", "9", "2", "y", "v")
        assert isinstance(app.screen, LoginScreen)
    history = cards.load_card(db, actor(db, "admin"), anna, now=MONDAY).history
    assert history[0].outcome == "SURVEYED"


async def test_next_is_refused_at_once_and_signs_out_and_the_next_user_reads_nothing_of_it(db: Database) -> None:
    nps_customers(db)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "op01")
        accounts.set_active(db, actor(db, "admin"), "op01", False)
        await keys("n")
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        assert "Signed out: Your account was deactivated" in notes.text()
        assert "Not done" not in notes.text()  # one message, not a refusal on top
        await signed_in(pilot, "op02")
        assert isinstance(app.screen, OperatorHome)
        assert not app._notifications  # the sign-out notice was op01's
