"""The Textual app: sign-in, the home screen of the signed-in role, keys, commands and worker errors.

It holds who is signed in, the clock, the operator's time zone and the user's settings, and switches screens;
screens do their own work through services in thread workers. Any worker that fails ends here as a notification,
never as a traceback on the operator's screen.

Start-up shows the sign-in form first: this module imports Textual and the sign-in screen, no service, no table,
no other screen. A thread then opens the database (when given an opener rather than an open one), imports the
screens and services, reads the user's keymap and settings and reads the playbook, all while the user types;
a sign-in sent sooner waits for it in its worker (``loaded_database``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from operator_tui.services.context import Actor
from operator_tui.services.errors import ServiceError
from operator_tui.tui.clock import Clock, utcnow
from operator_tui.tui.commands import AppCommands, OperatorCommands, SupervisorCommands
from operator_tui.tui.i18n import LANGUAGES, N_, _, current_language, set_language
from operator_tui.tui.messages import LoggedIn, WorkerFailed
from operator_tui.tui.refusals import worded
from operator_tui.tui.screens.login import LoginScreen

if TYPE_CHECKING:
    from operator_tui.services.database import Database
    from operator_tui.tui.keymap import LoadedKeymap
    from operator_tui.tui.settings import LoadedSettings, Settings

log = logging.getLogger(__name__)
LEAVE_CALL = "leave-call"  # the dialog that asks before a quit or a log-out leaves a call unsaved

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
        # Priority, so the focus moves before the keys after it are handed on: typed in one burst (a fast typist,
        # a slow SSH link), "op05<Tab>1111" otherwise put all of it in the first field, and "<Tab>after six" in
        # the outcome picker would have reached the outcome list as hotkeys.
        Binding("tab", "focus_next", N_("Next field"), show=False, priority=True, id="app.focus_next"),
        Binding(
            "shift+tab", "focus_previous", N_("Previous field"), show=False, priority=True, id="app.focus_previous"
        ),
    ]
    CURSOR_BLINK: ClassVar[bool] = True
    """Tests turn it off so that snapshots of text inputs are stable."""

    def __init__(
        self,
        db: Database | Callable[[], Database],
        *,
        language: str = "en",
        accounts_choose: bool = False,
        clock: Clock = utcnow,
        zone: tzinfo | None = None,
        settings: Settings | None = None,
    ) -> None:
        set_language(language)  # before any screen is built; refuses a language without texts
        super().__init__()
        self._db: Database | None = None if callable(db) else db
        self._open_database = db if callable(db) else None
        self._database_open = threading.Event()  # set once the database is open, or could not be
        self.launch_error: str | None = None  # why the database could not be opened; the launcher prints it
        self.language = current_language()  # the interface language, and the playbook texts' (see on_logged_in)
        self.launch_language = self.language  # the sign-in screen's
        # Each account's own language once signed in (no --lang was given: the locale only chose the sign-in's).
        self.accounts_choose = accounts_choose
        self.actor: Actor | None = None
        self.clock = clock  # every service call gets now=clock(); tests freeze it
        self.zone: tzinfo = zone or datetime.now().astimezone().tzinfo or UTC  # the operator's own
        self._settings = settings

    @property
    def db(self) -> Database:
        """The open database: there from the first screen after sign-in on (``loaded_database``)."""
        if self._db is None:
            raise RuntimeError("the database is not open yet")
        return self._db

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from operator_tui.tui.settings import Settings

            self._settings = Settings()
        return self._settings

    def on_mount(self) -> None:
        self.push_screen(LoginScreen())
        self._load()

    def loaded_database(self) -> Database | None:
        """In a worker thread: wait until the database is open; it, or None if it could not be opened (the app is
        then closing with the reason). The sign-in goes on from here while the screens still load: its PIN hash
        lets go of the interpreter, so the two share the machine's cores."""
        self._database_open.wait()
        return self._db

    @work(thread=True, exit_on_error=False, group="start-up")
    def _load(self) -> None:
        """Everything the sign-in form does not need, in a thread while it is up (see the module's docstring)."""
        try:
            if self._open_database is not None:
                self._db = self._open_database()
            self._database_open.set()
            from operator_tui.tui.keyed import KEYED
            from operator_tui.tui.keymap import binding_ids, default_keys, load_keymap, with_layouts
            from operator_tui.tui.settings import load_settings

            keymap = load_keymap(known_ids=binding_ids(type(self), *KEYED))
            keymap = replace(keymap, keys=with_layouts(default_keys(type(self), *KEYED), keymap.keys))
            settings = load_settings() if self._settings is None else None
        except Exception as exc:
            self.call_from_thread(self._cannot_start, exc)
            return
        try:
            from operator_tui.services.runtime import runtime

            runtime(self.db)  # the playbook, read and checked once, so the console after sign-in does not wait
        except Exception:  # a broken playbook is reported by the screens that need it, in words
            log.debug("the playbook could not be read at start-up", exc_info=True)
        self.call_from_thread(self._start_up_done, keymap, settings)

    def _start_up_done(self, keymap: LoadedKeymap, settings: LoadedSettings | None) -> None:
        if keymap.keys:
            self.set_keymap(keymap.keys)
        if keymap.problems:
            self.notify("\n".join(keymap.problems), title=_("Keymap"), severity="warning", timeout=15)
        if settings is not None:
            self._settings = settings.settings
            if settings.problems:
                self.notify("\n".join(settings.problems), title=_("Settings"), severity="warning", timeout=15)

    def _cannot_start(self, error: Exception) -> None:
        known = isinstance(error, ServiceError)  # DatabaseError: no such file, a schema to upgrade, ...
        if not known:
            log.error("the app could not start", exc_info=error)
        self.launch_error = str(error) if known else f"the app could not start: {error!r}"
        self._database_open.set()
        self.exit(return_code=1)

    def on_logged_in(self, message: LoggedIn) -> None:
        # The interface, and the playbook's texts (script, outcomes, stages), in the account's language unless the
        # command line chose one for everybody (--lang).
        from operator_tui.tui.screens.homes import home_screen_for

        if self.accounts_choose and message.actor.language in LANGUAGES:
            self._speak(message.actor.language)
        self.actor = replace(message.actor, language=self.language)
        self.clear_notifications()  # one left from the sign-in screen (why the last person was signed out) is theirs
        self._replace_all(home_screen_for(self.db, self.actor))

    def _speak(self, language: str) -> None:
        """Every text from now on in ``language`` (a signed-in account's, or the sign-in screen's again)."""
        if language != self.language:
            set_language(language)
            self.language = language

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "logout":
            return self.actor is not None
        return True

    async def action_quit(self) -> None:
        """Quit: an operator signs off first, so the live board shows them offline now, not after the silence."""
        self._leave_call_first(self._quit, _("Quit anyway"))

    def _quit(self) -> None:
        self._sign_off()
        self.exit()

    def _sign_off(self) -> None:
        if self.actor is None:
            return
        from operator_tui.tui.screens.operator import OperatorHome

        for screen in self.screen_stack:
            if isinstance(screen, OperatorHome):
                screen.sign_off()

    def _leave_call_first(self, leave: Callable[[], None], leave_label: str) -> None:
        """Quit or log out; with a call on screen not yet saved, only once the operator says so. Nothing would be
        lost (the answers are a draft, and the call comes back on screen at the next sign-in while the lease
        lasts), but a stray Ctrl+Q is not the end of a call. 2 leaves, and so does Ctrl+Q again (a priority
        binding: it reaches the dialog, where the app's other keys do not)."""
        from operator_tui.tui.screens.call import CallScreen
        from operator_tui.tui.screens.numbered_choice import NumberedChoice

        if isinstance(self.screen, NumberedChoice) and self.screen.part == LEAVE_CALL:
            self.screen.dismiss(None)
            leave()
            return
        call = next((s for s in self.screen_stack if isinstance(s, CallScreen)), None)
        if call is None or call.lease_lost:
            leave()
            return

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None and choice[0] == "leave":
                leave()

        self.push_screen(
            NumberedChoice(
                _("On a call with {customer}").format(customer=call.card.name),
                [("stay", _("Stay on the call")), ("leave", leave_label)],
                intro=_(
                    "No outcome is saved yet. The answers typed are kept, and the call comes back on your screen "
                    "when you sign in again."
                ),
                name=LEAVE_CALL,
            ),
            chosen,
        )

    def action_logout(self) -> None:
        if self.actor is not None:
            self._leave_call_first(self.log_out, _("Log out anyway"))

    def log_out(self) -> None:
        """Sign the user out now, no question asked (``action_logout`` asks first on a call)."""
        if self.actor is None:
            return
        self._sign_off()
        self.actor = None
        self.clear_notifications()  # the next person to sign in reads none of this one's messages
        self._speak(self.launch_language)
        self._replace_all(LoginScreen())

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help(self) -> None:
        from operator_tui.tui.screens.help import HelpScreen

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
            self.notify(worded(message.error), title=_("Not done"), severity="error")
        else:
            log.error("worker %s failed", message.worker_name, exc_info=message.error)
            self.notify(_(UNEXPECTED), title=_("Unexpected error"), severity="error")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.CURSOR_BLINK and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False
