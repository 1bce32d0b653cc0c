"""The console's pure parts: the script walk, digit entry, callback times, settings, the dial command, clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from operator_tui.core.answers import AnswerError
from operator_tui.core.playbook import Script
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services.playbooks import check_file
from operator_tui.tui.clock import elapsed, local_midnight, until
from operator_tui.tui.dialer import DialError, dial_argv
from operator_tui.tui.screens.callback import NEXT_YEAR, TOMORROW, Typed, parse_when, shown
from operator_tui.tui.script_state import ScriptRun, wants_more_digits
from operator_tui.tui.settings import Settings, parse_settings

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def nps() -> Script:
    return check_file(DEFAULT_PLAYBOOK).script("nps-survey")


def test_the_walk_branches_on_answers_and_goes_back(nps: Script) -> None:
    run = ScriptRun(nps)
    assert run.node.id == "hello"
    run.proceed()
    assert run.answer("3") == 3
    assert run.answer("2") == "quality"
    assert run.answer("n") is False
    assert run.node.id == "improve"  # a detractor
    assert run.back() and run.node.id == "contact-ok"
    assert run.back() and run.node.id == "reason"
    assert run.back() and run.node.id == "nps"
    assert run.previous() == 3
    run.answer("9")
    run.answer(run.values["reason"])
    run.answer("yes")
    assert run.at_end and run.node.id == "thanks"
    assert run.typed_answers() == {"nps": "9", "reason": "quality", "contact-ok": "yes"}  # "improve" is off the path
    assert run.back() and run.node.id == "contact-ok"
    assert run.back() and run.back() and run.node.id == "nps"
    assert run.back() and run.node.id == "hello"
    assert not run.back()


def test_refused_answers_change_nothing(nps: Script) -> None:
    run = ScriptRun(nps)
    with pytest.raises(AnswerError):
        run.answer("5")  # a line to read is not answered
    run.proceed()
    for bad, why in (("11", "11 is outside 0..10"), ("", "an answer is required"), ("x", "whole number")):
        with pytest.raises(AnswerError, match=why):
            run.answer(bad)
        assert run.node.id == "nps" and run.values == {}


def test_a_draft_is_walked_back_to_where_it_stopped(nps: Script) -> None:
    run = ScriptRun(nps)
    assert run.restore({"nps": "4", "reason": "price"}) == 2
    assert run.node.id == "contact-ok" and run.position == 2
    assert ScriptRun(nps).restore({}) == 0
    broken = ScriptRun(nps)
    assert broken.restore({"nps": "12", "reason": "price"}) == 0 and broken.node.id == "nps"


def test_digits_wait_only_while_a_longer_number_fits(nps: Script) -> None:
    question = nps.node("nps")
    assert wants_more_digits(question, "1")  # could be 10
    assert not wants_more_digits(question, "0") and not wants_more_digits(question, "2")
    assert not wants_more_digits(question, "10") and not wants_more_digits(question, "11")
    assert not wants_more_digits(nps.node("reason"), "1")  # five options
    assert not wants_more_digits(nps.node("contact-ok"), "1")


def test_callback_times_are_read_in_the_customers_zone() -> None:
    zone = ZoneInfo("Asia/Vladivostok")  # 17:00 there
    assert parse_when("18:30", NOW, zone) == Typed(datetime(2026, 11, 23, 18, 30, tzinfo=zone))
    assert parse_when("09:00", NOW, zone) == Typed(datetime(2026, 11, 24, 9, 0, tzinfo=zone), TOMORROW)
    assert parse_when(" 2026-12-01  10:00 ", NOW, zone) == Typed(datetime(2026, 12, 1, 10, 0, tzinfo=zone))
    # As Russian speakers write a date: day.month, with or without the year (a day gone this year is next year's,
    # and said to be).
    assert parse_when("03.12 15:00", NOW, zone) == Typed(datetime(2026, 12, 3, 15, 0, tzinfo=zone))
    assert parse_when("3.12.2026 15:00", NOW, zone) == Typed(datetime(2026, 12, 3, 15, 0, tzinfo=zone))
    assert parse_when("20.11 10:00", NOW, zone) == Typed(datetime(2027, 11, 20, 10, 0, tzinfo=zone), NEXT_YEAR)
    with pytest.raises(ValueError, match=r"no such date or time as 31\.02 10:00"):
        parse_when("31.02 10:00", NOW, zone)
    with pytest.raises(ValueError, match="no such date or time as 25:00"):
        parse_when("25:00", NOW, zone)
    with pytest.raises(ValueError, match="no such date or time as 2026-13-01 10:00"):
        parse_when("2026-13-01 10:00", NOW, zone)
    with pytest.raises(ValueError, match="has passed"):
        parse_when("2026-11-23 16:59", NOW, zone)
    with pytest.raises(ValueError, match=r"like 15:30, tomorrow 15:30, 23\.11 15:30 or 2026-11-23 15:30"):
        parse_when("tomorrow", NOW, zone)
    # The day said as a word, in either language, on their calendar (Monday 23 November there).
    assert parse_when("Tomorrow 10:00", NOW, zone) == Typed(datetime(2026, 11, 24, 10, 0, tzinfo=zone))
    assert parse_when("завтра 9:30", NOW, zone) == Typed(datetime(2026, 11, 24, 9, 30, tzinfo=zone))
    assert parse_when("послезавтра 12:00", NOW, zone) == Typed(datetime(2026, 11, 25, 12, 0, tzinfo=zone))
    assert parse_when("today 19:00", NOW, zone) == Typed(datetime(2026, 11, 23, 19, 0, tzinfo=zone))
    with pytest.raises(ValueError, match="has passed"):  # today said, today meant: never rolled to tomorrow
        parse_when("сегодня 16:00", NOW, zone)
    with pytest.raises(ValueError, match="no such date or time as tomorrow 24:30"):
        parse_when("tomorrow 24:30", NOW, zone)
    with pytest.raises(ValueError, match="like 15:30"):  # not a day's word
        parse_when("someday 10:00", NOW, zone)


def test_a_callback_moment_shows_its_year_only_when_not_this_one() -> None:
    zone = ZoneInfo("Asia/Vladivostok")
    assert shown(datetime(2026, 12, 3, 15, 0, tzinfo=zone), NOW) == "Thu 03 Dec 15:00"
    assert shown(datetime(2027, 11, 20, 10, 0, tzinfo=zone), NOW) == "Sat 20 Nov 2027 10:00"


def test_settings_file() -> None:
    assert parse_settings("").settings == Settings()
    loaded = parse_settings("dial_command: linphonecsh dial {phone}\n")
    assert loaded.settings.dial_command == "linphonecsh dial {phone}" and loaded.problems == []
    assert "not valid YAML" in parse_settings("dial_command: [x\n").problems[0]
    assert "dial_commnd" in parse_settings("dial_commnd: x\n").problems[0]
    assert "cannot split" in parse_settings("dial_command: 'softphone \"dial'\n").problems[0]
    assert "must map" in parse_settings("- x\n").problems[0]


def test_the_dial_command_never_goes_through_a_shell() -> None:
    assert dial_argv("linphonecsh dial {phone}", "+74950000001") == ["linphonecsh", "dial", "+74950000001"]
    assert dial_argv("softphone --call", "+7495; rm -rf /") == ["softphone", "--call", "+7495; rm -rf /"]
    assert dial_argv("sp 'tel:{phone}'", "+1") == ["sp", "tel:+1"]
    with pytest.raises(DialError):
        dial_argv("  ", "+1")


def test_clock_texts() -> None:
    assert elapsed(None, NOW) == "0:00"
    assert elapsed(NOW - timedelta(seconds=75), NOW) == "1:15"
    assert elapsed(NOW - timedelta(hours=1, seconds=5), NOW) == "1:00:05"
    assert elapsed(NOW + timedelta(seconds=5), NOW) == "0:00"
    assert until(NOW + timedelta(minutes=130), NOW) == "in 2 h 10 min"
    assert until(NOW + timedelta(seconds=61), NOW) == "in 2 min"
    assert until(NOW, NOW) == "now"
    assert until(NOW + timedelta(days=3), NOW) == "in 3 days"
    moscow = ZoneInfo("Europe/Moscow")
    assert local_midnight(NOW, moscow) == datetime(2026, 11, 23, tzinfo=moscow)


def test_an_empty_queue_is_explained_in_the_interface_language() -> None:
    from operator_tui.services.queue_explain import EmptyReasons
    from operator_tui.tui import i18n
    from operator_tui.tui.widgets.console_panel import reasons_text

    why = EmptyReasons(window_closed=3, held=1, leased=5)
    assert reasons_text(why) == (
        "3 customers wait for their calling window; 1 waits for a scheduled callback; "
        "5 are on other operators' screens."
    )
    i18n.set_language("ru")
    assert reasons_text(why) == (
        "3 клиента ждут своего окна звонков; 1 ждёт назначенного перезвона; 5 — у других операторов."
    )
    assert reasons_text(EmptyReasons()) == "Очередь пуста."


def test_a_refused_answer_is_explained_in_the_interface_language(nps: Script) -> None:
    from operator_tui.core.answers import parse_answer
    from operator_tui.tui import i18n
    from operator_tui.tui.widgets.script_runner import _refusal

    question = nps.node("nps")
    with pytest.raises(AnswerError) as refused:
        parse_answer(question, "11")
    assert _refusal(question, "11", refused.value).startswith("Not accepted: 11 is outside 0–10.")
    i18n.set_language("ru")
    assert _refusal(question, "11", refused.value).startswith("Не принято: 11 — вне диапазона 0–10.")


def test_past_questions_are_cut_to_the_cards_width_never_wrapped(db, operator) -> None:
    """A cut question used to wrap its last letters and the ellipsis onto a line of their own ("m…")."""
    from dataclasses import replace

    from rich.cells import cell_len

    from operator_tui.services.cards import PastCall, load_card
    from operator_tui.tui.widgets.customer_card import card_content
    from tests.tui.console import add

    card = load_card(db, operator, add(db, "Anna", "Long", "+74950000077"))
    question = "How likely are you to recommend our company and its many services to a friend or a colleague?"
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    past = PastCall(at, "REACHED", "Reached", "Operator 1", None, 9, None, [(question, "9"), (question, "x" * 30)])
    card = replace(card, history=[past])
    for width in (40, 46, 60, 200):
        answers = [line for line in card_content(card, UTC, width).plain.splitlines() if line.startswith("    ")]
        assert len(answers) == 2 and all(cell_len(line) <= width for line in answers), (width, answers)
    wide, narrow = card_content(card, UTC, 200).plain, card_content(card, UTC, 40).plain
    assert wide.count(question) == 2 and "    9  How likely" in narrow and narrow.count("…") == 1
    assert "    " + "x" * 30 + "\n" in narrow + "\n"  # no room beside this answer: the answer alone


def test_a_stored_yes_or_no_reads_in_the_ui_language() -> None:
    """Past calls' yes/no answers are stored as the words yes and no; the history and the review say them in the
    interface's language (the Russian UI showed "yes" among Russian labels)."""
    from operator_tui.tui import i18n
    from operator_tui.tui.stored import said_answer

    i18n.set_language("ru")
    try:
        assert [said_answer(a) for a in ("yes", "no", "Product quality")] == ["да", "нет", "Product quality"]
    finally:
        i18n.set_language("en")
    assert said_answer("yes") == "yes"


def test_the_card_gives_callbacks_in_their_time_and_marks_what_is_overdue(db, operator) -> None:
    """A callback is promised in the customer's time (the callback dialog sets it so): the card says it so, not in
    the operator's clock without a word; a callback or task past its due time says it is overdue."""
    from dataclasses import replace

    from operator_tui.services.cards import load_card
    from operator_tui.tui.widgets.customer_card import card_content
    from tests.tui.console import add

    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 11:00 in Samara
    card = load_card(db, operator, add(db, "Anna", "Late", "+78462000077"), now=now)
    samara = ZoneInfo("Europe/Samara")
    card = replace(
        card,
        local_time=now.astimezone(samara),
        open_callbacks=[
            (1, datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "op06"),
            (4, datetime(2026, 11, 23, 6, 0, tzinfo=UTC), None),
        ],
        open_tasks=[
            (2, "Resolve a complaint", now - timedelta(days=3)),
            (3, "Follow up a detractor", now + timedelta(days=1)),
        ],
    )
    text = card_content(card, ZoneInfo("Europe/Moscow")).plain
    assert "Callback due Mon 23 Nov 13:00 their time (promised by op06)\n" in text
    assert "Callback due Mon 23 Nov 10:00 their time (anyone) overdue" in text
    assert "Task Resolve a complaint, due Fri 20 Nov 10:00 your time overdue" in text
    assert "Task Follow up a detractor, due Tue 24 Nov 10:00 your time\n" in text
    assert "No offers" not in text
    mine = replace(card, open_callbacks=[(5, datetime(2026, 11, 23, 9, 0, tzinfo=UTC), operator.login)])
    assert "Callback due Mon 23 Nov 13:00 their time (yours)\n" in card_content(mine, samara).plain
    refused = replace(card, variables={**card.variables, "consent": False})
    assert "No offers: they said no to being contacted about offers" in card_content(refused, samara).plain


def test_the_stacked_card_says_why_first_and_less_per_line(db, operator) -> None:
    """On a small terminal the card sits over the script with a few lines: the number, then why they are called
    (the callback), then their time with the city alone, stage and strategy on one line without their goals."""
    from dataclasses import replace

    from operator_tui.services.cards import load_card
    from operator_tui.tui.widgets.customer_card import card_content
    from tests.tui.console import add

    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    card = load_card(db, operator, add(db, "Anna", "Soon", "+78462000078"), now=now)
    card = replace(card, open_callbacks=[(1, now + timedelta(hours=2), "op06")], city="Samara", place="Samara, Oblast")
    wide = card_content(card, ZoneInfo("Europe/Moscow")).plain.splitlines()
    lines = card_content(card, ZoneInfo("Europe/Moscow"), compact=True).plain.splitlines()
    assert lines[0].startswith("☎ +7 846") and lines[1].startswith("Callback due")
    assert " their time · Samara · window open" in lines[2]
    assert f"{card.time_zone} · Samara, Oblast" in wide[2] and card.time_zone not in lines[2]
    assert lines[3] == f"Stage {card.stage_label} · strategy {card.strategy_label}"
    assert card.stage_goal and card.stage_goal in "\n".join(wide) and card.stage_goal not in "\n".join(lines)
    assert len(lines) < len(wide)


def test_a_wrapped_question_keeps_its_indent() -> None:
    from operator_tui.tui.fit import hang

    question = "Would a 15 % discount on the next order bring you back?"
    assert hang(question, 2, 46) == ["  Would a 15 % discount on the next order", "  bring you back?"]
    assert hang(question, 2, None) == ["  " + question]  # not laid out yet: one line
    assert hang("Перезвонить после обеда, когда будет удобно", 4, 30) == [
        "    Перезвонить после обеда,",
        "    когда будет удобно",
    ]
    path = "rec/2026/12/01/5e9a5f82-705c-1723-1720-88cec288e426.ogg"
    assert hang(path, 10, 46) == [" " * 10 + path[:36], " " * 10 + path[36:]]  # a word too long is cut to fit


def test_a_date_before_the_customers_day_is_refused_where_the_script_says_so() -> None:
    script = Script.model_validate(
        {
            "id": "trial",
            "nodes": [
                {"id": "start", "ask": "From what date?", "type": "date", "required": True, "min": 0, "next": "bye"},
                {"id": "bye", "say": "Thanks", "end": True},
            ],
        }
    )
    run = ScriptRun(script, today=datetime(2026, 12, 2).date())
    with pytest.raises(AnswerError, match="2026-12-02 or later"):
        run.answer("2025-12-02")
    assert run.node.id == "start" and run.answers() == {}  # nothing taken
    run.answer("2026-12-03")
    assert run.at_end


def test_search_results_line_up_in_columns_cut_to_the_room() -> None:
    from rich.cells import cell_len

    from operator_tui.services.search import Found
    from operator_tui.tui.screens.search import result_lines

    found = [
        Found(
            1, "Иванова Варвара Святославовна", "+73838982125", "Новосибирск, Новосибирская область", "Retention", False
        ),
        Found(2, "Ли Ан", "+74950000001", "Москва, Москва", "First contact", True),
    ]
    lines = [line.plain for line in result_lines(found, 74)]
    assert all(cell_len(line) <= 74 for line in lines)
    assert lines[0].index("+7 383") == lines[1].index("+7 495")  # the phones in one column
    assert lines[1].endswith("DO NOT CALL") and "Москва" not in lines[1]  # whole, in place of where they are
    assert "Новосибирск" in lines[0] and lines[0].endswith("…")
    wide = [line.plain for line in result_lines(found, 0)]  # the room not known yet: nothing cut
    assert wide[0].endswith("Новосибирск, Новосибирская область")
