"""Erasing a customer's personal data on request, keeping the anonymous figures the reports are made of.

What goes: names, phones, e-mail, address, birth date, notes, the external reference, every free-text answer
(text and date questions), the notes on calls, callbacks, tasks, stage changes and permissions, links to call
recordings, and unsaved drafts. What stays: the customer row itself (id, stage, segment, zone, value scores,
purchase totals), calls with their outcome, times and NPS, choice and number answers, purchases and stage
history, so day, week and month reports do not change.

The customer leaves the queue for good, open callbacks and tasks are cancelled, and the phone is kept only as a
one-way hash on the do-not-call list, so the same number imported again is not rung (imports check the hash).
A customer on a call right now is refused: erase after the call. Everything happens in one transaction with one
audit entry that names no personal data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, func, select, update
from sqlmodel import Session, col

from operator_tui.core.roles import Role
from operator_tui.services.audit import audit
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import InvalidInput, NotFound
from operator_tui.store.coltypes import utcnow
from operator_tui.store.tables import (
    Answer,
    Callback,
    ContactPermission,
    Customer,
    Interaction,
    QueueEntry,
    StageChange,
    Task,
)

FREE_TEXT_ANSWERS = ("text", "date")  # question types whose answers are what the customer said, word for word
HASH_MARK = "#"


def _changed(s: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    return cast(CursorResult[Any], s.execute(statement)).rowcount or 0


def phone_hash(phone: str) -> str:
    """What stays of an erased phone on the do-not-call list: fits the phone column, cannot be read back."""
    return HASH_MARK + hashlib.sha256(phone.encode()).hexdigest()[:19]


@dataclass
class Erasure:
    customer_id: int
    erased_at: datetime
    calls: int = 0
    answers_cleared: int = 0
    drafts_removed: int = 0
    callbacks_cancelled: int = 0
    tasks_cancelled: int = 0
    recordings: list[str] = field(default_factory=list)
    """Recording references that were unlinked: the files themselves live elsewhere and must be deleted there."""


def erase_customer(db: Database, actor: Actor, customer_id: int, now: datetime | None = None) -> Erasure:
    """Erase ``customer_id``'s personal data (see the module's docstring); admins only."""
    actor.require(Role.ADMIN, "Erasing a customer's personal data")
    now = now or utcnow()
    with db.write() as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer #{customer_id}")
        if customer.erased_at is not None:
            raise InvalidInput(f"customer #{customer_id} was erased already, on {customer.erased_at:%Y-%m-%d}")
        holder = s.execute(
            select(col(QueueEntry.leased_by)).where(
                col(QueueEntry.customer_id) == customer_id,
                col(QueueEntry.leased_by).is_not(None),
                col(QueueEntry.lease_expires_at) > now,
            )
        ).first()
        if holder is not None:
            raise InvalidInput(f"customer #{customer_id} is on a call right now: erase them after the call")
        report = Erasure(customer_id, now)
        phones = [p for p in customer.numbers if p]
        _forget_customer(customer, now)
        report.recordings = _unlink_calls(s, customer_id, report)
        _clear_answers(s, customer_id, report)
        _cancel_work(s, customer_id, now, report)
        _keep_off_the_phone(s, actor, customer_id, phones, now)
        s.execute(
            update(QueueEntry)
            .where(col(QueueEntry.customer_id) == customer_id, col(QueueEntry.phase) != "off")
            .values(phase="off", done_at=now, done_reason="erased", leased_by=None, lease_token=None)
        )
        s.execute(update(StageChange).where(col(StageChange.customer_id) == customer_id).values(note=None))
        s.add(customer)
        audit(
            s,
            actor,
            "customer.erase",
            "customer",
            customer_id,
            calls=report.calls,
            answers=report.answers_cleared,
            recordings=len(report.recordings),
        )
    return report


def _forget_customer(customer: Customer, now: datetime) -> None:
    for name in ("first_name", "last_name"):
        setattr(customer, name, "")
    for name in (
        "title", "middle_name", "email", "alt_phone", "wrong_phones", "address", "city", "region", "postal_code",
        "gender", "birth_date", "notes", "external_ref", "source", "list_id",
    ):  # fmt: skip
        setattr(customer, name, None)
    customer.phone = ""
    customer.dnc = True
    customer.erased_at = now
    customer.updated_at = now


def _unlink_calls(s: Session, customer_id: int, report: Erasure) -> list[str]:
    of_customer = col(Interaction.customer_id) == customer_id
    report.calls = s.execute(select(func.count()).select_from(Interaction).where(of_customer)).scalar_one()
    recordings = s.execute(
        select(col(Interaction.recording_ref)).where(of_customer, col(Interaction.recording_ref).is_not(None))
    ).scalars()
    refs = [ref for ref in recordings if ref]
    s.execute(update(Interaction).where(of_customer).values(note=None, recording_ref=None))
    return refs


def _clear_answers(s: Session, customer_id: int, report: Erasure) -> None:
    of_customer = col(Answer.customer_id) == customer_id
    report.drafts_removed = _changed(s, delete(Answer).where(of_customer, col(Answer.final).is_(False)))
    report.answers_cleared = _changed(
        s,
        update(Answer)
        .where(of_customer, col(Answer.question_type).in_(FREE_TEXT_ANSWERS), col(Answer.value_text).is_not(None))
        .values(value_text=None),
    )


def _cancel_work(s: Session, customer_id: int, now: datetime, report: Erasure) -> None:
    report.callbacks_cancelled = _changed(
        s,
        update(Callback)
        .where(col(Callback.customer_id) == customer_id, col(Callback.status) == "open")
        .values(status="cancelled", done_at=now),
    )
    s.execute(update(Callback).where(col(Callback.customer_id) == customer_id).values(note=None))
    report.tasks_cancelled = _changed(
        s,
        update(Task)
        .where(col(Task.customer_id) == customer_id, col(Task.status) == "open")
        .values(status="cancelled", closed_at=now),
    )
    s.execute(update(Task).where(col(Task.customer_id) == customer_id).values(note=None))


def _keep_off_the_phone(s: Session, actor: Actor, customer_id: int, phones: list[str], now: datetime) -> None:
    """Permissions keep their history with the number hashed; each phone ends with a hashed do-not-call entry."""
    kept: set[str] = set()
    for permission in s.execute(
        select(ContactPermission).where(col(ContactPermission.customer_id) == customer_id)
    ).scalars():
        if not permission.phone.startswith(HASH_MARK):
            permission.phone = phone_hash(permission.phone)
        permission.note = None
        if permission.kind == "dnc" and permission.granted:
            kept.add(permission.phone)
    for phone in phones:
        if phone_hash(phone) in kept:
            continue
        s.add(
            ContactPermission(
                customer_id=customer_id,
                phone=phone_hash(phone),
                kind="dnc",
                granted=True,
                at=now,
                source="admin",
                user_id=actor.user_id,
                note=None,
            )
        )


def suppressed(s: Session, phones: list[str]) -> set[str]:
    """Which of ``phones`` belonged to an erased customer (their hash is on the do-not-call list)."""
    if not phones:
        return set()
    by_hash = {phone_hash(p): p for p in phones}
    found = s.execute(
        select(col(ContactPermission.phone)).where(
            col(ContactPermission.phone).in_(list(by_hash)), col(ContactPermission.kind) == "dnc"
        )
    ).scalars()
    return {by_hash[h] for h in found}
