"""Helpers for console tests: customers with fixed details (stable snapshots), a frozen clock, counted keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot

from operator_tui.services.database import Database
from operator_tui.store.tables import Customer
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.messages import LoggedIn
from operator_tui.tui.settings import Settings
from tests.conftest import actor
from tests.queue.helpers import MONDAY, place_all
from tests.tui.pilots import settle

MOSCOW = ZoneInfo("Europe/Moscow")
SMALL = (80, 24)  # the smallest supported terminal: every flow must work there, and it renders fastest


def add(db: Database, first: str, last: str, phone: str, *, stage: str = "retention", **fields: Any) -> int:
    """A customer with a fixed phone (add_customer numbers them per process, which snapshots cannot have)."""
    with db.write() as session:
        customer = Customer(
            first_name=first,
            last_name=last,
            phone=phone,
            time_zone=fields.pop("time_zone", "Europe/Moscow"),
            stage=stage,
            segment=fields.pop("segment", "b2c"),
            value_tier=fields.pop("value_tier", "B"),
            stage_since=MONDAY - timedelta(days=40),
            **fields,
        )
        session.add(customer)
        session.flush()
        assert customer.id is not None
        return customer.id


def nps_customers(db: Database) -> int:
    """Three retention customers (NPS survey), placed in the queue; returns the first one's id (tier A)."""
    first = add(
        db, "Anna", "Smirnova", "+74950000001", value_tier="A", city="Moscow", notes="Prefers calls after lunch."
    )
    add(db, "Boris", "Petrov", "+74950000002", value_tier="B", city="Tver")
    add(db, "Vera", "Ivanova", "+74950000003", value_tier="C", time_zone="Asia/Vladivostok", city="Vladivostok")
    place_all(db, MONDAY)
    return first


def console_app(db: Database, *, clock: FrozenClock | None = None, settings: Settings | None = None) -> OperatorTuiApp:
    return OperatorTuiApp(db, clock=clock or FrozenClock(MONDAY), zone=MOSCOW, settings=settings or Settings())


class Keys:
    """Presses keys one at a time, waits for what they started, and counts them."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            await self.pilot.press(key)
            await settle(self.pilot)

    async def type(self, text: str) -> None:
        """Characters into a field: one burst (nothing waits on a worker between them), each one counted."""
        self.count += len(text)
        await self.pilot.press(*text)


async def signed_in(pilot: Pilot[Any], login: str = "op01") -> Keys:
    """Signed in as ``login`` without typing (the sign-in screen has its own tests): faster, same screens."""
    app = pilot.app
    assert isinstance(app, OperatorTuiApp)
    app.post_message(LoggedIn(actor(app.db, login)))
    await settle(pilot)
    return Keys(pilot)


async def search_for(keys: Keys, text: str) -> None:
    """Open "find a customer" and search for ``text`` (the results listed, the field keeping the focus)."""
    await keys("slash")
    await keys.type(text)
    await keys("enter")


async def call_found(keys: Keys, name: str) -> None:
    """Find a customer by name and open the first one found, as for an inbound call."""
    await search_for(keys, name)
    await keys("enter")
