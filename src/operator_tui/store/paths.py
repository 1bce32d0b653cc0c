"""Whether a SQLite database file can be used, from the path alone: pure ``pathlib``, so the launcher can refuse a
bad ``--db`` before it starts the TUI, without importing the database layer."""

from __future__ import annotations

import os
from pathlib import Path


class DatabaseLocationError(ValueError):
    """The database path cannot be used; the message says why and what to do."""


def check_sqlite_path(path: Path, *, must_exist: bool = False) -> None:
    """Refuse a path whose file cannot be created or written, with a message that says which and why."""
    path = path.expanduser()
    if path.exists():
        if path.is_dir():
            raise DatabaseLocationError(f"{path} is a directory, not a database file")
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseLocationError(f"cannot write the database {path}: permission denied")
        return
    if must_exist:
        raise DatabaseLocationError(f"no database at {path}: create one with `operator-tui init --db {path}`")
    parent = path.parent if str(path.parent) else Path()
    if not parent.exists():
        raise DatabaseLocationError(f"cannot create the database {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise DatabaseLocationError(f"cannot create the database {path}: the directory {parent} is not writable")


def missing_database(path: Path | str) -> str:
    """The refusal for a database file that is not there (opening never creates one unasked)."""
    return f"{path} does not exist: create it with `operator-tui init` (or `operator-tui demo-data`), or check the path"


def check_database_file(path: Path) -> None:
    """Refuse, before anything is started, a ``--db`` that names no usable existing database file."""
    check_sqlite_path(path)
    if not path.expanduser().exists():
        raise DatabaseLocationError(missing_database(path))
