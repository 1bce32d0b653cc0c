"""The console benchmark: the app as an operator meets it, timed from outside through a real terminal.

`operator-tui bench ui --customers N --json` builds a base of N customers (as `bench queue` does), starts
``operator-tui --db …`` on a pseudo-terminal of 120x40 and acts as the operator at the keyboard: it waits for the
sign-in form, types the login and PIN, waits for the console with its queue panel filled, then presses ``n`` and
waits for the customer's card, skips the customer with a reason and does it again.

``startup_s`` is what the operator waits for: from the launch to the sign-in form, plus from the Enter after the
PIN to the queue on screen, with the login and PIN typed at a quick typist's pace in between. The app opens its
database while the form is up (tui.app), so part of its start-up happens while the person types;
``startup_typed_ahead_s`` is the same sum on a second launch with every key sent the instant the form shows, so
that none of the work can hide behind typing.

Every figure is a wall-clock time from a byte written to the terminal (or the process launch) to the moment the
expected text arrived on the terminal's output: what the person in front of it would see, with nothing inside the
app instrumented. ``rss_mb`` is the process's peak resident memory (VmHWM) at the end.

The app starts as it does on an operator's machine, from the bytecode Python caches beside the modules (pip
writes it at install time; an editable install writes it on the first launch): the package is compiled first,
and ``PYTHONDONTWRITEBYTECODE``, which some shells and CI images set, is not passed on, since with it every launch
would compile the package's modules from source again (about 0.1 s here).
"""

from __future__ import annotations

import compileall
import fcntl
import os
import pty
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

from operator_tui.services.bench import build
from operator_tui.services.database import open_database
from operator_tui.store.engine import sqlite_url

LOGIN, PIN = "bench001", "1111"
SIZE = (120, 40)
SIGN_IN_SHOWN = "Enter signs in."
QUEUE_SHOWN = "Next up"  # the queue panel's second heading: it appears once the queue has been read
CARD_SHOWN = "Script · "  # the script pane's title on the call screen
SKIP_ASKED = "Why is"  # the skip's reason prompt
SKIPPED_SHOWN = "Skipped"  # the console after the call, with the skipped customer's name
TIMEOUT_S = 60.0
TYPING_PACE_S = 0.1  # a quick typist's ten keys a second, for the login and the PIN
REFERENCE_SHOWN = "reference app ready"
REFERENCE_APP = """
import sys
if sys.argv[1:] == ["sqlmodel"]:
    import sqlmodel
from textual.app import App
from textual.widgets import Static
class Reference(App):
    def compose(self):
        yield Static("reference app ready")
    def on_key(self, event):
        self.exit()
Reference().run()
"""


class Terminal:
    """A pseudo-terminal with the app on its other side; collects everything the app writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.output = bytearray()
        self.arrived = threading.Condition()
        self.launched_at = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            with self.arrived:
                if not data:
                    self.output += b"\0EOF"
                    self.arrived.notify_all()
                    return
                self.output += data
                self.arrived.notify_all()

    def clear(self) -> None:
        with self.arrived:
            self.output.clear()

    def type(self, keys: str) -> float:
        """Write ``keys`` as typed; return the moment they were written."""
        os.write(self.master, keys.encode())
        return time.perf_counter()

    def wait_for(self, text: str, timeout: float = TIMEOUT_S) -> float:
        """Block until ``text`` has been written by the app; return when it arrived."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        with self.arrived:
            while wanted not in self.output:
                if b"\0EOF" in self.output:
                    raise RuntimeError(f"the app ended before showing {text!r}: {self._tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"the app did not show {text!r} within {timeout:.0f} s: {self._tail()}")
                self.arrived.wait(left)
            return time.perf_counter()

    def _tail(self) -> str:
        return bytes(self.output[-400:]).decode(errors="replace")

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return kb / 1024

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)


def run(customers: int, *, rounds: int = 15, folder: Path | None = None, seed: int = 1) -> dict[str, Any]:
    """Build the base, run the app on a terminal, return the figures."""
    work = Path(folder or tempfile.mkdtemp(prefix="operator-tui-bench-ui-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "bench.db"
    if not path.exists():
        db = open_database(sqlite_url(path), create=True)
        build(db, customers, operators=1, seed=seed)
        db.close()
    compileall.compile_dir(Path(__file__).resolve().parents[1], quiet=2)  # as pip does on install
    try:
        figures = _drive(path, work, rounds)
        textual_s = statistics.median(reference_paint(work, with_sqlmodel=False) for _ in range(3))
        sqlmodel_s = statistics.median(reference_paint(work, with_sqlmodel=True) for _ in range(3))
    finally:
        if folder is None:
            shutil.rmtree(work, ignore_errors=True)
    return {
        "customers": customers,
        "rounds": rounds,
        **figures,
        "reference_textual_paint_s": round(textual_s, 3),
        "reference_sqlmodel_paint_s": round(sqlmodel_s, 3),
        "startup_over_sqlmodel_paint": round(figures["startup_s"] / sqlmodel_s, 2),
    }


def _environment(work: Path) -> dict[str, str]:
    config = work / "config"  # no settings or keymap of the person running the benchmark
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "XDG_CONFIG_HOME": str(config),
        "XDG_DATA_HOME": str(config),
    }
    env.pop("TEXTUAL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the module's docstring
    return env


def reference_paint(work: Path, *, with_sqlmodel: bool) -> float:
    """Launch to first frame of a one-widget Textual app (and with SQLModel imported): the floor beside us."""
    argv = [sys.executable, "-c", REFERENCE_APP, *(["sqlmodel"] if with_sqlmodel else [])]
    terminal = Terminal(argv, _environment(work))
    try:
        return terminal.wait_for(REFERENCE_SHOWN) - terminal.launched_at
    finally:
        terminal.close()


def _drive(path: Path, work: Path, rounds: int) -> dict[str, Any]:
    argv = [sys.executable, "-m", "operator_tui", "--db", str(path)]
    _start(Terminal(argv, _environment(work)), pace=0.0, close=True)  # not timed: the first look at a new base
    typed_ahead = _start(Terminal(argv, _environment(work)), pace=0.0, close=True)
    terminal = Terminal(argv, _environment(work))
    try:
        sign_in, console = _start(terminal, pace=TYPING_PACE_S)
        nexts, skips = [], []
        for _ in range(rounds):
            terminal.clear()
            pressed = terminal.type("n")
            nexts.append(terminal.wait_for(CARD_SHOWN) - pressed)
            terminal.clear()
            terminal.type("x")
            terminal.wait_for(SKIP_ASKED)  # the reason prompt is up (keys typed sooner would go to the card)
            pressed = terminal.type("bench\r")
            skips.append(terminal.wait_for(SKIPPED_SHOWN) - pressed)
            time.sleep(0.2)  # as a person would pause: the console's own refresh is not the next key's cost
        rss = terminal.peak_rss_mb()
    finally:
        terminal.close()
    return {
        "startup_s": round(sign_in + console, 3),
        "sign_in_shown_s": round(sign_in, 3),
        "sign_in_to_queue_s": round(console, 3),
        "startup_typed_ahead_s": round(sum(typed_ahead), 3),
        "next_ms": round(statistics.median(nexts) * 1000, 1),
        "next_max_ms": round(max(nexts) * 1000, 1),
        "skip_ms": round(statistics.median(skips) * 1000, 1),
        "rss_mb": round(rss, 1),
    }


def _start(terminal: Terminal, *, pace: float, close: bool = False) -> tuple[float, float]:
    """Sign in on a freshly launched app: (launch to the sign-in form, the last Enter to the queue drawn). The
    login and PIN are typed one key every ``pace`` seconds, or all at once the moment the form shows (0)."""
    try:
        sign_in = terminal.wait_for(SIGN_IN_SHOWN) - terminal.launched_at
        terminal.clear()
        keys = f"{LOGIN}\r{PIN}"
        if pace:
            for key in keys:
                terminal.type(key)
                time.sleep(pace)
        else:
            terminal.type(keys)
        typed = terminal.type("\r")
        return sign_in, terminal.wait_for(QUEUE_SHOWN) - typed
    finally:
        if close:
            terminal.close()
