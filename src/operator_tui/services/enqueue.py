"""Put customers in the queue: for each customer without a current entry, the strategy that takes them soonest.

Runs after an import, after demo data, and for the benchmark's base; the per-customer decision is
core.queue_rules.place, the same one a recorded outcome uses, so a bulk load and a live call agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from operator_tui.core import queue_rules as rules
from operator_tui.services.database import Database
from operator_tui.services.runtime import facts_of, runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.queue_sql import rows_as_dicts

CHUNK = 5000
_WITHOUT_ENTRY = (
    "SELECT c.* FROM customer c WHERE c.id > {after} {only}AND c.dnc = {false} AND NOT EXISTS "
    "(SELECT 1 FROM queue_entry q WHERE q.customer_id = c.id AND q.phase <> 'off') ORDER BY c.id LIMIT {limit}"
)


def enqueue_new(db: Database, now: datetime | None = None) -> int:
    """Place every callable customer that has no current queue entry; returns how many got one."""
    now = now or utcnow()
    hot = db.hot
    placed, after = 0, 0
    with hot.connection() as conn:
        while True:
            rows = rows_as_dicts(conn.execute(_without_entry(hot, after=after, limit=CHUNK)))
            if not rows:
                break
            after = rows[-1]["id"]
            placed += _place(db, conn, rows, now)
    return placed


def enqueue_customer(db: Database, customer_id: int, now: datetime | None = None) -> bool:
    """Place one customer as ``enqueue_new`` would (one whose numbers were all wrong, given a new one, say);
    whether they got an entry (not when they have one, are on the do-not-call list or no strategy takes them)."""
    hot = db.hot
    with hot.connection() as conn:
        rows = rows_as_dicts(conn.execute(_without_entry(hot, after=0, limit=1, only=customer_id)))
        return bool(rows) and _place(db, conn, rows, now or utcnow()) == 1


def _without_entry(hot: Any, *, after: int, limit: int, only: int | None = None) -> str:
    """Callable customers without a current entry, from id ``after`` on (only customer ``only``, if given)."""
    return _WITHOUT_ENTRY.format(
        after=int(after),
        only="" if only is None else f"AND c.id = {int(only)} ",
        false="0" if hot.sqlite else "false",
        limit=int(limit),
    )


def _place(db: Database, conn: Any, rows: list[dict[str, Any]], now: datetime) -> int:
    """Give each of these customers (rows in id order) the entry core.queue_rules.place decides; how many got one."""
    rt = runtime(db)
    hot, pb, sql = db.hot, rt.playbook, rt.sql
    callbacks = _open_callbacks(conn, sql, rows[0]["id"], rows[-1]["id"])
    params: list[dict[str, Any]] = []
    for row in rows:
        facts = facts_of(row)
        due, strategy_id = callbacks.get(row["id"], (None, None))
        placement = rules.place(pb, facts, {}, now, callback_at=hot.from_db(due), callback_strategy=strategy_id)
        if placement is None:
            continue
        strategy = pb.strategy(placement.strategy_id)
        params.append(
            {
                "customer_id": row["id"],
                "strategy_id": strategy.id,
                "phase": placement.phase,
                "ready_at": hot.to_db(placement.ready_at),
                "time_zone": facts.time_zone,
                "priority": rules.stored_priority(strategy, facts, now),
                "entered_at": hot.to_db(now),
                "not_before": None,
                "done_at": None,
                "done_reason": None,
                "now": hot.to_db(now),
            }
        )
    if params:
        with hot.write(conn) as cur:
            cur.executemany(sql.upsert_entry, params)
    return len(params)


def _open_callbacks(conn: Any, sql: Any, first: int, last: int) -> dict[int, tuple[Any, str | None]]:
    """The earliest open callback of each customer in ``first..last``: it holds the customer (core.queue_rules)."""
    rows = conn.execute(
        "SELECT customer_id, min(due_at), min(strategy_id) FROM callback WHERE status = 'open' "
        f"AND customer_id BETWEEN {sql.param('first')} AND {sql.param('last')} GROUP BY customer_id",
        {"first": first, "last": last},
    ).fetchall()
    return {customer: (due, strategy) for customer, due, strategy in rows}
