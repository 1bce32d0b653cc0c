"""Engine factory: SQLite in WAL by default, any SQLAlchemy URL (PostgreSQL) when many hosts share one base.

SQLite settings and why:
- ``journal_mode=WAL``: readers never block the writer, so supervisors' reports do not stall operators' calls.
- ``synchronous=NORMAL``: in WAL a commit survives a process crash; only an OS crash may lose the last commits
  (DESIGN.md allows NORMAL or stronger; ``OPERATOR_TUI_SYNC=FULL`` makes it FULL).
- ``foreign_keys=ON``: SQLite leaves them off by default.
- ``busy_timeout``: a writer waits for the lock instead of failing at once.
- ``wal_autocheckpoint=0``: SQLite would otherwise copy the WAL back into the database inside whichever commit
  crosses 1,000 pages, fsync included, while every other writer waits; ``Hot.after_commit`` checkpoints instead,
  after the writer has let go of the write gate.
- The driver's own transaction handling is turned off and ``BEGIN`` is emitted by us, so a write use-case can
  take the write lock up front (``BEGIN IMMEDIATE``) and never fail half-way on a lock upgrade.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from operator_tui.store.paths import check_sqlite_path

IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}
"""Execution options for a write transaction: ``engine.execution_options(**IMMEDIATE)``."""

BUSY_TIMEOUT_MS = 10_000


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def make_engine(url: str, *, pool: bool = True, echo: bool = False) -> Engine:
    """An engine for ``url`` with the project's settings applied on every new connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(parsed, echo=echo)
    if parsed.database and parsed.database != ":memory:":
        check_sqlite_path(Path(parsed.database))
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
    if not pool:
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, echo=echo, **kwargs)
    synchronous = os.environ.get("OPERATOR_TUI_SYNC", "NORMAL").upper()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module docstring)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={'FULL' if synchronous == 'FULL' else 'NORMAL'}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Checkpoints run outside the write gate (store.hot.Hot.after_commit), never inside someone's commit.
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


MAX_OVERFLOW = 16
PREPARE_THRESHOLD = "prepare_threshold"
"""A URL parameter for PostgreSQL: after how many runs psycopg prepares a statement on the server (its default, 5),
or ``none`` to never prepare, as a PgBouncer older than 1.21 in transaction mode needs (``?prepare_threshold=none``)."""


def _server_engine(parsed: Any, *, echo: bool) -> Engine:
    """PostgreSQL (or another server). A process holds as few connections as it uses at once: the hot path keeps
    the ones its threads use at the same time (one for a TUI, whose workers take turns; store.hot) and ORM sessions
    keep one more; the overflow lets a process with many busy threads open more instead of waiting (and those
    sessions' extra connections close when returned). Idle ones are checked before use (``pool_pre_ping``), so a
    restarted server or PgBouncer costs a reconnect, not an error."""
    connect_args: dict[str, Any] = {}
    if PREPARE_THRESHOLD in parsed.query:
        value = str(parsed.query[PREPARE_THRESHOLD]).strip().lower()
        connect_args[PREPARE_THRESHOLD] = None if value in ("", "none", "off") else int(value)
        parsed = parsed.difference_update_query([PREPARE_THRESHOLD])
    return create_engine(
        parsed, echo=echo, pool_pre_ping=True, pool_size=1, max_overflow=MAX_OVERFLOW, connect_args=connect_args
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
