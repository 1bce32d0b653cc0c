"""The claim never scans the base: every hot statement reads through an index (EXPLAIN QUERY PLAN)."""

import pytest

from operator_tui.store.queue_sql import statements

SQL = statements("sqlite")


def plan(db, statement: str, params: dict) -> str:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).fetchall()
    return "\n".join(row[3] for row in rows)


def pairs(n: int) -> dict:
    out = {"now": "2026-11-23 07:00:00.000000", "k": 8, "per_pair": 2}
    for i in range(n):
        out |= {f"s{i}": "first-contact", f"z{i}": "Europe/Moscow", f"w{i}": 1.0}
    return out


pytestmark = pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's own


@pytest.mark.parametrize(
    ("name", "statement", "params", "index"),
    [
        ("due scan", SQL.due_scan, {"now": "x", "scan": 8}, "COVERING INDEX ix_queue_due_at"),
        ("fresh scan", SQL.fresh_scan(2), {"s0": "a", "s1": "b", "scan": 8}, "COVERING INDEX ix_queue_fresh_rank"),
        ("due per zone", SQL.candidates("due", 3), pairs(3), "INDEX ix_queue_due "),
        ("fresh per zone", SQL.candidates("fresh", 3), pairs(3), "INDEX ix_queue_fresh "),
        ("anything due", SQL.any_due, {"now": "x"}, "COVERING INDEX ix_queue_due_at"),
        ("expired leases", SQL.any_expired, {"now": "x"}, "INDEX ix_queue_leased"),
        (
            "claim by customer",
            SQL.claim_customer,
            {"customer_id": 1, "op": 1, "exp": "x", "tok": "t"},
            "INDEX ix_queue_current",
        ),
        (
            "callbacks and tasks",
            SQL.work,
            {"op": 1, "now": "x", "grace": "x", "lead": "x", "k": 8},
            "INDEX ix_callback_owner_due",
        ),
    ],
)
def test_hot_statements_use_their_index(db, name, statement, params, index):
    text = plan(db, statement, params)
    assert index in text, text
    assert "SCAN queue_entry" not in text and "SCAN customer" not in text, text


def test_callbacks_and_tasks_use_their_indexes(db):
    text = plan(db, SQL.work, {"op": 1, "now": "x", "grace": "x", "lead": "x", "k": 8})
    assert "ix_callback_open_due" in text and "ix_task_open_due" in text, text
    assert "SCAN callback" not in text and "SCAN task" not in text, text


def test_the_first_look_reads_every_tier_through_its_index(db):
    params = {"op": 1, "now": "x", "grace": "x", "lead": "x", "k": 8, "scan": 8, "s0": "a", "s1": "b"}
    text = plan(db, SQL.first_look(2), params)
    for index in ("ix_callback_owner_due", "ix_callback_open_due", "ix_task_open_due", "ix_queue_due_at"):
        assert index in text, text
    assert text.count("COVERING INDEX ix_queue_fresh_rank") == 2, text
    assert "SCAN queue_entry" not in text and "SCAN callback" not in text and "SCAN task" not in text, text
