"""What drives the app to each quality-review screen for a snapshot: reviewed calls, a frozen clock, real keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from operator_tui.services import qa_calibration, qa_disputes, qa_reviews, qa_sessions
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from tests.conftest import actor
from tests.queue.helpers import MONDAY
from tests.tui.console import console_app, signed_in
from tests.tui.pilots import settle
from tests.tui.qa import FULL, disputed, sampled, submitted

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


def reviewed(db: Database) -> OperatorTuiApp:
    """Three sampled calls of op01: one submitted (probing 0) and disputed, one submitted with a critical failure
    whose dispute was rejected, one still to do."""
    rows = sampled(db)
    submitted(db, rows[-1].id, probing=0)
    disputed(db, rows[-1].id)
    submitted(db, rows[-2].id, **{"no-leading": 0})
    rejected = disputed(db, rows[-2].id, "The customer gave the score before I could ask")
    qa_disputes.resolve(
        db, actor(db, "sup01"), rejected, "rejected", "The recording says otherwise", now=MONDAY + timedelta(hours=2)
    )
    return console_app(db)


def calibrated(db: Database) -> OperatorTuiApp:
    """A calibration of the first sampled call by sup01 and admin, both scored (tone 5 and 4)."""
    rows = sampled(db)
    call = qa_reviews.open_review(db, actor(db, "sup01"), rows[0].id).call
    assert call is not None
    qa_calibration.start(db, actor(db, "sup01"), call.interaction_id, ["sup01", "admin"], now=MONDAY)
    for login, tone in (("sup01", 5), ("admin", 4)):
        who = actor(db, login)
        [session] = qa_sessions.calibrations(db, who)
        assert session.own_review_id is not None
        for item, mark in {**FULL, "tone": tone, "probing": 1 if login == "admin" else 2}.items():
            qa_reviews.mark(db, who, session.own_review_id, item, mark)
        qa_reviews.submit(db, who, session.own_review_id, now=MONDAY)
    return console_app(db)


def typed(text: str) -> tuple[str, ...]:
    """The keys that type ``text`` into a field."""
    return tuple("space" if char == " " else char for char in text)


def as_user(login: str, *steps: tuple[str, ...]) -> RunBefore:
    """Sign in as ``login``, then press each step's keys in one burst; the app settles after each step, so a step
    may count on what the one before started (a screen read by a worker) being there."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await signed_in(pilot, login)
        for keys in steps:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before
