"""The optional dial hook: run the configured command (a softphone's command line) with the customer's number.

No shell is involved (``shlex.split`` + ``Popen``), so a phone number can never become a command. The caller runs
:func:`dial` in a thread worker: starting and waiting for the command never blocks the UI.
"""

from __future__ import annotations

import shlex
import subprocess

from operator_tui.tui.settings import PHONE

WAIT_S = 15.0  # a dial command that has not finished by then is left running (a softphone may stay in front)


class DialError(Exception):
    """The command could not be started, or it failed; the message is fit to show as it is."""


def dial_argv(command: str, phone: str) -> list[str]:
    """The arguments to run: ``{phone}`` replaced by the number, or the number added at the end."""
    parts = shlex.split(command)
    if not parts:
        raise DialError("the dial command is empty")
    if any(PHONE in part for part in parts):
        return [part.replace(PHONE, phone) for part in parts]
    return [*parts, phone]


def dial(command: str, phone: str, wait_s: float = WAIT_S) -> None:
    """Start the command and wait (in the caller's thread) up to ``wait_s`` for it to say whether it worked."""
    argv = dial_argv(command, phone)
    try:
        # argv comes from the user's own config file and the number is one argument: no shell, no injection.
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise DialError(f"cannot run {argv[0]!r}: {exc.strerror or exc}") from None
    try:
        _output, stderr = process.communicate(timeout=wait_s)
    except subprocess.TimeoutExpired:
        return
    if process.returncode:
        said = stderr.decode(errors="replace").strip().splitlines()
        detail = f": {said[-1]}" if said else ""
        raise DialError(f"{argv[0]} exited with code {process.returncode}{detail}")
