"""A call from "next" to the saved outcome with real keys: the keystroke budget, the script's keys and refusals."""

from __future__ import annotations

from operator_tui.services import board, cards
from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.outcome import SETTLE_S, OutcomePicker
from operator_tui.tui.widgets.customer_card import CustomerCard
from operator_tui.tui.widgets.script_runner import ScriptRunner
from tests.conftest import actor
from tests.queue.helpers import MONDAY
from tests.tui.console import SMALL, console_app, nps_customers, signed_in
from tests.tui.pilots import text

NPS_SURVEY_BUDGET = 12


def runner(app: OperatorTuiApp) -> ScriptRunner:
    return app.screen.query_one(ScriptRunner)


async def test_a_full_nps_survey_call_takes_six_keys(db) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == anna
        assert runner(app).node.id == "hello"
        await keys("enter")
        assert runner(app).node.id == "nps"
        await keys("9")
        assert runner(app).node.id == "reason"
        await keys("2")
        assert runner(app).node.id == "contact-ok"
        await keys("y")
        assert isinstance(app.screen, OutcomePicker)  # the script ended: the picker opened by itself
        await keys("v")
        assert isinstance(app.screen, OperatorHome)
        assert keys.count == 6 <= NPS_SURVEY_BUDGET
        assert "Saved: Survey completed · Anna Smirnova" in text(pilot, "#console-main")
        assert app.screen.state.state == "wrap-up"
    card = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY)
    last = card.history[0]
    assert (last.outcome, last.nps) == ("SURVEYED", 9)
    assert [answer for _, answer in last.answers] == ["9", "Product quality", "yes"]
    assert card.last_nps == 9


async def test_a_detractor_is_asked_what_to_improve_and_back_changes_the_path(db) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "space", "1")
        assert runner(app).node.id == "nps" and runner(app).typed == "1"  # 1 waits: it may become 10
        await keys("enter")  # = 1
        await keys("5", "n")
        assert runner(app).node.id == "improve"
        await keys.type("faster delivery")
        await keys("enter")
        assert isinstance(app.screen, OutcomePicker)
        await keys("escape")  # back to the call, nothing saved
        assert isinstance(app.screen, CallScreen) and app.screen.console.state.state == "on call"
        await keys("ctrl+b", "ctrl+b", "ctrl+b")  # improve, contact-ok, reason... back to the NPS question
        assert runner(app).node.id == "reason"
        await keys("ctrl+b")
        assert runner(app).node.id == "nps"
        await keys("1", "0")  # = 10: a promoter now
        assert runner(app).node.id == "reason"
        await keys("enter", "enter")  # Enter keeps the earlier answers (range, no)
        assert isinstance(app.screen, OutcomePicker)  # promoters are not asked what to improve
        await keys("v")
        assert isinstance(app.screen, OperatorHome)
    last = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY).history[0]
    assert last.nps == 10
    assert [answer for _, answer in last.answers] == ["10", "Range of products", "no"]  # "improve" is off the path now


async def test_closing_the_outcome_picker_keeps_the_call_timer_going(db) -> None:
    nps_customers(db)
    clock = FrozenClock(MONDAY)
    app = console_app(db, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen)
        clock.advance(seconds=15)
        await keys("space")  # past the greeting: the call has begun
        began = app.screen.console.state.since
        assert began == clock()
        clock.advance(minutes=3)
        await keys("o")
        assert isinstance(app.screen, OutcomePicker)
        assert app.screen_stack[-2].console.state.state == "wrap-up"
        clock.advance(seconds=20)
        await keys("escape")
        assert isinstance(app.screen, CallScreen)
        state = app.screen.console.state
        assert (state.state, state.since) == ("on call", began)  # on this call for 3:20, not since the Esc
        assert "On call 3:20" in text(pilot, "StatusBar")
        await app.workers.wait_for_complete()
    rows = board.board(db, actor(db, "sup01"), now=clock()).operators
    assert [(row.state, row.since) for row in rows if row.login == "op01"] == [("on call", began)]


async def test_nps_11_cannot_be_entered(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "1", "1")
        assert runner(app).node.id == "nps"
        message = text(pilot, "#script-message")
        assert "Not accepted: 11 is outside 0–10" in message
        assert runner(app).typed == ""
        await keys("7")
        assert runner(app).node.id == "reason"


async def test_an_empty_required_answer_is_refused(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "enter")
        assert runner(app).node.id == "nps"
        assert text(pilot, "#script-message").startswith("An answer is required")
        await keys("q")  # not an answer, not a key of the screen
        assert runner(app).node.id == "nps"
        assert "press a digit" in text(pilot, "#script-message")
        await keys("8", "9")  # 9 options? no: 5 options, so 9 is refused
        assert runner(app).node.id == "reason"
        assert text(pilot, "#script-message") == "Not accepted: there is no option 9. Press the option's number, 1–5."
        await keys("1", "k")
        assert runner(app).node.id == "contact-ok"
        assert "y: yes · n: no" in text(pilot, "#script-message")


async def test_ctrl_b_at_the_start_says_so(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "ctrl+b")
        assert runner(app).node.id == "hello"
        assert "start of the script" in text(pilot, "#script-message")


async def test_letter_keys_work_in_the_russian_layout(db) -> None:
    """An operator who has just typed Russian presses the key marked "n" and the terminal sends "т": the same keys
    (the screen's and the playbook's outcome hotkeys) answer in both layouts, and F1 lists the Latin ones."""
    from operator_tui.tui.screens.help import key_rows

    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        assert next(row.keys for row in key_rows(app.screen) if row.binding_id == "operator.next") == "n"
        await keys("т")  # n
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == anna
        await keys("щ")  # o: the outcome picker, before the script's end
        assert isinstance(app.screen, OutcomePicker)
        await keys("ф")  # a: the playbook's hotkey of NOANSWER
        assert isinstance(app.screen, OperatorHome)
    card = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY)
    assert card.history[0].outcome == "NOANSWER"


async def test_the_card_s_clock_line_goes_on_during_the_call(db) -> None:
    nps_customers(db)
    clock = FrozenClock(MONDAY)
    app = console_app(db, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        card = app.screen.query_one(CustomerCard)
        assert "Mon 10:00 their time" in text(pilot, "#card-text") and "window open" in text(pilot, "#card-text")
        clock.advance(minutes=7)
        card._tick()  # what its interval runs
        await pilot.pause()
        assert "Mon 10:07 their time" in text(pilot, "#card-text")
        clock.advance(hours=12)  # 22:07 in Moscow: the window closed meanwhile
        card._tick()
        await pilot.pause()
        line = text(pilot, "#card-text")
        assert "Mon 22:07 their time" in line and "window closed, opens Tue" in line, line


async def test_the_wrap_up_says_what_else_the_save_did(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "3", "5", "n")
        await keys.type("call back sooner")
        await keys("enter", "v")
        assert isinstance(app.screen, OperatorHome)
        said = text(pilot, "#console-main")
        assert "Task opened: Follow up a detractor" in said and "Stage:" not in said
        await keys("n", "o", "d")  # Boris asks never to be called again: asked once more, it is for good
        assert isinstance(app.screen, OutcomePicker)
        assert "puts Boris Petrov on the do-not-call list for good: d again saves it" in text(pilot, "#outcome-confirm")
        await pilot.pause(SETTLE_S)  # read, then chosen again (a double tap is not an answer)
        await keys("d")
        said = text(pilot, "#console-main")
        assert "Saved: Do not call · Boris Petrov" in said and "On the do-not-call list now" in said
        assert "Task opened" not in said
        await keys("n", "o", "c")  # Vera has left: churned, whatever the stage was
        assert "Stage: Retention → Churned" in text(pilot, "#console-main")
        said = " ".join(text(pilot, "#console-main").split())  # wrapped to the panel at 80 columns
        assert "Next call Thu 26 Nov 17:00 their time, Win back sleeping customers" in said


async def test_a_card_is_a_preview_until_the_call_begins(db) -> None:
    """The card opens in preview (read, not dialled): the board says so. The first step of the script is the sign
    of a call dialled by hand; an outcome picked and put back returns to preview, not to a call never begun."""
    nps_customers(db)
    clock = FrozenClock(MONDAY)
    app = console_app(db, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.sub_title == "Preview"
        opened = app.screen.console.state.since
        assert "Preview 0:00" in text(pilot, "StatusBar")
        await app.workers.wait_for_complete()
        rows = board.board(db, actor(db, "sup01"), now=clock()).operators
        assert [(row.state, row.since) for row in rows if row.login == "op01"] == [("preview", opened)]
        clock.advance(seconds=40)
        await keys("o")
        assert app.screen_stack[-2].console.state.state == "wrap-up"
        await keys("escape")
        state = app.screen.console.state
        assert (state.state, state.since) == ("preview", opened)
        clock.advance(seconds=5)
        await keys("space")
        assert (state.state, state.since) == ("on call", clock()) and app.screen.sub_title == "On call"
        await app.workers.wait_for_complete()
    rows = board.board(db, actor(db, "sup01"), now=clock()).operators
    assert [(row.state, row.since) for row in rows if row.login == "op01"] == [("on call", clock())]


async def test_typing_an_answer_the_key_bar_offers_no_space_to_go_on(db) -> None:
    """In a text answer space types a space and Enter answers: "space Continue" on the bar would be wrong."""
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "space", "1", "enter", "5", "n")  # a detractor, then the reason: what to improve?
        assert runner(app).node.id == "improve" and runner(app).field.has_focus
        assert "Continue" not in text(pilot, "KeyBar")
        await keys.type("faster delivery")
        await keys("enter")
        assert isinstance(app.screen, OutcomePicker)
