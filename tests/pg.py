"""A throwaway PostgreSQL server for tests and benchmarks: Debian's server binaries, a cluster in a temp dir,
listening on loopback only (a free port) and on a unix socket inside that dir, stopped and removed afterwards.

The server refuses to run as root, so as root ``initdb`` and ``pg_ctl`` run as the ``postgres`` OS user (made by
Debian's package) through ``runuser``; otherwise as the caller. TCP needs a random password (scram); the socket,
inside the 0700 temp dir, is trusted. A watchdog process stops the server if the process that started it dies
without doing so (a killed pytest must not leave a postmaster behind on a shared machine).

Run ``python -m tests.pg`` to get a server for trying things by hand: it prints the URL and waits for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN_ENV = "OPERATOR_TUI_PG_BIN"
NO_PG_ENV = "OPERATOR_TUI_TESTS_NO_PG"
"""Set to 1 to skip the PostgreSQL variants of the tests (for machines without PostgreSQL; CI never sets it)."""

TEST_SETTINGS = {  # throwaway data: no durability
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "64MB",
    "max_connections": "300",
}
DURABLE_SETTINGS = {  # benchmarks: commits survive a crash, as in production
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "1GB",
    "max_connections": "300",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
    "maintenance_work_mem": "256MB",
}


class PostgresUnavailable(RuntimeError):
    """No server binaries (or no OS user to run them as); the message says how to get them."""


def server_bin() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``: $OPERATOR_TUI_PG_BIN, else the newest /usr/lib/postgresql/*/bin."""
    given = os.environ.get(PG_BIN_ENV)
    candidates = [Path(given)] if given else sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version)
    for folder in reversed(candidates):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (looked in "
        f"{given or '/usr/lib/postgresql/*/bin'}): install them with `apt-get install -y postgresql` "
        f"(.ci/run does), point {PG_BIN_ENV} at a bin folder with initdb and pg_ctl, "
        f"or set {NO_PG_ENV}=1 to skip the PostgreSQL variants of the tests"
    )


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.parent.name.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running server; :meth:`url` names a database on it for SQLAlchemy (psycopg 3)."""

    folder: Path
    port: int
    password: str
    bin: Path
    as_user: list[str]
    watchdog: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """For psycopg itself (no SQLAlchemy driver prefix)."""
        return f"host=127.0.0.1 port={self.port} user=postgres password={self.password} dbname={database}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements in autocommit (CREATE / DROP DATABASE cannot run in a transaction)."""
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def stop(self) -> None:
        _stop(self.bin, self.as_user, self.folder)
        if self.watchdog is not None:
            self.watchdog.kill()  # its job is done
            self.watchdog.wait()
            self.watchdog = None


def start(settings: dict[str, str] | None = None) -> Cluster:
    """initdb a new cluster in a temp dir and start it on a free loopback port; raise PostgresUnavailable if the
    binaries are missing. Call :meth:`Cluster.stop` when done (a watchdog does it if this process dies first)."""
    binaries = server_bin()
    as_user: list[str] = []
    if os.geteuid() == 0:
        try:
            import pwd

            account = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "running as root, and there is no `postgres` OS user to run the server as "
                "(Debian's postgresql package makes it)"
            ) from None
        as_user = ["runuser", "-u", "postgres", "--"]
    # Under /tmp: the postgres user must traverse it (pytest's own temp dirs are root's, 0700), and a unix socket
    # path has at most 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="operator-tui-pg-", dir="/tmp"))
    if as_user:
        os.chown(folder, account.pw_uid, account.pw_gid)
    folder.chmod(0o700)
    password = secrets.token_hex(16)
    try:
        pwfile = folder / "pw"
        pwfile.write_text(password + "\n")
        if as_user:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        _run(
            [
                *as_user,
                str(binaries / "initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                "postgres",
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-locale",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            folder,
        )
        pwfile.unlink()
        cluster = _listen(binaries, as_user, folder, password, {**TEST_SETTINGS, **(settings or {})})
    except BaseException:
        _stop(binaries, as_user, folder)
        raise
    cluster.watchdog = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(binaries), str(folder), *as_user],
        start_new_session=True,  # a Ctrl-C of the test run must not kill it before it cleans up
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return cluster


def _listen(binaries: Path, as_user: list[str], folder: Path, password: str, settings: dict[str, str]) -> Cluster:
    """Start on a free port; another process may take the port between our look and the bind: try again."""
    conf = folder / "data" / "postgresql.conf"
    conf.write_text(conf.read_text() + "\ninclude 'operator_tui.conf'\n")
    log = folder / "server.log"
    for _ in range(5):
        port = _free_port()
        lines = {"listen_addresses": "'127.0.0.1'", "port": str(port), "unix_socket_directories": f"'{folder}'"}
        lines |= settings
        (folder / "data" / "operator_tui.conf").write_text("".join(f"{k} = {v}\n" for k, v in lines.items()))
        log.unlink(missing_ok=True)
        done = subprocess.run(
            [*as_user, str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-l", str(log), "-w", "-t", "60", "start"],
            cwd=folder,
            capture_output=True,
        )
        if done.returncode == 0:
            return Cluster(folder, port, password, binaries, as_user)
        text = log.read_text(errors="replace") if log.exists() else done.stderr.decode(errors="replace")
        if "could not bind" not in text:
            raise RuntimeError(f"PostgreSQL did not start:\n{text[-3000:]}")
    raise RuntimeError("PostgreSQL found no free port after 5 tries")


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout.decode()}{done.stderr.decode()}")


def _stop(binaries: Path, as_user: list[str], folder: Path) -> None:
    if (folder / "data" / "postmaster.pid").exists():
        pg_ctl = [*as_user, str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-w", "-t", "60", "stop"]
        for mode in ("fast", "immediate"):
            if subprocess.run([*pg_ctl, "-m", mode], cwd=folder, capture_output=True).returncode == 0:
                break
    shutil.rmtree(folder, ignore_errors=True)


# Runs in its own session: waits for the starting process to end, then stops the server and removes its folder
# (a no-op when the owner already did). argv: owner pid, bin folder, cluster folder, the runuser prefix.
_WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, binaries, folder, as_user = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
while True:
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
if os.path.exists(os.path.join(folder, "data", "postmaster.pid")):
    subprocess.run([*as_user, binaries + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop"],
                   cwd=folder, capture_output=True)
shutil.rmtree(folder, ignore_errors=True)
"""


def main() -> None:
    durable = "--durable" in sys.argv
    cluster = start(DURABLE_SETTINGS if durable else None)
    print(cluster.url(), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
