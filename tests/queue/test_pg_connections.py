"""How many connections a process holds, and in what state it leaves them (store.hot).

A TUI runs each service call in a new thread worker; the hot path must not keep a connection per thread it ever saw
(15 threads exhausted SQLite's pool, 6 PostgreSQL's, and the next call then hung for the pool's 30 s timeout). On
PostgreSQL a connection must not sit "idle in transaction" between calls: it would hold back vacuum, and behind a
PgBouncer in transaction mode it would pin a server connection. Runs on both backends.
"""

from __future__ import annotations

import threading

import pytest
from psycopg.pq import TransactionStatus

from operator_tui.services import queue, queue_explain
from tests.queue.helpers import MONDAY, add_customer, place_all


def _in_threads(calls: int, call) -> None:
    """Each call in a new thread, one after another, as Textual's thread workers run them."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            errors.append(exc)

    for _ in range(calls):
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "a service call waited for a connection"
        if errors:
            raise errors[0]


def test_thread_workers_one_after_another_share_one_connection(db, operator):
    add_customer(db)
    place_all(db)
    _in_threads(30, lambda: queue.resume(db, operator, now=MONDAY))
    assert db.engine.pool.checkedout() == 1  # the hot path's one; ORM sessions gave theirs back


def test_no_connection_is_left_in_a_transaction_between_calls(db, backend, operator, supervisor):
    if backend != "postgresql":
        pytest.skip("about PostgreSQL sessions")
    customer = add_customer(db)
    place_all(db)
    claim = queue.next_customer(db, operator, now=MONDAY)
    queue_explain.explain_customer(db, supervisor, customer, now=MONDAY)  # reads outside any read transaction
    queue.renew(db, operator, claim, now=MONDAY)
    with db.hot.connection() as conn:
        assert conn.info.transaction_status == TransactionStatus.IDLE
