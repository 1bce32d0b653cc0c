"""Outcomes other than a finished survey: no answer, a callback, skipping; pausing; the empty queue."""

from __future__ import annotations

from datetime import timedelta

from operator_tui.services import cards, operators, queue
from operator_tui.tui.clock import FrozenClock
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.callback import CallbackDialog
from operator_tui.tui.screens.numbered_choice import NumberedChoice
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.outcome import SETTLE_S, OutcomePicker
from operator_tui.tui.screens.pause import PauseDialog
from operator_tui.tui.screens.prompt import TextPrompt
from tests.conftest import actor
from tests.queue.helpers import MONDAY, place_all, record
from tests.tui.console import (
    MOSCOW,
    SMALL,
    add,
    call_found,
    console_app,
    nps_customers,
    search_for,
    signed_in,
)
from tests.tui.pilots import Notes, burst_to_screen, record_notifications, text, type_ahead, value


async def test_no_answer_right_after_dialling_is_two_keys(db) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o")
        assert isinstance(app.screen, OutcomePicker)
        await keys("a")
        assert isinstance(app.screen, OperatorHome)
        assert "Saved: No answer · Anna Smirnova" in text(pilot, "#console-main")
        # Called today already (the daily cap): tomorrow, once their calling window opens, not at midnight.
        assert "Next call Tue 24 Nov 09:00 their time" in " ".join(text(pilot, "#console-main").split())
        await keys("n")  # the next customer at once
        assert isinstance(app.screen, CallScreen) and app.screen.card.name == "Boris Petrov"
    assert cards.load_card(db, actor(db, "op01"), anna, now=MONDAY).history[0].outcome == "NOANSWER"


async def test_enter_alone_never_saves_an_outcome(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o", "enter", "enter")
        assert isinstance(app.screen, OutcomePicker)  # still choosing: nothing was saved
        await keys("down", "enter")  # an arrow to the first outcome, then Enter, does save it
        assert not isinstance(app.screen, OutcomePicker)


async def test_a_callback_tomorrow_same_time_for_anyone_with_a_note(db) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o", "tab")
        await keys.type("after six")
        await keys("enter", "b")
        assert isinstance(app.screen, CallbackDialog)
        await keys("a", "2")
        assert isinstance(app.screen, OperatorHome)
        main = text(pilot, "#console-main")
        assert "Saved: Call back later" in main and "Tue 24 Nov 10:00 their time" in main and "by anyone" in main
    card = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY)
    assert card.history[0].note == "after six"
    (_, due, owner) = card.open_callbacks[0]
    assert due == MONDAY + timedelta(days=1) and owner is None


async def test_a_callback_at_a_typed_time_in_the_customers_zone(db) -> None:
    vera = nps_customers(db) + 2  # found by name, as for an inbound call; in Vladivostok it is 17:00
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Ivanova")
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == vera
        await keys("o", "b", "3")
        await keys.type("2026-11-23 09:00")
        await keys("enter")
        assert isinstance(app.screen, CallbackDialog)
        assert "has passed" in text(pilot, "#callback-message")
        await keys("ctrl+u")
        await keys.type("16:00")  # passed today there: 16:00 tomorrow, said before it is kept
        await keys("enter")
        assert isinstance(app.screen, CallbackDialog)
        assert "16:00 has passed today there: that is Tue 24 Nov 16:00" in text(pilot, "#callback-message")
        await keys("enter")
        assert isinstance(app.screen, OperatorHome)
    (_, due, owner) = cards.load_card(db, actor(db, "op01"), vera, now=MONDAY).open_callbacks[0]
    assert due == MONDAY + timedelta(days=1, hours=-1) and owner == "op01"  # 16:00 Vladivostok = 06:00 UTC


async def test_a_callback_on_a_day_and_month(db) -> None:
    """A day and month still to come is kept at once; one gone this year is next year's, said with its year."""
    vera = nps_customers(db) + 2
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Ivanova")
        await keys("o", "b", "3")
        await keys.type("20.11 10:00")
        await keys("enter")
        assert isinstance(app.screen, CallbackDialog)
        assert "20.11 has passed this year: that is Sat 20 Nov 2027 10:00" in text(pilot, "#callback-message")
        await keys("ctrl+u")
        await keys.type("25.11 10:00")
        await keys("enter")
        assert isinstance(app.screen, OperatorHome)
    (_, due, _) = cards.load_card(db, actor(db, "op01"), vera, now=MONDAY).open_callbacks[0]
    assert due == MONDAY + timedelta(days=2, hours=-7)  # 10:00 Vladivostok on Wednesday = 00:00 UTC


async def test_skip_needs_a_reason_and_gives_the_customer_back(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "9", "x")
        assert isinstance(app.screen, TextPrompt)
        await keys("enter")
        assert "Say why" in text(pilot, "#prompt-message")
        await keys.type("wrong person answered")
        await keys("enter")
        assert isinstance(app.screen, OperatorHome)
        assert "Skipped Anna Smirnova (wrong person answered)" in text(pilot, "#console-main")
        assert "How likely" not in text(pilot, "#console-main")  # the 9 typed was not saved: not listed
        assert app.screen.state.state == "ready"


async def test_editing_keys_typed_in_one_burst_apply_in_order(db) -> None:
    """Backspace and Ctrl+U typed in a burst with letters edit what was typed before them, not after: "abcx⌫d" is
    abcd (it was abcx), and Ctrl+U then a reason and Enter keeps the reason (it submitted an empty field)."""
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "x")
        assert isinstance(app.screen, TextPrompt)
        await type_ahead(pilot, "abcx⌫d")
        assert value(pilot, "#prompt-input") == "abcd"
        await type_ahead(pilot, "␕wrong person⏎")
        assert isinstance(app.screen, OperatorHome)
        assert "Skipped Anna Smirnova (wrong person)" in text(pilot, "#console-main")


async def test_pause_with_a_reason_and_resume(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("p")
        assert isinstance(app.screen, PauseDialog)
        await keys("2")
        assert isinstance(app.screen, OperatorHome)
        assert app.screen.state.state == "paused" and app.screen.state.reason == "LUNCH"
        assert "Paused · Lunch" in text(pilot, "#console-main") and "Paused · Lunch" in text(pilot, "#status-bar")
        await keys("p")
        assert app.screen.state.state == "ready"
        await keys("p", "1", "n")  # n resumes with the next customer
        assert isinstance(app.screen, CallScreen)
        await keys("p", "3")  # on a call: the pause waits for the outcome
        assert "pause after this call: Training" in text(pilot, "#status-bar")
        await keys("o", "a")
        assert isinstance(app.screen, OperatorHome) and app.screen.state.reason == "TRAINING"
        main = text(pilot, "#console-main")  # the pause, and under it what was saved
        assert "Paused · Training" in main and "Saved: No answer · Anna Smirnova" in main
    figures = operators.today(db, actor(db, "op01"), MONDAY.astimezone(MOSCOW).replace(hour=0), now=MONDAY)
    assert figures.calls == 1


async def test_the_empty_queue_says_why_and_when(db) -> None:
    nps_customers(db)
    app = console_app(db)
    app.clock.at = MONDAY + timedelta(hours=13)  # 23:00 in Moscow, 06:00 in Vladivostok: windows closed
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, OperatorHome)
        main = text(pilot, "#console-main")
        assert "Nobody to call right now." in main
        assert "3 customers wait for their calling window" in main
        assert "The queue fills again at Tue 02:00 your time (in 3 h 00 min)" in main


async def test_an_unexpected_failure_is_a_notification_and_n_works_again(db, monkeypatch) -> None:
    from operator_tui.services import queue

    nps_customers(db)
    app = console_app(db)
    notes: Notes = record_notifications(app)
    real = queue.next_customer

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        monkeypatch.setattr(queue, "next_customer", broken)
        await keys("n")
        assert isinstance(app.screen, OperatorHome) and "boom" not in notes.text()
        assert [n.title for n in notes] == ["Unexpected error"]
        assert "Ready." in text(pilot, "#console-main")
        monkeypatch.setattr(queue, "next_customer", real)
        await keys("n")
        assert isinstance(app.screen, CallScreen)


async def test_a_success_outcome_before_the_script_is_answered_sends_back_to_the_question(db) -> None:
    """Survey completed with no answers: refused by the service, the call stays open at the question, and the
    operator is told in the interface's words what to do (not the service's ids)."""
    nps_customers(db)
    app = console_app(db)
    notes = record_notifications(app)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o", "v")
        assert isinstance(app.screen, CallScreen)
        assert "This outcome needs the script's answers" in text(pilot, "#script-message")
        assert app.screen.console.state.state == "preview"  # not left in wrap-up: back to the card, not yet begun
        assert "an answer is required" not in notes.text()  # no English refusal with question ids on top
        await keys("enter", "9", "2", "y", "v")  # answer the survey, then the same outcome saves
        assert isinstance(app.screen, OperatorHome)
        assert "Saved: Survey completed" in text(pilot, "#console-main")


async def test_a_callback_outside_their_calling_hours_is_marked_and_needs_choosing_twice(db) -> None:
    """Vladivostok, 17:00 there, calls until 20:00: 21:00 would be kept at nine the next morning by the queue."""
    vera = nps_customers(db) + 2
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Ivanova")
        await keys("o", "b")
        assert isinstance(app.screen, CallbackDialog)
        choices = text(pilot, "#callback-choices")
        hour, tomorrow = choices.splitlines()[:2]
        assert "outside their calling hours" not in hour + tomorrow  # 18:00 today and 17:00 tomorrow are inside
        await keys("3")
        await keys.type("21:00")
        await keys("enter")
        assert isinstance(app.screen, CallbackDialog)
        assert "Mon 23 Nov 21:00 is outside their calling hours" in text(pilot, "#callback-message")
        await keys("enter")  # chosen again: kept
        assert isinstance(app.screen, OperatorHome)
    (_, due, _owner) = cards.load_card(db, actor(db, "op01"), vera, now=MONDAY).open_callbacks[0]
    assert due == MONDAY + timedelta(hours=4)  # 21:00 Vladivostok = 11:00 UTC


async def test_a_callback_for_a_closed_window_is_offered_when_it_opens(db) -> None:
    """Vladivostok at 22:00, their window shut until 09:00: an hour on and this time tomorrow are both outside it,
    and the dialog offers the opening itself, one key away."""
    vera = nps_customers(db) + 2
    night = MONDAY + timedelta(hours=5)  # 12:00 UTC
    app = console_app(db, clock=FrozenClock(night))
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Ivanova")
        await keys("o", "b")
        assert isinstance(app.screen, CallbackDialog)
        hour, tomorrow, _at, opens = text(pilot, "#callback-choices").splitlines()
        assert "outside their calling hours" in hour and "outside their calling hours" in tomorrow
        assert opens.split() == ["4", "when", "their", "window", "opens", "Tue", "24", "Nov", "09:00"]
        await keys("4")  # inside their hours: kept at once
        assert isinstance(app.screen, OperatorHome)
    (_, due, _owner) = cards.load_card(db, actor(db, "op01"), vera, now=night).open_callbacks[0]
    assert due == MONDAY + timedelta(hours=16)  # 09:00 Vladivostok = 23:00 UTC


async def test_an_open_window_offers_no_opening(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await call_found(keys, "Ivanova")
        await keys("o", "b", "4")  # 17:00 there, open: no choice 4, the key does nothing
        assert isinstance(app.screen, CallbackDialog)
        assert len(text(pilot, "#callback-choices").splitlines()) == 3


async def test_typing_in_the_results_searches_again(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await search_for(keys, "Smirnova")
        assert "1 found" in text(pilot, "#search-message")
        for _ in "Smirnova":
            await keys("backspace")  # the focus stays in the field
        await keys.type("Petrov")
        await keys("enter")
        await keys("enter")
        assert isinstance(app.screen, CallScreen) and app.screen.card.name == "Boris Petrov"


async def test_arrows_in_the_search_field_move_over_the_results(db) -> None:
    """Down picks the second customer found, not the first: the field keeps the focus, as in a picker."""
    nps_customers(db)
    olga = add(db, "Olga", "Petrova", "+74950000004")
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await search_for(keys, "Petrov")
        assert "2 found" in text(pilot, "#search-message")
        assert app.screen.focused is not None and app.screen.focused.id == "search-input"
        await keys("down", "up", "down", "enter")
        assert isinstance(app.screen, CallScreen) and app.screen.card.customer_id == olga


async def test_enter_after_the_text_changed_searches_again(db) -> None:
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await search_for(keys, "Smirnova")
        await keys("ctrl+u")
        await keys.type("Ivanova")
        await keys("enter")  # searches for Ivanova: does not open Anna Smirnova, still highlighted
        assert not isinstance(app.screen, CallScreen)
        await keys("enter")
        assert isinstance(app.screen, CallScreen) and app.screen.card.name == "Vera Ivanova"


async def test_escape_closes_a_customer_opened_by_search_until_the_call_begins(db) -> None:
    """A look-up is not a call: Esc gives the customer back with no reason asked and their place kept; once an
    answer is typed, closing is a skip, which asks why."""
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert "Close" not in text(pilot, "KeyBar")  # a customer from the queue is skipped (x), with a reason
        await keys("escape")
        assert isinstance(app.screen, CallScreen)
        await keys("x")
        await keys.type("wrong number")
        await keys("enter")
        await call_found(keys, "Petrov")
        assert isinstance(app.screen, CallScreen) and "Close" in text(pilot, "KeyBar")
        await keys("escape")
        assert isinstance(app.screen, OperatorHome)
        assert "Closed Boris Petrov (no call)" in text(pilot, "#console-main")
        assert app.screen.state.state == "ready"
        await keys("n")  # still fresh: the queue hands Boris out next (Anna was skipped)
        assert isinstance(app.screen, CallScreen) and app.screen.card.name == "Boris Petrov"
        await keys("x")
        await keys.type("later")
        await keys("enter")
        await call_found(keys, "Petrov")
        await keys("enter", "9", "escape")  # answered a question: the call has begun
        assert isinstance(app.screen, TextPrompt)


async def test_keys_typed_on_after_an_outcome_are_not_a_second_choice(db) -> None:
    """Two outcome keys in one burst closed the picker twice: the second closed the call screen under it (which
    left a blank screen and crashed at sign-off)."""
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o")
        await burst_to_screen(pilot, "mrra")  # queued at once, as a terminal delivers a burst: all reach the picker
        assert isinstance(app.screen, OperatorHome)
        assert "Saved: Voicemail · Anna Smirnova" in text(pilot, "#console-main")
        assert len(app.screen_stack) == 2  # the console over the app's default screen, nothing else


async def test_nobody_answered_after_answers_were_typed_is_asked_twice_and_drops_them(db) -> None:
    anna = nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "enter", "3", "o", "m")  # NPS 3 typed, then Voicemail: a slip of the hand
        assert isinstance(app.screen, OutcomePicker)
        assert "nobody answered: the answer typed is dropped. m again saves it" in text(pilot, "#outcome-confirm")
        await pilot.pause(SETTLE_S)
        await keys("m")
        assert isinstance(app.screen, OperatorHome)
        main = text(pilot, "#console-main")
        assert "Saved: Voicemail · Anna Smirnova" in main and "Task opened" not in main
        assert "How likely" not in main  # the answer dropped is not shown as if saved
    (call,) = cards.load_card(db, actor(db, "op01"), anna, now=MONDAY).history
    assert (call.outcome, call.nps, call.answers) == ("VOICEMAIL", None, [])


async def test_a_callback_nobody_answered_says_when_it_comes_back(db) -> None:
    from operator_tui.services import queue
    from tests.queue.helpers import record

    anna = nps_customers(db)
    op01 = actor(db, "op01")
    earlier = MONDAY - timedelta(minutes=30)
    claim = queue.next_customer(db, op01, now=earlier)
    assert claim.customer_id == anna
    record(db, op01, claim, "CALLBACK", now=earlier, callback_at=MONDAY - timedelta(minutes=1))
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.claim.callback_id is not None
        await keys("o", "u")  # busy: the callback stays open and is put off
        main = " ".join(text(pilot, "#console-main").split())
        assert "Saved: Busy · Anna Smirnova" in main and "Next call Mon 23 Nov" in main


async def test_a_double_tap_or_a_burst_does_not_answer_the_question_to_choose_again(db) -> None:
    """Do-not-call is for good, and "nobody answered" drops the answers: the question to choose again is answered
    only by a key pressed after it could be read, not by a bounce or the next key of a burst."""
    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o")
        await burst_to_screen(pilot, "dd")
        assert isinstance(app.screen, OutcomePicker)  # asked, not saved
        await keys("escape", "enter", "3", "o")  # an answer typed, then No answer and a neighbour in one burst
        await burst_to_screen(pilot, "mr")
        assert isinstance(app.screen, OutcomePicker)
        assert "Voicemail means nobody answered" in text(pilot, "#outcome-confirm")
        await pilot.pause(SETTLE_S)
        await keys("r")  # read, then another outcome chosen on purpose: saved
        assert "Saved: Refused · Anna Smirnova" in text(pilot, "#console-main")


async def test_f1_opens_help_over_a_dialog_too(db) -> None:
    from operator_tui.tui.screens.help import HelpScreen

    nps_customers(db)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o")
        assert "Help" in text(pilot, "OutcomePicker KeyBar")
        await keys("f1")
        assert isinstance(app.screen, HelpScreen)
        await keys("escape")
        assert isinstance(app.screen, OutcomePicker)  # back to choosing, nothing saved


async def test_a_wrong_number_is_struck_off_and_the_next_call_dials_the_other(db) -> None:
    add(db, "Olga", "Orlova", "+74950000009", value_tier="A", alt_phone="+74957770001")
    place_all(db, MONDAY)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o", "w")
        assert isinstance(app.screen, NumberedChoice)  # dialled by hand: which number was it?
        await keys("escape")
        assert isinstance(app.screen, OutcomePicker)  # back to the outcomes, nothing saved
        await keys("w", "1")
        assert isinstance(app.screen, OperatorHome)
        said = " ".join(text(pilot, "#console-main").split())
        assert "Saved: Wrong number · Olga Orlova" in said
        assert "+7 495 000-00-09 is marked wrong; the next call goes to their other number" in said
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.card.name == "Olga Orlova"
        assert app.screen.card.phones == ["+74957770001"]
        card = " ".join(text(pilot, "#card-text").split())
        assert "☎ +7 495 777-00-01" in card and "+7 495 000-00-09 wrong number" in card


async def test_the_other_number_chosen_as_wrong_keeps_the_main_one(db) -> None:
    olga = add(db, "Olga", "Orlova", "+74950000009", value_tier="A", alt_phone="+74957770001")
    place_all(db, MONDAY)
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n", "o", "w", "2")
        assert "+7 495 777-00-01 is marked wrong" in " ".join(text(pilot, "#console-main").split())
    assert cards.load_card(db, actor(db, "op01"), olga, now=MONDAY).phones == ["+74950000009"]


async def test_a_wrong_last_number_on_a_callback_says_the_callback_is_cancelled(db) -> None:
    add(db, "Olga", "Orlova", "+74950000009", value_tier="A")
    earlier = MONDAY - timedelta(hours=1)
    place_all(db, earlier)
    claim = queue.next_customer(db, actor(db, "op02"), now=earlier)
    record(db, actor(db, "op02"), claim, "CALLBACK", now=earlier, callback_at=earlier + timedelta(minutes=30),
           callback_personal=False)  # fmt: skip
    app = console_app(db)
    async with app.run_test(size=SMALL) as pilot:
        keys = await signed_in(pilot)
        await keys("n")
        assert isinstance(app.screen, CallScreen) and app.screen.claim.callback_id is not None
        await keys("o", "w")  # their last number: asked again, as it takes them out of the queue
        assert isinstance(app.screen, OutcomePicker)
        assert (
            "Wrong number marks +7 495 000-00-09, the last number of Olga Orlova's, as not theirs: they leave the "
            "queue until someone gives them another. w again saves it." in text(pilot, "#outcome-confirm")
        )
        await pilot.pause(SETTLE_S)
        await keys("w")
        assert isinstance(app.screen, OperatorHome)
        said = " ".join(text(pilot, "#console-main").split())
        assert "+7 495 000-00-09 is marked wrong; no number of theirs is left to call" in said
        assert "Their open callback is cancelled" in said
