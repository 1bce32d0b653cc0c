"""Recording an outcome: all of it in one transaction, or nothing; idempotent; refused when the lease is gone."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services import calls, cards, customer_phones, playbooks, queue, queue_explain
from operator_tui.services.errors import InvalidInput
from operator_tui.store.tables import (
    Answer,
    AuditEntry,
    Callback,
    ContactPermission,
    Customer,
    Interaction,
    QueueEntry,
    StageChange,
    Task,
)
from tests.conftest import actor
from tests.queue.helpers import MONDAY, NPS_ANSWERS, add_customer, entry_of, place_all, record


def count(db, table) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(table)).one()


def claimed(db, operator, **customer):
    cid = add_customer(db, **customer)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    assert claim.customer_id == cid
    return claim


def test_a_survey_is_saved_whole_and_the_customer_waits_for_the_cadence(db, operator):
    claim = claimed(db, operator, stage="retention", last_purchase_at=MONDAY - timedelta(days=10))
    result = record(db, operator, claim, "SURVEYED", answers=NPS_ANSWERS, note="happy")
    with db.read() as s:
        call = s.exec(select(Interaction)).one()
        assert (call.outcome_code, call.nps, call.reached, call.success) == ("SURVEYED", 9, True, True)
        answers = {a.node_id: (a.value_text, a.final, a.interaction_id) for a in s.exec(select(Answer))}
        assert answers == {
            "nps": ("9", True, call.id),
            "reason": ("quality", True, call.id),
            "contact-ok": ("yes", True, call.id),
        }
        customer = s.get(Customer, claim.customer_id)
        assert (customer.last_nps, customer.last_contact_at) == (9, MONDAY)
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "call.record")).one()
    entry = entry_of(db, claim.customer_id)
    assert (entry.phase, entry.leased_by, entry.attempts_total) == ("wait", None, 1)
    assert entry.ready_at == MONDAY + timedelta(days=90)  # retention-nps: cadence 90d
    assert result.next_phase == "wait" and not result.duplicate


def test_the_same_attempt_saved_twice_is_recorded_once(db, operator):
    claim = claimed(db, operator, stage="retention")
    data = calls.OutcomeInput.for_claim(claim, "attempt-1", "SURVEYED", answers=NPS_ANSWERS)
    first = calls.record_outcome(db, operator, data, now=MONDAY)
    again = calls.record_outcome(db, operator, data, now=MONDAY + timedelta(seconds=5))
    assert again.duplicate and again.interaction_id == first.interaction_id
    assert count(db, Interaction) == 1 and count(db, Answer) == 3


def test_a_lost_lease_is_refused_and_nothing_is_written(db, operator):
    claim = claimed(db, operator)
    late = claim.lease_expires_at + timedelta(seconds=1)
    other = queue.next_customer(db, actor(db, "op02"), now=late)  # the lease expired and was taken over
    assert other.customer_id == claim.customer_id
    with pytest.raises(queue.LeaseLost, match="your answers are kept"):
        record(
            db, operator, claim, "INTERESTED", now=late, answers={"convenient": "y", "need": "1", "offer-consent": "y"}
        )
    assert count(db, Interaction) == 0 and count(db, Answer) == 0
    # An expired lease that nobody took yet is refused too.
    with pytest.raises(queue.LeaseLost):
        record(db, actor(db, "op02"), other, "NOANSWER", now=other.lease_expires_at + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nps": "11", "reason": "1", "contact-ok": "y"}, "nps: 11 is outside 0..10"),
        ({"reason": "1", "contact-ok": "y"}, "nps: an answer is required"),
        ({"nps": "9", "reason": "9", "contact-ok": "y"}, "reason: choose 1..5"),
        ({"nps": "9", "bogus": "1"}, "bogus: not a question of script nps-survey"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(db, operator, answers, message):
    claim = claimed(db, operator, stage="retention")
    with pytest.raises(InvalidInput, match=message) as refused:
        record(db, operator, claim, "SURVEYED", answers=answers)
    assert refused.value.unanswered == (["nps"] if "required" in message else [])
    assert count(db, Interaction) == 0
    assert entry_of(db, claim.customer_id).leased_by == operator.user_id  # still theirs: fix and save again
    record(db, operator, claim, "SURVEYED", answers=NPS_ANSWERS)
    assert count(db, Interaction) == 1


def test_a_no_to_offers_is_saved_as_consent_and_keeps_offer_strategies_away(db, operator):
    """The survey's "may we contact you about offers?" is the customer's consent: a no is logged, and win-back
    (an offer) no longer takes them; a yes, the same customer otherwise, goes on to win-back."""
    sleeping = {"stage": "retention", "last_purchase_at": MONDAY - timedelta(days=200)}
    said_no = record(
        db, operator, claimed(db, operator, **sleeping), "SURVEYED", answers={**NPS_ANSWERS, "contact-ok": "n"}
    )
    said_yes = record(db, operator, claimed(db, operator, **sleeping), "SURVEYED", answers=NPS_ANSWERS)
    assert said_yes.next_strategy == "win-back"
    assert said_no.next_strategy == "retention-nps"  # the next survey, after its cadence
    with db.read() as s:
        no, yes = s.exec(select(Customer).order_by(col(Customer.id))).all()
        assert (no.consent, yes.consent) == (False, True)
        logged = s.exec(select(ContactPermission).where(ContactPermission.kind == "consent")).all()
    assert sorted((p.customer_id, p.granted, p.source) for p in logged) == [
        (no.id, False, "outcome"),
        (yes.id, True, "outcome"),
    ]
    assert all(p.interaction_id is not None for p in logged)


def test_answers_on_a_call_nobody_answered_are_refused(db, operator):
    """A voicemail after the survey (a stray key) would count its NPS and open a detractor follow-up."""
    claim = claimed(db, operator, stage="retention")
    detractor = {**NPS_ANSWERS, "nps": "3"}
    with pytest.raises(InvalidInput, match="VOICEMAIL means nobody was reached"):
        record(db, operator, claim, "VOICEMAIL", answers=detractor)
    assert count(db, Interaction) == 0 and count(db, Task) == 0
    record(db, operator, claim, "VOICEMAIL")
    assert count(db, Interaction) == 1 and count(db, Answer) == 0 and count(db, Task) == 0


def test_an_outcome_the_strategy_does_not_offer_is_refused(db, operator):
    claim = claimed(db, operator)  # first-contact does not offer SURVEYED
    with pytest.raises(InvalidInput, match="not offered on first-contact"):
        record(db, operator, claim, "SURVEYED")
    with pytest.raises(InvalidInput, match="unknown outcome"):
        record(db, operator, claim, "NOPE")


def test_no_answer_retries_after_its_delay_then_gives_up(db, operator):
    claim = claimed(db, operator)
    now = MONDAY
    for attempt in range(1, 7):
        record(db, operator, claim, "NOANSWER", now=now)
        entry = entry_of(db, claim.customer_id)
        if attempt == 6:
            break
        assert (entry.phase, entry.retries) == ("wait", attempt)
        if attempt % 3:  # first-contact: NOANSWER retries after 2 h ...
            assert entry.ready_at == now + timedelta(hours=2)
        else:  # ... and 3 attempts a day: the next one on the customer's next day
            assert entry.ready_at == (now + timedelta(days=1)).replace(hour=21, minute=0) - timedelta(days=1)
        now = max(entry.ready_at, now.replace(hour=7) + timedelta(days=1) if attempt % 3 == 0 else entry.ready_at)
        claim = queue.next_customer(db, operator, now=now)
        assert claim.customer_id == entry.customer_id
    assert entry is None  # exhausted (max 6), and no other contact strategy
    with db.read() as s:
        done = s.exec(select(QueueEntry)).one()
        assert (done.phase, done.done_reason, done.attempts_total) == ("off", "exhausted", 6)


def test_daily_cap_moves_the_next_try_to_the_customers_next_day(db, operator):
    claim = claimed(db, operator, stage="retention", zone="Asia/Vladivostok")  # retention-nps: 1 a day
    record(db, operator, claim, "BUSY")
    entry = entry_of(db, claim.customer_id)
    # BUSY retries after 20 minutes, but the cap holds it until midnight in Vladivostok (14:00 UTC).
    assert entry.ready_at == MONDAY.replace(hour=14, minute=0)


def test_a_sale_advances_the_stage_with_its_cause(db, operator):
    claim = claimed(db, operator, stage="acquisition")
    result = record(db, operator, claim, "SALE", answers={"listened": "y", "interest": "5", "delivery": "2026-12-01"})
    assert result.stage_after == "conversion"
    with db.read() as s:
        change = s.exec(select(StageChange)).one()
        assert (change.from_stage, change.to_stage, change.cause) == ("acquisition", "conversion", "outcome")
        assert change.interaction_id == s.exec(select(Interaction)).one().id
        assert s.get(Customer, claim.customer_id).stage == "conversion"
    entry = entry_of(db, claim.customer_id)
    assert entry.strategy_id == "onboarding" and entry.phase == "wait"  # onboarding waits 3 days in the stage


def test_churn_from_anywhere(db, operator):
    claim = claimed(db, operator, stage="retention")
    record(db, operator, claim, "CHURNED")
    with db.read() as s:
        assert s.get(Customer, claim.customer_id).stage == "churned"
    assert entry_of(db, claim.customer_id).strategy_id == "win-back"


def test_do_not_call_is_final_everywhere(db, operator):
    claim = claimed(db, operator, stage="retention")
    record(db, operator, claim, "DNC", note="asked never to call")
    with db.read() as s:
        assert s.get(Customer, claim.customer_id).dnc
        assert s.exec(select(ContactPermission)).one().kind == "dnc"
    assert entry_of(db, claim.customer_id) is None
    with pytest.raises(queue.QueueEmpty):
        queue.next_customer(db, operator, now=MONDAY + timedelta(days=100))


def test_complaint_opens_a_task_and_a_detractor_a_follow_up(db, operator):
    claim = claimed(db, operator, stage="retention", last_purchase_at=MONDAY - timedelta(days=10))
    record(
        db,
        operator,
        claim,
        "SURVEYED",
        answers={"nps": "3", "reason": "4", "contact-ok": "y", "improve": "answer the phone"},
    )
    with db.read() as s:
        task = s.exec(select(Task)).one()
        assert (task.kind, task.due_at, task.status) == ("detractor-follow-up", MONDAY + timedelta(hours=48), "open")
    other = claimed(db, operator, stage="retention")
    record(db, operator, other, "COMPLAINT", note="delivery was late")
    with db.read() as s:
        kinds = sorted(t.kind for t in s.exec(select(Task)))
        assert kinds == ["complaint", "detractor-follow-up"]
        assert s.get(Customer, other.customer_id).churn_risk > 0


def test_a_callback_holds_the_customer_and_comes_back_to_its_owner(db, operator):
    claim = claimed(db, operator, stage="retention")
    with pytest.raises(InvalidInput, match="needs a callback time"):
        record(db, operator, claim, "CALLBACK")
    with pytest.raises(InvalidInput, match="must be in the future"):
        record(db, operator, claim, "CALLBACK", callback_at=MONDAY - timedelta(hours=1))
    record(db, operator, claim, "CALLBACK", callback_at=MONDAY + timedelta(hours=3))
    assert entry_of(db, claim.customer_id).phase == "hold"
    with pytest.raises(queue.QueueEmpty, match="scheduled callback"):
        queue.next_customer(db, operator, now=MONDAY + timedelta(hours=1))
    back = queue.next_customer(db, operator, now=MONDAY + timedelta(hours=3))
    assert back.callback_id is not None and back.customer_id == claim.customer_id
    record(db, operator, back, "SURVEYED", now=MONDAY + timedelta(hours=3), answers=NPS_ANSWERS)
    with db.read() as s:
        callback = s.exec(select(Callback)).one()
        assert callback.status == "done" and callback.done_interaction_id is not None


def test_an_unanswered_callback_stays_open_and_comes_back_after_the_retry_delay(db, operator):
    claim = claimed(db, operator, stage="retention")
    record(db, operator, claim, "CALLBACK", callback_at=MONDAY + timedelta(hours=1))
    back = queue.next_customer(db, operator, now=MONDAY + timedelta(hours=1))
    record(db, operator, back, "NOANSWER", now=MONDAY + timedelta(hours=1))
    with db.read() as s:
        callback = s.exec(select(Callback)).one()
        assert (callback.status, callback.due_at) == ("open", MONDAY + timedelta(hours=3))


def test_drafts_are_replaced_by_the_final_answers(db, operator):
    claim = claimed(db, operator, stage="retention")
    attempt = str(uuid.uuid4())
    with db.write() as s:  # what the screen saves while the operator types
        s.add(
            Answer(
                attempt_id=attempt,
                customer_id=claim.customer_id,
                operator_id=operator.user_id,
                node_id="improve",
                question_type="text",
                value_text="draft",
                final=False,
            )
        )
    calls.record_outcome(
        db,
        operator,
        calls.OutcomeInput.for_claim(claim, attempt, "SURVEYED", answers=NPS_ANSWERS, drafts_saved=True),
        now=MONDAY,
    )
    with db.read() as s:
        rows = s.exec(select(Answer).order_by(col(Answer.position))).all()
        assert [a.node_id for a in rows] == ["nps", "reason", "contact-ok"]
        assert all(a.final for a in rows)


def test_a_wrong_number_sends_the_next_call_to_the_other_number_at_once(db, operator, supervisor):
    claim = claimed(db, operator, stage="contact", alt_phone="+74951234567")
    with db.read() as s:
        main = s.get(Customer, claim.customer_id).phone
    saved = record(db, operator, claim, "WRONGNUMBER", phone_dialed=main)
    assert saved.stage_before is None and saved.stage_after == "contact"  # a redial, not a verdict on them
    assert (saved.wrong_phone, saved.phones_left) == (main, 1)
    assert (saved.next_strategy, saved.next_phase, saved.next_ready_at) == (claim.strategy_id, "wait", MONDAY)
    with db.read() as s:
        assert s.get(Customer, claim.customer_id).wrong_phones == main
    again = queue.next_customer(db, operator, now=MONDAY)
    assert again.customer_id == claim.customer_id
    card = cards.load_card(db, operator, again.customer_id, again.strategy_id, now=MONDAY)
    assert (card.phones, card.wrong_phones) == (["+74951234567"], [main])


def test_a_wrong_number_on_the_other_number_marks_that_one(db, operator):
    claim = claimed(db, operator, stage="retention", alt_phone="+74951234567")
    record(db, operator, claim, "WRONGNUMBER", phone_dialed="+74951234567")
    with db.read() as s:
        customer = s.get(Customer, claim.customer_id)
        assert customer.wrong_phones == "+74951234567"
    assert entry_of(db, claim.customer_id).strategy_id == claim.strategy_id


def test_a_wrong_last_number_takes_the_customer_out_of_the_queue_everywhere(db, operator, supervisor):
    claim = claimed(db, operator, stage="contact")
    saved = record(db, operator, claim, "WRONGNUMBER")  # dialled by hand: the number the card offered
    assert saved.stage_after == "disqualified"  # the playbook's advance, now that no number is left
    assert saved.phones_left == 0 and saved.wrong_phone is not None
    with db.read() as s:
        customer = s.get(Customer, claim.customer_id)
        assert customer.wrong_phones == customer.phone
    assert entry_of(db, claim.customer_id) is None
    place_all(db, MONDAY + timedelta(days=1))  # a later import or refill does not bring them back
    assert entry_of(db, claim.customer_id) is None
    why = queue_explain.explain_customer(db, supervisor, claim.customer_id, now=MONDAY)
    assert not why.callable_now
    assert "every phone number is marked wrong" in "\n".join(why.lines)


def test_a_wrong_last_number_cancels_the_callbacks_so_a_new_number_brings_none_back(db, operator, supervisor):
    claim = claimed(db, operator, stage="contact")
    later = MONDAY + timedelta(hours=1)
    record(db, operator, claim, "CALLBACK", callback_at=later, callback_personal=False)
    back = queue.next_customer(db, operator, now=later)
    assert back.callback_id is not None
    saved = record(db, operator, back, "WRONGNUMBER", now=later)
    assert saved.phones_left == 0 and saved.stage_after == "disqualified"
    assert saved.callback_moved_to is None and saved.callbacks_cancelled == 1  # it is not coming back
    with db.read() as s:
        callback = s.get(Callback, back.callback_id)
        assert (callback.status, callback.done_at) == ("cancelled", later)
    customer_phones.set_phones(db, supervisor, claim.customer_id, phone="+74957654321", now=later)
    with db.read() as s:
        assert not s.exec(select(Callback).where(Callback.status == "open")).all()


def test_a_callback_asked_for_by_someone_who_said_no_to_offers_is_rung_without_one(db, operator, admin, tmp_path):
    """A playbook whose survey is an offer too (only for those who have not said no): the survey's own no moves
    the callback asked for on the same call to the win-back calls, which here ask no consent."""
    text = DEFAULT_PLAYBOOK.read_text(encoding="utf-8")
    for old, new in (
        ('    when: "days_since_last_contact == null or days_since_last_contact >= 30"\n',
         '    when: "consent != false and (days_since_last_contact == null or days_since_last_contact >= 30)"\n'),
        ('    when: "consent != false and (days_since_last_purchase == null or days_since_last_purchase >= 120)"\n',
         '    when: "days_since_last_purchase == null or days_since_last_purchase >= 120"\n'),
    ):  # fmt: skip
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "pb.yaml").write_text(text, encoding="utf-8")
    playbooks.load(db, admin, tmp_path / "pb.yaml")
    claim = claimed(db, operator, stage="retention", last_contact_at=MONDAY - timedelta(days=40))
    assert claim.strategy_id == "retention-nps"
    later = MONDAY + timedelta(hours=2)
    answers = {"nps": "8", "reason": "2", "contact-ok": "n"}
    record(db, operator, claim, "CALLBACK", answers=answers, callback_at=later)
    with db.read() as s:
        assert s.exec(select(Callback)).one().strategy_id == "win-back"
    back = queue.next_customer(db, operator, now=later)
    assert (back.customer_id, back.strategy_id) == (claim.customer_id, "win-back")
    assert back.callback_id is not None


def test_a_callback_that_reached_a_wrong_number_comes_back_at_once_for_the_other(db, operator):
    claim = claimed(db, operator, stage="retention", alt_phone="+74951234567")
    later = MONDAY + timedelta(hours=1)
    record(db, operator, claim, "CALLBACK", callback_at=later)
    back = queue.next_customer(db, operator, now=later)
    assert back.callback_id is not None
    saved = record(db, operator, back, "WRONGNUMBER", now=later)
    assert saved.callback_moved_to == later and saved.phones_left == 1
    again = queue.next_customer(db, operator, now=later)
    assert (again.customer_id, again.callback_id) == (claim.customer_id, back.callback_id)
