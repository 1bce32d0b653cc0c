"""On PostgreSQL too, the hot statements read through their indexes (EXPLAIN on a base with data and statistics).

PostgreSQL's planner is cost-based: on empty tables any plan is cheap, so the statements are explained on a base of
20,000 customers (built and analysed as the benchmark builds one) with callbacks, tasks, purchases and past calls,
a quarter of the queue waiting for a retry, as in a center that has been working for a while. The SQLite twin of
this file is test_plans.py.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from operator_tui.services import bench
from operator_tui.services.database import open_database
from operator_tui.store.queue_sql import QueueSql, statements
from tests import pg

SQL = statements("postgresql")
NOW = datetime.now(UTC).replace(tzinfo=None)
CUSTOMERS = 20_000


@pytest.fixture(scope="module")
def pg_base(pg_cluster: pg.Cluster) -> Iterator[tuple[str, list[str]]]:
    """A DSN for psycopg and the strategies in use, on a base built for this module."""
    name = f"plans_{uuid.uuid4().hex[:12]}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    db = open_database(pg_cluster.url(name), create=True)
    bench.build(db, CUSTOMERS, operators=4)
    db.close()
    dsn = pg_cluster.dsn(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        # 4,000 callbacks and tasks, one in twenty open, due across yesterday and today.
        for table, extra_columns, extra_values in (
            ("callback", "owner_id, created_at", "CASE WHEN i % 3 = 0 THEN 1 END, now()"),
            ("task", "kind, created_at", "'complaint', now()"),
        ):
            conn.execute(
                f"INSERT INTO {table} (customer_id, due_at, status, {extra_columns}) "
                "SELECT i * 5, now() - interval '1 day' + (i % 48) * interval '1 hour', "
                f"CASE WHEN i % 20 = 0 THEN 'open' ELSE 'done' END, {extra_values} "
                "FROM generate_series(1, 4000) AS i"
            )
        # Purchases and past calls of one customer in five; a quarter of the queue waiting for a retry.
        conn.execute(
            "INSERT INTO purchase (customer_id, at, amount, currency, category) SELECT i % 4000 * 5 + 5, "
            "now() - (i % 700) * interval '1 day', 100, 'RUB', 'c' || (i % 7) FROM generate_series(1, 20000) AS i"
        )
        conn.execute(
            "INSERT INTO interaction (attempt_id, customer_id, operator_id, direction, started_at, outcome_code, "
            "reached, success, is_test) SELECT 'a' || i, i * 5, 1, 'outbound', now() - i * interval '1 minute', "
            "'NOANSWER', false, false, false FROM generate_series(1, 4000) AS i"
        )
        conn.execute(
            "UPDATE queue_entry SET phase = 'wait', ready_at = now() + (id % 100 - 20) * interval '1 hour' "
            "WHERE id % 4 = 0"
        )
        conn.execute(
            "UPDATE queue_entry SET leased_by = 1, lease_expires_at = now() + interval '10 minutes', "
            "lease_token = 'x' WHERE id % 500 = 0"
        )
        conn.execute("VACUUM (ANALYZE)")
        strategies = [s for (s,) in conn.execute("SELECT DISTINCT strategy_id FROM queue_entry ORDER BY 1")]
    yield dsn, strategies
    pg_cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")


def explain(dsn: str, statement: str, params: dict, plan: str) -> str:
    """The plan for these values ("custom"), or the one plan a prepared statement keeps for any values ("generic"),
    which the hot path uses (store.hot sets plan_cache_mode = force_generic_plan on its connections)."""
    with psycopg.connect(dsn) as conn:  # a transaction, rolled back: EXPLAIN of an UPDATE does not run it
        if plan == "custom":
            rows = conn.execute(f"EXPLAIN {statement}", params).fetchall()
        else:
            order: list[str] = []

            def number(match: re.Match[str]) -> str:
                if match.group(1) not in order:
                    order.append(match.group(1))
                return f"${order.index(match.group(1)) + 1}"

            prepared = re.sub(r"%\((\w+)\)s", number, statement)
            conn.execute(f"PREPARE hot AS {prepared}".encode())
            conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            marks = ", ".join(["%s"] * len(order))
            cursor = psycopg.ClientCursor(conn)  # the values as literals: EXECUTE takes expressions
            rows = cursor.execute(
                f"EXPLAIN EXECUTE hot({marks})" if order else "EXPLAIN EXECUTE hot", [params[name] for name in order]
            ).fetchall()
        conn.rollback()
    return "\n".join(row[0] for row in rows)


def pairs(strategies: list[str], n: int) -> dict:
    out: dict = {"now": NOW, "k": 8, "per_pair": 2}
    for i in range(n):
        out |= {f"s{i}": strategies[i % len(strategies)], f"z{i}": bench.ZONES[i % len(bench.ZONES)], f"w{i}": 1.0}
    return out


LEASE = {"op": 2, "exp": NOW + timedelta(minutes=10), "tok": "t"}
MINE = {"id": 7, "tok": "t", "now": NOW}
WORK = {"op": 1, "now": NOW, "grace": NOW - timedelta(hours=1), "lead": NOW + timedelta(hours=1), "k": 64}


def cases(sql: QueueSql, strategies: list[str]) -> list[tuple[str, str, dict, list[str]]]:
    """(name, statement, parameters, what the plan must show)."""
    each = {f"s{i}": s for i, s in enumerate(strategies)}
    return [
        ("due scan", sql.due_scan, {"now": NOW, "scan": 32}, ["ix_queue_due_at"]),
        ("fresh scan", sql.fresh_scan(len(strategies)), {**each, "scan": 32}, ["ix_queue_fresh_rank"]),
        ("due per zone", sql.candidates("due", 6), pairs(strategies, 6), ["ix_queue_due "]),
        ("fresh per zone", sql.candidates("fresh", 6), pairs(strategies, 6), ["ix_queue_fresh "]),
        ("anything due", sql.any_due, {"now": NOW}, ["ix_queue_due_at"]),
        ("expired leases", sql.any_expired, {"now": NOW}, ["ix_queue_leased"]),
        ("sweep", sql.sweep_expired, {"now": NOW}, ["ix_queue_leased"]),
        ("held by", sql.held_by, {"op": 1, "now": NOW}, ["ix_queue_leased"]),
        (
            "claim: first free of the candidates",
            sql.claim_entries,
            {**LEASE, "ids": [5, 9, 11, 500]},
            ["LockRows", "pk_queue_entry"],
        ),
        (
            "claim: first free of the callbacks' customers",
            sql.claim_customers,
            {**LEASE, "customers": [10, 20, 30]},
            ["LockRows", "ix_queue_current"],
        ),
        ("claim by customer", sql.claim_customer, {**LEASE, "customer_id": 10}, ["ix_queue_current"]),
        ("renew", sql.renew, {**MINE, "exp": NOW}, ["pk_queue_entry"]),
        ("entries of a customer", sql.entries_of_customer, {"customer_id": 10}, ["queue_entry"]),
        ("customer", sql.customer_facts, {"customer_id": 10}, ["pk_customer"]),
        ("open callbacks of a customer", sql.open_callbacks_of, {"customer_id": 10}, ["ix_callback_customer_id"]),
        (
            "purchases",
            sql.purchase_totals,
            {"customer_id": 10, "recent": NOW, "before": NOW, "kind": "complaint"},
            ["ix_purchase_customer_at", "ix_task_customer_status"],
        ),
        (
            "callbacks and tasks",
            sql.work,
            WORK,
            ["ix_callback_owner_due", "ix_callback_open_due", "ix_task_open_due", "ix_queue_current"],
        ),
        (
            "first look at every tier, in one statement",
            sql.first_look(len(strategies)),
            {**WORK, **each, "scan": 32},
            [
                "ix_callback_owner_due",
                "ix_callback_open_due",
                "ix_task_open_due",
                "ix_queue_current",
                "ix_queue_due_at",
                "ix_queue_fresh_rank",
            ],
        ),
        ("time zones", sql.zones, {}, ["ix_customer_time_zone"]),
        ("a save, again", sql.interaction_by_attempt, {"attempt_id": "x"}, ["uq_interaction_attempt_id"]),
        (
            "what a save reads, in one statement",
            sql.save_reads(),
            {"customer_id": 10, "recent": NOW, "before": NOW, "kind": "complaint"},
            ["pk_customer", "ix_purchase_customer_at", "ix_task_customer_status"],
        ),
    ]


CASE_NAMES = [case[0] for case in cases(SQL, ["a"])]


@pytest.mark.parametrize("plan", ["custom", "generic"])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_hot_statements_use_their_indexes_on_postgresql(pg_base, name, plan):
    dsn, strategies = pg_base
    _, statement, params, expected = next(case for case in cases(SQL, strategies) if case[0] == name)
    text = explain(dsn, statement, params, plan)
    for index in expected:
        assert index in text, text
    for table in ("queue_entry", "customer", "callback", "task", "interaction", "purchase"):
        assert f"Seq Scan on {table}" not in text, text


def test_the_claim_skips_rows_another_transaction_holds(pg_base):
    """The second claim passes over the row the first one has locked (and not yet committed) instead of waiting."""
    dsn, _ = pg_base
    with psycopg.connect(dsn) as first, psycopg.connect(dsn, autocommit=True) as second:
        ids = [e for (e,) in first.execute("SELECT id FROM queue_entry WHERE leased_by IS NULL ORDER BY id LIMIT 2")]
        held = first.execute(SQL.claim_entries, {**LEASE, "ids": ids}).fetchone()
        assert held is not None and held[0] == ids[0]
        second.execute("SET lock_timeout = '2s'")  # waiting would fail the test instead of hanging it
        taken = second.execute(SQL.claim_entries, {**LEASE, "op": 3, "ids": ids}).fetchone()
        assert taken is not None and taken[0] == ids[1]
        first.rollback()
        nothing = second.execute(SQL.claim_entries, {**LEASE, "op": 3, "ids": ids[1:]}).fetchone()
        assert nothing is None  # already leased (committed): re-checked, not taken twice
