"""A small month of calls for the reports and board screens, with every figure worked out by hand.

Friday 2026-11-20: op01, SURVEYED, NPS 9 (promoter), talk 50 s, wrap 10 s.
Monday 2026-11-23 (as in tests/reports/test_reports.py):
  op01 SURVEYED NPS 10 (promoter, segment vip) talk 100 wrap 20; op01 SURVEYED NPS 6 (detractor) talk 200 wrap 40;
  op01 NOANSWER talk 0 wrap 10; op02 SURVEYED NPS 8 (passive) talk 60 wrap 30; op02 CHURNED talk 30 wrap 0.

Monday alone: 5 calls, 4 reached (80.0 %), 3 conversions (75.0 %), talk 390/4 = 97.5 s -> 1:38, wrap 100/5 = 20 s,
NPS (1 - 1) / 3 = 0.0. November: 6 calls, 5 reached (83.3 %), 4 conversions (80.0 %), talk 440/5 = 88 s -> 1:28,
wrap 110/6 = 18.3 s -> 0:18, NPS (2 - 1) / 4 = +25.0. By operator in November: op01 4 calls, 3 reached (75.0 %),
3 conversions (100.0 %), NPS (2 - 1) / 3 = +33.3; op02 2 calls, 2 reached, 1 conversion (50.0 %), NPS 0.0.
Churn: 1 of 6 customers (5 still in working stages + 1 churned) = 16.7 %.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from operator_tui.services import operators, queue
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, add_customer, place_all, record
from tests.tui.console import console_app, signed_in
from tests.tui.pilots import settle

FRIDAY = MONDAY - timedelta(days=3)
NOW = MONDAY + timedelta(hours=2)  # 12:00 in Moscow, after the calls


def call(
    db: Database,
    who: Actor,
    outcome: str,
    *,
    talk: int,
    wrap: int,
    nps: str | None = None,
    at: datetime = MONDAY,
    **kw: Any,
) -> None:
    add_customer(db, stage="retention", last_purchase_at=at - timedelta(days=5), **kw)
    place_all(db, at)
    claim = queue.next_customer(db, who, now=at)
    answered = at + timedelta(seconds=10)
    ended = answered + timedelta(seconds=talk)
    record(
        db,
        who,
        claim,
        outcome,
        now=at,
        answers={**NPS_ANSWERS, "nps": nps} if nps is not None else {},
        started_at=at,
        answered_at=answered,
        ended_at=ended,
        wrapup_ended_at=ended + timedelta(seconds=wrap),
    )


def a_month_of_calls(db: Database) -> Database:
    op01, op02 = actor(db, "op01"), actor(db, "op02")
    call(db, op01, "SURVEYED", talk=50, wrap=10, nps="9", at=FRIDAY)
    call(db, op01, "SURVEYED", talk=100, wrap=20, nps="10", segment="vip")
    call(db, op01, "SURVEYED", talk=200, wrap=40, nps="6")
    call(db, op01, "NOANSWER", talk=0, wrap=10)
    call(db, op02, "SURVEYED", talk=60, wrap=30, nps="8")
    call(db, op02, "CHURNED", talk=30, wrap=0)
    return db


def a_floor(db: Database) -> Database:
    """Two fresh customers in the queue; op01 on a break for 5 minutes, op02 on a call for 90 seconds."""
    add_customer(db)
    add_customer(db, tier="A")
    place_all(db, NOW)
    operators.set_state(db, actor(db, "op01"), "paused", reason="BREAK", now=NOW - timedelta(minutes=5))
    operators.heartbeat(db, actor(db, "op01"), now=NOW - timedelta(seconds=40))  # the console is still open
    operators.set_state(db, actor(db, "op02"), "on call", strategy_id="retention-nps", now=NOW - timedelta(seconds=90))
    return db


def reports_app(db: Database) -> OperatorTuiApp:
    return console_app(db, clock=FrozenClock(NOW))


RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def on_top(login: str, make: Callable[[OperatorTuiApp], Screen[Any]], *keys: str) -> RunBefore:
    """Sign ``login`` in, push the screen ``make`` builds (as the home screens do), press ``keys``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        press = await signed_in(pilot, login)
        app = pilot.app
        assert isinstance(app, OperatorTuiApp)
        app.push_screen(make(app))
        await settle(pilot)
        await press(*keys)
        await settle(pilot)

    return run_before
