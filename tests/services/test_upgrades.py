"""Upgrades keep every row: a database made at the first schema revision, with a row in every table, comes
through every later revision with all of them; ``db upgrade`` backs the database up first, online."""

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, func, insert, select
from typer.testing import CliRunner

from operator_tui.cli.app import app
from operator_tui.services import backup
from operator_tui.services.database import DatabaseError
from operator_tui.store import schema
from operator_tui.store.engine import make_engine, sqlite_url

FIRST = "0001"
MOMENT = datetime(2026, 1, 2, 3, 4, 5)
REPLACED = {("queue_entry", "active"): ("phase", "wait")}
"""Columns a revision replaced by another, carrying the data over: (table, old) -> (new column, expected value).
A revision that drops a column must say here where its data went, or this test fails."""


def value_for(column: Any) -> Any:
    """A plausible value of the column's type; foreign keys and ids point at row 1 of their table."""
    if column.primary_key or column.foreign_keys:
        return 1
    try:
        kind = column.type.python_type
    except NotImplementedError:
        kind = str
    if kind is bool:
        return True
    if kind is int:
        return 2
    if kind is float or kind.__name__ == "Decimal":
        return 2.5
    if kind is datetime:
        return MOMENT
    if kind is date:
        return MOMENT.date()
    length = getattr(column.type, "length", None) or 20
    return f"{column.name}"[:length]


def fill_every_table(engine: Engine) -> dict[str, dict[str, Any]]:
    tables = MetaData()
    tables.reflect(engine)
    rows: dict[str, dict[str, Any]] = {}
    with engine.begin() as conn:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            row = {column.name: value_for(column) for column in table.columns}
            conn.execute(insert(table), row)
            rows[table.name] = row
    return rows


def test_every_row_survives_every_upgrade(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "old.db"))
    schema.upgrade(engine, FIRST)
    written = fill_every_table(engine)
    assert len(written) >= 20  # every table of the first revision has a row
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        for name, row in written.items():
            table = tables.tables[name]
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 1, name
            kept = {c: v for c, v in row.items() if (name, c) not in REPLACED}
            found = conn.execute(select(*(table.c[c] for c in kept))).mappings().one()
            assert dict(found) == kept, name
    with engine.connect() as conn:
        for (name, _), (new, expected) in REPLACED.items():
            assert conn.execute(select(tables.tables[name].c[new])).scalar_one() == expected


def test_backup_is_a_consistent_copy_and_never_overwrites(tmp_path, db_path):
    copy = backup.backup(sqlite_url(db_path), tmp_path / "copy.db")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM user_account").fetchone()[0] == 4
    try:
        backup.backup(sqlite_url(db_path), copy)
    except DatabaseError as exc:
        assert "never overwrites" in str(exc)
    else:
        raise AssertionError("a backup overwrote a file")
    assert not list(tmp_path.glob("*.partial"))


def test_default_backup_name_is_beside_the_database():
    target = backup.default_target(sqlite_url(Path("/data/center.db")), datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert target == Path("/data/center.backup-20261123-100000.db")


def test_db_upgrade_backs_up_first(tmp_path):
    path = tmp_path / "center.db"
    schema.upgrade(make_engine(sqlite_url(path)), FIRST)
    runner = CliRunner()
    done = runner.invoke(app, ["db", "upgrade", "--db", str(path)])
    assert done.exit_code == 0, done.output
    copies = list(tmp_path.glob("center.backup-*.db"))
    assert len(copies) == 1 and "Backed up to" in done.output
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == FIRST
    again = runner.invoke(app, ["db", "upgrade", "--db", str(path)])
    assert again.exit_code == 0 and "already current" in again.output
    assert len(list(tmp_path.glob("center.backup-*.db"))) == 1  # nothing to upgrade, nothing copied
    refused = runner.invoke(app, ["db", "backup", "--db", str(tmp_path / "missing.db")])
    assert refused.exit_code == 1 and "no database" in refused.output
