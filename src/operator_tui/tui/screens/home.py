"""The base of every signed-in screen: header, who is signed in, the role's body, and the footer of keys.

Each role's home screen (operator, supervisor, admin) is a subclass that fills :meth:`HomeScreen.compose_body`.
Screens get the database handle and the actor in their constructor and pass them to services from workers.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen

from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.i18n import _
from operator_tui.tui.keymap import key_shown
from operator_tui.tui.widgets.key_bar import KeyBar
from operator_tui.tui.widgets.signed_in import SignedIn
from operator_tui.tui.widgets.title_bar import TitleBar
from operator_tui.tui.workers import ReportsWorkerErrors


class HomeScreen(ReportsWorkerErrors, Screen[None]):
    CSS_PATH = "home.tcss"

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        if self.SUB_TITLE:
            self.sub_title = _(self.SUB_TITLE)
        self.db = db
        self.actor = actor

    # The app owns the clock and the reader's time zone; tests give the app frozen ones.
    @property
    def clock(self) -> Clock:
        return getattr(self.app, "clock", utcnow)

    @property
    def zone(self) -> tzinfo:
        return getattr(self.app, "zone", UTC)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield SignedIn(self.actor)
        with Container(id="home-body"):
            yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """The role's widgets, between the signed-in line and the footer."""
        yield from ()

    def key_for(self, binding_id: str, default: str) -> str:
        """How the key of ``binding_id`` shows right now (after the user's keymap), for texts that name it."""
        return key_shown(self, binding_id, default)
