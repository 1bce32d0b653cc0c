"""Queue state per customer and strategy: when the customer is ready, how urgent, who holds the lease.

One row per (customer, strategy) the customer has been in; exactly one of a customer's rows is current (phase other
than ``off``), and its lease columns are the customer's lease. The queue engine claims rows through the partial
indexes below, so "next" walks an index instead of scanning the base.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created, when

# The ready-set predicates, written once: the claim queries must use the very same text, or SQLite will not use the
# partial indexes.
FRESH = "phase = 'fresh' AND leased_by IS NULL"
DUE = "phase = 'wait' AND leased_by IS NULL"


PHASES = ("fresh", "wait", "hold", "off")
"""fresh: never tried, callable now, ordered by priority. wait: callable from ``ready_at`` (retry, cadence, daily
cap, a condition that becomes true later). hold: waits for an open callback. off: not current (another strategy is,
or this one is done: ``done_at``)."""


def _partial(sql: str) -> dict[str, Any]:
    return {"sqlite_where": text(sql), "postgresql_where": text(sql)}


class QueueEntry(SQLModel, table=True):
    __tablename__ = "queue_entry"
    __table_args__ = (
        UniqueConstraint("customer_id", "strategy_id"),
        # At most one current entry per customer: the lease on it is the lease on the customer.
        Index("ix_queue_current", "customer_id", unique=True, **_partial("phase <> 'off'")),
        # The ready sets (DESIGN.md, "The queue engine"), so "next" is a few index seeks whatever the size of the
        # base. Fresh customers by priority per strategy, and waiting ones by ready time, with the time zone in
        # the index so that rows in a zone whose calling window is closed are skipped without reading the table;
        # and the same per (strategy, zone) pair, for when most of the top rows are in closed zones (at night).
        # (phase and leased_by, constant inside, are listed so that SQLite reads these two as covering indexes.)
        Index("ix_queue_fresh_rank", "strategy_id", "priority", "time_zone", "phase", "leased_by", **_partial(FRESH)),
        Index("ix_queue_due_at", "ready_at", "strategy_id", "time_zone", "phase", "leased_by", **_partial(DUE)),
        Index("ix_queue_fresh", "strategy_id", "time_zone", "priority", **_partial(FRESH)),
        Index("ix_queue_due", "strategy_id", "time_zone", "ready_at", **_partial(DUE)),
        # Expired leases are found by their expiry, without touching the ready sets.
        Index("ix_queue_leased", "lease_expires_at", **_partial("leased_by IS NOT NULL")),
        # Base coverage in the reports: per strategy, how many current entries and how many reached within the
        # cadence, counted inside this index instead of by scanning every entry.
        Index("ix_queue_reached", "strategy_id", "last_reached_at", **_partial("phase <> 'off'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    strategy_id: str = Field(max_length=60)
    phase: str = Field(default="fresh", max_length=5)
    ready_at: datetime = created()
    priority: float = 0.0  # higher first; includes the waiting term (core.queue_rules.stored_priority)
    time_zone: str = Field(max_length=40)  # the customer's, copied so window checks need no join
    leased_by: int | None = Field(default=None, foreign_key="user_account.id")
    lease_expires_at: datetime | None = when()
    lease_token: str | None = Field(default=None, max_length=40)
    attempts_total: int = 0
    attempts_today: int = 0
    attempts_on: date | None = None  # the customer's local day that ``attempts_today`` counts
    retries: int = 0  # outcomes with a retry rule in a row (reset by a reached call without one)
    not_before: datetime | None = when()  # set by a retry rule or a skip: the entry waits at least until then
    last_attempt_at: datetime | None = when()
    last_reached_at: datetime | None = when()
    last_outcome: str | None = Field(default=None, max_length=30)
    entered_at: datetime = created()  # when this entry became current: the origin of its waiting time
    done_at: datetime | None = when()  # the strategy is finished for this customer
    done_reason: str | None = Field(default=None, max_length=20)
    created_at: datetime = created()
