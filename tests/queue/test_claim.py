"""Claiming: tiers in order, leases that never overlap, calling windows in the customer's own time zone."""

from datetime import timedelta

import pytest
from sqlmodel import select

from operator_tui.core.queue_rules import Tier
from operator_tui.services import queue
from operator_tui.services.errors import InvalidInput, NotAllowed
from operator_tui.store.tables import AuditEntry, Task
from tests.conftest import actor
from tests.queue.helpers import MONDAY, add_customer, entry_of, place_all, record


def test_fresh_customers_come_by_priority(db, operator):
    low = add_customer(db, tier="C")
    high = add_customer(db, tier="A")
    place_all(db)
    first = queue.next_customer(db, operator, now=MONDAY)
    second = queue.next_customer(db, actor(db, "op02"), now=MONDAY)
    assert (first.customer_id, first.tier) == (high, Tier.FRESH)
    assert second.customer_id == low


def test_two_operators_never_hold_the_same_customer(db, operator):
    only = add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    assert claim.customer_id == only
    with pytest.raises(queue.QueueEmpty, match="on other operators' screens"):
        queue.next_customer(db, actor(db, "op02"), now=MONDAY)


def test_an_expired_lease_returns_the_customer(db, operator):
    only = add_customer(db)
    place_all(db)
    first = queue.next_customer(db, operator, now=MONDAY)
    later = first.lease_expires_at + timedelta(seconds=1)
    again = queue.next_customer(db, actor(db, "op02"), now=later)
    assert again.customer_id == only and again.lease_token != first.lease_token
    with pytest.raises(queue.LeaseLost):
        queue.renew(db, operator, first, now=later)


def test_renew_extends_the_lease(db, operator):
    add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    renewed = queue.renew(db, operator, claim, now=MONDAY + timedelta(minutes=9))
    assert renewed.lease_expires_at == MONDAY + timedelta(minutes=19)
    with pytest.raises(queue.QueueEmpty):  # still held at minute 15
        queue.next_customer(db, actor(db, "op02"), now=MONDAY + timedelta(minutes=15))


def test_skip_needs_a_reason_and_returns_the_customer_after_the_skip_delay(db, operator):
    only = add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    with pytest.raises(InvalidInput, match="say why"):
        queue.release(db, operator, claim, "  ", now=MONDAY)
    queue.release(db, operator, claim, "customer asked to call later", now=MONDAY)
    with pytest.raises(queue.QueueEmpty, match="retry delay"):
        queue.next_customer(db, operator, now=MONDAY + timedelta(minutes=5))
    back = queue.next_customer(db, operator, now=MONDAY + timedelta(minutes=31))
    assert (back.customer_id, back.tier) == (only, Tier.DUE)
    with db.read() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "queue.skip")).one().detail == (
            '{"reason": "customer asked to call later"}'
        )


def test_closing_a_customer_opened_by_search_keeps_their_place(db, operator):
    """Looking someone up and closing the card without a call must not put off the call the queue had planned."""
    only = add_customer(db)
    place_all(db)
    looked_up = queue.take_customer(db, operator, only, now=MONDAY)
    before = entry_of(db, only)
    queue.release(db, operator, looked_up, "closed without a call", now=MONDAY, delay=False)
    after = entry_of(db, only)
    assert (after.phase, after.ready_at, after.not_before, after.leased_by) == (
        before.phase,
        before.ready_at,
        before.not_before,
        None,
    )
    again = queue.next_customer(db, actor(db, "op02"), now=MONDAY + timedelta(minutes=1))
    assert (again.customer_id, again.tier) == (only, Tier.FRESH)
    with db.read() as s:
        mine = (AuditEntry.entity == "customer", AuditEntry.entity_id == str(only))
        assert s.exec(select(AuditEntry.action).where(*mine)).all() == ["queue.close"]


def test_a_skipped_callback_comes_back_after_the_skip_delay_too(db, operator):
    """It used to come straight back: the callback tier does not look at the entry's skip delay."""
    later = MONDAY + timedelta(hours=1)
    cid = _callback(db, operator, "A", later)
    claim = queue.next_customer(db, operator, now=later)
    assert (claim.customer_id, claim.tier) == (cid, Tier.OWN_CALLBACK)
    queue.release(db, operator, claim, "in a meeting, said the assistant", now=later)
    with pytest.raises(queue.QueueEmpty):
        queue.next_customer(db, operator, now=later + timedelta(minutes=5))
    back = queue.next_customer(db, operator, now=later + timedelta(minutes=31))
    assert (back.customer_id, back.tier) == (cid, Tier.OWN_CALLBACK)


def test_calling_window_is_the_customers_local_time(db, operator):
    # 17:30 UTC on Monday: 20:30 in Moscow (closed), 18:30 in Kaliningrad (open), 03:30 in Vladivostok (closed).
    evening = MONDAY.replace(hour=17, minute=30)
    add_customer(db, zone="Europe/Moscow", tier="A")
    add_customer(db, zone="Asia/Vladivostok", tier="A")
    kaliningrad = add_customer(db, zone="Europe/Kaliningrad", tier="C")
    place_all(db, evening)
    assert queue.next_customer(db, operator, now=evening).customer_id == kaliningrad
    with pytest.raises(queue.QueueEmpty) as empty:
        queue.next_customer(db, operator, now=evening)
    assert "2 customer(s) wait for their calling window" in str(empty.value)
    assert "opens first in Asia/Vladivostok at Tue 09:00 local" in str(empty.value)
    assert empty.value.next_at is not None and empty.value.next_at > evening


def test_rows_in_closed_zones_are_skipped_without_losing_the_order(db, operator):
    # More than a scan's worth of top-priority customers in a closed zone: the per-zone fallback finds the rest.
    evening = MONDAY.replace(hour=17, minute=30)
    for _ in range(12):
        add_customer(db, zone="Europe/Moscow", tier="A")
    low = add_customer(db, zone="Europe/Kaliningrad", tier="C")
    high = add_customer(db, zone="Europe/Kaliningrad", tier="B")
    place_all(db, evening)
    assert queue.next_customer(db, operator, now=evening).customer_id == high
    assert queue.next_customer(db, operator, now=evening).customer_id == low


def _callback(db, who, customer_tier: str, due, *, personal: bool = True, at=MONDAY):
    """A retention customer whose call ended with a callback due at ``due``."""
    cid = add_customer(db, stage="retention", tier=customer_tier)
    place_all(db, at)
    claim = queue.next_customer(db, who, now=at)
    assert claim.customer_id == cid
    record(db, who, claim, "CALLBACK", now=at, callback_at=due, callback_personal=personal)
    return cid


def test_tiers_in_order_callbacks_tasks_due_fresh(db, operator):
    op02 = actor(db, "op02")
    later = MONDAY + timedelta(hours=1)
    own = _callback(db, operator, "A", later - timedelta(minutes=5))
    anyone = _callback(db, op02, "A", later - timedelta(minutes=5), personal=False)
    overdue_of_other = _callback(db, op02, "A", later - timedelta(minutes=30))
    not_yet_overdue = _callback(db, op02, "A", later - timedelta(minutes=10))
    complaint = add_customer(db, stage="retention", tier="B")
    skipped = add_customer(db, tier="A")
    fresh = add_customer(db, tier="C")
    place_all(db)
    with db.write() as s:
        s.add(Task(kind="complaint", customer_id=complaint, due_at=later + timedelta(hours=2)))
    claim = queue.next_customer(db, operator, now=MONDAY)
    assert claim.customer_id in (skipped, complaint)
    queue.release(db, operator, claim, "wrong moment", now=MONDAY)  # back in 30 minutes, as a due customer
    if claim.customer_id == complaint:
        claim = queue.next_customer(db, operator, now=MONDAY)
        queue.release(db, operator, claim, "wrong moment", now=MONDAY)
    order = [(c.tier, c.customer_id) for c in (queue.next_customer(db, operator, now=later) for _ in range(6))]
    assert order[0] == (Tier.OWN_CALLBACK, own)
    assert {order[1], order[2]} == {(Tier.CALLBACK, anyone), (Tier.CALLBACK, overdue_of_other)}
    assert order[3] == (Tier.TASK, complaint)
    assert order[4][0] == Tier.DUE
    assert order[5] == (Tier.FRESH, fresh) or order[5][0] == Tier.DUE
    assert not_yet_overdue not in {c for _, c in order}


def test_a_personal_callback_is_not_taken_by_others_until_overdue(db, operator):
    due = MONDAY + timedelta(hours=1)
    mine = _callback(db, operator, "A", due)
    op02 = actor(db, "op02")
    with pytest.raises(queue.QueueEmpty, match="scheduled callback"):
        queue.next_customer(db, op02, now=due + timedelta(minutes=5))
    taken = queue.next_customer(db, op02, now=due + timedelta(minutes=16))
    assert (taken.customer_id, taken.tier) == (mine, Tier.CALLBACK)


def test_supervisors_explain_and_operators_may_not(db, operator, supervisor):
    from operator_tui.services import queue_explain

    cid = add_customer(db)
    place_all(db)
    with pytest.raises(NotAllowed):
        queue_explain.explain_customer(db, operator, cid, now=MONDAY)
    assert queue_explain.explain_customer(db, supervisor, cid, now=MONDAY).callable_now
    assert entry_of(db, cid).strategy_id == "first-contact"


def test_an_overdue_callback_waits_for_the_customers_window(db, operator):
    due = MONDAY + timedelta(hours=1)  # 18:00 in Vladivostok
    cid = add_customer(db, stage="retention", zone="Asia/Vladivostok")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    record(db, operator, claim, "CALLBACK", callback_at=due)
    late = MONDAY.replace(hour=11, minute=30)  # 21:30 there: the window is closed
    with pytest.raises(queue.QueueEmpty):
        queue.next_customer(db, operator, now=late)
    morning = MONDAY.replace(hour=23, minute=5)  # Tuesday 09:05 there
    back = queue.next_customer(db, operator, now=morning)
    assert (back.customer_id, back.tier) == (cid, Tier.OWN_CALLBACK)


def test_with_every_window_closed_the_queue_says_so_instead_of_failing(db, operator):
    """Evening everywhere the base has customers, and more due retries than one scan reads: there is no open
    (strategy, zone) pair to seek in. This raised a SQL syntax error ("Something went wrong" on every `n`)."""
    for _ in range(queue.SCAN + 1):
        add_customer(db, zone="Europe/Moscow", tier="A")
    place_all(db)
    for _ in range(queue.SCAN + 1):
        record(db, operator, queue.next_customer(db, operator, now=MONDAY), "NOANSWER", now=MONDAY)
    night = MONDAY.replace(hour=19)  # 22:00 in Moscow: closed; the retries are due by now
    with pytest.raises(queue.QueueEmpty) as empty:
        queue.next_customer(db, operator, now=night)
    assert "wait for their calling window" in str(empty.value)
    from operator_tui.services.queue_explain import preview

    assert preview(db, operator, now=night).upcoming == []  # the console's queue panel reads the same way
