"""One writer at a time, handed over without sleeping.

SQLite lets one transaction write at a time; a second writer gets SQLITE_BUSY and its busy handler sleeps and
polls (up to 100 ms between tries), which is where a bad p99 under contention comes from. Our own processes
therefore queue on a blocking ``flock`` of a lock file beside the database before ``BEGIN IMMEDIATE``: the kernel
wakes the next waiter the moment the lock is released. Threads of one process queue on a mutex first, because
``flock`` does not separate threads sharing a process. Writers that do not take the gate (the sqlite3 shell, say)
still work: SQLite's busy timeout remains the fallback. A killed process releases its ``flock`` with its files.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WriteGate:
    def __init__(self, database: Path | None):
        self._mutex = threading.Lock()
        self._path = None if database is None else Path(f"{database}-writelock")
        self._fd: int | None = None
        self._pid = os.getpid()

    def _descriptor(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked child needs its own open file
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._mutex:
            fd = self._descriptor()
            if fd is None:
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
