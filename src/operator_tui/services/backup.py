"""Online backups: a consistent copy of the database while operators keep working, made before every upgrade.

SQLite: the SQLite backup API copies the database page by page from a read transaction, so the copy is the state
of one moment (WAL included) and writers are not stopped. PostgreSQL: ``pg_dump`` in its custom format (one
consistent snapshot; restore with ``pg_restore``). A backup never overwrites a file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from operator_tui.services.database import DatabaseError
from operator_tui.store.coltypes import utcnow

PAGES_PER_STEP = 4096  # copied between short pauses, so writers get the lock in between


def default_target(url: str, now: datetime | None = None) -> Path:
    """``<name>.backup-YYYYMMDD-HHMMSS.db`` beside a SQLite file; ``<database>-….dump`` in the current folder."""
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return path.with_name(f"{path.stem}.backup-{stamp}{path.suffix or '.db'}")
    return Path.cwd() / f"{parsed.database}-{stamp}.dump"


def backup(url: str, target: Path | None = None) -> Path:
    """Copy the database at ``url`` to ``target`` (or :func:`default_target`); return where it went."""
    parsed = make_url(url)
    target = target or default_target(url)
    if target.exists():
        raise DatabaseError(f"{target} exists already; a backup never overwrites a file")
    if not target.parent.is_dir():
        raise DatabaseError(f"the folder {target.parent} does not exist")
    if parsed.get_backend_name() == "sqlite":
        _sqlite(Path(parsed.database or ""), target)
    elif parsed.get_backend_name() == "postgresql":
        _postgresql(url, target)
    else:
        raise DatabaseError(f"backups of {parsed.get_backend_name()} databases are not supported")
    return target


def _sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise DatabaseError(f"there is no database at {source}")
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=PAGES_PER_STEP, sleep=0.005)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"the backup of {source} failed: {exc}") from None
    finally:
        src.close()
    partial.rename(target)  # only a finished copy carries the backup's name


def _postgresql(url: str, target: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseError("pg_dump is not installed (Debian: apt install postgresql-client)")
    parsed = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:  # through the environment: a command line is visible to every user of the host
        env["PGPASSWORD"] = str(parsed.password)
    address = parsed.set(password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [pg_dump, "--format=custom", f"--file={target}", address],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise DatabaseError(f"pg_dump failed: {done.stderr.strip()}")
