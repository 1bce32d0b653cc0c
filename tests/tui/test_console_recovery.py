"""When things go wrong mid-call: the lease is lost, the app quits; and the dial hook, help and the palette."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from textual.widgets import DataTable

from operator_tui.services import cards, queue
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.numbered_choice import NumberedChoice
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.settings import Settings
from operator_tui.tui.widgets.script_runner import ScriptRunner
from tests.conftest import actor
from tests.queue.helpers import MONDAY
from tests.tui.console import SMALL, add, call_found, console_app, nps_customers, signed_in
from tests.tui.pilots import Notes, record_notifications, settle, text


async def test_a_lost_lease_is_said_plainly_and_the_answers_stay(db) -> None:
    anna = nps_customers(db)
    clock = FrozenClock(MONDAY)
    app = console_app(db, clock=clock)
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "9", "2")
        clock.advance(minutes=11)  # the 10-minute lease ran out and another operator took the customer
        queue.take_customer(db, actor(db, "op02"), anna, now=clock())
        await keys("y", "v")
        assert isinstance(app.screen, CallScreen)
        assert "no longer yours" in notes.text()
        assert "press x to close the card" in text(pilot, "#card-warning")
        answers = text(pilot, "#script-answers")
        assert "9" in answers and "Product quality" in answers and "yes" in answers
        await keys("x")
        assert isinstance(app.screen, OperatorHome)
        assert "Closed without saving: Anna Smirnova" in text(pilot, "#console-main")
    assert cards.load_card(db, actor(db, "op01"), anna, now=clock()).history == []


async def test_the_draft_is_back_after_a_quit_mid_call(db) -> None:
    anna = nps_customers(db)
    async with console_app(db).run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "9", "2")
    # The app is gone with the call half done; once the lease has run out the customer comes round again.
    app = console_app(db, clock=FrozenClock(MONDAY.replace(minute=11)))
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == anna
        assert app.screen.query_one(ScriptRunner).node.id == "contact-ok"
        assert "2 answers typed before for Anna Smirnova are back" in notes.text()
        await keys("y", "v")
        assert isinstance(app.screen, OperatorHome)
    last = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY.replace(minute=12)).history[0]
    assert [answer for _, answer in last.answers] == ["9", "Product quality", "yes"]


async def test_a_call_left_open_is_back_on_screen_at_the_next_sign_in(db) -> None:
    """The app went away mid-call with the lease still running: signing in again takes the call up at once (the
    customer waited for nobody otherwise until the lease ran out), answers and all."""
    anna = nps_customers(db)
    async with console_app(db).run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "9")
    app = console_app(db, clock=FrozenClock(MONDAY.replace(minute=2)))
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        await signed_in(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == anna
        assert "Your call with Anna Smirnova was still open: it is back on screen." in notes.text()
        assert "1 answer typed before for Anna Smirnova is back" in notes.text()
        assert app.screen.query_one(ScriptRunner).node.id == "reason"
    # Nobody else had her meanwhile, and she is held under the new lease only.
    assert queue.resume(db, actor(db, "op02"), now=MONDAY.replace(minute=3)) is None


async def test_quit_or_log_out_on_a_call_asks_first(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "ctrl+q")
        assert isinstance(app.screen, NumberedChoice)
        assert app.screen.title_text == "On a call with Anna Smirnova"
        await keys("1")  # stay
        assert isinstance(app.screen, CallScreen)
        await keys("ctrl+l", "escape")  # Esc stays too
        assert isinstance(app.screen, CallScreen)
        await keys("ctrl+l", "2")
        assert isinstance(app.screen, LoginScreen)
        await signed_in(pilot)
        assert isinstance(app.screen, CallScreen)  # the call taken up again
        await keys("ctrl+q", "ctrl+q")  # Ctrl+Q twice quits
    assert app.return_code == 0 and not app.is_running


async def test_d_runs_the_dial_command_with_the_number(db, tmp_path: Path) -> None:
    nps_customers(db)
    dialled = tmp_path / "dialled.txt"
    script = "import sys; open(sys.argv[1], 'w').write(sys.argv[2])"
    command = f'{sys.executable} -c "{script}" {dialled} {{phone}}'
    app = console_app(db, settings=Settings(dial_command=command))
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "d")
        assert dialled.read_text() == "+74950000001"
        assert [n.title for n in notes] == ["Dial"]
        assert app.screen.dialed == "+74950000001"


async def test_dialling_outside_their_calling_hours_takes_a_second_press(db, tmp_path: Path) -> None:
    """Found by search at 22:30 their time (the queue would not offer them): d says so, d again dials."""
    add(db, "Olga", "Sidorova", "+74950000009")
    dialled = tmp_path / "dialled.txt"
    command = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\" {dialled} {{phone}}"
    app = console_app(
        db, clock=FrozenClock(MONDAY.replace(hour=19, minute=30)), settings=Settings(dial_command=command)
    )
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Sidorova")
        await keys("d")
        assert "It is 22:30 for them, outside their calling hours. Press d again to dial anyway." in notes.text()
        assert app.screen.dialed is None
        await keys("d")
        await settle(pilot)
        assert app.screen.dialed == "+74950000009"
    assert dialled.read_text() == "+74950000009"


async def test_a_do_not_call_customer_is_never_dialled(db, tmp_path: Path) -> None:
    add(db, "Olga", "Sidorova", "+74950000009", dnc=True)  # she calls in; nobody may call her
    dialled = tmp_path / "dialled.txt"
    command = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\" {dialled} {{phone}}"
    app = console_app(db, settings=Settings(dial_command=command))
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Sidorova")
        assert isinstance(app.screen, CallScreen) and app.screen.card.dnc
        assert "(d dials)" not in text(pilot, "#card-text")
        await keys("d")
        assert notes[-1].severity == "error" and "do-not-call list" in notes[-1].message
        assert not dialled.exists() and app.screen.dialed is None


async def test_dial_problems_are_notifications(db) -> None:
    nps_customers(db)
    failing = f'{sys.executable} -c "import sys; sys.exit(3)"'
    app = console_app(db, settings=Settings(dial_command=failing))
    notes: Notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "d")
        assert notes[-1].title == "Dial failed" and "exited with code 3" in notes[-1].message
        app.screen.context = replace(app.screen.context, settings=Settings(dial_command="/no/such/softphone {phone}"))
        await keys("d")
        assert "cannot run '/no/such/softphone'" in notes[-1].message
        app.screen.context = replace(app.screen.context, settings=Settings())
        await keys("d")
        assert notes[-1].title == "Dial" and "Dial +7 495 000-00-01 on your phone" in notes[-1].message
        assert isinstance(app.screen, CallScreen) and app.screen.console.state.state == "on call"


async def test_help_on_a_call_lists_the_script_keys_with_their_ids(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[3]): str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert rows["script.continue"] == "⏎, space"
        assert rows["script.back"] == "^b"
        assert rows["call.outcome"] == "o" and rows["call.skip"] == "x" and rows["call.dial"] == "d"


async def test_next_customer_from_the_command_palette(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await signed_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next customer")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
