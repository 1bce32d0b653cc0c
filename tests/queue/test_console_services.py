"""What the operator console reads and writes: card, drafts, state and figures, search, inbound, queue preview."""

import uuid
from datetime import timedelta

import pytest

from operator_tui.core.queue_rules import Tier
from operator_tui.services import cards, drafts, operators, queue, search
from operator_tui.services.errors import InvalidInput, ServiceError
from operator_tui.services.queue import WORK_READ
from operator_tui.services.queue_explain import preview
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, add_customer, place_all, record


def test_card_has_what_a_call_needs(db, operator):
    cid = add_customer(
        db,
        stage="retention",
        zone="Asia/Vladivostok",
        first_name="Анна",
        last_name="Смирнова",
        city="Владивосток",
        notes="Prefers afternoons",
    )
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    record(db, operator, claim, "CALLBACK", callback_at=MONDAY + timedelta(hours=2), note="busy now")
    card = cards.load_card(db, operator, cid, now=MONDAY)
    assert card.name == "Анна Смирнова" and card.place == "Владивосток"
    assert card.local_time.hour == 17 and card.window_open  # 17:00 in Vladivostok, window till 20:00
    assert card.window_change is not None and card.window_change.astimezone(card.local_time.tzinfo).hour == 20
    assert (card.stage, card.stage_label, card.strategy_id) == ("retention", "Retention", "retention-nps")
    assert [o.code for o in card.outcomes] == [
        "SURVEYED",
        "REFERRAL",
        "CALLBACK",
        "NOANSWER",
        "BUSY",
        "VOICEMAIL",
        "REFUSED",
        "CHURNED",
        "COMPLAINT",
        "WRONGNUMBER",
        "DNC",
    ]
    assert card.history[0].outcome == "CALLBACK" and card.history[0].note == "busy now"
    assert card.open_callbacks and card.open_callbacks[0][2] == "op01"
    hello = card.script.start
    assert card.text(hello.say).startswith("Good afternoon, Анна! This is Operator")
    assert card.notes == "Prefers afternoons"


def test_card_in_russian_for_a_russian_speaking_operator(db, operator):
    from dataclasses import replace

    cid = add_customer(db, stage="retention", first_name="Анна", zone="Europe/Moscow")
    card = cards.load_card(db, replace(operator, language="ru"), cid, now=MONDAY)
    assert card.stage_label == "Удержание"
    assert card.text(card.script.start.say).startswith("Доброе утро, Анна!")  # 10:00 in Moscow
    evening = cards.load_card(db, replace(operator, language="ru"), cid, now=MONDAY + timedelta(hours=9))
    assert evening.text(evening.script.start.say).startswith("Добрый вечер, Анна!")  # 19:00


def test_the_greeting_is_said_by_the_customers_hour(db, operator):
    moscow = add_customer(db, stage="retention", first_name="Ivan", zone="Europe/Moscow")
    vladivostok = add_customer(db, stage="retention", first_name="Anna", zone="Asia/Vladivostok")
    said = {cid: cards.load_card(db, operator, cid, now=MONDAY) for cid in (moscow, vladivostok)}
    assert said[moscow].text(said[moscow].script.start.say).startswith("Good morning, Ivan!")  # 10:00 there
    assert said[vladivostok].text(said[vladivostok].script.start.say).startswith("Good afternoon, Anna!")  # 17:00


def test_drafts_survive_and_are_replaced_on_save(db, operator):
    cid = add_customer(db, stage="retention")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    attempt = str(uuid.uuid4())
    drafts.save(
        db, operator, attempt_id=attempt, customer_id=cid, node_id="nps", question_type="nps", typed=7, position=0
    )
    drafts.save(
        db, operator, attempt_id=attempt, customer_id=cid, node_id="nps", question_type="nps", typed=9, position=0
    )
    drafts.save(
        db,
        operator,
        attempt_id=attempt,
        customer_id=cid,
        node_id="reason",
        question_type="single",
        typed="quality",
        position=1,
    )
    found = drafts.find(db, operator, cid)
    assert found is not None and found.attempt_id == attempt and found.answers == {"nps": "9", "reason": "quality"}
    assert drafts.find(db, actor(db, "op02"), cid) is None  # another operator's drafts are not theirs
    from operator_tui.services import calls

    calls.record_outcome(
        db,
        operator,
        calls.OutcomeInput.for_claim(claim, attempt, "SURVEYED", answers=NPS_ANSWERS, drafts_saved=True),
        now=MONDAY,
    )
    assert drafts.find(db, operator, cid) is None


def test_operator_state_and_todays_figures(db, operator):
    since = operators.set_state(db, operator, "ready", now=MONDAY)
    assert since == MONDAY
    with pytest.raises(InvalidInput, match="a pause needs a reason: BREAK"):
        operators.set_state(db, operator, "paused", now=MONDAY)
    operators.set_state(db, operator, "paused", reason="LUNCH", now=MONDAY)
    cid = add_customer(db, stage="retention")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    record(db, operator, claim, "SURVEYED", answers=NPS_ANSWERS)
    assert claim.customer_id == cid
    figures = operators.today(db, operator, MONDAY - timedelta(hours=7), now=MONDAY + timedelta(minutes=1))
    assert (figures.calls, figures.reached, figures.conversions, figures.nps) == (1, 1, 1, 100.0)  # one promoter


def test_a_state_taken_up_again_keeps_when_it_began(db, operator):
    operators.set_state(db, operator, "on call", now=MONDAY)
    operators.set_state(db, operator, "wrap-up", now=MONDAY + timedelta(minutes=3))
    later = MONDAY + timedelta(minutes=4)
    with pytest.raises(InvalidInput, match="cannot begin in the future"):
        operators.set_state(db, operator, "on call", since=later + timedelta(seconds=1), now=later)
    assert operators.set_state(db, operator, "on call", since=MONDAY, now=later) == MONDAY
    assert operators.set_state(db, operator, "on call", now=later + timedelta(minutes=1)) == MONDAY  # unchanged


def test_search_by_phone_in_any_format_and_by_name(db, operator):
    cid = add_customer(db, first_name="Ольга", last_name="Сидорова")
    with db.read() as s:
        from operator_tui.store.tables import Customer

        phone = s.get(Customer, cid).phone
    national = "8 " + phone[2:5] + " " + phone[5:]
    assert [f.customer_id for f in search.search(db, operator, national)] == [cid]
    written = f"+7 ({phone[2:5]}) {phone[5:8]}-{phone[8:10]}-{phone[10:]}"  # as people write it: +7 (812) 778-58-42
    assert [f.customer_id for f in search.search(db, operator, written)] == [cid]
    assert [f.customer_id for f in search.search(db, operator, written[3:])] == [cid]  # (812) 778-58-42
    assert [(f.customer_id, f.stage) for f in search.search(db, operator, "сидор")] == [(cid, "First contact")]
    assert [f.customer_id for f in search.search(db, operator, "Сидорова Ольга")] == [cid]
    assert [f.customer_id for f in search.search(db, operator, "ольга сидорова")] == [cid]  # first name first
    namesake = add_customer(db, first_name="Сидорова", last_name="Ольга")  # both orders match: each found once
    assert sorted(f.customer_id for f in search.search(db, operator, "Ольга Сидорова")) == sorted([cid, namesake])
    assert search.search(db, operator, "Петров") == []
    assert search.search(db, operator, "x") == []


def test_inbound_takes_the_customer_even_out_of_the_queue_and_records_inbound(db, operator):
    cid = add_customer(db, stage="disqualified")  # no strategy would ever call them
    claim = queue.take_customer(db, operator, cid, now=MONDAY)
    assert claim.tier is Tier.INBOUND
    with pytest.raises(ServiceError, match="Another operator has this customer"):
        queue.take_customer(db, actor(db, "op02"), cid, now=MONDAY)
    record(db, operator, claim, "NOTNOW")
    from sqlmodel import select

    from operator_tui.store.tables import Interaction

    with db.read() as s:
        assert s.exec(select(Interaction)).one().direction == "inbound"


def test_preview_counts_and_lists_the_next_few(db, operator):
    for tier in ("A", "B", "C"):
        add_customer(db, tier=tier, first_name=f"Tier{tier}")
    place_all(db)
    shown = preview(db, operator, now=MONDAY, count=2)
    assert shown.depths["fresh"] == 3 and shown.depths["due"] == 0
    assert [u.name for u in shown.upcoming] == ["TierA Customer", "TierB Customer"]
    assert all(u.tier == "fresh" for u in shown.upcoming)


def test_preview_says_when_a_small_tier_has_more_than_it_read(db, operator):
    def callbacks(count: int) -> None:
        for n in range(count):
            add_customer(db, first_name=f"Later{n}")
        place_all(db)
        for _ in range(count):
            claim = queue.next_customer(db, operator, now=MONDAY)
            record(db, operator, claim, "CALLBACK", callback_at=MONDAY + timedelta(hours=1))

    callbacks(10)
    shown = preview(db, operator, now=MONDAY + timedelta(hours=2))
    assert shown.depths["own-callback"] == 10 and not shown.more  # counted, not the claim's eight: "10"
    callbacks(WORK_READ)  # more than one read gives: "64+"
    shown = preview(db, operator, now=MONDAY + timedelta(hours=2))
    assert shown.depths["own-callback"] == WORK_READ and "own-callback" in shown.more and "fresh" not in shown.more
