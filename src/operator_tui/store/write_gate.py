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

_forks = 0  # how many times this process's line was forked: a child opens its own lock file


def _forked() -> None:
    global _forks
    _forks += 1


os.register_at_fork(after_in_child=_forked)


class WriteGate:
    def __init__(self, database: Path | None):
        self._mutex = threading.Lock()
        self._path = None if database is None else Path(f"{database}-writelock")
        self._fd: int | None = None
        self._forks = _forks

    def _descriptor(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._forks != _forks:  # a forked child needs its own open file (no getpid
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)  # per write: it is a system call)
            self._forks = _forks
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
        # The writer just woken needs a CPU to take the gate; with more operators than cores, both may be busy
        # with the work of others between their writes (ours included), and the gate would stand free until the
        # scheduler gets round to the waiter. Yielding hands it over now; with no one waiting it returns at once.
        os.sched_yield()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
