"""The Textual app: sign-in, the home screen of the signed-in role, keys, commands and worker errors.

It holds who is signed in, the clock, the operator's time zone and the user's settings, and switches screens;
screens do their own work through services in thread workers. Any worker that fails ends here as a notification,
never as a traceback on the operator's screen.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen

from operator_tui.services.context import Actor
from operator_tui.services.database import Database
from operator_tui.services.errors import ServiceError
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.commands import AppCommands, OperatorCommands, SupervisorCommands
from operator_tui.tui.i18n import N_, _, current_language, set_language
from operator_tui.tui.keymap import binding_ids, load_keymap
from operator_tui.tui.messages import LoggedIn, WorkerFailed
from operator_tui.tui.screens import HOME_SCREENS, home_screen_for
from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.callback import CallbackDialog
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.login import LoginScreen
from operator_tui.tui.screens.operator import OperatorHome
from operator_tui.tui.screens.outcome import OutcomePicker
from operator_tui.tui.screens.pause import PauseDialog
from operator_tui.tui.screens.prompt import TextPrompt
from operator_tui.tui.screens.qa_keyed import QA_KEYED
from operator_tui.tui.screens.search import SearchScreen
from operator_tui.tui.settings import Settings, load_settings
from operator_tui.tui.widgets.script_runner import ScriptRunner

log = logging.getLogger(__name__)

UNEXPECTED = N_("Something went wrong and it was not done. Try again; if it happens again, tell your supervisor.")


class OperatorTuiApp(App[None]):
    TITLE = "operator-tui"
    CSS_PATH = ["app.tcss", "console.tcss"]
    COMMANDS = {AppCommands, OperatorCommands, SupervisorCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("ctrl+l", "logout", N_("Log out"), id="app.logout"),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True, id="app.commands"),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
    ]
    CURSOR_BLINK: ClassVar[bool] = True
    """Tests turn it off so that snapshots of text inputs are stable."""

    def __init__(
        self,
        db: Database,
        *,
        language: str = "en",
        clock: Clock = utcnow,
        zone: tzinfo | None = None,
        settings: Settings | None = None,
    ) -> None:
        set_language(language)  # before any screen is built; refuses a language without texts
        super().__init__()
        self.db = db
        self.language = current_language()  # the interface language, and the playbook texts' (see on_logged_in)
        self.actor: Actor | None = None
        self.clock = clock  # every service call gets now=clock(); tests freeze it
        self.zone: tzinfo = zone or datetime.now().astimezone().tzinfo or UTC  # the operator's own
        self._settings = settings

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings()
        return self._settings

    def on_mount(self) -> None:
        self.apply_user_keymap()
        if self._settings is None:
            loaded = load_settings()
            self._settings = loaded.settings
            if loaded.problems:
                self.notify("\n".join(loaded.problems), title=_("Settings"), severity="warning", timeout=15)
        self.push_screen(LoginScreen(self.db))

    KEYED: ClassVar[list[type[DOMNode]]] = [
        LoginScreen,
        HelpScreen,
        *HOME_SCREENS.values(),
        CallScreen,
        ScriptRunner,
        OutcomePicker,
        CallbackDialog,
        PauseDialog,
        TextPrompt,
        SearchScreen,
        *QA_KEYED,
    ]
    """Every class with bindings: the ids a keymap file may name."""

    def apply_user_keymap(self) -> None:
        keymap = load_keymap(known_ids=binding_ids(type(self), *self.KEYED))
        if keymap.keys:
            self.set_keymap(keymap.keys)
        if keymap.problems:
            self.notify("\n".join(keymap.problems), title=_("Keymap"), severity="warning", timeout=15)

    def on_logged_in(self, message: LoggedIn) -> None:
        # The playbook's texts (script, outcomes, stages) in the interface language, whatever the account says.
        self.actor = replace(message.actor, language=self.language)
        self._replace_all(home_screen_for(self.db, self.actor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "logout":
            return self.actor is not None
        return True

    def action_logout(self) -> None:
        if self.actor is None:
            return
        for screen in self.screen_stack:
            if isinstance(screen, OperatorHome):
                screen.sign_off()
        self.actor = None
        self._replace_all(LoginScreen(self.db))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def _replace_all(self, screen: Screen[None]) -> None:
        """Close anything stacked on the current screen (help, palette), then put ``screen`` in its place."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """The one place a failed worker is reported: a service's refusal as it is, anything else briefly."""
        if isinstance(message.error, ServiceError):
            self.notify(str(message.error), title=_("Not done"), severity="error")
        else:
            log.error("worker %s failed", message.worker_name, exc_info=message.error)
            self.notify(_(UNEXPECTED), title=_("Unexpected error"), severity="error")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.CURSOR_BLINK and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False
