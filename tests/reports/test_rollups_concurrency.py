"""The day roll-ups stay exact while operators in several processes save calls and refresh them at the same time.

On PostgreSQL two hazards met here: two refreshes reading one watermark and both adding the same calls, and a
watermark moved past a call whose save had its id but had not committed yet (ids are handed out before commit).
Each process here saves calls and refreshes the roll-ups every few calls; at the end every call and every stage
change is counted exactly once, per operator, per strategy, per stage and per segment.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from typing import Any

import psycopg
import pytest

from operator_tui.core.roles import Role
from operator_tui.services import bench, calls, queue, rollups
from operator_tui.services.context import Actor
from operator_tui.services.database import open_database
from operator_tui.services.runtime import runtime
from tests.queue.helpers import running

pytestmark = pytest.mark.slow

PROCESSES = 4
SECONDS = 4.0
REFRESH_EVERY = 3  # calls between a process's refreshes: refreshes overlap each other and the saves


def _operator(url: str, user_id: int, go: Any, seed: int) -> None:
    db = open_database(url)
    actor = Actor(user_id=user_id, login=f"bench{user_id:03d}", role=Role.OPERATOR)
    rng = random.Random(seed)
    pb = runtime(db).playbook
    go.wait()
    deadline = time.time() + SECONDS
    saved = 0
    while time.time() < deadline:
        try:
            claim = queue.next_customer(db, actor)
        except queue.QueueEmpty:  # every customer called: the saves are done
            break
        outcome, answers = bench.random_call(pb, claim.strategy_id, rng)
        calls.record_outcome(
            db, actor, calls.OutcomeInput.for_claim(claim, str(uuid.uuid4()), outcome, answers=answers)
        )
        saved += 1
        if saved % REFRESH_EVERY == 0:
            rollups.refresh(db)
    db.close()


def test_every_call_is_counted_once_while_processes_save_and_refresh(db_url: str) -> None:
    db = open_database(db_url)
    bench.build(db, customers=3000, operators=PROCESSES)
    with db.hot.connection() as conn:
        ids = [u for (u,) in conn.execute("SELECT id FROM user_account WHERE login LIKE 'bench%' ORDER BY id")]
    db.close()
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=_operator, args=(db_url, uid, go, n)) for n, uid in enumerate(ids)]
    with running(procs, timeout=SECONDS + 90):
        go.set()

    db = open_database(db_url)
    rollups.refresh(db)
    with db.hot.connection() as conn:
        saved = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
        counted = dict(conn.execute("SELECT dim, sum(calls) FROM call_day GROUP BY dim").fetchall())
        changes = conn.execute("SELECT count(*) FROM stage_change").fetchone()[0]
        changes_counted = conn.execute("SELECT coalesce(sum(changes), 0) FROM stage_day").fetchone()[0]
    db.close()
    assert saved > 50 * PROCESSES  # enough calls for refreshes to overlap
    assert {dim: int(n) for dim, n in counted.items()} == dict.fromkeys(
        ("operator", "strategy", "stage", "segment"), saved
    )
    assert changes > 0 and int(changes_counted) == changes


def _one_call(db: Any, user_id: int) -> None:
    actor = Actor(user_id=user_id, login="bench001", role=Role.OPERATOR)
    claim = queue.next_customer(db, actor)
    calls.record_outcome(db, actor, calls.OutcomeInput.for_claim(claim, str(uuid.uuid4()), "NOANSWER"))


def test_a_refresh_kept_waiting_by_a_long_write_adds_nothing_and_the_next_catches_up(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(pg_url)
    bench.build(db, customers=50, operators=1)
    with db.hot.connection() as conn:
        (user_id,) = conn.execute("SELECT id FROM user_account WHERE login = 'bench001'").fetchone()
    _one_call(db, user_id)
    monkeypatch.setattr(rollups, "SETTLE_WAIT", "200ms")
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql")) as other:
        other.execute("LOCK TABLE interaction IN ROW EXCLUSIVE MODE")  # as a long import would hold it
        assert rollups.refresh(db) == (0, 0)
    assert rollups.refresh(db)[0] == 1
    db.close()
