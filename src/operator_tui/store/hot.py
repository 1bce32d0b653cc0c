"""The hot path's plumbing: DBAPI connections from the engine's pool, write transactions through the gate, and
the conversion of times to and from what the driver stores.

Claim and record run a handful of statements many thousand times a second across processes. They are built with
SQLAlchemy Core once per dialect (``queue_sql``), compiled to text, and executed on the driver's own cursor with
parameters, which skips the per-statement cost of the ORM and of Core's execution layer (DESIGN.md: about 450
cycles/s through ORM sessions against about 3,200 with prepared Core statements on this machine).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from operator_tui.store.engine import BUSY_TIMEOUT_MS
from operator_tui.store.write_gate import WriteGate

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's storage format for DateTime on SQLite
# Each checkpoint fsyncs the WAL and the database, and copies a page once however many commits rewrote it since
# the last one: at the queue benchmark's pace, every 1,000 commits took 7 % more cycles/s than every 200, with a
# lower p99 (2026-12-07).
CHECKPOINT_COMMITS = 1000
CHECKPOINT_S = 10.0
RESTART_FRAMES = 8000  # a WAL this long (about 32 MB) is started again from its beginning
CLOSE_WAIT_S = 5.0  # how long closing waits for a checkpoint still running
RESTART_WAIT_MS = 20  # how long a restart waits for old readers, with every writer held at the gate


class Hot:
    """Per-engine access to raw connections; one per ``Database``."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        database = engine.url.database if self.sqlite else None
        file = Path(database) if database and database != ":memory:" else None
        self.gate = WriteGate(file)
        self._commits = 0
        self._checkpointed = time.monotonic()
        self._checkpointing = threading.Lock()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._held: list[Any] = []  # every connection taken from the pool
        self._idle: list[Any] = []  # those no thread is using now

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A DBAPI connection outside any transaction (autocommit reads on both backends). Connections taken from
        the pool are kept (the hot path pays no check-out or pre-ping per call) and lent to one thread at a time:
        nested uses in a thread share one, and a thread that is done hands it back here for the next. A TUI, whose
        thread workers are new threads, so holds one connection, not one per worker it ever ran; ``close()``
        gives them all back to the pool.

        On PostgreSQL the connection is in autocommit: a read is its own statement (READ COMMITTED gives each
        statement its own snapshot anyway, so BEGIN ... ROLLBACK around reads bought nothing but round trips), no
        session sits "idle in transaction" between calls, and ``write`` emits BEGIN itself."""
        held = getattr(self._local, "connection", None)
        if held is not None:
            yield held.driver_connection
            return
        with self._lock:
            held = self._idle.pop() if self._idle else None
        if held is None:
            held = self.engine.raw_connection()
            if not self.sqlite:
                driver = held.driver_connection
                driver.autocommit = True  # type: ignore[union-attr]
                # psycopg prepares a statement after five runs, but PostgreSQL would still plan it again on every
                # run whenever it rates the generic plan's estimate above the custom plans': for these index
                # seeks the planning costs more than the run (1 ms against 0.1 ms for the callbacks-and-tasks
                # read). Their generic plans are checked in tests/queue/test_pg_plans.py.
                # (Not when psycopg prepares nothing, as behind a PgBouncer in transaction mode, where a session
                # setting would land on whichever server connection ran it.)
                if driver.prepare_threshold is not None:  # type: ignore[union-attr]
                    driver.execute("SET plan_cache_mode = force_generic_plan")  # type: ignore[union-attr]
            with self._lock:
                self._held.append(held)
        self._local.connection = held
        try:
            yield held.driver_connection
        finally:
            self._local.connection = None
            driver = held.driver_connection
            if getattr(driver, "broken", False) or getattr(driver, "closed", False):
                with self._lock:  # the server went away: let the pool make a new one next time
                    self._held.remove(held)
                held.invalidate()
            else:
                with self._lock:
                    self._idle.append(held)

    @contextmanager
    def reading(self, connection: Any) -> Iterator[Any]:
        """Several reads in one snapshot. On SQLite each statement outside a transaction is a transaction of its
        own, and every one of them revalidates the page cache against commits of other processes; one read
        transaction pays that once."""
        if self.sqlite:
            _clear(connection)
            connection.execute("BEGIN")
        try:
            yield connection
        finally:
            if self.sqlite:
                connection.execute("COMMIT")
            else:
                connection.rollback()

    @contextmanager
    def write(self, connection: Any) -> Iterator[Any]:
        """A write transaction: the gate, BEGIN IMMEDIATE (SQLite) or BEGIN (PostgreSQL, whose hot connections are
        in autocommit: see ``connection``), COMMIT or ROLLBACK. Yields a cursor."""
        with self.gate.held():
            cursor = connection.cursor()
            if self.sqlite:
                _clear(connection)
            cursor.execute("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")
            try:
                yield cursor
            except BaseException:
                connection.rollback()
                raise
            else:
                cursor.execute("COMMIT")
            finally:
                cursor.close()
        self.after_commit()

    def after_commit(self) -> None:
        """Checkpoint the WAL now and then (every ``CHECKPOINT_COMMITS`` commits or ``CHECKPOINT_S`` seconds of
        this process), outside the write gate: PASSIVE copies what no reader needs and never waits for anyone."""
        if not self.sqlite:
            return
        self._commits += 1
        now = time.monotonic()
        if self._commits < CHECKPOINT_COMMITS and now - self._checkpointed < CHECKPOINT_S:
            return
        self._commits, self._checkpointed = 0, now
        if not self._checkpointing.acquire(blocking=False):
            return  # the previous one is still running
        threading.Thread(target=self._checkpoint, name="wal-checkpoint", daemon=True).start()

    def _checkpoint(self) -> None:
        """In a thread of its own: the copy and its fsync overlap the caller's next work instead of delaying it.

        A PASSIVE checkpoint copies the WAL back without waiting for anyone, but it never makes the WAL start
        again from its beginning: SQLite restarts the log only when a writer begins while every frame is copied,
        and with writers at work some always came in during the copy. The WAL then grows for ever (660 MB in
        four seconds of the queue benchmark), and every frame is written to new file space, which the kernel
        zeroes first (a sixth of a cycle's CPU). So once the WAL is long, the frames that arrived during the
        copy are copied too with the writers held at the gate (RESTART, a few milliseconds), and the next writer
        starts the WAL over, writing into pages the kernel already has. Readers older than that copy make the
        restart wait at most ``RESTART_WAIT_MS``; it is then left to the next checkpoint."""
        try:
            own = self.engine.raw_connection()
            try:
                driver = own.driver_connection
                assert driver is not None
                _, frames, copied = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames >= RESTART_FRAMES and copied == frames:
                    driver.execute(f"PRAGMA busy_timeout={RESTART_WAIT_MS}")
                    try:
                        with self.gate.held():
                            driver.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
                    finally:
                        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            finally:
                own.close()
        except Exception:
            pass
        finally:
            self._checkpointing.release()

    def to_db(self, moment: datetime | None) -> Any:
        """An aware datetime as the column type stores it (naive UTC; text on SQLite)."""
        return stored_time(moment, self.sqlite)

    @staticmethod
    def from_db(value: Any) -> datetime | None:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(moment, datetime)
        return moment.replace(tzinfo=UTC)

    def close(self) -> None:
        # A checkpoint still running may hold the gate: let it finish before the gate's file is closed under it.
        waited = self._checkpointing.acquire(timeout=CLOSE_WAIT_S)
        try:
            self._close()
        finally:
            if waited:
                self._checkpointing.release()

    def _close(self) -> None:
        with self._lock:
            for held in self._held:
                driver = held.driver_connection
                if not self.sqlite and driver is not None and not driver.closed:
                    try:
                        driver.rollback()
                        if driver.prepare_threshold is not None:
                            driver.execute("RESET plan_cache_mode")
                        driver.autocommit = False  # as the pool's other users expect it
                    except Exception:
                        held.invalidate()
                        continue
                held.close()
            self._held.clear()
            self._idle.clear()
        self._local = threading.local()
        self.gate.close()


def stored_time(moment: datetime | None, sqlite: bool) -> Any:
    """An aware datetime as the column type stores it: naive UTC, as text on SQLite (``Hot.to_db``, for code
    that has no ``Hot``, such as the benchmark's row makers in other processes)."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # the hot path's times are UTC already: skip the conversion
        moment = moment.astimezone(UTC)
    if sqlite:  # == SQLITE_TIME, faster (the offset the aware time adds is cut off)
        return moment.isoformat(" ", "microseconds")[:26]
    return moment.replace(tzinfo=None)


def _clear(connection: Any) -> None:
    """Roll back a transaction an earlier failure left open on this kept connection, so it never wedges."""
    if connection.in_transaction:
        connection.rollback()
