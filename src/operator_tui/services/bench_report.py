"""The report benchmark: a database with N calls over 90 days, then the time of the month's reports.

`operator-tui bench report --interactions N --json` prints build_s (bulk load), rollup_s (bringing the daily
roll-ups up to date from nothing: what a report pays at most once), and the month reports' times once the
roll-ups are current: summary (with churn, coverage and money), by operator, and the stage flow.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from operator_tui.core.roles import Role
from operator_tui.services import reports, rollups
from operator_tui.services.bench import _without_indexes, build
from operator_tui.services.context import SYSTEM
from operator_tui.services.database import open_database
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.engine import sqlite_url

DAYS = 90
BATCH = 200_000
COLUMNS = (
    "attempt_id",
    "customer_id",
    "operator_id",
    "strategy_id",
    "direction",
    "started_at",
    "answered_at",
    "ended_at",
    "wrapup_ended_at",
    "outcome_code",
    "reached",
    "success",
    "nps",
    "stage_before",
    "stage_after",
    "is_test",
)


def run(interactions: int, *, operators: int = 300, folder: Path | None = None, seed: int = 1) -> dict[str, Any]:
    work = Path(folder or tempfile.mkdtemp(prefix="operator-tui-report-"))
    work.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(work / "report.db")
    started = time.perf_counter()
    db = open_database(url, create=True)
    customers = max(1000, min(interactions // 10, 1_000_000))
    build(db, customers, operators, seed)
    pb = runtime(db).playbook
    hot = db.hot
    rng = random.Random(seed)
    now = utcnow()
    with hot.connection() as conn:
        first_operator = conn.execute("SELECT min(id) FROM user_account WHERE role = 'operator'").fetchone()[0]
    strategies = [
        (s.id, [o for o in pb.outcomes if s.outcomes is None or o.code in s.outcomes], s.stage[0])
        for s in pb.strategies
    ]
    marks = ", ".join(["?"] * len(COLUMNS))
    step = DAYS * 86400 / interactions  # calls are saved in the order they happen, as in a real center
    with _without_indexes(db, ("interaction", "stage_change")), hot.connection() as conn:
        for start in range(0, interactions, BATCH):
            calls, changes = [], []
            for n in range(start, min(start + BATCH, interactions)):
                strategy_id, offered, stage = rng.choice(strategies)
                outcome = rng.choice(offered)
                flags = {f.value for f in outcome.flags}
                reached = "reached" in flags
                at = now - timedelta(seconds=(interactions - n) * step + rng.uniform(0, step))
                talk = timedelta(seconds=rng.randint(40, 400) if reached else rng.randint(10, 40))
                nps = rng.randint(0, 10) if reached and strategy_id == "retention-nps" else None
                customer = rng.randint(1, customers)
                after = outcome.advance.get(stage) or stage
                calls.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128))),
                        customer,
                        first_operator + rng.randrange(operators),
                        strategy_id,
                        "outbound",
                        hot.to_db(at),
                        hot.to_db(at) if reached else None,
                        hot.to_db(at + talk),
                        hot.to_db(at + talk + timedelta(seconds=rng.randint(5, 60))),
                        outcome.code,
                        reached,
                        "success" in flags,
                        nps,
                        stage,
                        after,
                        False,
                    )
                )
                if after != stage:
                    changes.append((customer, stage, after, hot.to_db(at), "outcome"))
            with hot.write(conn) as cur:
                cur.executemany(f"INSERT INTO interaction ({', '.join(COLUMNS)}) VALUES ({marks})", calls)
                cur.executemany(
                    "INSERT INTO stage_change (customer_id, from_stage, to_stage, at, cause) VALUES (?, ?, ?, ?, ?)",
                    changes,
                )
    build_s = time.perf_counter() - started
    t = time.perf_counter()
    rollups.refresh(db)
    rollup_s = time.perf_counter() - t
    month = reports.parse_period("month", reports.today_in_center(db))
    timings = {}
    for by in ("summary", "operators", "strategies"):
        t = time.perf_counter()
        result = reports.report(db, SYSTEM, month, by)
        timings[f"month_{by}_s"] = round(time.perf_counter() - t, 3)
    db.close()
    if folder is None:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "interactions": interactions,
        "customers": customers,
        "operators": operators,
        "month_calls": result.total.calls,
        "build_s": round(build_s, 1),
        "rollup_s": round(rollup_s, 1),
        **timings,
        "role": Role.ADMIN.value,
    }
