"""The benchmark's base: the same customers and queue whether worker processes made the rows or this one did."""

import sqlite3

import pytest

from operator_tui.services import bench
from operator_tui.services.database import open_database
from operator_tui.store.engine import sqlite_url

CUSTOMERS = 1_000
CUSTOMER_FACTS = "SELECT id, first_name, last_name, phone, time_zone, stage, segment, value_tier, churn_risk"
ENTRY_FACTS = "SELECT customer_id, strategy_id, phase, round(priority, 3) FROM queue_entry"


def _base(path, monkeypatch, parallel_from: int) -> tuple[list[tuple], list[tuple], int]:
    monkeypatch.setattr(bench, "BATCH", 150)  # seven batches
    monkeypatch.setattr(bench, "PARALLEL_BATCHES", parallel_from)
    db = open_database(sqlite_url(path), create=True)
    report = bench.build(db, CUSTOMERS, operators=2, seed=5)
    db.close()
    with sqlite3.connect(path) as conn:
        people = conn.execute(CUSTOMER_FACTS + " FROM customer ORDER BY id").fetchall()
        entries = conn.execute(ENTRY_FACTS + " ORDER BY customer_id").fetchall()
    return people, entries, report.placed


@pytest.mark.slow
def test_rows_made_in_worker_processes_are_the_rows_made_here(tmp_path, monkeypatch):
    here = _base(tmp_path / "here.db", monkeypatch, parallel_from=100)
    pooled = _base(tmp_path / "pooled.db", monkeypatch, parallel_from=2)
    people, entries, placed = pooled
    assert [row[0] for row in people] == list(range(1, CUSTOMERS + 1))
    assert placed == len(entries) > CUSTOMERS // 2
    assert pooled == here
