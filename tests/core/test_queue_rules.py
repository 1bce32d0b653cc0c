"""The queue's pure rules: priority, placement, conditions that become true later, outcomes, explanations."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_tui.core import queue_rules as rules
from operator_tui.core.playbook import parse_playbook
from operator_tui.playbooks import DEFAULT_PLAYBOOK

PB = parse_playbook(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday, 10:00 in Moscow


def facts(**kw) -> rules.Facts:
    return rules.Facts(**{"stage": "contact", "time_zone": "Europe/Moscow", **kw})


def test_higher_value_tier_means_higher_priority():
    strategy = PB.strategy("retention-nps")
    a = rules.static_priority(strategy, facts(value_tier="A"))
    c = rules.static_priority(strategy, facts(value_tier="C"))
    assert a > c


@given(st.floats(0, 1), st.floats(0, 1), st.integers(0, 400), st.integers(0, 400), st.integers(0, 1000))
def test_stored_priority_orders_as_the_waiting_priority_at_any_moment(risk_a, risk_b, age_a, age_b, later):
    """Waiting adds the same to every entry of a strategy, so the stored value never needs rewriting."""
    strategy = PB.strategy("first-contact")  # waiting weight 2
    entered_a, entered_b = NOW - timedelta(days=age_a), NOW - timedelta(days=age_b)
    at = NOW + timedelta(days=later)
    stored_a = rules.stored_priority(strategy, facts(churn_risk=risk_a), entered_a)
    stored_b = rules.stored_priority(strategy, facts(churn_risk=risk_b), entered_b)
    waited_a = rules.static_priority(strategy, facts(churn_risk=risk_a)) + 2 * (at - entered_a).days / 30
    waited_b = rules.static_priority(strategy, facts(churn_risk=risk_b)) + 2 * (at - entered_b).days / 30
    if abs(waited_a - waited_b) > 1e-6:
        assert (stored_a > stored_b) == (waited_a > waited_b)
    assert rules.effective_priority(strategy, stored_a, at) == pytest.approx(waited_a, abs=1e-4)


def test_a_condition_that_becomes_true_later_is_solved_for_its_day():
    win_back = PB.strategy("win-back")  # days_since_last_purchase == null or >= 120
    customer = facts(stage="retention", last_purchase_at=NOW - timedelta(days=100))
    assert rules.condition_time(win_back, customer, 0, NOW) == NOW - timedelta(days=100) + timedelta(days=120)
    assert rules.condition_time(win_back, facts(stage="retention"), 0, NOW) == NOW  # never bought


def test_a_condition_that_never_becomes_true_gives_none():
    loyalty = PB.strategy("loyalty-referral")  # last_nps == null or last_nps >= 9
    assert rules.condition_time(loyalty, facts(stage="loyalty", last_nps=5), 0, NOW) is None


def test_place_picks_the_soonest_strategy_of_the_stage_and_respects_dnc():
    placed = rules.place(PB, facts(stage="retention", last_purchase_at=NOW - timedelta(days=10)), {}, NOW)
    assert placed is not None and (placed.strategy_id, placed.phase) == ("retention-nps", "fresh")
    assert rules.place(PB, facts(stage="retention", dnc=True), {}, NOW) is None
    assert rules.place(PB, facts(stage="disqualified"), {}, NOW) is None  # no strategy works it


def test_place_waits_for_a_condition_and_says_why():
    onboarding = rules.place(PB, facts(stage="conversion", stage_since=NOW - timedelta(days=1)), {}, NOW)
    assert onboarding is not None
    assert (onboarding.phase, onboarding.ready_at) == ("wait", NOW + timedelta(days=2))
    assert "days_in_stage >= 3" in onboarding.reason


def test_lifetime_cap_and_done_strategies_are_skipped():
    done = {"first-contact": rules.EntryState("first-contact", attempts_total=10)}
    assert rules.place(PB, facts(), done, NOW) is None
    finished = {"first-contact": rules.EntryState("first-contact", done_reason="final")}
    assert rules.place(PB, facts(), finished, NOW) is None


def test_a_retry_delay_holds_in_every_strategy_and_rest_follows_a_conversation():
    entries = {
        "retention-nps": rules.EntryState("retention-nps", attempts_total=1, not_before=NOW + timedelta(hours=2))
    }
    placed = rules.place(PB, facts(stage="retention"), entries, NOW)
    assert placed is not None and placed.ready_at == NOW + timedelta(hours=2)
    talked = rules.place(PB, facts(stage="retention", last_contact_at=NOW), {}, NOW)
    assert talked is not None and talked.ready_at == NOW + timedelta(days=3)
    assert talked.reason == "rest after the last conversation"


def test_sticky_keeps_the_strategy_of_an_unanswered_call():
    entries = {
        "retention-nps": rules.EntryState(
            "retention-nps",
            attempts_total=1,
            attempts_today=1,
            attempts_on=NOW.date(),
            not_before=NOW + timedelta(minutes=20),
        )
    }
    free = rules.place(PB, facts(stage="retention"), entries, NOW, prefer="retention-nps")
    sticky = rules.place(PB, facts(stage="retention"), entries, NOW, prefer="retention-nps", sticky=True)
    assert free is not None and free.strategy_id == "win-back"
    assert sticky is not None and sticky.strategy_id == "retention-nps"
    assert sticky.ready_at == datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # its 1-a-day cap: midnight in Moscow


def test_a_callback_holds_the_customer():
    placed = rules.place(
        PB, facts(stage="retention"), {}, NOW, callback_at=NOW + timedelta(hours=3), callback_strategy="retention-nps"
    )
    assert placed == rules.Placement("retention-nps", "hold", NOW + timedelta(hours=3), "callback scheduled")


def outcome(code):
    return PB.outcome(code)


def test_apply_no_answer_counts_attempts_and_retries():
    strategy = PB.strategy("first-contact")
    entry = rules.EntryState("first-contact")
    for attempt in range(1, 7):
        effect = rules.apply_outcome(PB, strategy, outcome("NOANSWER"), entry, facts(), NOW)
        entry = effect.entry
        assert (entry.attempts_total, entry.retries, effect.reached) == (attempt, attempt, False)
        assert entry.not_before == NOW + timedelta(hours=2)
    assert entry.done_reason == "exhausted"


def test_apply_reached_outcomes():
    nps = PB.strategy("retention-nps")
    entry = rules.EntryState("retention-nps", retries=2)
    surveyed = rules.apply_outcome(PB, nps, outcome("SURVEYED"), entry, facts(stage="retention"), NOW, nps=10)
    assert surveyed.reached and surveyed.success and surveyed.entry.retries == 0
    assert surveyed.entry.done_reason is None  # the cadence brings them back in 90 days
    assert surveyed.tasks == []
    detractor = rules.apply_outcome(PB, nps, outcome("SURVEYED"), entry, facts(stage="retention"), NOW, nps=4)
    assert detractor.tasks == [("detractor-follow-up", NOW + timedelta(hours=48))]
    first = PB.strategy("first-contact")
    interested = rules.apply_outcome(PB, first, outcome("INTERESTED"), rules.EntryState("first-contact"), facts(), NOW)
    assert (interested.stage_to, interested.entry.done_reason) == ("acquisition", "completed")
    dnc = rules.apply_outcome(PB, first, outcome("DNC"), rules.EntryState("first-contact"), facts(), NOW)
    assert dnc.dnc and dnc.entry.done_reason == "final"
    churned = rules.apply_outcome(PB, nps, outcome("CHURNED"), entry, facts(stage="retention"), NOW)
    assert churned.stage_to == "churned"
    complaint = rules.apply_outcome(PB, nps, outcome("COMPLAINT"), entry, facts(stage="retention"), NOW)
    assert complaint.tasks == [("complaint", NOW + timedelta(hours=24))]


def test_an_outcome_the_strategy_does_not_offer():
    with pytest.raises(rules.OutcomeNotAllowed):
        rules.apply_outcome(PB, PB.strategy("first-contact"), outcome("SURVEYED"), rules.EntryState("x"), facts(), NOW)


def test_explain_names_the_window_and_when_it_opens():
    evening = NOW.replace(hour=18)  # 21:00 in Moscow
    customer = facts()
    placed = rules.place(PB, customer, {}, evening)
    explanation = rules.explain(PB, customer, {}, evening, current=placed)
    assert not explanation.callable_now
    assert explanation.next_at == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # Tuesday 09:00 Moscow
    assert any("window is closed now; it opens Tue 24 Nov 09:00 local" in line for line in explanation.lines)
    # Talked to on an evening: rested until an evening, when the window is closed "then", not now.
    later = replace(customer, last_contact_at=evening)
    waiting = rules.explain(PB, later, {}, NOW, current=rules.place(PB, later, {}, NOW))
    assert waiting.lines[-2:] == [
        "waits (rest after the last conversation) until Thu 26 Nov 21:00 local",
        "the business-hours window is closed then; it opens Fri 27 Nov 09:00 local",
    ]
    assert any(line.startswith("acquisition-offer: not for stage contact") for line in explanation.lines)
    # The rest holds in every strategy, so the strategy's own line waits too (and then for the window) instead of
    # saying "eligible now".
    assert "first-contact: eligible from Fri 27 Nov 09:00 local (business-hours window)" in waiting.lines
    morning = replace(customer, last_contact_at=NOW)  # talked to at 10:00: rested until Thursday 10:00, open then
    rested = rules.explain(PB, morning, {}, NOW, current=rules.place(PB, morning, {}, NOW))
    assert "first-contact: eligible from Thu 26 Nov 10:00 local (rest after the last conversation)" in rested.lines
    # At 21:00 in Moscow the window is closed: the strategy's line says when a call can be made, as the rest does.
    assert "first-contact: eligible from Tue 24 Nov 09:00 local (business-hours window)" in explanation.lines
    opened = rules.explain(PB, customer, {}, NOW, current=rules.place(PB, customer, {}, NOW))
    assert "first-contact: eligible now" in opened.lines
    assert rules.explain(PB, customer, {}, NOW, current=rules.place(PB, customer, {}, NOW)).callable_now
    assert rules.explain(PB, facts(dnc=True), {}, NOW, current=None).lines == ["on the do-not-call list: never called"]


def test_open_zones():
    window = PB.calling_window("business-hours")
    zones = ["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad"]
    assert rules.open_zones(window, zones, NOW.replace(hour=17, minute=30)) == ["Europe/Kaliningrad"]


def test_explain_a_callback_that_is_due_waits_only_for_the_window():
    """An overdue callback is handed out by the callback tier as soon as the window is open: not "waits for its
    callback" at a time gone by."""
    customer = facts()
    due = NOW - timedelta(hours=2)
    held = rules.place(PB, customer, {}, NOW, callback_at=due)
    assert held is not None and held.phase == "hold"
    now = rules.explain(PB, customer, {}, NOW, current=held, callback_at=due)
    assert now.callable_now and now.lines[-1] == "callable now (callback tier)"
    evening = NOW.replace(hour=18)  # 21:00 in Moscow
    later = rules.explain(PB, customer, {}, evening, current=held, callback_at=due)
    assert not later.callable_now and later.next_at == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    ahead = rules.explain(PB, customer, {}, NOW, current=held, callback_at=NOW + timedelta(hours=1))
    assert not ahead.callable_now and ahead.lines[-1] == "waits for its callback at Mon 23 Nov 11:00 local"


def test_a_wrong_number_with_another_left_is_a_redial_and_without_one_a_verdict():
    first = PB.strategy("first-contact")
    entry = rules.EntryState("first-contact", attempts_today=1, attempts_on=rules.local_day(NOW, "Europe/Moscow"))
    redial = rules.apply_outcome(PB, first, outcome("WRONGNUMBER"), entry, facts(), NOW, phones_left=1)
    assert not redial.entry.done and redial.entry.not_before is None and redial.stage_to is None
    assert (redial.entry.attempts_total, redial.entry.attempts_today) == (1, 1)  # the daily cap is not spent
    last = rules.apply_outcome(PB, first, outcome("WRONGNUMBER"), entry, facts(), NOW, phones_left=0)
    assert last.entry.done and last.stage_to == "disqualified"
    assert redial.redial and not last.redial
    assert last.entry.attempts_today == 2


def test_a_customer_with_every_number_wrong_is_placed_nowhere():
    assert rules.place(PB, facts(phones_left=1), {}, NOW) is not None
    assert rules.place(PB, facts(phones_left=0), {}, NOW) is None
    why = rules.explain(PB, facts(phones_left=0), {}, NOW, current=None)
    assert why.lines == ["every phone number is marked wrong: not called until a new one is entered"]


def test_a_callback_moves_off_a_strategy_that_no_longer_takes_the_customer():
    churned_long_ago = facts(stage="retention", last_purchase_at=NOW - timedelta(days=200))
    assert rules.callback_strategy(PB, "win-back", churned_long_ago, {}, NOW) == "win-back"
    said_no = replace(churned_long_ago, consent=False)  # win-back makes offers: consent != false
    assert rules.callback_strategy(PB, "win-back", said_no, {}, NOW) == "retention-nps"
    # Nothing else takes an acquisition customer: the callback they asked for stays where it was asked for.
    acquired = facts(stage="acquisition", consent=False)
    assert rules.callback_strategy(PB, "acquisition-offer", acquired, {}, NOW) == "acquisition-offer"
