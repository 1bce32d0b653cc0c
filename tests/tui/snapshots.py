"""What drives the app to each operator screen for a snapshot: a frozen clock, fixed customers, real keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.widgets.status_bar import StatusBar
from tests.queue.helpers import MONDAY
from tests.tui.console import console_app, nps_customers, signed_in

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def app_with_customers(db: Database, at: timedelta = timedelta()) -> OperatorTuiApp:
    nps_customers(db)
    return console_app(db, clock=FrozenClock(MONDAY + at))


def pressing(*keys: str, typed: str = "", then: tuple[str, ...] = (), wait: float = 0) -> RunBefore:
    """Sign in, press ``keys``, type ``typed``, press ``then``; the clock moves ``wait`` seconds before the shot."""

    async def run_before(pilot: Pilot[Any]) -> None:
        press = await signed_in(pilot)
        await press(*keys)
        if typed:
            await press.type(typed)
        await press(*then)
        if wait:
            app = pilot.app
            assert isinstance(app, OperatorTuiApp) and isinstance(app.clock, FrozenClock)
            app.clock.advance(seconds=wait)
            for bar in app.screen.query(StatusBar):
                bar.show()
        await pilot.pause()

    return run_before
