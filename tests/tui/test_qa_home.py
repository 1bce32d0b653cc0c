"""The supervisor's home beyond the queue: test calls, the entries to reports and the live board, keys and help."""

from __future__ import annotations

import sys

import pytest
from textual.widgets import Select

from operator_tui.services import qa_reviews
from operator_tui.services.database import Database
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.keyed import KEYED
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.supervisor import SupervisorHome
from operator_tui.tui.screens.test_call import TestCallScreen
from tests.conftest import actor
from tests.tui.console import SMALL, console_app, signed_in
from tests.tui.pilots import record_notifications, text
from tests.tui.test_navigation import help_rows


async def test_record_a_test_call(db: Database) -> None:
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("t")
        assert isinstance(app.screen, TestCallScreen)
        await keys("ctrl+s")
        assert "Pick the operator the test call was made to." in text(pilot, "#qa-message")
        await keys("enter", "down", "enter")  # the operator list: op01 is the first operator of Team A
        assert app.screen.query_one("#test-operator", Select).value == "op01"
        await keys("tab", "enter", "down", "enter")  # the checklists: from Outbound call down to the NPS survey call
        assert app.screen.query_one("#test-checklist", Select).value == "nps-survey-call"
        await keys("tab", "1", "1", "1", "2", "1", "1")
        await keys("ctrl+s")
        assert "Describe the test call" in notes.text()
        await keys("tab", *"Mystery shopper 10:15, asked about delivery", "ctrl+s")
        assert "Score every item; 1 left: Polite and" in notes.text()
        assert isinstance(app.screen, TestCallScreen)
        await keys("shift+tab", "end", "3", "ctrl+s")  # back to the checklist, its last item: tone 3 of 1–5
        assert "Test call of op01 recorded: 95." in notes.text()
        assert isinstance(app.screen, SupervisorHome)
        assert "0 to do · 1 submitted" in text(pilot, "#qa-message")
    assert qa_reviews.operator_average(db, actor(db, "op01"), actor(db, "op01").user_id or 0, "2026-11") == 95.0


@pytest.mark.parametrize(("key", "module", "title"), [("r", "reports", "Reports"), ("l", "board", "Live board")])
async def test_reports_and_board_say_coming_soon_until_they_exist(
    db: Database, monkeypatch: pytest.MonkeyPatch, key: str, module: str, title: str
) -> None:
    monkeypatch.setitem(sys.modules, f"operator_tui.tui.screens.{module}", None)  # importing it fails
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys(key)
        assert isinstance(app.screen, SupervisorHome)
        assert f"{title}: {title}: coming soon." in notes.text()


async def test_help_lists_the_supervisor_keys_with_their_ids(db: Database) -> None:
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        assert rows["supervisor.sample"][:2] == ("s", "Sample")
        assert rows["reviews.open"][:2] == ("⏎", "Open")
        for binding_id in ("supervisor.calibrate", "supervisor.calibrations", "supervisor.disputes"):
            assert binding_id in rows
        assert rows["supervisor.reports"][:2] == ("r", "Reports")
        assert rows["supervisor.board"][:2] == ("l", "Board")


async def test_the_palette_runs_the_supervisors_commands(db: Database) -> None:
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        await keys("ctrl+p")
        await pilot.press(*"test call")
        await pilot.pause(0.3)  # the palette searches in the background
        await keys("enter")
        assert isinstance(app.screen, TestCallScreen)


def test_every_qa_binding_has_a_unique_id() -> None:
    from operator_tui.tui.keymap import binding_ids
    from operator_tui.tui.screens.qa_keyed import QA_KEYED

    classes = (OperatorTuiApp, *KEYED)
    ids = [binding.id for cls in classes for binding in vars(cls).get("BINDINGS", [])]
    assert all(ids) and len(ids) == len(set(ids))
    assert {"operator.reviews", "supervisor.reports", "supervisor.board", "review.submit", "checklist.na"} <= (
        binding_ids(*classes)
    )
    assert SupervisorHome in KEYED and set(QA_KEYED) <= set(KEYED)


def test_the_review_queue_columns_fit_every_width_down_to_80_columns() -> None:
    """The names give way (to an ellipsis) before a column is cut by the frame; at full width none does."""
    from operator_tui.tui.screens.supervisor import COLUMNS, NARROWEST
    from operator_tui.tui.screens.supervisor import queue_widths as fitted_widths

    assert fitted_widths(89) == {key: width for key, _header, width in COLUMNS}
    for room in range(73, 89):  # the table's room from 80 columns (74) up to 120 (89)
        widths = fitted_widths(room)
        assert sum(widths.values()) + 2 * len(widths) == room, room
        assert all(widths[key] >= narrowest for key, narrowest in NARROWEST.items())
    assert fitted_widths(40) == fitted_widths(73)  # narrower still: the narrowest, and the table scrolls
    wider = fitted_widths(89 + 10)  # a wider screen: the names share the room, no name is cut beside empty cells
    assert sum(wider.values()) + 2 * len(wider) == 99
    assert [wider[key] - width for key, _header, width in COLUMNS] == [3, 0, 0, 0, 3, 4]


async def test_the_queue_of_the_month_before(db: Database) -> None:
    """November's sample is reviewed into December: the supervisor goes back a month, never past this one."""
    from tests.tui.qa import sampled

    sampled(db)  # three of op01's November calls, drawn for sup01
    app = console_app(db)  # the clock: Monday 23 November
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot, "sup01")
        home = app.screen
        assert isinstance(home, SupervisorHome) and home.table.border_title == "Reviews · November 2026"
        await keys("left_square_bracket")
        assert home.table.border_title == "Reviews · October 2026"
        assert "No reviews for October 2026 yet. Press s to draw its sample of calls." in text(pilot, "#qa-message")
        notes = record_notifications(app)
        await keys("s")  # October had no calls: said so, not "already in the queue"
        assert "No reached calls of your operators in October 2026 to draw from." in notes.text()
        await keys("right_square_bracket")
        assert "3 to do · 0 submitted" in text(pilot, "#qa-message")
        await keys("right_square_bracket")
        assert home.table.border_title == "Reviews · November 2026"
        assert "December 2026 is still to come." in text(pilot, "#qa-message")
