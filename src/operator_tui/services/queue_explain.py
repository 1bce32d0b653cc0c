"""Why: why a customer is or is not callable now and when they will be; how deep the queue is per tier and
strategy; and, when an operator's queue is empty, what everyone is waiting for and when it changes.

These read more than the claim does (counts over the ready sets, every strategy of a customer); they run when a
person asks, never on the claim's path except to explain an empty queue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from operator_tui.core import queue_rules as rules
from operator_tui.core.phones import zone as zone_of
from operator_tui.core.roles import Role
from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import NotFound
from operator_tui.services.runtime import entry_of, facts_of, runtime, zones
from operator_tui.store.coltypes import utcnow
from operator_tui.store.queue_sql import rows_as_dicts


@dataclass
class CustomerExplanation:
    customer_id: int
    name: str
    callable_now: bool
    next_at: datetime | None
    lines: list[str]


def explain_customer(db: Database, actor: Actor, customer_id: int, now: datetime | None = None) -> CustomerExplanation:
    """Why this customer is or is not callable now, strategy by strategy, and when they will be."""
    actor.require(Role.SUPERVISOR, "Explaining a customer's place in the queue")
    now = now or utcnow()
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    with hot.connection() as conn:
        rows = rows_as_dicts(conn.execute(sql.customer_facts, {"customer_id": customer_id}))
        if not rows:
            raise NotFound(f"no customer #{customer_id}")
        customer = rows[0]
        entries = rows_as_dicts(conn.execute(sql.entries_of_customer, {"customer_id": customer_id}))
        callbacks = conn.execute(sql.open_callbacks_of, {"customer_id": customer_id}).fetchall()
        holder = None
        current_row = next((e for e in entries if e["phase"] != "off"), None)
        if current_row and current_row["leased_by"]:
            holder = conn.execute(
                "SELECT login FROM user_account WHERE id = " + sql.param("id"), {"id": current_row["leased_by"]}
            ).fetchone()
    facts = facts_of(customer)
    history = {e["strategy_id"]: entry_of(e) for e in entries}
    current = None
    if current_row is not None:
        current = rules.Placement(
            current_row["strategy_id"],
            current_row["phase"],
            hot.from_db(current_row["ready_at"]) or now,
            _wait_reason(current_row, now, hot),
        )
    explanation = rules.explain(
        rt.playbook,
        facts,
        history,
        now,
        current=current,
        leased_until=hot.from_db(current_row["lease_expires_at"]) if current_row else None,
        leased_by=holder[0] if holder else None,
        callback_at=hot.from_db(callbacks[0][1]) if callbacks else None,
    )
    name = f"{customer['first_name']} {customer['last_name']}".strip() or f"customer #{customer_id}"
    lines = [f"{name}, stage {facts.stage}, segment {facts.segment or '-'}, zone {facts.time_zone}", *explanation.lines]
    for cb_id, due, strategy_id in callbacks:
        lines.append(f"open callback #{cb_id} ({strategy_id}) due {hot.from_db(due):%Y-%m-%d %H:%M} UTC")
    return CustomerExplanation(customer_id, name, explanation.callable_now, explanation.next_at, lines)


def _wait_reason(row: dict[str, Any], now: datetime, hot: Any) -> str:
    not_before = hot.from_db(row["not_before"])
    if not_before is not None and not_before > now:
        return "retry delay"
    return "ready time" if row["phase"] == "wait" else ""


@dataclass
class QueueStatus:
    now: datetime
    tiers: dict[str, int]  # tier -> customers callable now
    by_strategy: dict[str, dict[str, int]]  # strategy -> {callable, window closed, waiting, held, leased}
    next_changes: list[str] = field(default_factory=list)
    leased: int = 0
    next_at: datetime | None = None  # the first moment something waiting becomes callable


def status(db: Database, actor: Actor, now: datetime | None = None) -> QueueStatus:
    """Depth of the queue per tier and strategy, and what waits for what (supervisors)."""
    actor.require(Role.SUPERVISOR, "Reading the queue status")
    return _status(db, actor, now or utcnow())


def _status(db: Database, actor: Actor, now: datetime) -> QueueStatus:
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    at = hot.to_db(now)
    pb = rt.playbook
    by_strategy: dict[str, Counter[str]] = defaultdict(Counter)
    next_open: dict[str, datetime] = {}
    next_ready: datetime | None = None
    with hot.connection() as conn:
        in_use = zones(db, rt, conn)
        grouped = conn.execute(
            "SELECT strategy_id, time_zone, phase, "
            f"sum(CASE WHEN ready_at <= {sql.param('now')} THEN 1 ELSE 0 END), count(*), "
            f"min(CASE WHEN ready_at > {sql.param('now')} THEN ready_at END), "
            "sum(CASE WHEN leased_by IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM queue_entry WHERE phase <> 'off' GROUP BY strategy_id, time_zone, phase",
            {"now": at},
        ).fetchall()
        own = conn.execute(
            "SELECT count(*) FROM callback WHERE status = 'open' AND owner_id = "
            f"{sql.param('op')} AND due_at <= {sql.param('now')}",
            {"op": actor.user_id, "now": at},
        ).fetchone()[0]
        grace = hot.to_db(now - pb.queue.callback_grace)
        team = conn.execute(
            f"SELECT count(*) FROM callback WHERE status = 'open' AND due_at <= {sql.param('now')} "
            f"AND (owner_id IS NULL OR due_at <= {sql.param('grace')})",
            {"now": at, "grace": grace},
        ).fetchone()[0]
        later_callback = conn.execute(
            f"SELECT min(due_at) FROM callback WHERE status = 'open' AND due_at > {sql.param('now')}", {"now": at}
        ).fetchone()[0]
        tasks = conn.execute(
            f"SELECT count(*) FROM task WHERE status = 'open' AND due_at <= {sql.param('lead')}",
            {"lead": hot.to_db(now + pb.queue.task_lead)},
        ).fetchone()[0]
    tiers = Counter({rules.Tier.OWN_CALLBACK.value: own, rules.Tier.CALLBACK.value: team, rules.Tier.TASK.value: tasks})
    leased = 0
    for strategy_id, zone, phase, ready_now, total, first_later, held in grouped:
        leased += held
        try:
            strategy = pb.strategy(strategy_id)
        except StopIteration:
            continue
        counts = by_strategy[strategy_id]
        counts["leased"] += held
        if phase == "hold":
            counts["held for callback"] += total
            continue
        later = hot.from_db(first_later)
        if later is not None:
            counts["waiting (retry, cadence, cap)"] += total - ready_now
            next_ready = later if next_ready is None else min(next_ready, later)
        if not ready_now:
            continue
        window = rt.windows[strategy.window]
        if zone in in_use and rules.open_zones(window, [zone], now, rt.holidays):
            tier = rules.Tier.FRESH if phase == "fresh" else rules.Tier.DUE
            counts["callable now"] += ready_now - held
            tiers[tier.value] += ready_now - held
        else:
            counts["window closed"] += ready_now
            opens = rules.window_opens(window, zone, now, rt.holidays)
            if opens is not None:
                key = f"{strategy.window} in {zone}"
                next_open[key] = min(next_open.get(key, opens), opens)
    # The window that opens first, per window name: one line each, in the customer's local time and in UTC.
    first: dict[str, tuple[datetime, str]] = {}
    for key, opens in next_open.items():
        window_name, zone_name = key.split(" in ")
        if window_name not in first or opens < first[window_name][0]:
            first[window_name] = (opens, zone_name)
    changes = [
        f"the {name} window opens first in {zone_name} at {opens.astimezone(zone_of(zone_name)):%a %H:%M} "
        f"local ({opens:%H:%M} UTC)"
        for name, (opens, zone_name) in sorted(first.items(), key=lambda kv: kv[1][0])
    ]
    if next_ready is not None:
        changes.append(f"the next waiting customer is ready at {next_ready:%Y-%m-%d %H:%M} UTC")
    cb_later = hot.from_db(later_callback)
    if cb_later is not None:
        changes.append(f"the next callback is due at {cb_later:%Y-%m-%d %H:%M} UTC")
    moments = [m for m in (*next_open.values(), next_ready, cb_later) if m is not None]
    return QueueStatus(
        now,
        dict(tiers),
        {k: dict(v) for k, v in sorted(by_strategy.items())},
        changes,
        leased,
        min(moments, default=None),
    )


@dataclass(frozen=True)
class EmptyReasons:
    """Why an operator's queue is empty, as counts, for a front end to say in the user's language."""

    window_closed: int = 0  # wait for their calling window in their own time zone
    waiting: int = 0  # retry delay, cadence or a daily cap
    held: int = 0  # wait for a scheduled callback
    leased: int = 0  # on other operators' screens
    next_at: datetime | None = None  # the first moment something becomes callable


def _reasons(state: QueueStatus) -> EmptyReasons:
    waiting = Counter[str]()
    for counts in state.by_strategy.values():
        waiting.update(counts)
    return EmptyReasons(
        waiting["window closed"],
        waiting["waiting (retry, cadence, cap)"],
        waiting["held for callback"],
        state.leased,
        state.next_at,
    )


def why_empty(db: Database, actor: Actor, now: datetime) -> tuple[str, EmptyReasons]:
    """The message an operator sees when "next" finds nobody, and the same counted (with the time something
    becomes callable)."""
    state = _status(db, actor, now)
    why = _reasons(state)
    parts = []
    if why.window_closed:
        parts.append(f"{why.window_closed} customer(s) wait for their calling window")
    if why.waiting:
        parts.append(f"{why.waiting} are in retry delay, cadence or a daily cap")
    if why.held:
        parts.append(f"{why.held} wait for a scheduled callback")
    if why.leased:
        parts.append(f"{why.leased} are on other operators' screens")
    head = "Nobody is callable now" + (": " + "; ".join(parts) if parts else ": the queue is empty") + "."
    tail = (" Next: " + "; ".join(state.next_changes[:3]) + ".") if state.next_changes else ""
    return head + tail, why


CAP = 1000


@dataclass(frozen=True)
class Upcoming:
    name: str
    strategy_id: str
    tier: str


@dataclass
class Preview:
    """What the operator's queue panel shows: depth per tier (counted up to ``CAP``) and the next few customers."""

    depths: dict[str, int]
    upcoming: list[Upcoming]
    capped: int = CAP
    more: frozenset[str] = frozenset()
    """Tiers with more waiting than their depth says: callbacks and tasks are read up to ``WORK_READ`` a tier."""


def preview(db: Database, actor: Actor, now: datetime | None = None, count: int = 5) -> Preview:
    """Cheap enough to refresh every few seconds: index reads that stop at ``CAP`` rows, never a table scan."""
    from operator_tui.services.queue import WORK_READ, CandidateReader, open_pairs  # queue imports this module

    actor.require(Role.OPERATOR, "Reading the queue")
    now = now or utcnow()
    rt = runtime(db)
    hot, sql = db.hot, rt.sql
    depths: dict[str, int] = {}
    upcoming: list[Upcoming] = []
    more: set[str] = set()
    with hot.connection() as conn, hot.reading(conn):
        reader = CandidateReader(db, rt, conn, actor, now)
        reader.take = WORK_READ  # callbacks and tasks: as many as one read gives, not the claim's few
        for tier in rules.QUEUE_TIERS:
            candidates = reader.read(tier)
            depths[tier.value] = len(candidates)
            if len(candidates) >= WORK_READ:
                more.add(tier.value)
            for _, customer, entry in candidates[: max(count - len(upcoming), 0)]:
                name, strategy_id = _who(conn, sql, customer, entry)
                upcoming.append(Upcoming(name, strategy_id, tier.value))
        windows = open_pairs(db, rt, conn, now)
        strategies = sorted(windows.zones)
        zones_open = sorted({z for zs in windows.zones.values() for z in zs})
        if strategies and zones_open:
            params: dict[str, Any] = {f"s{i}": s for i, s in enumerate(strategies)}
            params |= {f"z{i}": z for i, z in enumerate(zones_open)}
            params["now"] = hot.to_db(now)
            pairs = (
                f"strategy_id IN ({', '.join(sql.param(f's{i}') for i in range(len(strategies)))}) AND "
                f"time_zone IN ({', '.join(sql.param(f'z{i}') for i in range(len(zones_open)))})"
            )
            for name, predicate in (
                ("fresh", "phase = 'fresh' AND leased_by IS NULL"),
                ("due", f"phase = 'wait' AND leased_by IS NULL AND ready_at <= {sql.param('now')}"),
            ):
                capped = f"SELECT 1 FROM queue_entry WHERE {predicate} AND {pairs} LIMIT {CAP}"
                depths[name] = conn.execute(f"SELECT count(*) FROM ({capped}) AS capped", params).fetchone()[0]
                more.discard(name)
    return Preview(depths, upcoming, more=frozenset(more))


def _who(conn: Any, sql: Any, customer: int | None, entry: int | None) -> tuple[str, str]:
    """The name and current strategy of a candidate (by queue entry, or by customer for callbacks and tasks)."""
    if customer is None:
        where, key = "q.id", entry
    else:
        where, key = "c.id", customer
    row = conn.execute(
        "SELECT c.first_name, c.last_name, q.strategy_id FROM customer c JOIN queue_entry q ON q.customer_id = c.id "
        f"AND q.phase <> 'off' WHERE {where} = {sql.param('key')}",
        {"key": key},
    ).fetchone()
    return ("?", "") if row is None else (f"{row[0]} {row[1]}".strip(), row[2])
