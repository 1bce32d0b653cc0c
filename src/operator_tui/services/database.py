"""The database handle services work with: an engine plus the transaction helpers every use-case uses.

``Database.write()`` takes SQLite's write lock at BEGIN (``BEGIN IMMEDIATE``), so a use-case never fails half-way
on a lock upgrade; ``Database.read()`` is a plain read transaction. Both roll back on any exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from operator_tui.services.errors import ServiceError
from operator_tui.store import schema
from operator_tui.store.engine import IMMEDIATE, make_engine, sqlite_url
from operator_tui.store.hot import Hot
from operator_tui.store.paths import DatabaseLocationError, missing_database


class DatabaseError(ServiceError):
    """The database cannot be opened or used; the message says what to do."""


class Database:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._writer = engine.execution_options(**IMMEDIATE) if engine.dialect.name == "sqlite" else engine
        self.hot = Hot(engine)  # raw connections and the write gate, for the queue's hot path
        self.cache: dict[str, Any] = {}  # per-database memo of services (active playbook, zones, statements)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits at the end of the block, rolls back on an exception. Writers of this
        process and of others queue on the write gate first (store.write_gate), so none sleeps on a busy lock."""
        with self.hot.gate.held(), Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session
        self.hot.after_commit()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.hot.close()
        self.engine.dispose()


def database_url(db: str | Path | None = None, url: str | None = None) -> str:
    if url and db:
        raise DatabaseError("give either --db PATH or --url URL, not both")
    if url:
        return url
    if db is None:
        raise DatabaseError("no database given: use --db PATH (SQLite) or --url URL")
    return sqlite_url(db)


def open_database(
    url: str,
    *,
    create: bool = False,
    auto_upgrade: bool = False,
    upgrade_command: str | None = None,
    pool: bool = True,
) -> Database:
    """Open ``url``; create the schema if ``create`` and the database is new; check the schema revision.

    An older schema is upgraded when ``auto_upgrade`` (a working copy), else refused with the command to run.
    """
    try:
        engine = make_engine(url, pool=pool)
    except DatabaseLocationError as exc:
        raise DatabaseError(str(exc)) from None
    missing = _missing_file(engine)
    if missing is not None and not create:  # refuse before SQLite makes an empty file there
        engine.dispose()
        raise DatabaseError(missing_database(missing))
    try:
        if schema.is_empty(engine) and not create:
            raise DatabaseError(
                f"{engine.url.database or url} is not an operator-tui database yet: "
                "create it with `operator-tui init` (or `operator-tui demo-data`)"
            )
        command = upgrade_command or _upgrade_command(engine)
        schema.ensure_current(engine, upgrade_command=command, auto_upgrade=auto_upgrade)
    except (schema.SchemaOutdated, schema.SchemaTooNew) as exc:
        engine.dispose()
        raise DatabaseError(str(exc)) from None
    except OperationalError as exc:
        engine.dispose()
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url.render_as_string()
        raise DatabaseError(f"cannot open the database {where}: {exc.orig}") from None
    except DatabaseError:
        engine.dispose()
        raise
    return Database(engine)


def _missing_file(engine: Engine) -> str | None:
    """The path of a SQLite database file that does not exist yet (None for an existing one, memory, a server)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:") or Path(path).exists():
        return None
    return path


def _upgrade_command(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return f"operator-tui db upgrade --db {engine.url.database}"
    return f"operator-tui db upgrade --url '{engine.url.render_as_string(hide_password=True)}'"


def upgrade_schema(url: str) -> tuple[str | None, str | None]:
    """Bring the database at ``url`` to this version's newest schema; return (revision before, after)."""
    try:
        engine = make_engine(url)
    except DatabaseLocationError as exc:
        raise DatabaseError(str(exc)) from None
    try:
        before = schema.current_revision(engine)
        if before is None and not schema.is_empty(engine):
            raise DatabaseError("this database has tables but no schema revision: it was not made by operator-tui")
        schema.upgrade(engine)
        return before, schema.current_revision(engine)
    finally:
        engine.dispose()


def schema_status(url: str) -> tuple[str | None, str]:
    """The database's schema revision and the newest this version knows."""
    try:
        engine = make_engine(url)
    except DatabaseLocationError as exc:
        raise DatabaseError(str(exc)) from None
    try:
        return schema.current_revision(engine), schema.head_revision()
    finally:
        engine.dispose()


def compact(db: Database) -> None:
    """Checkpoint and VACUUM a SQLite database (after a bulk build), so the file is small and self-contained."""
    if db.engine.dialect.name != "sqlite":
        return
    raw = db.engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM cannot run inside one
    try:
        raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
