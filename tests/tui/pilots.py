"""Helpers that drive the app with real keys, as a user would."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from operator_tui.tui.app import OperatorTuiApp


@dataclass(frozen=True)
class Note:
    message: str
    title: str
    severity: str


class Notes(list[Note]):
    def text(self) -> str:
        return "\n".join(f"{note.title}: {note.message}" for note in self)


def record_notifications(app: OperatorTuiApp) -> Notes:
    """Keep every notification the app shows (it still shows them)."""
    notes = Notes()
    show = app.notify

    def notify(message: str, *, title: str = "", severity: str = "information", **kwargs: Any) -> None:
        notes.append(Note(message, title, severity))
        show(message, title=title, severity=severity, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and the messages they posted (and the screens those switch to) be handled. A worker
    cancelled meanwhile (its screen was closed: a sign-out, say) is finished too."""
    with contextlib.suppress(WorkerCancelled):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def sign_in(pilot: Pilot[Any], user: str, pin: str) -> None:
    """Type the user, Enter (moves to the PIN), type the PIN, Enter, and wait for the answer."""
    await pilot.press(*user, "enter")
    await pilot.press(*pin, "enter")
    await settle(pilot)


async def retry_pin(pilot: Pilot[Any], pin: str) -> None:
    """After a refusal the PIN field has the focus: type another PIN and Enter."""
    await pilot.press(*pin, "enter")
    await settle(pilot)


def value(pilot: Pilot[Any], selector: str) -> str:
    return pilot.app.screen.query_one(selector, Input).value


def text(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).visual)


async def type_ahead(pilot: Pilot[Any], keys: str) -> None:
    """Send ``keys`` as one burst, as a fast typist or a terminal does, without waiting between them (⏎ is Enter,
    ↵ is the line feed a terminal makes of an Enter typed before the app owns it, ⇥ is Tab, ⌫ Backspace, ␕ Ctrl+U)."""
    named = {
        "⏎": ("enter", "\r"),
        "↵": ("ctrl+j", "\n"),
        "⇥": ("tab", "\t"),
        "⌫": ("backspace", "\x7f"),
        "␕": ("ctrl+u", "\x15"),
    }
    for char in keys:
        key, character = named.get(char, (char, char))
        pilot.app.post_message(events.Key(key, character))
    await settle(pilot)


async def burst_to_screen(pilot: Pilot[Any], keys: str) -> None:
    """Queue ``keys`` at once on the screen on top now (a dialog, say), as keys that arrive together all reach the
    screen that was on top when they came; then let it handle them and what they start."""
    screen = pilot.app.screen
    for key in keys:
        screen.post_message(events.Key(key, key))
    await pilot.pause()
    await settle(pilot)
