"""Open the TUI: on ``--db`` / ``--url``, or by default on a working copy of the repository's ``sample.db``.

The working copy lives in the user's data directory, so trying the app never changes the committed sample. It
is refreshed when ``sample.db`` itself changes (a newer sample after ``git pull``), and kept otherwise, so the
demo remembers what you did in it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import platformdirs

from operator_tui.services.database import Database, DatabaseError, database_url, open_database

SAMPLE_NAME = "sample.db"


def find_sample() -> Path | None:
    """``sample.db`` in the current directory, else at the root of the source checkout this runs from."""
    candidates = [Path.cwd() / SAMPLE_NAME, Path(__file__).resolve().parents[3] / SAMPLE_NAME]
    return next((p for p in candidates if p.is_file()), None)


def working_copy(sample: Path, data_dir: Path | None = None) -> Path:
    """Copy ``sample`` into the data directory unless an up-to-date copy is there already."""
    folder = data_dir or Path(platformdirs.user_data_dir("operator-tui"))
    folder.mkdir(parents=True, exist_ok=True)
    copy, stamp = folder / "sample-working.db", folder / "sample-working.source"
    digest = hashlib.sha256(sample.read_bytes()).hexdigest()
    if not copy.exists() or not stamp.exists() or stamp.read_text() != digest:
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(sample, copy)
        stamp.write_text(digest)
    return copy


def database_for_tui(db: Path | None, url: str | None) -> Database:
    """The database the TUI opens (the app calls this in a thread while its sign-in form is up); DatabaseError
    with the reason and what to do when there is none to open."""
    if db is None and url is None:
        sample = find_sample()
        if sample is None:
            raise DatabaseError(
                "no database given and no sample.db here: run from the repository root, pass --db PATH, "
                "or make one with `operator-tui demo-data --db demo.db`"
            )
        copy = working_copy(sample)
        return open_database(database_url(copy, None), auto_upgrade=True)
    return open_database(database_url(db, url))
