"""The playbook in force, read only: its YAML as it was loaded, with line numbers, for the admin who loads playbooks
and the supervisor who coaches by its scripts. The screen says which version it is and when it was loaded; the
arrows and the page keys scroll it, Esc goes back. Loading another playbook stays on the admin's ``l``.
"""

from __future__ import annotations

from rich.syntax import Syntax
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from operator_tui.services import playbooks
from operator_tui.services.playbooks import PlaybookSource
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.messages import PlaybookRead
from operator_tui.tui.qa_marks import at
from operator_tui.tui.screens.qa_screen import QaScreen


class PlaybookScreen(QaScreen):
    CSS_PATH = "home.tcss"
    SUB_TITLE = N_("Playbook")
    AUTO_FOCUS = "#playbook-scroll"
    BINDINGS = [Binding("escape", "back", N_("Back"), id="playbook_view.back")]

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the playbook…"), id="playbook-about")
        with VerticalScroll(id="playbook-scroll", can_focus=True):
            yield Static(id="playbook-text")

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="playbook-view", exit_on_error=False)
    def _read(self) -> None:
        self.post_message(PlaybookRead(playbooks.source(self.db, self.actor)))

    def on_playbook_read(self, message: PlaybookRead) -> None:
        shown: PlaybookSource = message.source
        lines = shown.text.count("\n") + 1
        self.query_one("#playbook-about", Static).update(
            _("{name} · version {version}, loaded {at} · {lines} lines · ↑↓ PgUp PgDn scroll").format(
                name=shown.name, version=shown.version_id, at=at(shown.loaded_at, self.zone), lines=lines
            )
        )
        self.query_one("#playbook-text", Static).update(
            Syntax(shown.text, "yaml", line_numbers=True, word_wrap=True, background_color="default")
        )

    def action_back(self) -> None:
        self.dismiss()
