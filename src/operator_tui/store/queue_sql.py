"""The queue's hot statements, built with SQLAlchemy Core once per dialect and kept as text with named parameters.

Each query sits next to the index it relies on (see ``tables/queue.py``):

- candidates for "next" read the partial indexes ``ix_queue_due`` / ``ix_queue_fresh`` with one seek per
  (strategy, open time zone) pair, merged in one statement; they run outside the write lock;
- the claim itself, on SQLite, is a compare-and-set UPDATE on one row (``WHERE leased_by IS NULL``) inside a short
  write transaction (``BEGIN IMMEDIATE``), so two operators can never hold the same customer; on PostgreSQL it is
  one statement over the whole candidate list (``claim_entries`` / ``claim_customers``): the first candidate still
  free is locked with ``FOR UPDATE SKIP LOCKED`` (rows another transaction holds are passed over, not waited
  for) and its lease set in the same statement, so operators racing for the same top customers never queue on
  one row lock;
- expired leases are found through ``ix_queue_leased``.

The predicates repeat the partial indexes' own text (``FRESH`` / ``DUE``): SQLite only uses a partial index when
the query's WHERE clause visibly implies the index's. Where the planners differ, the text differs by dialect here
and nowhere else (a correlated ``IN (... LIMIT)`` that SQLite seeks, PostgreSQL runs as a LATERAL join; a
``DISTINCT`` that SQLite skips through, PostgreSQL reads as a loose index scan); tests/queue/test_plans.py and
test_pg_plans.py check each plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, insert, literal_column, null, or_, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, ColumnElement, Insert

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
from operator_tui.store.tables.queue import DUE, FRESH

CURRENT = "phase <> 'off'"
OPEN: ColumnElement[str] = literal_column("'open'")

QUEUE: Table = QueueEntry.__table__  # type: ignore[attr-defined]
CUSTOMER: Table = Customer.__table__  # type: ignore[attr-defined]
INTERACTION: Table = Interaction.__table__  # type: ignore[attr-defined]
ANSWER: Table = Answer.__table__  # type: ignore[attr-defined]
CALLBACK: Table = Callback.__table__  # type: ignore[attr-defined]
TASK: Table = Task.__table__  # type: ignore[attr-defined]
STAGE_CHANGE: Table = StageChange.__table__  # type: ignore[attr-defined]
PERMISSION: Table = ContactPermission.__table__  # type: ignore[attr-defined]
AUDIT: Table = AuditEntry.__table__  # type: ignore[attr-defined]

# The entry's history and place, written by every recorded outcome.
ENTRY_FIELDS = (
    "phase", "ready_at", "priority", "attempts_total", "attempts_today", "attempts_on", "retries", "not_before",
    "last_attempt_at", "last_reached_at", "last_outcome", "done_at", "done_reason",
)  # fmt: skip
PLACE_FIELDS = ("phase", "ready_at", "priority", "time_zone", "entered_at", "not_before", "done_at", "done_reason")


UNLEASE: dict[str, Any] = {"leased_by": null(), "lease_expires_at": null(), "lease_token": null()}
# Setting an indexed column, even to the value it has, rewrites its entry in every index that holds the column or
# tests it in its WHERE (a page more in the commit each): a save leaves these out when they stay as they were.
KEPT_ENTRY_FIELDS = ("phase", "last_reached_at")  # ix_queue_current / ix_queue_reached (phase: the ready sets too)
CUSTOMER_STAGE = ("stage", "stage_since")  # ix_customer_stage_segment


def _mine() -> list[ColumnElement[bool]]:
    """The entry under this lease (parameters ``id``, ``tok``, ``now``): its token, not expired."""
    q = QUEUE.c
    return [q.id == bindparam("id"), q.lease_token == bindparam("tok"), q.lease_expires_at >= bindparam("now")]


@lru_cache(maxsize=16)
def _close_entry(dialect_name: str, kept: tuple[str, ...]) -> str:
    """Unlease the worked entry and write its history and place (``ENTRY_FIELDS`` but ``kept``), if the lease is
    still the operator's (``op``)."""
    assert set(kept) <= set(KEPT_ENTRY_FIELDS), kept
    values: dict[str, Any] = {name: bindparam(name) for name in ENTRY_FIELDS if name not in kept}
    stmt = update(QUEUE).where(*_mine(), QUEUE.c.leased_by == bindparam("op")).values(**UNLEASE, **values)
    return _compile(stmt, _dialect(dialect_name))


CUSTOMER_AFTER_CALL = (
    "dnc", "consent", "last_contact_at", "last_nps", "churn_risk", "upsell_propensity", "wrong_phones",
)  # fmt: skip
"""The customer's columns every save writes (and ``stage``, ``stage_since`` when the stage moves)."""


@lru_cache(maxsize=4)
def _update_customer(dialect_name: str, stage_kept: bool) -> str:
    """The customer after a call (its stage only when it moves)."""
    names: tuple[str, ...] = CUSTOMER_AFTER_CALL
    if not stage_kept:
        names = CUSTOMER_STAGE + names
    values: dict[str, Any] = {name: bindparam(name) for name in names} | {"updated_at": bindparam("now")}
    stmt = update(CUSTOMER).where(CUSTOMER.c.id == bindparam("customer_id")).values(values)
    return _compile(stmt, _dialect(dialect_name))


def placeholder(dialect_name: str) -> Callable[[str], str]:
    """How a named parameter is written in SQL text for the dialect's driver."""
    if dialect_name == "sqlite":
        return lambda name: f":{name}"
    return lambda name: f"%({name})s"


def _dialect(name: str) -> Dialect:
    if name == "sqlite":
        return sqlite.dialect(paramstyle="named")
    return psycopg.dialect(paramstyle="pyformat")  # type: ignore[no-untyped-call]


def _insert(table: Table, *skip: str) -> Insert:
    columns = [c.name for c in table.columns if c.name != "id" and c.name not in skip]
    return insert(table).values({name: bindparam(name) for name in columns})


@dataclass(frozen=True)
class QueueSql:
    """The statements as text for one dialect; build with :func:`statements`."""

    dialect: str
    claim_entry: str
    claim_customer: str
    claim_entries: str  # PostgreSQL: the first free entry of ``ids`` (in that order), skipping locked rows
    claim_customers: str  # PostgreSQL: the same for the current entries of ``customers``
    sweep_expired: str
    any_expired: str
    user_active: str
    held_by: str
    any_due: str
    due_scan: str
    renew: str
    release: str
    entry_by_id: str
    entries_of_customer: str
    customer_facts: str
    purchase_totals: str
    open_callbacks_of: str
    work: str
    zones: str
    interaction_by_attempt: str
    upsert_entry: str
    insert_interaction: str
    upsert_answer: str
    drop_drafts: str
    insert_stage_change: str
    insert_callback: str
    close_callback: str
    cancel_callbacks: str
    delay_callback: str
    insert_task: str
    close_task: str
    insert_permission: str
    insert_audit: str

    def param(self, name: str) -> str:
        return f":{name}" if self.dialect == "sqlite" else f"%({name})s"

    def candidates(self, tier: str, pairs: int) -> str:
        return _candidates(self.dialect, tier, pairs)

    def fresh_scan(self, strategies: int) -> str:
        return _fresh_scan(self.dialect, strategies)

    def first_look(self, strategies: int) -> str:
        """``work``, ``due_scan`` and ``fresh_scan`` as one statement (see :func:`_first_look`)."""
        return _first_look(self.dialect, strategies)

    def save_reads(self) -> str:
        """PostgreSQL: what a save reads, as one statement (see :func:`_save_reads`); "" on SQLite."""
        return _save_reads(self.dialect)

    def close_entry(self, kept: tuple[str, ...] = ()) -> str:
        """The worked entry's UPDATE under its lease, leaving out ``kept`` (of :data:`KEPT_ENTRY_FIELDS`): the
        indexed columns whose value the save does not change (see :func:`_close_entry`)."""
        return _close_entry(self.dialect, kept)

    def update_customer(self, stage_kept: bool = False) -> str:
        """The customer's UPDATE after a call, without ``stage`` and ``stage_since`` when the stage stays."""
        return _update_customer(self.dialect, stage_kept)

    def record(self, shape: RecordShape) -> tuple[str, tuple[str, ...]]:
        """PostgreSQL: a save as one statement (see :func:`_record`), with ``$n`` placeholders, and the names of
        the parameters in their order; ("", ()) on SQLite."""
        return _record(self.dialect, shape)


def _compile(stmt: ClauseElement, dialect: Dialect) -> str:
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    unnamed = [name for name, value in compiled.params.items() if value is not None]
    assert not unnamed, f"constants must be literal in hot statements, found parameters {unnamed}"
    return str(compiled)


def _skip_locked_claim(dialect_name: str, key: str, values: str) -> str:
    """PostgreSQL's claim: lock the first row of the candidate list (``values``, an array parameter, matched on
    column ``key``) that is current, unleased and not locked by another transaction, and lease it, in one
    statement (its own transaction on the hot path's autocommit connection). Rows are locked in the list's order
    under the LIMIT, and a row another claim changed meanwhile is re-checked against ``leased_by IS NULL``."""
    if dialect_name == "sqlite":
        return ""  # SQLite serialises writers anyway: its claim is a compare-and-set per candidate
    p = placeholder(dialect_name)
    return (
        f"UPDATE queue_entry SET leased_by = {p('op')}, lease_expires_at = {p('exp')}, lease_token = {p('tok')} "
        f"WHERE id = (SELECT id FROM queue_entry WHERE {key} = ANY({p(values)}) AND {CURRENT} AND leased_by IS NULL "
        f"ORDER BY array_position({p(values)}, {key}) LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "RETURNING id, customer_id, strategy_id"
    )


# The time zones in use: SQLite reads the DISTINCT from ix_customer_time_zone in one pass; PostgreSQL would read
# every index entry (80 ms at a million customers), so it hops from one zone to the next (a loose index scan).
_ZONES = {
    "sqlite": "SELECT DISTINCT time_zone FROM customer",
    "postgresql": (
        "WITH RECURSIVE z(tz) AS (SELECT min(time_zone) FROM customer UNION ALL SELECT (SELECT min(time_zone) "
        "FROM customer WHERE time_zone > z.tz) FROM z WHERE z.tz IS NOT NULL) SELECT tz FROM z WHERE tz IS NOT NULL"
    ),
}


def _work_arms(dialect_name: str) -> list[str]:
    """The callbacks and tasks tiers' reads, ``(tier, id, customer_id, strategy_id, time_zone)`` rows each, in
    due order (``work`` puts a LIMIT ``k`` on each and joins them)."""
    p = placeholder(dialect_name)
    return [
        # 0: the operator's own due callbacks
        "SELECT 0 AS tier, cb.id, cb.customer_id, q.strategy_id, q.time_zone FROM callback cb "
        "JOIN queue_entry q ON q.customer_id = "
        f"cb.customer_id AND q.{CURRENT} WHERE cb.owner_id = {p('op')} AND cb.status = 'open' "
        f"AND cb.due_at <= {p('now')} AND q.leased_by IS NULL ORDER BY cb.due_at",
        # 1: "anyone" callbacks, and personal ones overdue by more than the grace period
        "SELECT 1 AS tier, cb.id, cb.customer_id, q.strategy_id, q.time_zone FROM callback cb "
        "JOIN queue_entry q ON q.customer_id = "
        f"cb.customer_id AND q.{CURRENT} WHERE cb.status = 'open' AND cb.due_at <= {p('now')} "
        f"AND (cb.owner_id IS NULL OR cb.due_at <= {p('grace')}) AND q.leased_by IS NULL "
        "ORDER BY cb.due_at",
        # 2: open tasks due within the lead time, not waiting out a retry delay
        "SELECT 2 AS tier, t.id, t.customer_id, q.strategy_id, q.time_zone FROM task t "
        "JOIN queue_entry q ON q.customer_id = "
        f"t.customer_id AND q.{CURRENT} WHERE t.status = 'open' AND t.due_at <= {p('lead')} "
        f"AND (t.assignee_id IS NULL OR t.assignee_id = {p('op')}) AND q.leased_by IS NULL "
        f"AND (q.not_before IS NULL OR q.not_before <= {p('now')}) ORDER BY t.due_at",
    ]


@lru_cache(maxsize=4)
def statements(dialect_name: str) -> QueueSql:
    d = _dialect(dialect_name)
    q = QUEUE.c
    p = placeholder(dialect_name)
    # PostgreSQL's planner takes a LIMIT 1 over many matching rows for a cheap sequential scan; ordered by the
    # index's own key it walks the index instead.
    due_order = "" if dialect_name == "sqlite" else " ORDER BY ready_at"
    lease: dict[str, Any] = {
        "leased_by": bindparam("op"),
        "lease_expires_at": bindparam("exp"),
        "lease_token": bindparam("tok"),
    }
    mine = _mine()
    upsert = (
        f"INSERT INTO queue_entry (customer_id, strategy_id, {', '.join(PLACE_FIELDS)}, created_at, attempts_total, "
        f"attempts_today, retries) VALUES ({p('customer_id')}, {p('strategy_id')}, "
        f"{', '.join(p(f) for f in PLACE_FIELDS)}, {p('now')}, 0, 0, 0) "
        f"ON CONFLICT (customer_id, strategy_id) DO UPDATE SET "
        + ", ".join(f"{f} = excluded.{f}" for f in PLACE_FIELDS)
    )
    answer_columns = [c.name for c in ANSWER.columns if c.name != "id"]
    upsert_answer = (
        f"INSERT INTO answer ({', '.join(answer_columns)}) VALUES ({', '.join(p(c) for c in answer_columns)}) "
        "ON CONFLICT (attempt_id, node_id) DO UPDATE SET interaction_id = excluded.interaction_id, "
        "value_text = excluded.value_text, value_number = excluded.value_number, position = excluded.position, "
        "answered_at = excluded.answered_at, final = excluded.final, question_type = excluded.question_type, "
        "script_version_id = excluded.script_version_id"
    )
    cb, tk = CALLBACK.c, TASK.c
    return QueueSql(
        dialect=dialect_name,
        claim_entry=_compile(
            update(QUEUE)
            .where(q.id == bindparam("id"), text(CURRENT), q.leased_by.is_(None))
            .values(lease)
            .returning(q.customer_id, q.strategy_id),
            d,
        ),
        claim_customer=_compile(
            update(QUEUE)
            .where(
                q.customer_id == bindparam("customer_id"),
                text(CURRENT),
                or_(q.leased_by.is_(None), q.leased_by == bindparam("op")),
            )  # the holder may take it again
            .values(lease)
            .returning(q.id, q.strategy_id),
            d,
        ),
        claim_entries=_skip_locked_claim(dialect_name, "id", "ids"),
        claim_customers=_skip_locked_claim(dialect_name, "customer_id", "customers"),
        sweep_expired=_compile(
            update(QUEUE).where(q.leased_by.is_not(None), q.lease_expires_at < bindparam("now")).values(UNLEASE), d
        ),
        any_expired=f"SELECT id FROM queue_entry WHERE leased_by IS NOT NULL AND lease_expires_at < {p('now')} LIMIT 1",
        user_active=f"SELECT active FROM user_account WHERE id = {p('id')}",
        held_by=(
            "SELECT customer_id FROM queue_entry WHERE leased_by IS NOT NULL AND "
            f"leased_by = {p('op')} AND lease_expires_at >= {p('now')} LIMIT 1"
        ),
        any_due=f"SELECT id FROM queue_entry WHERE {DUE} AND ready_at <= {p('now')}{due_order} LIMIT 1",
        due_scan=(
            f"SELECT id, strategy_id, time_zone FROM queue_entry WHERE {DUE} AND ready_at <= {p('now')} "
            f"ORDER BY ready_at LIMIT {p('scan')}"
        ),
        renew=_compile(update(QUEUE).where(*mine).values(lease_expires_at=bindparam("exp")), d),
        release=_compile(
            update(QUEUE)
            .where(*mine)
            .values(
                **UNLEASE, phase=bindparam("phase"), ready_at=bindparam("ready_at"), not_before=bindparam("not_before")
            ),
            d,
        ),
        entry_by_id=_compile(select(QUEUE).where(q.id == bindparam("id")), d),
        entries_of_customer=_compile(select(QUEUE).where(q.customer_id == bindparam("customer_id")), d),
        customer_facts=_compile(select(CUSTOMER).where(CUSTOMER.c.id == bindparam("customer_id")), d),
        purchase_totals=(
            f"SELECT count(*), sum(CASE WHEN at >= {p('recent')} THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN at < {p('recent')} AND at >= {p('before')} THEN 1 ELSE 0 END), min(at), max(at), "
            f"count(DISTINCT category), (SELECT count(*) FROM task WHERE customer_id = {p('customer_id')} "
            f"AND status = 'open' AND kind = {p('kind')}) FROM purchase WHERE customer_id = {p('customer_id')}"
        ),
        open_callbacks_of=_compile(
            select(cb.id, cb.due_at, cb.strategy_id)
            .where(cb.customer_id == bindparam("customer_id"), cb.status == OPEN)
            .order_by(cb.due_at),
            d,
        ),
        work=" UNION ALL ".join(
            f"SELECT * FROM ({arm} LIMIT {p('k')}) AS w{rank}" for rank, arm in enumerate(_work_arms(dialect_name))
        ),
        zones=_ZONES["sqlite" if dialect_name == "sqlite" else "postgresql"],
        interaction_by_attempt=_compile(
            select(INTERACTION.c.id, INTERACTION.c.stage_after).where(
                INTERACTION.c.attempt_id == bindparam("attempt_id")
            ),
            d,
        ),
        upsert_entry=upsert,
        insert_interaction=_compile(_insert(INTERACTION).returning(INTERACTION.c.id), d),
        upsert_answer=upsert_answer,
        drop_drafts=_compile(
            ANSWER.delete().where(ANSWER.c.attempt_id == bindparam("attempt_id"), ANSWER.c.final.is_(False)), d
        ),
        insert_stage_change=_compile(_insert(STAGE_CHANGE), d),
        insert_callback=_compile(_insert(CALLBACK), d),
        close_callback=_compile(
            update(CALLBACK)
            .where(cb.id == bindparam("id"), cb.status == OPEN)
            .values(
                status=literal_column("'done'"),
                done_at=bindparam("now"),
                done_interaction_id=bindparam("interaction_id"),
            ),
            d,
        ),
        cancel_callbacks=_compile(
            update(CALLBACK)
            .where(cb.customer_id == bindparam("customer_id"), cb.status == OPEN)
            .values(status=literal_column("'cancelled'"), done_at=bindparam("now")),
            d,
        ),
        delay_callback=_compile(
            update(CALLBACK).where(cb.id == bindparam("id"), cb.status == OPEN).values(due_at=bindparam("due_at")), d
        ),
        insert_task=_compile(_insert(TASK), d),
        close_task=_compile(
            update(TASK)
            .where(tk.id == bindparam("id"), tk.status == OPEN)
            .values(status=literal_column("'done'"), closed_at=bindparam("now"), closed_by=bindparam("op")),
            d,
        ),
        insert_permission=_compile(_insert(PERMISSION), d),
        insert_audit=_compile(_insert(AUDIT), d),
    )


@lru_cache(maxsize=64)
def _candidates(dialect_name: str, tier: str, pairs: int) -> str:
    """One statement with a seek per (strategy, zone) pair: ``s0, z0, w0, s1, z1, w1, ...`` plus ``now``, ``k``
    and ``per_pair``. ``w`` is each strategy's waiting shift, so fresh priorities compare across strategies.

    The pairs are a VALUES list joined to the top ``per_pair`` rows of each pair's index range (a correlated
    ``IN (... LIMIT)``), which costs a few microseconds per pair; a UNION of sub-selects costs several times
    more. Returns ``(id, key)`` rows best first: the earliest ready time (due), the highest priority (fresh).
    """
    p = placeholder(dialect_name)
    cast = "" if dialect_name == "sqlite" else "::float"
    # The planner must seek the per-zone index; without statistics SQLite might rather filter the rank index.
    hint = f" INDEXED BY ix_queue_{tier}" if dialect_name == "sqlite" else ""
    values = ", ".join(f"({p(f's{i}')}, {p(f'z{i}')}, {p(f'w{i}')}{cast})" for i in range(pairs))
    if tier == "due":
        seek = f"{DUE} AND ready_at <= {p('now')} ORDER BY ready_at"
        key, order = "q.ready_at", "ASC"
    else:
        seek = f"{FRESH} ORDER BY priority DESC"
        key, order = "q.priority + pairs.w", "DESC"
    if dialect_name == "sqlite":
        return (
            f"WITH pairs(s, z, w) AS (VALUES {values}) SELECT q.id, {key} AS sort_key FROM pairs "
            f"JOIN queue_entry q ON q.id IN (SELECT id FROM queue_entry{hint} WHERE strategy_id = pairs.s "
            f"AND time_zone = pairs.z AND {seek} LIMIT {p('per_pair')}) ORDER BY sort_key {order} LIMIT {p('k')}"
        )
    # PostgreSQL does not turn the correlated IN (... LIMIT) into a seek (it scans queue_entry and runs the
    # sub-select per row); a LATERAL join is its way of saying "the top rows of each pair".
    return (
        f"WITH pairs(s, z, w) AS (VALUES {values}) SELECT q.id, {key} AS sort_key FROM pairs "
        f"CROSS JOIN LATERAL (SELECT id, ready_at, priority FROM queue_entry WHERE strategy_id = pairs.s "
        f"AND time_zone = pairs.z AND {seek} LIMIT {p('per_pair')}) AS q ORDER BY sort_key {order} LIMIT {p('k')}"
    )


ENTRY_COLUMNS = tuple(c.name for c in QUEUE.columns)
CUSTOMER_COLUMNS = tuple(c.name for c in CUSTOMER.columns)


@lru_cache(maxsize=2)
def _save_reads(dialect_name: str) -> str:
    """PostgreSQL: in one statement, what ``entries_of_customer``, ``customer_facts``, ``purchase_totals`` and
    ``open_callbacks_of`` read for a save (parameters ``customer_id``, ``recent``, ``before``, ``kind``): a row per
    queue entry of the customer (one with NULL entry columns if it has none), each with the customer's columns,
    the seven purchase totals and the open callbacks as three arrays (ids, due times, strategies) in due order.
    Split the rows with :func:`split_save_reads`. On SQLite, which has no round trips to save, "" (the four run
    one by one)."""
    if dialect_name == "sqlite":
        return ""
    p = placeholder(dialect_name)
    by_due = "ORDER BY due_at, id"
    return (
        "SELECT "
        + ", ".join(f"q.{name}" for name in ENTRY_COLUMNS)
        + ", "
        + ", ".join(f"c.{name}" for name in CUSTOMER_COLUMNS)
        + ", t.*, cb.ids, cb.dues, cb.strategies FROM customer c "
        "LEFT JOIN queue_entry q ON q.customer_id = c.id "
        f"CROSS JOIN LATERAL (SELECT count(*), sum(CASE WHEN at >= {p('recent')} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN at < {p('recent')} AND at >= {p('before')} THEN 1 ELSE 0 END), min(at), max(at), "
        "count(DISTINCT category), (SELECT count(*) FROM task WHERE customer_id = c.id AND status = 'open' "
        f"AND kind = {p('kind')}) FROM purchase WHERE customer_id = c.id) AS t "
        f"CROSS JOIN LATERAL (SELECT array_agg(id {by_due}) AS ids, array_agg(due_at {by_due}) AS dues, "
        f"array_agg(strategy_id {by_due}) AS strategies FROM callback WHERE customer_id = c.id "
        f"AND status = 'open') AS cb WHERE c.id = {p('customer_id')}"
    )


def split_save_reads(rows: list[tuple[Any, ...]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any, Any]:
    """``save_reads``'s rows as what its four statements return: the entries and the customer (dicts), the totals
    row, the open callbacks ``(id, due_at, strategy_id)``."""
    if not rows:
        return [], [], None, []
    e, c = len(ENTRY_COLUMNS), len(CUSTOMER_COLUMNS)
    first = rows[0]
    entries = [dict(zip(ENTRY_COLUMNS, row[:e], strict=True)) for row in rows if row[0] is not None]
    ids, dues, strategies = first[e + c + 7 :]
    callbacks = list(zip(ids, dues, strategies, strict=True)) if ids else []
    return entries, [dict(zip(CUSTOMER_COLUMNS, first[e : e + c], strict=True))], first[e + c : e + c + 7], callbacks


# The parts of a one-statement save (``_record``): each part's parameters carry its prefix, since the parts share
# names with different values (the worked entry's ``phase`` and the target entry's, say).
RECORD_PREFIX = {
    "entry": "e_", "target": "t_", "interaction": "i_", "answer": "n_", "customer": "c_", "stage": "s_",
    "close_callback": "k_", "callback": "b_", "close_task": "x_", "task": "y_", "permission": "m_", "consent": "o_",
    "audit": "a_",
}  # fmt: skip
# An answer's own values, sent as one array each (``unnest``), so one text serves any number of answers; the same
# for new tasks.
ANSWER_ARRAYS = {
    "node_id": "text[]", "question_type": "text[]", "value_text": "text[]", "value_number": "float8[]",
    "position": "int[]",
}  # fmt: skip
TASK_ARRAYS = {"kind": "text[]", "due_at": "timestamp[]"}
# The columns all answers (tasks) of one save share, sent once each.
ANSWER_SHARED = tuple(c.name for c in ANSWER.columns if c.name not in ("id", "interaction_id", *ANSWER_ARRAYS))
TASK_SHARED = tuple(c.name for c in TASK.columns if c.name not in ("id", "interaction_id", *TASK_ARRAYS))


class RecordShape(NamedTuple):
    """Which optional parts a one-statement save has (``QueueSql.record``)."""

    target: bool = False  # the customer moves to another strategy's entry
    stage_change: bool = False
    close_callback: str = ""  # the worked callback: "done" (reached) or "delay" (comes back later), or none
    callback: bool = False  # a new callback
    close_task: bool = False
    tasks: bool = False
    permission: bool = False  # do-not-call: the entry, and every open callback cancelled
    consent: bool = False  # the customer's consent to offers changed: its log entry


@lru_cache(maxsize=64)
def _record(dialect_name: str, shape: RecordShape) -> tuple[str, tuple[str, ...]]:
    """PostgreSQL: a save as one statement, so one round trip and its own transaction on the hot path's autocommit
    connection: data-modifying CTEs, each fed by the one before, so nothing is written unless the worked entry was
    closed under its lease. It closes the entry (``closed``; ``close_entry``'s predicate), upserts the entry the
    customer moves to (``target``, a different row), inserts the interaction (``ins``), upserts its answers
    (arrays ``n_node_id`` ...), updates the customer, and inserts the stage change, closes or delays the worked
    callback, inserts a new one, closes the worked task, inserts new tasks (arrays ``y_kind``, ``y_due_at``), the
    do-not-call entry (cancelling the open callbacks), a change of consent and the audit row: the statements of
    the step-by-step save, one part each. Returns the interaction's id, or no row when the lease is gone.

    Every part reads another part's output, so the entry's row lock comes first, as in the step-by-step save. The
    parts all see the statement's one snapshot and must touch distinct rows; so a save that both cancels the open
    callbacks (do-not-call) and closes, delays or makes one, or that drops draft answers before writing the
    final ones, goes step by step (``one_statement`` says which). On SQLite, which has no data-modifying CTEs,
    ("", ()): it goes step by step under its write lock, with no round trips.

    The text uses PostgreSQL's own ``$n`` placeholders, to be run on a raw cursor with the values in the order of
    the names returned: psycopg parses a ``%(name)s`` query on every run (no cache) when it is longer than 4 kB or
    has more than 50 parameters, as this one does, which cost a third of a millisecond a save."""
    if dialect_name == "sqlite":
        return "", ()
    assert not (shape.permission and (shape.callback or shape.close_callback)), "these parts touch the same rows"
    p = placeholder(dialect_name)

    def given(part: str, table: Table, source: str, **fixed: str) -> str:
        names = [c.name for c in table.columns if c.name != "id"]
        values = ", ".join(fixed.get(n, p(RECORD_PREFIX[part] + n)) for n in names)
        return f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {values} FROM {source}"

    def arrays(part: str, kinds: dict[str, str], alias: str) -> str:
        prefix = RECORD_PREFIX[part]
        unnest = ", ".join(f"{p(prefix + name)}::{kind}" for name, kind in kinds.items())
        return f"ins, unnest({unnest}) AS {alias}({', '.join(kinds)})"

    e = RECORD_PREFIX["entry"]
    unlease = "leased_by = NULL, lease_expires_at = NULL, lease_token = NULL"
    parts = [
        f"closed AS (UPDATE queue_entry SET {unlease}, "
        + ", ".join(f"{f} = {p(e + f)}" for f in ENTRY_FIELDS)
        + f" WHERE id = {p(e + 'id')} AND lease_token = {p(e + 'tok')} AND lease_expires_at >= {p(e + 'now')} "
        f"AND leased_by = {p(e + 'op')} RETURNING id)"
    ]
    if shape.target:
        t = RECORD_PREFIX["target"]
        parts.append(
            f"target AS (INSERT INTO queue_entry (customer_id, strategy_id, {', '.join(PLACE_FIELDS)}, created_at, "
            f"attempts_total, attempts_today, retries) SELECT {p(t + 'customer_id')}, {p(t + 'strategy_id')}, "
            f"{', '.join(p(t + f) for f in PLACE_FIELDS)}, {p(t + 'now')}, 0, 0, 0 FROM closed "
            "ON CONFLICT (customer_id, strategy_id) DO UPDATE SET "
            + ", ".join(f"{f} = excluded.{f}" for f in PLACE_FIELDS)
            + ")"
        )
    parts.append(f"ins AS ({given('interaction', INTERACTION, 'closed')} RETURNING id)")
    answer_values = {name: f"a.{name}" for name in ANSWER_ARRAYS}
    answers = given("answer", ANSWER, arrays("answer", ANSWER_ARRAYS, "a"), interaction_id="ins.id", **answer_values)
    parts.append(
        f"answers AS ({answers} "
        "ON CONFLICT (attempt_id, node_id) DO UPDATE SET interaction_id = excluded.interaction_id, "
        "value_text = excluded.value_text, value_number = excluded.value_number, position = excluded.position, "
        "answered_at = excluded.answered_at, final = excluded.final, question_type = excluded.question_type, "
        "script_version_id = excluded.script_version_id)"
    )
    c = RECORD_PREFIX["customer"]
    customer_fields = (*CUSTOMER_STAGE, *CUSTOMER_AFTER_CALL)
    parts.append(
        "customer AS (UPDATE customer SET "
        + ", ".join(f"{f} = {p(c + f)}" for f in customer_fields)
        + f", updated_at = {p(c + 'now')} FROM closed WHERE customer.id = {p(c + 'customer_id')})"
    )
    if shape.stage_change:
        parts.append(f"stage AS ({given('stage', STAGE_CHANGE, 'ins', interaction_id='ins.id')})")
    k = RECORD_PREFIX["close_callback"]
    if shape.close_callback == "done":
        parts.append(
            "worked_callback AS (UPDATE callback SET status = 'done', done_at = "
            f"{p(k + 'now')}, done_interaction_id = ins.id FROM ins WHERE callback.id = {p(k + 'id')} "
            "AND callback.status = 'open')"
        )
    elif shape.close_callback == "delay":
        parts.append(
            f"worked_callback AS (UPDATE callback SET due_at = {p(k + 'retry_at')} FROM closed "
            f"WHERE callback.id = {p(k + 'id')} AND callback.status = 'open')"
        )
    else:
        assert not shape.close_callback, shape.close_callback
    if shape.callback:
        parts.append(f"new_callback AS ({given('callback', CALLBACK, 'ins', interaction_id='ins.id')})")
    if shape.close_task:
        x = RECORD_PREFIX["close_task"]
        parts.append(
            f"worked_task AS (UPDATE task SET status = 'done', closed_at = {p(x + 'now')}, closed_by = {p(x + 'op')} "
            f"FROM closed WHERE task.id = {p(x + 'id')} AND task.status = 'open')"
        )
    if shape.tasks:
        task_values = {name: f"y.{name}" for name in TASK_ARRAYS}
        tasks = given("task", TASK, arrays("task", TASK_ARRAYS, "y"), interaction_id="ins.id", **task_values)
        parts.append(f"new_tasks AS ({tasks})")
    if shape.permission:
        m = RECORD_PREFIX["permission"]
        parts.append(f"dnc AS ({given('permission', PERMISSION, 'ins', interaction_id='ins.id')})")
        parts.append(
            f"cancelled AS (UPDATE callback SET status = 'cancelled', done_at = {p(m + 'at')} FROM closed "
            f"WHERE callback.customer_id = {p(m + 'customer_id')} AND callback.status = 'open')"
        )
    if shape.consent:
        parts.append(f"consent AS ({given('consent', PERMISSION, 'ins', interaction_id='ins.id')})")
    parts.append(f"audit AS ({given('audit', AUDIT, 'closed')})")
    named = "WITH " + ", ".join(parts) + " SELECT id FROM ins"
    names: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        return f"${names.setdefault(match[1], len(names) + 1)}"

    return re.sub(r"%\((\w+)\)s", number, named), tuple(names)


@lru_cache(maxsize=32)
def _fresh_scan(dialect_name: str, strategies: int) -> str:
    """The top ``scan`` fresh rows of each strategy ``s0, s1, ...`` in priority order, with their time zone, read
    from ``ix_queue_fresh_rank`` alone: ``(strategy_id, id, priority, time_zone)`` rows."""
    return " UNION ALL ".join(
        f"SELECT * FROM ({arm}) AS f{i}" for i, arm in enumerate(_fresh_arms(dialect_name, strategies))
    )


# What the first look's rows carry by tier: 0-2 are ``work``'s tiers, then the due and the fresh rows.
LOOK_DUE, LOOK_FRESH = 3, 4


@lru_cache(maxsize=32)
def _first_look(dialect_name: str, strategies: int) -> str:
    """The first look "next" takes at every tier, in one statement (one round trip instead of three):
    ``work``'s three arms, ``due_scan`` and ``fresh_scan`` for strategies ``s0, s1, ...``, each arm its own
    sub-select with its own ORDER BY and LIMIT (so its own index plan), joined with UNION ALL and read in arm
    order. Rows are ``(tier, id, customer_id, strategy_id, time_zone, priority)``: tiers 0-2 as ``work`` (the
    callback or task id, its customer), :data:`LOOK_DUE` and :data:`LOOK_FRESH` (the entry id, no customer; the
    priority for fresh rows). Parameters: ``work``'s (``op``, ``now``, ``k``, ``grace``, ``lead``), ``scan`` and
    the strategies. On SQLite one statement is also one snapshot, without a read transaction around three."""
    p = placeholder(dialect_name)
    real, integer = ("NULL", "NULL") if dialect_name == "sqlite" else ("NULL::float8", "NULL::integer")
    arms = [
        f"SELECT *, {real} AS priority FROM ({arm} LIMIT {p('k')}) AS w{rank}"
        for rank, arm in enumerate(_work_arms(dialect_name))
    ]
    arms.append(
        f"SELECT {LOOK_DUE}, id, {integer}, strategy_id, time_zone, {real} FROM (SELECT id, strategy_id, "
        f"time_zone FROM queue_entry WHERE {DUE} AND ready_at <= {p('now')} ORDER BY ready_at LIMIT {p('scan')}) "
        "AS d"
    )
    arms += [
        f"SELECT {LOOK_FRESH}, id, {integer}, strategy_id, time_zone, priority FROM ({arm}) AS f{i}"
        for i, arm in enumerate(_fresh_arms(dialect_name, strategies))
    ]
    return " UNION ALL ".join(arms)


def _fresh_arms(dialect_name: str, strategies: int) -> list[str]:
    p = placeholder(dialect_name)
    return [
        f"SELECT strategy_id, id, priority, time_zone FROM queue_entry WHERE strategy_id = {p(f's{i}')} AND {FRESH} "
        f"ORDER BY priority DESC LIMIT {p('scan')}"
        for i in range(strategies)
    ]


def rows_as_dicts(cursor: Any) -> list[dict[str, Any]]:
    """The rows as dicts by column name. psycopg's ``description`` builds a Column object (with its type looked
    up) per column on every call, a fifth of the client's time in a claim and record cycle on a wide row; the
    names alone come straight from the result."""
    result = getattr(cursor, "pgresult", None)
    if result is not None:
        names = [result.fname(i).decode() for i in range(result.nfields)]
    else:
        names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
