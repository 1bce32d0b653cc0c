"""Claim the next customer, keep the lease alive, give the customer back.

"Next" looks in tiers (DESIGN.md): the operator's own due callbacks, then overdue and "anyone" callbacks, then
open tasks near their SLA, then due retries, then fresh customers by priority. Candidates are read without the
write lock (WAL readers never wait); the claim takes the lease on the best candidate still free, falling through
to the next if another operator was faster: on SQLite a compare-and-set per candidate in one short write
transaction, on PostgreSQL one ``FOR UPDATE SKIP LOCKED`` statement over the whole list (store.queue_sql).
A lease expires unless renewed; an expired lease is cleared by the next claim, so the customer returns to the
queue.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from operator_tui.core.queue_rules import QUEUE_TIERS, Tier, effective_priority, open_zones
from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import AccountDeactivated, InvalidInput, ServiceError
from operator_tui.services.runtime import Runtime, runtime, zones
from operator_tui.store.coltypes import utcnow
from operator_tui.store.queue_sql import LOOK_DUE, LOOK_FRESH, rows_as_dicts

if TYPE_CHECKING:  # queue_explain imports this module
    from operator_tui.services.queue_explain import EmptyReasons

CANDIDATES = 8  # read this many per tier, so a collision with another operator falls to the next, not a re-read
ROUNDS = 3  # re-reads of a tier whose candidates were all taken meanwhile
PER_PAIR = 2  # rows read from each (strategy, zone) seek: the best of each, and one behind it
WORK_READ = 64  # callbacks and tasks read per tier, before those in closed windows are left out
SCAN = 8  # rows read in rank order before falling back to seeks per (strategy, zone)
# On PostgreSQL claims do not take turns: dozens of operators may race for the same top customers at one instant,
# each passing over those the others lock (SKIP LOCKED). A longer list lets each of them find one in the same read;
# a read that lost the race reads four times deeper (CandidateReader.forget).
PG_CANDIDATES = 16
PG_SCAN = 8


_token_prefix = os.urandom(4).hex()
_token_serial = itertools.count(1)


def _renew_token_prefix() -> None:
    global _token_prefix
    _token_prefix = os.urandom(4).hex()


os.register_at_fork(after_in_child=_renew_token_prefix)


def _lease_token() -> str:
    """A token no other lease carries: random per process, counted within it (a fresh ``os.urandom`` per claim
    was a system call on every "next"). The record checks it together with the operator, so it only has to be
    unique, not secret."""
    return f"{_token_prefix}{next(_token_serial):08x}"


class QueueEmpty(ServiceError):
    """Nothing is callable for this operator now; the message says why and when that changes, and ``reasons`` says
    the same counted, for a front end to put in the user's language."""

    def __init__(self, message: str, next_at: datetime | None = None, reasons: EmptyReasons | None = None):
        super().__init__(message)
        self.next_at = next_at
        self.reasons = reasons


class LeaseLost(ServiceError):
    """The lease expired or another operator has the customer now; nothing was saved under it."""


@dataclass(frozen=True)
class Claim:
    entry_id: int
    customer_id: int
    strategy_id: str
    lease_token: str
    lease_expires_at: datetime
    tier: Tier
    callback_id: int | None = None
    task_id: int | None = None


def next_customer(db: Database, actor: Actor, now: datetime | None = None) -> Claim:
    """Lease the next customer for ``actor``; raise QueueEmpty with the reason when there is none."""
    actor.require(Role.OPERATOR, "Taking the next customer")
    assert actor.user_id is not None
    now = now or utcnow()
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    expires = now + rt.playbook.queue.lease
    token = _lease_token()
    lease = {"op": actor.user_id, "exp": hot.to_db(expires), "tok": token}
    with hot.connection() as conn:
        _refuse_if_deactivated(db, conn, actor)
        _return_expired_leases(db, conn, sql, now)
        reader = CandidateReader(db, rt, conn, actor, now)
        if not hot.sqlite:
            reader.scan, reader.take, reader.racing = PG_SCAN, PG_CANDIDATES, True
        # The first look at every tier is one statement (one snapshot; on PostgreSQL one round trip): the reads
        # below take its rows instead of running their own.
        reader.look_all()
        for tier in QUEUE_TIERS:
            for _ in range(ROUNDS):
                if tier not in reader.cache:
                    if reader.looked_for(tier):  # the first look's rows: no statement, no read transaction
                        reader.read(tier)
                    else:
                        with hot.reading(conn):
                            reader.read(tier)
                candidates = reader.cache[tier]
                if not candidates:
                    break
                won = _claim_first(db, conn, sql, lease, candidates)
                if won is not None:
                    ref_id, (entry, customer_id, strategy_id) = won
                    return Claim(
                        entry_id=entry,
                        customer_id=customer_id,
                        strategy_id=strategy_id,
                        lease_token=token,
                        lease_expires_at=expires,
                        tier=tier,
                        callback_id=ref_id if tier in (Tier.OWN_CALLBACK, Tier.CALLBACK) else None,
                        task_id=ref_id if tier is Tier.TASK else None,
                    )
                reader.forget(tier)  # all taken meanwhile: read this tier again
    from operator_tui.services.queue_explain import why_empty

    message, reasons = why_empty(db, actor, now)
    raise QueueEmpty(message, reasons.next_at, reasons)


SWEEP_EVERY_S = 1.0
ACTIVE_EVERY_S = 5.0  # how long a process trusts that an operator's account is still active
ACTIVE_CHECKS = "active_checked"  # in Database.cache: user id -> when (monotonic) the account was last seen active


def _refuse_if_deactivated(db: Database, conn: Any, actor: Actor) -> None:
    """An account deactivated after sign-in takes no new customer (services.accounts). Checked at most every
    ``ACTIVE_EVERY_S`` of real time per process and operator: one primary-key read, not one per "next" (a
    deactivation in this process forgets the checks at once). A call already on screen is still saved:
    record_outcome never asks."""
    checked: dict[int, float] = db.cache.setdefault(ACTIVE_CHECKS, {})
    assert actor.user_id is not None
    last = checked.get(actor.user_id)
    if last is not None and time.monotonic() - last < ACTIVE_EVERY_S:
        return
    row = conn.execute(runtime(db).sql.user_active, {"id": actor.user_id}).fetchone()
    if row is None or not row[0]:
        checked.pop(actor.user_id, None)
        raise AccountDeactivated.refusal()
    checked[actor.user_id] = time.monotonic()


def _return_expired_leases(db: Database, conn: Any, sql: Any, now: datetime) -> None:
    """Clear leases that expired, at most once a second per process (each clearing is one indexed UPDATE)."""
    last = db.cache.get("swept_at")
    if last is not None and abs((now - last).total_seconds()) < SWEEP_EVERY_S:
        return
    db.cache["swept_at"] = now
    if conn.execute(sql.any_expired, {"now": db.hot.to_db(now)}).fetchone():
        with db.hot.write(conn) as cur:
            cur.execute(sql.sweep_expired, {"now": db.hot.to_db(now)})


def _claim_first(
    db: Database, conn: Any, sql: Any, lease: dict[str, Any], candidates: list[Candidate]
) -> tuple[int | None, tuple[int, int, str]] | None:
    """Lease the first candidate nobody holds: (its callback or task id, (entry id, customer id, strategy id)), or
    None if all were taken meanwhile.

    SQLite: one write transaction that tries them in turn (writers are serialised, so a try never waits).
    PostgreSQL: one statement over the whole list that locks the first free row ``FOR UPDATE SKIP LOCKED``, passing
    over rows other operators' claims hold at that instant instead of queueing behind their commits; the hot
    connection is in autocommit (store.hot), so the statement is its own transaction: one round trip.
    """
    if db.hot.sqlite:
        with db.hot.write(conn) as cur:
            for ref_id, customer, entry_id in candidates:
                claimed = _cas(cur, sql, lease, entry_id=entry_id, customer_id=customer)
                if claimed is not None:
                    return ref_id, claimed
        return None
    if candidates[0][2] is None:  # callbacks and tasks: named by customer (all of a tier are of one kind)
        row = conn.execute(sql.claim_customers, {**lease, "customers": [c for _, c, _ in candidates]}).fetchone()
        won = None if row is None else next(c for c in candidates if c[1] == row[1])
    else:
        row = conn.execute(sql.claim_entries, {**lease, "ids": [e for _, _, e in candidates]}).fetchone()
        won = None if row is None else next(c for c in candidates if c[2] == row[0])
    return None if row is None or won is None else (won[0], (row[0], row[1], row[2]))


def _cas(cur: Any, sql: Any, lease: dict[str, Any], *, entry_id: int | None, customer_id: int | None) -> Any:
    """Take the lease if nobody holds it: (entry id, customer id, strategy id), or None if someone does (or the
    customer left the queue meanwhile)."""
    if entry_id is None:
        row = cur.execute(sql.claim_customer, {**lease, "customer_id": customer_id}).fetchone()
        return None if row is None else (row[0], customer_id, row[1])
    row = cur.execute(sql.claim_entry, {**lease, "id": entry_id}).fetchone()
    return None if row is None else (entry_id, row[0], row[1])


Candidate = tuple[int | None, int | None, int | None]  # (callback or task id, customer id, queue entry id)
_WORK_TIERS = (Tier.OWN_CALLBACK, Tier.CALLBACK, Tier.TASK)
_LOOK_OF = {**dict.fromkeys(_WORK_TIERS, "work"), Tier.DUE: "due", Tier.FRESH: "fresh"}


class CandidateReader:
    """Reads candidates tier by tier, without the write lock. The three small tiers (callbacks, tasks) come from
    one statement; due and fresh customers from scans in rank order that skip closed time zones, falling back to a
    seek per (strategy, zone) when the best rows read are all in closed zones."""

    def __init__(self, db: Database, rt: Runtime, conn: Any, actor: Actor, now: datetime):
        self.db, self.rt, self.conn, self.actor, self.now = db, rt, conn, actor, now
        self.at = db.hot.to_db(now)
        self.sql = rt.sql
        self.cache: dict[Tier, list[Candidate]] = {}
        self.scan, self.take = SCAN, CANDIDATES
        self.racing = False  # set by the claim on PostgreSQL: read more, and deeper after a lost race
        # Rows of the first look not used yet (look_all), by read: "work", "due", "fresh".
        self.looked: dict[str, list[tuple[Any, ...]]] = {}

    def look_all(self) -> None:
        """Read the rows of ``work``, ``due_scan`` and ``fresh_scan`` in one statement (store.queue_sql
        ``first_look``); each tier's read takes its rows from here the first time, as if it had run its own
        statement, and handles them as before (windows, seeks per pair)."""
        windows = open_pairs(self.db, self.rt, self.conn, self.now)
        strategies = sorted(windows.zones)
        params: dict[str, Any] = {f"s{i}": s for i, s in enumerate(strategies)}
        params |= {**self._work_params(), "scan": self.scan}
        looked: dict[str, list[tuple[Any, ...]]] = {"work": [], "due": [], "fresh": []}
        for tier, ref, customer, strategy_id, zone, priority in self.conn.execute(
            self.sql.first_look(len(strategies)), params
        ).fetchall():
            if tier == LOOK_FRESH:
                looked["fresh"].append((strategy_id, ref, priority, zone))
            elif tier == LOOK_DUE:
                looked["due"].append((ref, strategy_id, zone))
            else:
                looked["work"].append((tier, ref, customer, strategy_id, zone))
        self.looked = looked

    def _rows(self, read: str, statement: str, params: Callable[[], dict[str, Any]]) -> list[tuple[Any, ...]]:
        """The first look's rows for this read, or the read's own statement's (its ``params`` made only then)."""
        rows = self.looked.pop(read, None)
        return self.conn.execute(statement, params()).fetchall() if rows is None else rows

    def looked_for(self, tier: Tier) -> bool:
        """Whether the first look's rows for this tier are still unread (its read then usually runs no statement;
        a seek per (strategy, zone) after it, when the best rows are all in closed zones, is a snapshot of its own)."""
        return _LOOK_OF[tier] in self.looked

    def forget(self, tier: Tier) -> None:
        for stale in _WORK_TIERS if tier in _WORK_TIERS else (tier,):
            self.cache.pop(stale, None)
        if self.racing:
            # Others took every candidate between our read and our claim: a crowd is racing for the top. Read
            # deeper, so each of them finds one (a deep read is slower, so it is not the first one).
            self.scan, self.take = self.scan * 4, self.take * 4
            self.looked.clear()  # read at the old depth: the tiers not read yet read deeper themselves

    def read(self, tier: Tier) -> list[Candidate]:
        if tier not in self.cache:
            if tier in _WORK_TIERS:
                self._work()
            else:
                self.cache[tier] = self._due() if tier is Tier.DUE else self._fresh()
        return self.cache[tier]

    def _work_params(self) -> dict[str, Any]:
        hot, queue = self.db.hot, self.rt.playbook.queue
        return {
            "op": self.actor.user_id,
            "now": self.at,
            "k": WORK_READ,
            "grace": hot.to_db(self.now - queue.callback_grace),
            "lead": hot.to_db(self.now + queue.task_lead),
        }

    def _work(self) -> None:
        for tier in _WORK_TIERS:
            self.cache[tier] = []
        rows = self._rows("work", self.sql.work, self._work_params)
        if not rows:
            return
        # Callbacks and tasks respect the calling window in the customer's zone too: one due at 19:00 is not
        # rung at 21:00 their time because it went overdue.
        windows = open_pairs(self.db, self.rt, self.conn, self.now)
        for rank, ref, customer, strategy_id, zone in rows:
            if (strategy_id, zone) in windows.pairs and len(self.cache[_WORK_TIERS[rank]]) < self.take:
                self.cache[_WORK_TIERS[rank]].append((ref, customer, None))

    def _due(self) -> list[Candidate]:
        rows = self._rows("due", self.sql.due_scan, lambda: {"now": self.at, "scan": self.scan})
        if not rows:
            return []
        windows = open_pairs(self.db, self.rt, self.conn, self.now)
        hits: list[Candidate] = [
            (None, None, entry) for entry, strategy_id, zone in rows if (strategy_id, zone) in windows.pairs
        ]
        if hits or len(rows) < self.scan:
            return hits[: self.take]
        # The oldest due customers are all in closed zones: seek zone by zone.
        pairs = sorted(windows.pairs)
        return [(None, None, e) for e, _ in _per_pair(self.conn, self.sql, "due", pairs, windows, self.at)]

    def _fresh(self) -> list[Candidate]:
        windows = open_pairs(self.db, self.rt, self.conn, self.now)
        strategies = sorted(windows.zones)
        if not strategies:
            return []
        params: dict[str, Any] = {f"s{i}": s for i, s in enumerate(strategies)}
        rows = self._rows("fresh", self.sql.fresh_scan(len(strategies)), lambda: {**params, "scan": self.scan})
        scored: list[tuple[float, int]] = []
        read: dict[str, int] = {}
        usable: set[str] = set()
        for strategy_id, entry, priority, zone in rows:
            read[strategy_id] = read.get(strategy_id, 0) + 1
            if zone in windows.zones[strategy_id]:
                usable.add(strategy_id)
                scored.append((priority + windows.shift[strategy_id], entry))
        for strategy_id in strategies:
            if read.get(strategy_id, 0) == self.scan and strategy_id not in usable:
                # Its best customers are all in closed zones: seek zone by zone.
                pairs = [(strategy_id, zone) for zone in sorted(windows.zones[strategy_id])]
                scored += [(key, e) for e, key in _per_pair(self.conn, self.sql, "fresh", pairs, windows, self.at)]
        scored.sort(key=lambda hit: -hit[0])
        return [(None, None, entry) for _, entry in scored[: self.take]]


@dataclass(frozen=True)
class OpenWindows:
    """Where calling is allowed this minute: the open (strategy, zone) pairs, the open zones per strategy, and
    each strategy's waiting shift (to compare fresh priorities across strategies)."""

    pairs: frozenset[tuple[str, str]]
    zones: dict[str, frozenset[str]]
    shift: dict[str, float]


def open_pairs(db: Database, rt: Runtime, conn: Any, now: datetime) -> OpenWindows:
    """The open windows, cached per minute (windows are written in whole minutes, and the waiting shift moves by
    about a millionth of a weight per minute)."""
    key = (now.replace(second=0, microsecond=0), rt.playbook_version_id, rt.zones_at)
    cached = db.cache.get("open_windows")
    if cached is not None and cached[0] == key:
        return cast(OpenWindows, cached[1])
    in_use = zones(db, rt, conn)
    by_strategy = {
        strategy.id: frozenset(open_zones(rt.windows[strategy.window], in_use, now, rt.holidays))
        for strategy in rt.playbook.strategies
    }
    windows = OpenWindows(
        pairs=frozenset((s, z) for s, zs in by_strategy.items() for z in zs),
        zones={s: zs for s, zs in by_strategy.items() if zs},
        shift={s.id: effective_priority(s, 0.0, now) for s in rt.playbook.strategies},
    )
    db.cache["open_windows"] = ((key[0], rt.playbook_version_id, rt.zones_at), windows)
    return windows


def _per_pair(
    conn: Any, sql: Any, tier: str, pairs: list[tuple[str, str]], windows: OpenWindows, at: Any
) -> list[tuple[int, Any]]:
    """The slow but sure way: one index seek per (strategy, zone) pair; returns (entry id, sort key) rows (none when
    no pair is open: every calling window closed)."""
    if not pairs:
        return []
    params: dict[str, Any] = {"now": at, "k": CANDIDATES, "per_pair": PER_PAIR}
    for i, (strategy_id, zone) in enumerate(pairs):
        params[f"s{i}"], params[f"z{i}"], params[f"w{i}"] = strategy_id, zone, windows.shift[strategy_id]
    return [(entry, key) for entry, key in conn.execute(sql.candidates(tier, len(pairs)), params).fetchall()]


def renew(db: Database, actor: Actor, claim: Claim, now: datetime | None = None) -> Claim:
    """Extend the lease while the card is open; LeaseLost if it expired or was taken over."""
    actor.require(Role.OPERATOR, "Keeping a customer")
    now = now or utcnow()
    rt = runtime(db)
    expires = now + rt.playbook.queue.lease
    with db.hot.connection() as conn, db.hot.write(conn) as cur:
        cur.execute(
            rt.sql.renew,
            {"exp": db.hot.to_db(expires), "id": claim.entry_id, "tok": claim.lease_token, "now": db.hot.to_db(now)},
        )
        if cur.rowcount != 1:
            raise LeaseLost(_LOST)
    return Claim(**{**claim.__dict__, "lease_expires_at": expires})


def release(
    db: Database, actor: Actor, claim: Claim, reason: str, now: datetime | None = None, *, delay: bool = True
) -> None:
    """Give the customer back without a call (skip), with a reason; they wait ``skip_delay`` before coming back
    (a callback being worked is put off by as much). Without ``delay`` (a customer the operator opened by search
    and closed untouched) they keep their place in the queue: looking someone up does not put off their call."""
    actor.require(Role.OPERATOR, "Skipping a customer")
    if not reason.strip():
        raise InvalidInput.said("say why the customer is skipped")
    now = now or utcnow()
    rt = runtime(db)
    hot = db.hot
    ready = now + rt.playbook.queue.skip_delay
    with hot.connection() as conn, hot.write(conn) as cur:
        row = cur.execute(rt.sql.entry_by_id, {"id": claim.entry_id}).fetchone()
        names = [d[0] for d in cur.description]
        entry = dict(zip(names, row, strict=True)) if row else None
        if entry is None or entry["lease_token"] != claim.lease_token:
            raise LeaseLost(_LOST)
        if delay:
            place = {
                "phase": entry["phase"] if entry["phase"] == "hold" else "wait",
                "ready_at": hot.to_db(max(ready, hot.from_db(entry["ready_at"]) or ready)),
                "not_before": hot.to_db(ready),
            }
        else:
            place = {name: entry[name] for name in ("phase", "ready_at", "not_before")}
        cur.execute(rt.sql.release, {**place, "id": claim.entry_id, "tok": claim.lease_token, "now": hot.to_db(now)})
        if cur.rowcount != 1:
            raise LeaseLost(_LOST)
        if claim.callback_id is not None and delay:  # else the callback tier hands the customer straight back
            cur.execute(rt.sql.delay_callback, {"id": claim.callback_id, "due_at": hot.to_db(ready)})
        cur.execute(
            rt.sql.insert_audit,
            {
                "at": hot.to_db(now),
                "user_id": actor.user_id,
                "action": "queue.skip" if delay else "queue.close",
                "entity": "customer",
                "entity_id": str(claim.customer_id),
                "detail": json.dumps({"reason": reason.strip()}, ensure_ascii=False),
            },
        )


_LOST = (
    "This customer is no longer yours: the lease expired or another operator has them now. "
    "Nothing was saved; your answers are kept on this screen."
)


def take_customer(db: Database, actor: Actor, customer_id: int, now: datetime | None = None) -> Claim:
    """Lease a given customer (an inbound call, a search): the same lease "next" takes, on their current queue
    entry, made if the customer has none (then it only holds them: the queue does not hand them out)."""
    actor.require(Role.OPERATOR, "Opening a customer")
    assert actor.user_id is not None
    now = now or utcnow()
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    expires = now + rt.playbook.queue.lease
    token = _lease_token()
    lease = {"op": actor.user_id, "exp": hot.to_db(expires), "tok": token}
    with hot.connection() as conn:
        _refuse_if_deactivated(db, conn, actor)
        _return_expired_leases(db, conn, sql, now)
        with hot.reading(conn):
            rows = rows_as_dicts(conn.execute(sql.customer_facts, {"customer_id": customer_id}))
            entries = rows_as_dicts(conn.execute(sql.entries_of_customer, {"customer_id": customer_id}))
        if not rows:
            raise InvalidInput.said("no customer #{customer}", customer=customer_id)
        customer = rows[0]
        with hot.write(conn) as cur:
            if not any(e["phase"] != "off" for e in entries):
                strategies = rt.playbook.strategies
                strategy = next((s for s in strategies if customer["stage"] in s.stage), strategies[0])
                cur.execute(
                    sql.upsert_entry,
                    {
                        "customer_id": customer_id,
                        "strategy_id": strategy.id,
                        "phase": "hold",
                        "ready_at": hot.to_db(now),
                        "priority": 0.0,
                        "time_zone": customer["time_zone"],
                        "entered_at": hot.to_db(now),
                        "not_before": None,
                        "done_at": None,
                        "done_reason": None,
                        "now": hot.to_db(now),
                    },
                )
            claimed = _cas(cur, sql, lease, entry_id=None, customer_id=customer_id)
        if claimed is None:
            raise ServiceError.said("Another operator has this customer on screen now; try again when they are done.")
    entry, _, strategy_id = claimed
    return Claim(entry, customer_id, strategy_id, token, expires, Tier.INBOUND)


def resume(db: Database, actor: Actor, now: datetime | None = None) -> Claim | None:
    """The customer this operator still holds (the screen was closed or crashed mid-call), taken again with a
    fresh lease so the call and its draft answers carry on; None when they hold nobody."""
    actor.require(Role.OPERATOR, "Taking a customer")
    now = now or utcnow()
    sql = runtime(db).sql
    with db.hot.connection() as conn:
        row = conn.execute(sql.held_by, {"op": actor.user_id, "now": db.hot.to_db(now)}).fetchone()
    return None if row is None else take_customer(db, actor, row[0], now)
