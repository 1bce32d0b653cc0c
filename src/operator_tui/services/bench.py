"""The queue benchmark: a fresh database of N customers, P operator processes claiming and recording through the
services for S seconds, and one JSON object of figures (DESIGN.md, "Benchmarks").

Figures, not pass/fail: cycles per second, claim and record latency percentiles, double claims (two operators
holding one customer at once, from the workers' own logs) and lost outcomes (saves a worker was told succeeded
that are not in the database afterwards).

The base is built in bulk (generated rows with the same placement the services use, written with the driver's
``executemany`` on SQLite and ``COPY`` on PostgreSQL, indexes built afterwards), and its calling windows are widened
to the whole day, so the figures do not depend on the hour they are taken.

On PostgreSQL, give ``--url`` of an empty database; for a throwaway server on this machine (durable settings, as
the figures in the README)::

    .venv/bin/python -m tests.pg --durable &      # prints postgresql+psycopg://postgres:...@127.0.0.1:PORT/postgres
    operator-tui bench queue --url 'postgresql+psycopg://...' --customers 1000000 --operators 8 --seconds 10 --json
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from operator_tui.core.answers import next_node, parse_answer
from operator_tui.core.pins import hash_pin
from operator_tui.core.playbook import OutcomeFlag, Playbook, QuestionType, Script, playbook_from_data
from operator_tui.core.queue_rules import Facts, place, stored_priority
from operator_tui.core.roles import Role
from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services import calls, playbooks, queue
from operator_tui.services.context import SYSTEM, Actor
from operator_tui.services.database import Database, open_database
from operator_tui.services.runtime import runtime
from operator_tui.store.coltypes import utcnow
from operator_tui.store.engine import sqlite_url
from operator_tui.store.hot import stored_time

ZONES = [
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
    "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan",
]  # fmt: skip
STAGES = [("contact", 40), ("acquisition", 15), ("conversion", 10), ("retention", 25), ("loyalty", 10)]
FIRST = ["Иван", "Анна", "Пётр", "Мария", "Олег", "Елена", "Sergey", "Olga", "Dmitry", "Natalia"]
LAST = ["Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Попова", "Volkov", "Orlova"]
CUSTOMER_COLUMNS = (  # after id
    "first_name", "last_name", "phone", "time_zone", "time_zone_guessed", "stage", "stage_since", "segment",
    "value_tier", "rfm_r", "rfm_f", "rfm_m", "churn_risk", "upsell_propensity", "purchases_count", "revenue_total",
    "dnc", "country", "created_at", "updated_at",
)  # fmt: skip


@dataclass
class BuildReport:
    customers: int
    seconds: float
    placed: int


def bench_playbook_text(lease: str | None = None) -> str:
    """The default playbook with every calling window open all day and no holidays (and ``lease``, if given)."""
    data = yaml.safe_load(DEFAULT_PLAYBOOK.read_text(encoding="utf-8"))
    data["windows"] = {name: {"daily": "00:00-24:00"} for name in data["windows"]}
    data["holidays"] = []
    if lease:
        data["queue"]["lease"] = lease
    data["name"] = "Customer lifecycle (benchmark: windows open all day)"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def build(db: Database, customers: int, operators: int, seed: int = 1, lease: str | None = None) -> BuildReport:
    """Fill a new database with ``customers`` customers in the queue and ``operators`` operators.

    Rows are generated with their queue placement (core.queue_rules.place, as for any customer), in worker
    processes for a big base (``_generated``), and written with the driver's ``executemany`` while the two big
    tables have no secondary indexes; the indexes are built afterwards, which sorts once instead of updating a
    B-tree a million times.
    """
    started = time.perf_counter()
    text = bench_playbook_text(lease)
    playbook = playbook_from_data(yaml.safe_load(text))
    playbooks.load_parsed(db, SYSTEM, text, playbook)
    pin = hash_pin("1111")  # one hash for every bench user, at the real cost: bench ui signs in with it
    now = utcnow()
    hot = db.hot
    marks = "?" if hot.sqlite else "%s"
    with hot.connection() as conn, hot.write(conn) as cur:
        cur.executemany(
            "INSERT INTO user_account (login, full_name, role, pin_hash, failed_pins, active, language, created_at) "
            f"VALUES ({', '.join([marks] * 8)})",
            [
                (f"bench{i:03d}", f"Bench operator {i}", Role.OPERATOR.value, pin, 0, True, "en", hot.to_db(now))
                for i in range(1, operators + 1)
            ],
        )
    placed = 0
    batches = [(start, min(start + BATCH, customers), seed) for start in range(0, customers, BATCH)]
    with _without_indexes(db, ("customer", "queue_entry")), hot.connection() as conn:
        for people, entries in _generated(text, now, hot.sqlite, batches):
            with hot.write(conn) as cur:
                _bulk_insert(hot.sqlite, cur, "customer", ("id", *CUSTOMER_COLUMNS), people)
                _bulk_insert(hot.sqlite, cur, "queue_entry", ENTRY_COLUMNS, entries)
            placed += len(entries)
        if not hot.sqlite:
            # The ids were given, not drawn: move the sequence past them, or the next import collides.
            conn.execute("SELECT setval(pg_get_serial_sequence('customer', 'id'), (SELECT max(id) FROM customer))")
    if not hot.sqlite:
        _settle_postgres(db)
    return BuildReport(customers, time.perf_counter() - started, placed)


Batch = tuple[int, int, int]  # customer ids [first, end) and the build's seed


def _generated(
    text: str, now: datetime, sqlite: bool, batches: list[Batch]
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """The rows of each batch, in order. Making them (random facts, and each customer's placement by the queue's
    own rules) costs more than writing them, so a big base makes them in worker processes while this one writes:
    on two cores a million customers build in about half the time. Each batch draws from its own seeded
    generator, so the base is the same however many processes made it."""
    if len(batches) < PARALLEL_BATCHES:
        _start_batches(text, now, sqlite)
        yield from map(_batch, batches)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(BUILD_PROCESSES, initializer=_start_batches, initargs=(text, now, sqlite)) as pool:
        yield from pool.imap(_batch, batches)


_batch_setup: dict[str, Any] = {}


def _start_batches(text: str, now: datetime, sqlite: bool) -> None:
    _batch_setup.update(playbook=playbook_from_data(yaml.safe_load(text)), now=now, sqlite=sqlite)


def _batch(batch: Batch) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Customers ``first`` to ``end - 1`` and the queue entries of those a strategy takes, as rows to insert."""
    first, end, seed = batch
    playbook: Playbook = _batch_setup["playbook"]
    now: datetime = _batch_setup["now"]
    sqlite: bool = _batch_setup["sqlite"]

    def to_db(moment: datetime) -> Any:
        return stored_time(moment, sqlite)

    rng = random.Random(seed * 1_000_003 + first)
    stages = [s for s, _ in STAGES]
    weights = [w for _, w in STAGES]
    since = now - timedelta(days=30)
    since_db, stamp = to_db(since), to_db(now)
    people, entries = [], []
    for cid in range(first + 1, end + 1):
        tier = "A" if rng.random() < 0.2 else "B" if rng.random() < 0.25 else "C"
        stage, zone = rng.choices(stages, weights)[0], ZONES[cid % len(ZONES)]
        segment, churn, upsell = rng.choice(("b2c", "b2b", "vip")), round(rng.random(), 3), round(rng.random(), 3)
        people.append(
            (
                cid, rng.choice(FIRST), rng.choice(LAST), f"+7{9000000000 + cid}", zone, False, stage, since_db,
                segment, tier, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5), churn, upsell, 0, 0.0,
                False, "RU", stamp, stamp,
            )
        )  # fmt: skip
        facts = Facts(
            stage=stage,
            time_zone=zone,
            segment=segment,
            value_tier=tier,
            churn_risk=churn,
            upsell_propensity=upsell,
            stage_since=since,
        )
        placement = place(playbook, facts, {}, now)
        if placement is not None:
            strategy = playbook.strategy(placement.strategy_id)
            priority = stored_priority(strategy, facts, now)
            ready = to_db(placement.ready_at)
            entries.append((cid, strategy.id, placement.phase, ready, priority, zone, stamp, stamp, 0, 0, 0))
    return people, entries


PARALLEL_BATCHES = 4  # from this many batches on, worker processes make them
BUILD_PROCESSES = 2


ENTRY_COLUMNS = (
    "customer_id", "strategy_id", "phase", "ready_at", "priority", "time_zone", "entered_at", "created_at",
    "attempts_total", "attempts_today", "retries",
)  # fmt: skip


def _bulk_insert(sqlite: bool, cur: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """SQLite: the driver's executemany (one prepared statement). PostgreSQL: COPY, about ten times faster than
    row-by-row INSERTs, which matters at a million customers."""
    if sqlite:
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        return
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _settle_postgres(db: Database) -> None:
    """After the bulk load, the state every run starts from: statistics for the planner, the visibility map set
    (index-only scans), and no checkpoint owed for the load (a superuser's privilege; skipped otherwise)."""
    with db.hot.connection() as conn:  # autocommit (store.hot): VACUUM cannot run in a transaction
        conn.execute("VACUUM (ANALYZE) customer")
        conn.execute("VACUUM (ANALYZE) queue_entry")
        with contextlib.suppress(Exception):  # not a superuser: the figures then include the load's checkpoint
            conn.execute("CHECKPOINT")


BATCH = 50_000


@contextmanager
def _without_indexes(db: Database, tables: tuple[str, ...]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for a bulk load and build them again afterwards."""
    indexes = [index for name in tables for index in SQLModel.metadata.tables[name].indexes]
    with db.engine.begin() as conn:
        for index in indexes:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            for index in indexes:
                index.create(conn)
            if db.hot.sqlite:
                conn.exec_driver_sql("ANALYZE")


# -- workers ----------------------------------------------------------------------------------------------------


def sample_answers(script: Script, rng: random.Random) -> dict[str, Any]:
    """Valid answers along one path of ``script``, as an operator would key them."""
    answers: dict[str, Any] = {}
    node = script.start
    for _ in range(len(script.nodes) + 1):
        if node.is_question:
            answers[node.id] = parse_answer(node, _raw(node, rng))
        following = next_node(script, node, answers, {})
        if following is None:
            break
        node = following
    return answers


def random_call(pb: Playbook, strategy_id: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """An outcome the strategy offers (none that needs a callback time) and, if the customer was reached, valid
    answers along one path of its script: a call as an operator might finish it."""
    strategy = pb.strategy(strategy_id)
    offered = [
        o
        for o in pb.outcomes
        if (strategy.outcomes is None or o.code in strategy.outcomes) and OutcomeFlag.CALLBACK not in o.flags
    ]
    outcome = rng.choice(offered)
    answers = sample_answers(pb.script(strategy.script), rng) if OutcomeFlag.REACHED in outcome.flags else {}
    return outcome.code, answers


def _raw(node: Any, rng: random.Random) -> Any:
    kind = node.type
    if kind is QuestionType.NPS:
        return rng.randint(0, 10)
    if kind is QuestionType.SCALE:
        return rng.randint(*node.scale)
    if kind is QuestionType.YESNO:
        return rng.random() < 0.7
    if kind in (QuestionType.SINGLE, QuestionType.MULTI):
        return str(rng.randint(1, len(node.options)))
    if kind is QuestionType.NUMBER:
        return str(rng.randint(int(node.min or 0), int(node.min or 0) + 100000))
    if kind is QuestionType.DATE:
        return (utcnow() + timedelta(days=rng.randint(1, 30))).date().isoformat()
    return "ok"


def _worker(url: str, user_id: int, ready: Any, seconds: float, out: str, seed: int) -> None:
    db = open_database(url)
    actor = Actor(user_id=user_id, login=f"bench{user_id}", role=Role.OPERATOR)
    rng = random.Random(seed)
    rt = runtime(db)
    pb = rt.playbook
    log: list[tuple[int, float, float]] = []
    claims: list[float] = []
    records: list[float] = []
    saved: list[str] = []
    empty = 0
    ready.wait()  # every worker has imported and connected: start together
    deadline = time.time() + seconds
    while time.time() < deadline:
        t0 = time.perf_counter()
        try:
            claim = queue.next_customer(db, actor)
        except queue.QueueEmpty:
            empty += 1
            time.sleep(0.05)
            continue
        claimed_at = time.time()  # the lease is surely held from here ...
        t1 = time.perf_counter()
        outcome, answers = random_call(pb, claim.strategy_id, rng)
        attempt = str(uuid.uuid4())
        releasing_at = time.time()  # ... to here, when the save that ends it starts
        result = calls.record_outcome(db, actor, calls.OutcomeInput.for_claim(claim, attempt, outcome, answers=answers))
        t2 = time.perf_counter()
        claims.append(t1 - t0)
        records.append(t2 - t1)
        log.append((claim.customer_id, claimed_at, releasing_at))
        if not result.duplicate:
            saved.append(attempt)
    Path(out).write_text(json.dumps({"claims": claims, "records": records, "log": log, "saved": saved, "empty": empty}))
    db.close()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def double_claims(logs: list[list[tuple[int, float, float]]]) -> int:
    """Pairs of holds of one customer by two operators that overlap in time. Each hold runs from the moment the
    claim returned to the moment the save began: inside that span the lease is certainly held, so an overlap is a
    real double claim, never an artefact of when a process was scheduled."""
    by_customer: dict[int, list[tuple[float, float, int]]] = {}
    for operator, log in enumerate(logs):
        for customer, start, end in log:
            by_customer.setdefault(customer, []).append((start, end, operator))
    doubles = 0
    for holds in by_customer.values():
        holds.sort()
        for (_, end, op_a), (start, _, op_b) in itertools.pairwise(holds):
            if op_a != op_b and start < end:
                doubles += 1
    return doubles


def run(
    customers: int,
    operators: int,
    seconds: float,
    *,
    url: str | None = None,
    folder: Path | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """Build the base, run the operators, return the figures.

    Without ``url`` the base is a new SQLite file in ``folder`` (a temp dir by default). With ``url`` (PostgreSQL,
    say) an empty database there gets the schema and a base of ``customers``; a database that already has
    customers is used as it is (a base built before: ``customers`` is then ignored).
    """
    work = Path(folder or tempfile.mkdtemp(prefix="operator-tui-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    build_report = None
    temporary = url is None and folder is None
    if url is None:
        url = sqlite_url(work / "bench.db")
        db = open_database(url, create=True)
        build_report = build(db, customers, operators, seed)
    else:
        db = open_database(url, create=True)
        with db.hot.connection() as conn:
            empty = conn.execute("SELECT id FROM customer LIMIT 1").fetchone() is None
        if empty:
            build_report = build(db, customers, operators, seed)
    with db.read() as session:
        from sqlmodel import col, select

        from operator_tui.store.tables import User

        ids = list(session.exec(select(User.id).where(User.role == Role.OPERATOR.value).order_by(col(User.id))).all())[
            :operators
        ]
    db.close()
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(len(ids))
    outs = [str(work / f"worker{i}.json") for i in range(len(ids))]
    procs = [
        ctx.Process(target=_worker, args=(url, uid, ready, seconds, outs[i], seed + i)) for i, uid in enumerate(ids)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    results = [json.loads(Path(o).read_text()) for o in outs if Path(o).exists()]
    claims = [c for r in results for c in r["claims"]]
    records = [c for r in results for c in r["records"]]
    saved = [a for r in results for a in r["saved"]]
    db = open_database(url)
    with db.hot.connection() as conn:
        found = 0
        for start in range(0, len(saved), 500):
            chunk = saved[start : start + 500]
            marks = ", ".join("?" if db.hot.sqlite else "%s" for _ in chunk)
            found += conn.execute(f"SELECT count(*) FROM interaction WHERE attempt_id IN ({marks})", chunk).fetchone()[
                0
            ]
    db.close()
    if temporary:
        shutil.rmtree(work, ignore_errors=True)  # a million customers take a few hundred MB
        url = "(removed temporary database)"
    elif folder is None:
        shutil.rmtree(work, ignore_errors=True)  # only the workers' figures were there
    return {
        "cycles_per_s": round(len(claims) / seconds, 1),
        "claim_p50_ms": round(_percentile(claims, 0.50) * 1000, 2),
        "claim_p99_ms": round(_percentile(claims, 0.99) * 1000, 2),
        "record_p50_ms": round(_percentile(records, 0.50) * 1000, 2),
        "record_p99_ms": round(_percentile(records, 0.99) * 1000, 2),
        "double_claims": double_claims([r["log"] for r in results]),
        "lost_outcomes": len(saved) - found,
        "customers": customers if build_report else None,
        "operators": len(ids),
        "seconds": seconds,
        "cycles": len(claims),
        "empty_queue_hits": sum(r["empty"] for r in results),
        "failed_workers": sum(1 for proc in procs if proc.exitcode != 0),
        "build_s": round(build_report.seconds, 1) if build_report else None,
        "mean_cycle_ms": round(statistics.fmean([a + b for a, b in zip(claims, records, strict=True)]) * 1000, 2)
        if claims
        else None,
        "database": make_url(url).render_as_string(hide_password=True) if "://" in url else url,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
