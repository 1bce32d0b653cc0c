"""Opening databases: clear refusals for paths that cannot be written, old schemas upgraded or explained."""

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from operator_tui.services.database import DatabaseError, open_database
from operator_tui.store import schema
from operator_tui.store.engine import make_engine, sqlite_url


def test_a_directory_that_does_not_exist(tmp_path):
    with pytest.raises(DatabaseError, match=r"the directory .*missing does not exist"):
        open_database(sqlite_url(tmp_path / "missing" / "x.db"), create=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_directory(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DatabaseError, match="is not writable"):
            open_database(sqlite_url(folder / "x.db"), create=True)
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_a_place_where_no_file_can_be_created_even_by_root():
    with pytest.raises(DatabaseError, match=r"cannot open the database /proc/operator-tui\.db: unable to open"):
        open_database(sqlite_url("/proc/operator-tui.db"), create=True)


def test_a_path_that_is_a_directory(tmp_path):
    with pytest.raises(DatabaseError, match="is a directory"):
        open_database(sqlite_url(tmp_path), create=True)


def test_a_read_only_file_is_refused_even_for_root(tmp_path, template_db):
    # Root ignores permission bits, so use SQLite's own read-only check via a file it cannot lock for writing:
    # the service's check runs first for ordinary users; for everyone, nothing is created or changed.
    path = tmp_path / "x.db"
    shutil.copyfile(template_db, path)
    path.chmod(0o400)
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    with pytest.raises(DatabaseError, match="permission denied"):
        open_database(sqlite_url(path))


def test_an_empty_file_is_not_silently_used(tmp_path):
    (tmp_path / "empty.db").touch()
    with pytest.raises(DatabaseError, match="not an operator-tui database yet: create it with `operator-tui init`"):
        open_database(sqlite_url(tmp_path / "empty.db"))


def test_a_missing_file_is_refused_and_not_created(tmp_path):
    with pytest.raises(DatabaseError, match=r"new\.db does not exist: create it with `operator-tui init`"):
        open_database(sqlite_url(tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists()


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("create table t(x)").connection.commit()
    with pytest.raises(DatabaseError, match="not made by operator-tui"):
        open_database(sqlite_url(path))


def test_a_schema_from_a_newer_version_is_refused(tmp_path, template_db):
    path = tmp_path / "newer.db"
    shutil.copyfile(template_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = 'ffffffffffff'")
    with pytest.raises(DatabaseError, match="does not know; install the newer operator-tui"):
        open_database(sqlite_url(path))


def test_an_older_schema_names_the_command_or_is_upgraded_keeping_rows(tmp_path, template_db):
    revisions = [r.revision for r in ScriptDirectory.from_config(schema.alembic_config()).walk_revisions()]
    if len(revisions) < 2:
        pytest.skip("only one schema revision exists so far")
    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    schema.upgrade(engine, revisions[1])
    with pytest.raises(DatabaseError, match=f"Back it up, then run: operator-tui db upgrade --db {path}"):
        open_database(sqlite_url(path))
    open_database(sqlite_url(path), auto_upgrade=True)
    assert schema.current_revision(engine) == schema.head_revision()


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("pragma busy_timeout").scalar() > 0


def test_upgrade_from_nothing_creates_every_table_at_head(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "fresh.db"))
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    assert {"customer", "interaction", "queue_entry", "review", "audit_log"} <= set(inspect(engine).get_table_names())


def test_migrations_match_the_models(tmp_path):
    """Autogenerate finds nothing to do: every model change has its Alembic revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import operator_tui.store.tables  # noqa: F401

    engine = make_engine(sqlite_url(Path(tmp_path) / "m.db"))
    schema.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_revision_scripts_are_named_after_their_numbers() -> None:
    """The fast head check reads file names; Alembic's own graph must agree with it."""
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert scripts.get_current_head() == schema.head_revision()
    for script in scripts.walk_revisions():
        assert script.path is not None and Path(script.path).name.startswith(f"{script.revision}_")


@pytest.mark.sqlite_only
def test_the_wal_starts_over_while_writers_keep_writing(db, monkeypatch):
    """Checkpoints run beside the writers; once the WAL is long, one of them copies the rest with the writers held,
    and the next writer starts the WAL from its beginning. Without that, a PASSIVE checkpoint never catches up with
    a writer that keeps committing: the WAL is never started over and grows without end (it did: 660 MB in four
    seconds of the queue benchmark). A restart shows in the WAL header: its checkpoint sequence number goes up."""
    from operator_tui.store import hot as hot_module

    monkeypatch.setattr(hot_module, "CHECKPOINT_COMMITS", 20)
    monkeypatch.setattr(hot_module, "RESTART_FRAMES", 300)
    wal = Path(f"{db.engine.url.database}-wal")

    def sequence() -> int:
        return int.from_bytes(wal.read_bytes()[12:16], "big")  # the WAL header's checkpoint sequence number

    with db.hot.connection() as conn:
        with db.hot.write(conn) as cur:
            cur.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB)")
        first = sequence()
        for i in range(3000):  # each commit: at least the row's new page and the table's root, ~4,500 frames in all
            with db.hot.write(conn) as cur:
                cur.execute("INSERT INTO scratch (body) VALUES (?)", (bytes([i % 256]) * 3000,))
            if i % 100 == 0:
                time.sleep(0.001)  # a pause, as between an operator's saves, lets the checkpoint at the gate
        restarts = sequence() - first
    assert restarts >= 1
