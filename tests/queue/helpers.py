"""Helpers for queue tests: customers with chosen facts, placed in the queue as an import would place them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from operator_tui.services import calls, enqueue, queue
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.store.tables import Customer, QueueEntry

MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday: 10:00 in Moscow, 17:00 in Vladivostok
_phones = iter(range(4950000000, 4959999999))


def add_customer(
    db: Database,
    *,
    stage: str = "contact",
    zone: str = "Europe/Moscow",
    tier: str = "C",
    segment: str = "b2c",
    **fields: Any,
) -> int:
    with db.write() as session:
        customer = Customer(
            first_name=fields.pop("first_name", "Test"),
            last_name=fields.pop("last_name", "Customer"),
            phone=f"+7{next(_phones)}",
            time_zone=zone,
            stage=stage,
            segment=segment,
            value_tier=tier,
            stage_since=fields.pop("stage_since", MONDAY - timedelta(days=30)),
            **fields,
        )
        session.add(customer)
        session.flush()
        assert customer.id is not None
        return customer.id


def place_all(db: Database, now: datetime = MONDAY) -> int:
    return enqueue.enqueue_new(db, now)


def entry_of(db: Database, customer_id: int) -> QueueEntry | None:
    with db.read() as session:
        return session.exec(
            select(QueueEntry).where(QueueEntry.customer_id == customer_id, QueueEntry.phase != "off")
        ).first()


def record(
    db: Database, actor: Actor, claim: queue.Claim, outcome: str, now: datetime = MONDAY, **details: Any
) -> calls.Recorded:
    return calls.record_outcome(
        db, actor, calls.OutcomeInput.for_claim(claim, str(uuid.uuid4()), outcome, **details), now=now
    )


NPS_ANSWERS = {"nps": "9", "reason": "2", "contact-ok": "y"}


@contextlib.contextmanager
def running(procs: list[Any], timeout: float) -> Iterator[None]:
    """Start the processes; after the block, wait for each (``timeout`` seconds at most) and require a clean exit;
    kill any still alive however the block ended."""
    for proc in procs:
        proc.start()
    try:
        yield
        for proc in procs:
            proc.join(timeout=timeout)
            assert proc.exitcode == 0, f"an operator process failed (exit code {proc.exitcode})"
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
