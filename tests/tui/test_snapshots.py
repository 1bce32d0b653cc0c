"""What each screen looks like, at a roomy and at a small terminal. Update with ``--snapshot-update``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot

from operator_tui.services.database import Database
from operator_tui.store.tables import PlaybookVersion
from operator_tui.tui import keymap
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from tests.queue.helpers import MONDAY
from tests.tui.pilots import settle, sign_in

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
SnapCompare = Callable[..., bool]


def signed_in_as(login: str, pin: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, login, pin)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(OperatorTuiApp(db), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_login_wrong_pin(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    assert snap_compare(OperatorTuiApp(db), terminal_size=size, run_before=signed_in_as("op01", "9999"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("login", "pin"), [("op01", "1111"), ("sup01", "2222"), ("admin", "0000")])
def test_home(snap_compare: SnapCompare, db: Database, login: str, pin: str, size: tuple[int, int]) -> None:
    """On a frozen clock: the supervisor's home names the month; the admin's says when the playbook was loaded
    (pinned here: the test database was made just now)."""
    with db.write() as session:
        for version in session.exec(select(PlaybookVersion)):
            version.loaded_at = MONDAY
            session.add(version)
    app = OperatorTuiApp(db, clock=FrozenClock(MONDAY))
    assert snap_compare(app, terminal_size=size, run_before=signed_in_as(login, pin))


@pytest.mark.parametrize("size", SIZES)
def test_playbook_view(snap_compare: SnapCompare, db: Database, size: tuple[int, int]) -> None:
    """The admin's v: the playbook in force with line numbers, its version and when it was loaded (pinned)."""
    with db.write() as session:
        for version in session.exec(select(PlaybookVersion)):
            version.loaded_at = MONDAY
            session.add(version)

    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, "admin", "0000")
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(OperatorTuiApp(db, clock=FrozenClock(MONDAY)), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_keeps_its_remap_note_in_view(
    snap_compare: SnapCompare, db: Database, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The note names the keymap's path: one that reads the same on every machine (and holds no file).
    monkeypatch.setattr(keymap, "user_config_dir", lambda _app_name: "/home/operator/.config/operator-tui")

    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, "op01", "1111")
        await pilot.press("f1")

    assert snap_compare(OperatorTuiApp(db, clock=FrozenClock(MONDAY)), terminal_size=size, run_before=run_before)


def test_new_user_dialog_says_why_it_was_refused(snap_compare: SnapCompare, db: Database) -> None:
    """The admin's form at the smallest terminal, after two PINs that differ: the fields keep what was typed."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await sign_in(pilot, "admin", "0000")
        await pilot.press("a", *"op21", "enter", *"Nina Petrova", "enter", "tab", "tab", *"Team B", "enter")
        await pilot.press(*"2468", "enter", *"2469", "enter")
        await pilot.pause()

    app = OperatorTuiApp(db, clock=FrozenClock(MONDAY))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
