"""A customer's phone numbers changed by hand: the main number, the other one, or both.

The way back into the queue for a customer whose every number a call found wrong (core.phones): a new number is
not marked, so once it is entered the customer is placed again (services.enqueue), as an import would place
them. A number is refused when it is not valid, belongs to another customer, or belonged to a customer erased
on request (their hash is on the do-not-call list). A number a call marked wrong by mistake can be cleared
(``clear_marks``). The zone follows a new main number when the old zone was only a guess. One transaction, with
an audit entry that names the fields changed, not the numbers. A screen that shows the numbers passes the ones it
showed (``seen``): if someone changed them meanwhile the change is refused, not written over theirs.

Supervisors change anyone's numbers. An operator changes only those of the customer on their screen, under the
lease of that call (``lease_token``): the caller who says "I have a new number" is heard where it is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from operator_tui.core.phones import (
    Phone,
    PhoneError,
    callable_phones,
    marked_phones,
    marks_kept,
    normalize_phone,
)
from operator_tui.core.roles import Role
from operator_tui.services import enqueue, privacy
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotAllowed, NotFound
from operator_tui.services.queue import LeaseLost
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import Customer, QueueEntry

ACTION = "Changing a customer's phone numbers"


@dataclass(frozen=True)
class CustomerPhones:
    """A customer's numbers as a screen shows them before a change."""

    customer_id: int
    name: str
    phone: str
    alt_phone: str | None
    wrong: tuple[str, ...]  # of the two, those a call found wrong


@dataclass(frozen=True)
class PhonesChanged:
    customer_id: int
    phones: list[str]  # the numbers to call now, main first
    changed: list[str]  # the fields changed: phone, alt_phone
    queued: bool  # the change brought the customer back into the queue


def phones_of(
    db: Database, actor: Actor, customer_id: int, lease_token: str | None = None, now: datetime | None = None
) -> CustomerPhones:
    """The numbers ``set_phones`` would change, for the screen that changes them."""
    with db.read() as s:
        _may_change(s, actor, customer_id, lease_token, now or utcnow())
        customer = _changeable(s, customer_id)
        return CustomerPhones(
            customer_id,
            customer.spoken_name,
            customer.phone,
            customer.alt_phone,
            tuple(marked_phones(customer.numbers, customer.wrong_phones)),
        )


def set_phones(
    db: Database,
    actor: Actor,
    customer_id: int,
    *,
    phone: str | None = None,
    alt_phone: str | None = None,
    remove_alt: bool = False,
    clear_marks: bool = False,
    seen: tuple[str, str | None] | None = None,
    lease_token: str | None = None,
    now: datetime | None = None,
) -> PhonesChanged:
    """Give the customer a new main number (``phone``) and/or other number (``alt_phone``), or take the other
    number away (``remove_alt``), and/or clear the marks of numbers found wrong (``clear_marks``). Numbers are read
    with the rules of the customer's country, as an import reads them. ``seen``: the (main, other) numbers the
    caller showed; refused if they are no longer the customer's. ``lease_token``: an operator's, of the call
    they have this customer on."""
    with db.write() as s:
        _may_change(s, actor, customer_id, lease_token, now or utcnow())
        customer = _changeable(s, customer_id)
        if seen is not None and seen != (customer.phone, customer.alt_phone):
            raise InvalidInput.said(
                "someone changed customer #{customer}'s numbers meanwhile: open them again to see the new ones",
                customer=customer_id,
            )
        region = customer.country or "RU"
        changed: list[str] = []
        if clear_marks and customer.wrong_phones:
            customer.wrong_phones = None
            changed.append("wrong_phones")
        if phone is not None:
            number = _valid(phone, region, "phone")
            if number.e164 != customer.phone:
                if customer.time_zone_guessed and number.time_zone and not number.time_zone_guessed:
                    customer.time_zone, customer.time_zone_guessed = number.time_zone, False
                customer.phone = number.e164
                changed.append("phone")
        if alt_phone is not None or remove_alt:
            other = None if remove_alt or alt_phone is None else _valid(alt_phone, region, "alt_phone").e164
            if other != customer.alt_phone:
                customer.alt_phone = other
                changed.append("alt_phone")
        if customer.alt_phone is not None and customer.alt_phone == customer.phone:
            raise InvalidInput.said("the other number is the main number")
        if not changed:
            raise InvalidInput.said("nothing to change: these are the customer's numbers already")
        _refuse_taken(s, customer, [n for n in customer.numbers if n])
        customer.wrong_phones = marks_kept(customer.numbers, customer.wrong_phones)
        customer.updated_at = utcnow()
        s.add(customer)
        audit(s, actor, "customer.phones", "customer", customer_id, changed=changed)
        phones = callable_phones(customer.numbers, customer.wrong_phones)
    queued = bool(phones) and enqueue.enqueue_customer(db, customer_id, now)
    return PhonesChanged(customer_id, phones, changed, queued)


def _may_change(s: Session, actor: Actor, customer_id: int, lease_token: str | None, now: datetime) -> None:
    """A supervisor may; an operator only under their lease of this customer (the call on their screen)."""
    if actor.role.at_least(Role.SUPERVISOR):
        return
    actor.require(Role.OPERATOR, ACTION)
    if lease_token is None:
        raise NotAllowed.said(
            "an operator changes the numbers only of the customer on their screen; ask a supervisor for others"
        )
    held = s.exec(
        select(QueueEntry.id).where(
            QueueEntry.customer_id == customer_id,
            QueueEntry.leased_by == actor.user_id,
            QueueEntry.lease_token == lease_token,
            col(QueueEntry.lease_expires_at) >= now,
        )
    ).first()
    if held is None:
        raise LeaseLost.said(
            "customer #{customer} is no longer yours (the lease expired or another operator has them): their "
            "numbers were not changed",
            customer=customer_id,
        )


def _changeable(s: Session, customer_id: int) -> Customer:
    customer = s.get(Customer, customer_id)
    if customer is None:
        raise NotFound.said("no customer #{customer}", customer=customer_id)
    if customer.erased_at is not None:
        raise InvalidInput.said("customer #{customer} was erased on request: nobody calls them", customer=customer_id)
    return customer


def _valid(text: str, region: str, field: str) -> Phone:
    """The number, or a refusal that names the field in words a screen can translate (core.phones says why in
    English only)."""
    try:
        return normalize_phone(text, region)
    except PhoneError:
        number = text.strip()
        if field == "phone":
            if not number:
                raise InvalidInput.said("the main number is empty: a customer needs one") from None
            raise InvalidInput.said(
                "the main number {number} is not a phone number one can call", number=number
            ) from None
        raise InvalidInput.said(
            "the other number {number} is not a phone number one can call (leave it empty for none)", number=number
        ) from None


def _refuse_taken(s: Session, customer: Customer, numbers: list[str]) -> None:
    other = s.exec(
        select(Customer.id).where(
            col(Customer.id) != customer.id,
            or_(col(Customer.phone).in_(numbers), col(Customer.alt_phone).in_(numbers)),
        )
    ).first()
    if other is not None:
        raise InvalidInput.said("that number belongs to customer #{other}", other=other)
    if privacy.suppressed(s, numbers):
        raise InvalidInput.said("that number belonged to a customer erased on request: it is never called")
