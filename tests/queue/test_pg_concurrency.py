"""Two hundred operators on one PostgreSQL base at once: no customer is held by two of them, no saved call is lost.

Real processes and real connections: 20 processes of 10 threads, each thread an operator (a user of its own) with a
connection of its own for the whole run, all claiming and recording through the services for a few seconds, on a
server of this test's own (tests/pg.py; its max_connections is 300). A hold runs from the moment a claim returned to
the moment the save that ends it began; two holds of one customer by two operators that overlap are a double claim.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from operator_tui.core.playbook import OutcomeFlag
from operator_tui.core.roles import Role
from operator_tui.services import bench, calls, queue
from operator_tui.services.context import Actor
from operator_tui.services.database import open_database
from operator_tui.services.runtime import runtime
from tests import pg
from tests.queue.helpers import running

pytestmark = pytest.mark.slow

PROCESSES = 20
THREADS = 10
SECONDS = 5.0
CUSTOMERS = 3000


def _operator(db: Any, user_id: int, ready: threading.Barrier, go: Any, out: dict[str, Any]) -> None:
    actor = Actor(user_id=user_id, login=f"bench{user_id:03d}", role=Role.OPERATOR)
    rng = random.Random(user_id)
    log: list[tuple[int, float, float]] = []
    saved: list[str] = []
    errors: list[str] = []
    empty = 0
    with db.hot.connection() as conn:  # this operator's own connection for the whole run (store.hot lends it)
        conn.execute("SELECT 1")
        pb = runtime(db).playbook
        ready.wait()
        go.wait()
        deadline = time.time() + SECONDS
        while time.time() < deadline:
            try:
                claim = queue.next_customer(db, actor)
            except queue.QueueEmpty:
                empty += 1
                time.sleep(0.01)
                continue
            claimed_at = time.time()
            strategy = pb.strategy(claim.strategy_id)
            offered = [
                o
                for o in pb.outcomes
                if (strategy.outcomes is None or o.code in strategy.outcomes) and OutcomeFlag.CALLBACK not in o.flags
            ]
            outcome = rng.choice(offered)
            reached = OutcomeFlag.REACHED in outcome.flags
            answers = bench.sample_answers(pb.script(strategy.script), rng) if reached else {}
            attempt = str(uuid.uuid4())
            releasing_at = time.time()
            try:
                calls.record_outcome(
                    db, actor, calls.OutcomeInput.for_claim(claim, attempt, outcome.code, answers=answers)
                )
            except Exception as exc:  # reported, and the test fails on it
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            log.append((claim.customer_id, claimed_at, releasing_at))
            saved.append(attempt)
    out[str(user_id)] = {"log": log, "saved": saved, "empty": empty, "errors": errors}


def _process(url: str, user_ids: list[int], started: Any, go: Any, path: str) -> None:
    """One process: THREADS operators sharing one Database, each on a connection of its own."""
    db = open_database(url)
    out: dict[str, Any] = {}
    ready = threading.Barrier(len(user_ids) + 1)
    threads = [threading.Thread(target=_operator, args=(db, uid, ready, go, out)) for uid in user_ids]
    for thread in threads:
        thread.start()
    ready.wait()  # every thread has its connection
    started.release()
    for thread in threads:
        thread.join()
    db.close()
    Path(path).write_text(json.dumps(out))


def test_two_hundred_operators_never_double_claim_and_never_lose_an_outcome(pg_cluster: pg.Cluster, tmp_path: Path):
    name = f"crowd_{uuid.uuid4().hex[:12]}"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.url(name)
    db = open_database(url, create=True)
    bench.build(db, CUSTOMERS, operators=PROCESSES * THREADS)
    with db.hot.connection() as conn:
        ids = [u for (u,) in conn.execute("SELECT id FROM user_account WHERE role = 'operator' ORDER BY id")]
    db.close()
    assert len(ids) == PROCESSES * THREADS

    ctx = multiprocessing.get_context("spawn")
    started, go = ctx.Semaphore(0), ctx.Event()
    outs = [tmp_path / f"p{i}.json" for i in range(PROCESSES)]
    procs = [
        ctx.Process(
            target=_process,
            args=(url, ids[i * THREADS : (i + 1) * THREADS], started, go, str(outs[i])),
        )
        for i in range(PROCESSES)
    ]
    with running(procs, timeout=SECONDS + 60):
        for _ in procs:
            assert started.acquire(timeout=90), "an operator process did not connect"
        with psycopg.connect(pg_cluster.dsn(name), autocommit=True) as conn:
            connected = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [name]
            ).fetchone()[0]
        go.set()
    assert connected >= PROCESSES * THREADS + 1  # 200 operators' connections, and ours

    results = [r for out in outs for r in json.loads(out.read_text()).values()]
    assert len(results) == PROCESSES * THREADS
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[:5]
    saved = [a for r in results for a in r["saved"]]
    empty = sum(r["empty"] for r in results)
    print(f"{len(saved)} calls by {len(results)} operators in {SECONDS} s ({empty} empty-queue answers)")
    assert len(saved) > 200, f"only {len(saved)} calls in {SECONDS} s"
    assert bench.double_claims([[tuple(hold) for hold in r["log"]] for r in results]) == 0

    with psycopg.connect(pg_cluster.dsn(name), autocommit=True) as conn:
        stored = {a for (a,) in conn.execute("SELECT attempt_id FROM interaction")}
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'call.record'").fetchone()[0]
        held = conn.execute("SELECT count(*) FROM queue_entry WHERE leased_by IS NOT NULL").fetchone()[0]
    assert set(saved) <= stored, f"{len(set(saved) - stored)} outcomes reported saved are missing"
    assert len(stored) == len(saved)  # and nothing was saved twice or out of nowhere
    assert audited == len(saved)  # one audit entry per call, written in the same transaction
    assert held == 0  # every claim ended in a save that gave the customer back
    pg_cluster.execute(f"DROP DATABASE {name} WITH (FORCE)")
