"""The base of the screens pushed over a home screen (the quality reviews, the playbook in force): header, the
screen's body, the footer.

It carries the database handle and the actor for the screen's workers, and reads the app's clock and time zone
(tests freeze them), so every QA screen passes ``now=clock()`` to services and shows times in the reader's zone.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.i18n import _
from operator_tui.tui.keymap import key_shown
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors


class QaScreen(ReportsWorkerErrors, Screen[None]):
    CSS_PATH = "qa.tcss"

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        if self.SUB_TITLE:
            self.sub_title = _(self.SUB_TITLE)
        self.db = db
        self.actor = actor

    @property
    def clock(self) -> Clock:
        return getattr(self.app, "clock", utcnow)

    @property
    def zone(self) -> tzinfo:
        return getattr(self.app, "zone", UTC)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def say(self, text: str | Content, *, error: bool = False, selector: str = "#qa-message") -> None:
        """A line of the screen that tells what happened or why nothing did (hidden when empty)."""
        message = self.query_one(selector, Static)
        message.update(text)
        message.set_class(error, "-error")
        message.display = bool(text)

    def key_for(self, binding_id: str, default: str) -> str:
        """How the key of ``binding_id`` shows right now (after the user's keymap), for texts that name it."""
        return key_shown(self, binding_id, default)
