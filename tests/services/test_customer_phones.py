"""A customer's numbers changed by hand: refused when bad, taken, or erased; a new number brings back a customer
whose numbers were all wrong."""

from datetime import timedelta

import pytest
from sqlmodel import select

from operator_tui.services import customer_phones, privacy, queue
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.store.tables import AuditEntry, Customer
from tests.queue.helpers import MONDAY, add_customer, entry_of, place_all, record


def wrong_everywhere(db, operator) -> int:
    """A contact customer whose only number a call found wrong: out of the queue."""
    cid = add_customer(db, stage="retention")
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    assert claim.customer_id == cid
    record(db, operator, claim, "WRONGNUMBER")
    assert entry_of(db, cid) is None
    return cid


def test_a_new_number_brings_back_a_customer_whose_numbers_were_all_wrong(db, operator, supervisor):
    cid = wrong_everywhere(db, operator)
    done = customer_phones.set_phones(db, supervisor, cid, phone="8 (495) 765-43-21", now=MONDAY)
    assert (done.phones, done.changed, done.queued) == (["+74957654321"], ["phone"], True)
    with db.read() as s:
        customer = s.get(Customer, cid)
        assert (customer.phone, customer.wrong_phones) == ("+74957654321", None)  # the old mark went with it
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "customer.phones")).one()
        assert entry.entity_id == str(cid) and "+7" not in (entry.detail or "")  # no number in the log
    assert entry_of(db, cid) is not None
    assert queue.next_customer(db, operator, now=MONDAY).customer_id == cid


def test_another_number_added_and_taken_away(db, supervisor):
    cid = add_customer(db)
    done = customer_phones.set_phones(db, supervisor, cid, alt_phone="+74951112233")
    assert done.changed == ["alt_phone"] and done.phones[1] == "+74951112233"
    done = customer_phones.set_phones(db, supervisor, cid, remove_alt=True)
    assert done.changed == ["alt_phone"] and len(done.phones) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": "12"}, "the main number 12 is not a phone number"),
        ({"phone": " "}, "the main number is empty"),
        ({"alt_phone": "not a number"}, "the other number not a number is not a phone number"),
        ({}, "nothing to change"),
        ({"phone": "+74951112233", "alt_phone": "+74951112233"}, "the other number is the main number"),
    ],
)
def test_bad_numbers_are_refused_and_change_nothing(db, supervisor, change, message):
    cid = add_customer(db)
    with db.read() as s:
        before = s.get(Customer, cid).model_dump()
    with pytest.raises(InvalidInput, match=message):
        customer_phones.set_phones(db, supervisor, cid, **change)
    with db.read() as s:
        assert s.get(Customer, cid).model_dump() == before
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "customer.phones")).first() is None


def test_a_number_of_another_customer_or_of_an_erased_one_is_refused(db, supervisor, admin):
    first, second, erased = add_customer(db), add_customer(db), add_customer(db)
    with db.read() as s:
        taken, gone = s.get(Customer, second).phone, s.get(Customer, erased).phone
    with pytest.raises(InvalidInput, match=f"belongs to customer #{second}"):
        customer_phones.set_phones(db, supervisor, first, alt_phone=taken)
    privacy.erase_customer(db, admin, erased)
    with pytest.raises(InvalidInput, match="erased on request"):
        customer_phones.set_phones(db, supervisor, first, phone=gone)
    with pytest.raises(InvalidInput, match="erased on request: nobody calls them"):
        customer_phones.set_phones(db, supervisor, erased, phone="+74951112233")
    with pytest.raises(NotFound):
        customer_phones.set_phones(db, supervisor, 999_999, phone="+74951112233")


def test_operators_cannot_change_numbers(db, operator):
    cid = add_customer(db)
    with pytest.raises(NotAllowed):
        customer_phones.set_phones(db, operator, cid, phone="+74951112233")
    with pytest.raises(NotAllowed):
        customer_phones.phones_of(db, operator, cid)


def test_a_number_marked_wrong_by_mistake_is_cleared_and_the_customer_comes_back(db, operator, supervisor):
    cid = wrong_everywhere(db, operator)
    shown = customer_phones.phones_of(db, supervisor, cid)
    assert shown.wrong == (shown.phone,) and shown.alt_phone is None
    done = customer_phones.set_phones(
        db, supervisor, cid, clear_marks=True, seen=(shown.phone, shown.alt_phone), now=MONDAY
    )
    assert (done.phones, done.changed, done.queued) == ([shown.phone], ["wrong_phones"], True)
    assert customer_phones.phones_of(db, supervisor, cid).wrong == ()
    with pytest.raises(InvalidInput, match="nothing to change"):  # no mark left to clear
        customer_phones.set_phones(db, supervisor, cid, clear_marks=True)


def test_numbers_changed_since_the_screen_showed_them_are_not_written_over(db, supervisor, admin):
    cid = add_customer(db)
    shown = customer_phones.phones_of(db, supervisor, cid)
    customer_phones.set_phones(db, admin, cid, alt_phone="+74951112233")  # someone else, meanwhile
    with pytest.raises(InvalidInput, match=r"changed .* numbers meanwhile"):
        customer_phones.set_phones(db, supervisor, cid, alt_phone="+74954445566", seen=(shown.phone, shown.alt_phone))
    assert customer_phones.phones_of(db, supervisor, cid).alt_phone == "+74951112233"


def test_an_operator_changes_the_numbers_of_the_customer_on_their_screen_only(db, operator):
    both = {add_customer(db), add_customer(db)}
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    cid = claim.customer_id
    (other,) = both - {cid}  # the one waiting in the queue
    with pytest.raises(NotAllowed, match="only of the customer on their screen"):
        customer_phones.set_phones(db, operator, other, phone="+74957654321", now=MONDAY)
    with pytest.raises(queue.LeaseLost, match=f"customer #{other} is no longer yours"):
        customer_phones.set_phones(db, operator, other, phone="+74957654321", lease_token=claim.lease_token, now=MONDAY)
    shown = customer_phones.phones_of(db, operator, cid, claim.lease_token, now=MONDAY)
    done = customer_phones.set_phones(
        db, operator, cid, alt_phone="+74957654321", seen=(shown.phone, None), lease_token=claim.lease_token, now=MONDAY
    )
    assert done.changed == ["alt_phone"] and not done.queued  # still theirs, on the call
    assert entry_of(db, cid).leased_by == operator.user_id


def test_an_operator_whose_lease_expired_changes_nothing(db, operator):
    cid = add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    with db.read() as s:
        before = s.get(Customer, cid).model_dump()
    late = claim.lease_expires_at + timedelta(seconds=1)
    with pytest.raises(queue.LeaseLost, match="no longer yours"):
        customer_phones.set_phones(db, operator, cid, phone="+74957654321", lease_token=claim.lease_token, now=late)
    with pytest.raises(queue.LeaseLost):
        customer_phones.phones_of(db, operator, cid, claim.lease_token, now=late)
    with db.read() as s:
        assert s.get(Customer, cid).model_dump() == before
